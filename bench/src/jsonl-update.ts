/**
 * Stand-in for the CLI in the memory scenario, used only while the CLI build lacks
 * `hubspot tickets-update`: reads a JSONL file line by line and hands it to
 * `tickets.batchUpdate`, as the command does, without the CLI's own layers (option parsing,
 * spec validation of each record, report files). Usage: jsonl-update.ts FILE BASE_URL.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createHubSpotClient, type TicketUpdateInput } from '@bulk-clients/hubspot';

async function* readJsonl(file: string): AsyncGenerator<TicketUpdateInput> {
  const lines = createInterface({
    input: createReadStream(file),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  for await (const line of lines)
    if (line.trim() !== '') yield JSON.parse(line) as TicketUpdateInput;
}

async function main(): Promise<void> {
  const [file, baseUrl] = process.argv.slice(2);
  if (!file || !baseUrl) throw new TypeError('usage: jsonl-update.ts FILE BASE_URL');
  const hubspot = createHubSpotClient({
    token: process.env.HUBSPOT_TOKEN ?? '',
    baseUrl,
    rateLimit: false,
  });
  const report = await hubspot.tickets.batchUpdate(readJsonl(file), { concurrency: 4 });
  process.exitCode = report.succeeded === report.total ? 0 : 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`jsonl-update: ${(error as Error).message}\n`);
  process.exitCode = 2;
});
