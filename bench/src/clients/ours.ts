/** Our client: `tickets.batchUpdate` (the bulk engine) with its own rate limiter. */
import { createHubSpotClient } from '@bulk-clients/hubspot';
import { ticketUpdates } from '../tickets.js';
import type { ClientCounts, TrialRequest } from '../trial-types.js';

export async function runOurs(request: TrialRequest): Promise<ClientCounts> {
  const hubspot = createHubSpotClient({
    token: request.token,
    baseUrl: request.baseUrl,
    rateLimit: request.rateLimit,
  });
  const report = await hubspot.tickets.batchUpdate(ticketUpdates(request.records, request.seeded), {
    batchSize: request.batchSize,
    concurrency: request.concurrency,
  });
  return {
    succeeded: report.succeeded,
    failed: report.failed + report.unknown + report.skipped,
    requests: report.requests,
    rateLimited: report.throttled,
  };
}
