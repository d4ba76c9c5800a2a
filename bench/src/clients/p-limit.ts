/** (b) `p-limit` at the same concurrency as ours, over openapi-fetch, with no rate limiter. */
import pLimit from 'p-limit';
import { ticketChunks } from '../tickets.js';
import type { ClientCounts, TrialRequest } from '../trial-types.js';
import { createChunkPoster } from './openapi-fetch-post.js';

export async function runPLimit(request: TrialRequest): Promise<ClientCounts> {
  const counts: ClientCounts = { succeeded: 0, failed: 0, requests: 0, rateLimited: 0 };
  const post = createChunkPoster(request, counts);
  const limit = pLimit(request.concurrency);
  const chunks = [...ticketChunks(request.records, request.seeded, request.batchSize)];
  await Promise.all(chunks.map((chunk) => limit(() => post(chunk))));
  return counts;
}
