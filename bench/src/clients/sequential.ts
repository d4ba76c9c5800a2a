/** (a) A sequential loop over openapi-fetch: one chunk of 100 at a time. */
import { ticketChunks } from '../tickets.js';
import type { ClientCounts, TrialRequest } from '../trial-types.js';
import { createChunkPoster } from './openapi-fetch-post.js';

export async function runSequential(request: TrialRequest): Promise<ClientCounts> {
  const counts: ClientCounts = { succeeded: 0, failed: 0, requests: 0, rateLimited: 0 };
  const post = createChunkPoster(request, counts);
  for (const chunk of ticketChunks(request.records, request.seeded, request.batchSize)) {
    await post(chunk);
  }
  return counts;
}
