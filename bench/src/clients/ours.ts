/**
 * Our client: `tickets.batchUpdate` (the bulk engine) with its own rate limiter, sending through
 * the global `fetch` (the default) or, for `ours-node-http`, the `node:http` transport of
 * `@bulk-clients/core/node-fetch` (what the CLI uses). `ours-legacy-bucket` is the same client
 * over `node:http` with the previous limiter (a token bucket) in place of core's.
 */
import { createNodeFetch } from '@bulk-clients/core/node-fetch';
import { createHubSpotClient } from '@bulk-clients/hubspot';
import { LegacyTokenBucket } from '../legacy-token-bucket.js';
import { ticketUpdates } from '../tickets.js';
import type { ClientCounts, TrialRequest } from '../trial-types.js';

export async function runOurs(request: TrialRequest): Promise<ClientCounts> {
  const legacy = request.client === 'ours-legacy-bucket';
  const transport = request.client === 'ours-node-http' || legacy ? createNodeFetch() : undefined;
  const hubspot = createHubSpotClient({
    token: request.token,
    baseUrl: request.baseUrl,
    rateLimit:
      legacy && request.rateLimit ? new LegacyTokenBucket(request.rateLimit) : request.rateLimit,
    fetch: transport,
  });
  const report = await hubspot.tickets.batchUpdate(ticketUpdates(request.records, request.seeded), {
    batchSize: request.batchSize,
    concurrency: request.concurrency,
  });
  transport?.destroy();
  return {
    succeeded: report.succeeded,
    failed: report.failed + report.unknown + report.skipped,
    requests: report.requests,
    rateLimited: report.throttled,
  };
}
