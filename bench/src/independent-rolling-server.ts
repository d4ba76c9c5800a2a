/**
 * A HubSpot stand-in that shares no code with the sandbox, written from HubSpot's documented
 * behaviour only, so that the rate-limit benchmark checks the client against more than one
 * plausible server: a rolling one-second window of `requests` per app (HubSpot's secondly
 * limit), counted by the time each request arrives (its headers, before the body is read or any
 * latency is added). A request that finds `requests` accepted arrivals in the last second, the
 * one exactly a second old included, gets a 429 with HubSpot's error body (`policyName`
 * `SECONDLY`) and its secondly headers, and does not count. Every other
 * `POST /crm/v3/objects/tickets/batch/update` is answered 200 with a `COMPLETE` batch echoing
 * the inputs, after `latencyMs`. No `Retry-After`: HubSpot documents none.
 *
 * Options come as one JSON argument (`IndependentServerOptions`); the URL is printed on stdout,
 * the counters are answered over IPC as the benchmark sandbox does.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface IndependentServerOptions {
  /** Requests accepted in any rolling second. */
  requests: number;
  latencyMs: number;
}

export interface IndependentCounters {
  received: number;
  accepted: number;
  /** 429s answered. */
  rateLimited: number;
  /** Arrival times of the accepted requests (`performance.now()` of this process, in order). */
  handledAt: number[];
}

const WINDOW_MS = 1000;
const ROUTE = '/crm/v3/objects/tickets/batch/update';

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

function reply(response: ServerResponse, status: number, body: unknown, headers = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json;charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
}

function main(): void {
  const options = JSON.parse(process.argv[2] ?? '{}') as IndependentServerOptions;
  const counters: IndependentCounters = { received: 0, accepted: 0, rateLimited: 0, handledAt: [] };
  // Arrival times of the accepted requests still inside the window, oldest first.
  let window: number[] = [];
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  const server = createServer(async (request, response) => {
    const arrived = performance.now();
    counters.received += 1;
    window = window.filter((at) => at >= arrived - WINDOW_MS);
    const limited = window.length >= options.requests;
    if (!limited) {
      window.push(arrived);
      counters.accepted += 1;
      counters.handledAt.push(arrived);
    }
    const headers = {
      'x-hubspot-ratelimit-secondly': String(options.requests),
      'x-hubspot-ratelimit-secondly-remaining': String(options.requests - window.length),
    };
    try {
      const body = (await readJson(request)) as { inputs?: { id: string; properties: object }[] };
      await sleep(options.latencyMs);
      if (request.method !== 'POST' || request.url !== ROUTE) {
        reply(response, 404, {
          status: 'error',
          message: 'Not found',
          category: 'OBJECT_NOT_FOUND',
        });
        return;
      }
      if (limited) {
        counters.rateLimited += 1;
        reply(
          response,
          429,
          {
            status: 'error',
            message: 'You have reached your secondly limit.',
            errorType: 'RATE_LIMIT',
            correlationId: randomUUID(),
            policyName: 'SECONDLY',
            groupName: 'bench-app',
          },
          headers,
        );
        return;
      }
      const now = new Date().toISOString();
      reply(
        response,
        200,
        {
          status: 'COMPLETE',
          results: (body.inputs ?? []).map((input) => ({
            id: input.id,
            properties: { ...input.properties, hs_lastmodifieddate: now },
            createdAt: '2024-01-01T00:00:00.000Z',
            updatedAt: now,
            archived: false,
          })),
          requestedAt: now,
          startedAt: now,
          completedAt: now,
        },
        headers,
      );
    } catch {
      reply(response, 400, {
        status: 'error',
        message: 'Invalid input JSON',
        category: 'VALIDATION_ERROR',
      });
    }
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as AddressInfo;
    process.stdout.write(`http://127.0.0.1:${port}\n`);
  });
  process.on('message', (message: { type?: string }) => {
    if (message.type === 'counters') process.send?.({ type: 'counters', counters });
  });
  process.on('disconnect', () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
}

main();
