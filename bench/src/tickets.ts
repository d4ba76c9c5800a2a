/** The ticket updates every HubSpot scenario sends: same ids, same properties, in chunks of 100. */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { TicketUpdateInput } from '@bulk-clients/hubspot';

/**
 * Update `n` of `count`: ticket ids cycle through the seeded `1..seeded`, so a run of any length
 * only names tickets that exist (and a batch of 100 consecutive updates never names one twice
 * while `seeded >= 100`).
 */
export function ticketUpdate(n: number, seeded: number): TicketUpdateInput {
  return { id: String((n % seeded) + 1), properties: { subject: `Bench update ${n}` } };
}

/** `count` updates, built one at a time as the consumer pulls them. */
export function* ticketUpdates(count: number, seeded: number): Generator<TicketUpdateInput> {
  for (let n = 0; n < count; n += 1) yield ticketUpdate(n, seeded);
}

/** The same updates in chunks of `size`, built one chunk at a time. */
export function* ticketChunks(
  count: number,
  seeded: number,
  size: number,
): Generator<TicketUpdateInput[]> {
  for (let start = 0; start < count; start += size) {
    const chunk: TicketUpdateInput[] = [];
    for (let n = start; n < Math.min(count, start + size); n += 1)
      chunk.push(ticketUpdate(n, seeded));
    yield chunk;
  }
}

/** Writes updates `from..from + lines - 1` as JSONL (the CLI's input), with backpressure. */
export async function writeTicketJsonl(
  file: string,
  lines: number,
  seeded: number,
  from = 0,
): Promise<void> {
  const stream = createWriteStream(file);
  for (let n = from; n < from + lines; n += 1) {
    if (!stream.write(`${JSON.stringify(ticketUpdate(n, seeded))}\n`)) await once(stream, 'drain');
  }
  stream.end();
  await once(stream, 'finish');
}
