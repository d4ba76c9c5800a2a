/**
 * What a user writes by hand over openapi-fetch: POST one chunk, and on a 429 wait for
 * `Retry-After` (1 s when absent) and send it again, up to 5 times.
 */
import type { paths, TicketUpdateInput } from '@bulk-clients/hubspot';
import createClient from 'openapi-fetch';
import type { ClientCounts, TrialRequest } from '../trial-types.js';

const MAX_ATTEMPTS = 6;

export type PostChunk = (inputs: TicketUpdateInput[]) => Promise<void>;

export function createChunkPoster(request: TrialRequest, counts: ClientCounts): PostChunk {
  const client = createClient<paths>({
    baseUrl: request.baseUrl,
    headers: { authorization: `Bearer ${request.token}` },
  });
  return async (inputs) => {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
      counts.requests += 1;
      const { data, response } = await client.POST('/crm/v3/objects/tickets/batch/update', {
        body: { inputs },
      });
      if (response.status === 429) {
        counts.rateLimited = (counts.rateLimited ?? 0) + 1;
        const seconds = Number(response.headers.get('retry-after') ?? '1');
        await new Promise((resolve) => setTimeout(resolve, (seconds || 1) * 1000));
        continue;
      }
      const written = data?.results.length ?? 0;
      counts.succeeded += written;
      counts.failed += inputs.length - written;
      return;
    }
    counts.failed += inputs.length;
  };
}
