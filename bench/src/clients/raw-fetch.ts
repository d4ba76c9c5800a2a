/**
 * The floor of client cost: `fetch` posting request bodies serialized before the clock starts,
 * from `concurrency` loops, reading each answer's JSON.
 */
import { ticketChunks } from '../tickets.js';
import type { ClientCounts, TrialRequest } from '../trial-types.js';

export function prepareRawFetch(request: TrialRequest): () => Promise<ClientCounts> {
  const bodies = [...ticketChunks(request.records, request.seeded, request.batchSize)].map(
    (inputs) => ({ size: inputs.length, body: JSON.stringify({ inputs }) }),
  );
  const url = `${request.baseUrl}/crm/v3/objects/tickets/batch/update`;
  const headers = {
    authorization: `Bearer ${request.token}`,
    'content-type': 'application/json',
  };
  return async () => {
    const counts: ClientCounts = { succeeded: 0, failed: 0, requests: 0, rateLimited: 0 };
    let next = 0;
    const worker = async () => {
      while (next < bodies.length) {
        const batch = bodies[next] as { size: number; body: string };
        next += 1;
        counts.requests += 1;
        const response = await fetch(url, { method: 'POST', headers, body: batch.body });
        const answer = (await response.json()) as { results?: unknown[] };
        if (response.status === 429) counts.rateLimited = (counts.rateLimited ?? 0) + 1;
        const written = response.ok ? (answer.results?.length ?? 0) : 0;
        counts.succeeded += written;
        counts.failed += batch.size - written;
      }
    };
    await Promise.all(Array.from({ length: request.concurrency }, worker));
    return counts;
  };
}
