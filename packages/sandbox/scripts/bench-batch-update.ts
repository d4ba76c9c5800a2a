/**
 * Measures the sandbox's own latency: sequential 100-input HubSpot ticket batch updates over a
 * keep-alive loopback connection, faults off. Prints median and p95 in milliseconds.
 *
 *   node --import tsx scripts/bench-batch-update.ts [requests] [--validate]
 */
import { Agent, request } from 'node:http';
import { startSandbox } from '../src/index.js';

const total = Number(process.argv.find((arg) => /^\d+$/.test(arg)) ?? 1000);
const validate = process.argv.includes('--validate');
const warmup = 100;

const sandbox = await startSandbox({ validateResponses: validate ? 'record' : 'off' });
const agent = new Agent({ keepAlive: true, maxSockets: 1 });
const target = new URL('/crm/v3/objects/tickets/batch/update', sandbox.url);

function batch(round: number): string {
  const inputs = Array.from({ length: 100 }, (_, i) => ({
    id: String(((round * 100 + i) % 5000) + 1),
    properties: { subject: `Bench ${round}-${i}`, hs_pipeline_stage: '2' },
  }));
  return JSON.stringify({ inputs });
}

function send(body: string): Promise<{ status: number; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const req = request(
      target,
      {
        method: 'POST',
        agent,
        headers: {
          authorization: 'Bearer sandbox-token',
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => {
          const ms = Number(process.hrtime.bigint() - started) / 1e6;
          resolve({ status: res.statusCode ?? 0, ms });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const bodies = Array.from({ length: total + warmup }, (_, round) => batch(round));
const timings: number[] = [];
for (const [round, body] of bodies.entries()) {
  const { status, ms } = await send(body);
  if (status !== 200) throw new Error(`Request ${round} answered ${status}`);
  if (round >= warmup) timings.push(ms);
}
agent.destroy();
await sandbox.close();

timings.sort((a, b) => a - b);
const at = (q: number) =>
  timings[Math.min(timings.length - 1, Math.floor(q * timings.length))] ?? 0;
console.log(
  `${total} sequential 100-input batch updates, faults off, response validation ${validate ? 'on' : 'off'}, Node ${process.version}`,
);
console.log(
  `median ${at(0.5).toFixed(2)} ms, p95 ${at(0.95).toFixed(2)} ms, max ${at(1).toFixed(2)} ms`,
);
if (sandbox.violations.length > 0) {
  console.log(`spec violations: ${JSON.stringify(sandbox.violations.slice(0, 3))}`);
}
