/**
 * (c) The official `@hubspot/api-client`: `crm.tickets.batchApi.update`, chunked into 100s by
 * hand, with retries on (`numberOfApiCallRetries: 3`) and its Bottleneck limiter on, pointed at
 * the sandbox with `basePath`. `official` uses the limiter settings its README shows
 * (`DEFAULT_LIMITER_OPTIONS`: 6 concurrent, starts 1000/9 ms apart); `official-tuned` sets them
 * to the sandbox's window (`concurrency` at once, starts `perMs / requests` apart), which is
 * what a user who read the limits would do.
 */
import { Client, DEFAULT_LIMITER_OPTIONS } from '@hubspot/api-client';
import { ticketChunks } from '../tickets.js';
import type { ClientCounts, TrialRequest } from '../trial-types.js';

export async function runOfficial(request: TrialRequest): Promise<ClientCounts> {
  const client = new Client({
    accessToken: request.token,
    basePath: request.baseUrl,
    numberOfApiCallRetries: 3,
    limiterOptions:
      request.client === 'official-tuned' && request.rateLimit
        ? {
            maxConcurrent: request.concurrency,
            minTime: request.rateLimit.perMs / request.rateLimit.requests,
            id: 'bench-tuned-limiter',
          }
        : DEFAULT_LIMITER_OPTIONS,
  });
  const counts: ClientCounts = { succeeded: 0, failed: 0, requests: 0, rateLimited: null };
  const chunks = [...ticketChunks(request.records, request.seeded, request.batchSize)];
  await Promise.all(
    chunks.map(async (inputs) => {
      try {
        const answer = await client.crm.tickets.batchApi.update({ inputs });
        counts.succeeded += answer.results.length;
        counts.failed += inputs.length - answer.results.length;
      } catch {
        counts.failed += inputs.length;
      }
    }),
  );
  // The client does not expose how many HTTP requests or 429s it saw; the sandbox counts them.
  counts.requests = chunks.length;
  return counts;
}
