/**
 * A `fetch` for Node built on `node:http` and `node:https` with keep-alive agents.
 *
 * Node's global `fetch` (undici) costs a bulk run twice the CPU per request of `node:http` and
 * about 18 MiB of memory on its first call (its HTTP parser is a WebAssembly module); a run of
 * thousands of small JSON requests feels both. This transport takes the `Request` openapi-fetch
 * builds and answers with a standard `Response`, so the typed client, its middleware and
 * `unwrap` work unchanged. Differences from `fetch`, on purpose for API calls:
 * - redirects are not followed: a 3xx comes back as it is;
 * - the response body is read in full before the promise resolves (API answers are small JSON;
 *   the request's abort signal and timeout cover the body as well);
 * - failures keep `fetch`'s shape: `TypeError('fetch failed')` whose `cause` carries the socket
 *   error's `code` (`ECONNRESET`, `ECONNREFUSED`...), and an aborted request rejects with the
 *   signal's reason, so the engine classifies them exactly as it does `fetch`'s.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { ReusableRequest } from './fetch-request.js';

/** Options of {@link createNodeFetch}. */
export interface NodeFetchOptions {
  /**
   * Most sockets open at once per origin; requests beyond it wait for a free socket.
   * @default Infinity
   */
  maxSockets?: number | undefined;
  /**
   * How long an idle keep-alive socket is kept for the next request, in ms. A shorter
   * `Keep-Alive: timeout=N` announced by the server wins (less one second, so that the client
   * lets go first).
   * @default 30_000
   */
  idleSocketMs?: number | undefined;
}

/** A `fetch` over `node:http`; `destroy()` closes its idle sockets. */
export interface NodeFetch {
  (request: Request): Promise<Response>;
  /** Closes every socket of the transport. Requests in flight fail. */
  destroy(): void;
}

/** Statuses whose response has no body, whatever the server sends. */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/**
 * Creates a `fetch` over `node:http`/`node:https` for `createApiClient`'s (and every vendor
 * factory's) `fetch` option. Node only: import it from `@bulk-clients/core/node-fetch`.
 *
 * @example
 * import { createNodeFetch } from '@bulk-clients/core/node-fetch';
 * const hubspot = createHubSpotClient({ token, fetch: createNodeFetch() });
 */
export function createNodeFetch(options: NodeFetchOptions = {}): NodeFetch {
  if (!options || typeof options !== 'object') {
    throw new TypeError('Expected `options` to be an object');
  }
  const maxSockets = options.maxSockets ?? Number.POSITIVE_INFINITY;
  if (!(maxSockets >= 1)) {
    throw new TypeError(`Expected \`maxSockets\` to be at least 1, got ${options.maxSockets}`);
  }
  const idleSocketMs = options.idleSocketMs ?? 30_000;
  if (!Number.isInteger(idleSocketMs) || idleSocketMs < 1) {
    throw new TypeError(
      `Expected \`idleSocketMs\` to be a positive integer, got ${options.idleSocketMs}`,
    );
  }
  // The agent's `timeout` is also what lets it honour the server's keep-alive hint.
  const agentOptions = { keepAlive: true, maxSockets, timeout: idleSocketMs };
  const agents: Agents = {
    'http:': new HttpAgent(agentOptions),
    'https:': new HttpsAgent(agentOptions),
  };
  const nodeFetch = (request: Request) => send(request, agents);
  return Object.assign(nodeFetch, {
    destroy() {
      agents['http:'].destroy();
      agents['https:'].destroy();
    },
  });
}

/** The keep-alive agent of each scheme. */
interface Agents {
  'http:': HttpAgent;
  'https:': HttpsAgent;
}

async function send(request: Request, agents: Agents): Promise<Response> {
  const url = new URL(request.url);
  const { protocol } = url;
  if (protocol !== 'http:' && protocol !== 'https:') {
    throw new TypeError(`Expected an http: or https: URL, got ${protocol}`);
  }
  const init = ReusableRequest.reusableInit(request);
  const signal = init?.signal ?? request.signal;
  signal?.throwIfAborted();
  let body: string | Buffer | undefined;
  if (init) {
    body = typeof init.body === 'string' ? init.body : undefined;
  } else if (request.body !== null) {
    body = Buffer.from(await request.arrayBuffer());
  }
  signal?.throwIfAborted();

  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    headers[name] = value;
  });
  if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
  headers.accept ??= '*/*';
  headers['accept-encoding'] ??= 'gzip, deflate, br';

  return new Promise<Response>((resolve, reject) => {
    let settled = false;
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      outgoing.destroy();
      reject(error);
    };
    const failed = (cause: unknown) => fail(new TypeError('fetch failed', { cause }));
    const onAbort = () => fail(signal?.reason);

    const options = { method: request.method, headers };
    const outgoing =
      protocol === 'https:'
        ? httpsRequest(url, { ...options, agent: agents[protocol] })
        : httpRequest(url, { ...options, agent: agents[protocol] });
    outgoing.on('error', failed);
    outgoing.on('response', (incoming: IncomingMessage) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('error', failed);
      incoming.on('close', () => {
        if (!incoming.complete) failed(connectionClosedEarly());
      });
      incoming.on('end', () => {
        if (settled) return;
        let response: Response;
        try {
          response = toResponse(request, incoming, Buffer.concat(chunks));
        } catch (error) {
          failed(error);
          return;
        }
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        resolve(response);
      });
    });
    signal?.addEventListener('abort', onAbort, { once: true });
    outgoing.end(body);
  });
}

function toResponse(request: Request, incoming: IncomingMessage, raw: Buffer): Response {
  const status = incoming.statusCode ?? 0;
  const headers = new Headers();
  const pairs = incoming.rawHeaders;
  for (let at = 0; at + 1 < pairs.length; at += 2) headers.append(pairs[at]!, pairs[at + 1]!);
  const hasBody = request.method !== 'HEAD' && !NULL_BODY_STATUSES.has(status);
  // Node's Buffers are Uint8Arrays over an ArrayBuffer; the DOM typings only say ArrayBufferLike.
  const body = hasBody ? (decode(raw, headers.get('content-encoding')) as BodyInit) : null;
  const response = new Response(body, {
    status,
    statusText: incoming.statusMessage ?? '',
    headers,
  });
  Object.defineProperty(response, 'url', { value: request.url });
  return response;
}

/** Decodes a body by its `Content-Encoding` (as `fetch` does); unknown encodings pass as they are. */
function decode(raw: Buffer, encoding: string | null): Uint8Array {
  if (raw.length === 0 || !encoding) return raw;
  let body: Uint8Array = raw;
  // Encodings are listed in the order they were applied: undo them from the last.
  for (const coding of encoding
    .toLowerCase()
    .split(',')
    .map((part) => part.trim())
    .reverse()) {
    if (coding === 'gzip' || coding === 'x-gzip') body = gunzipSync(body);
    else if (coding === 'deflate') body = inflateSync(body);
    else if (coding === 'br') body = brotliDecompressSync(body);
    else if (coding !== 'identity') return raw;
  }
  return body;
}

function connectionClosedEarly(): Error {
  return Object.assign(new Error('The connection closed before the response ended'), {
    code: 'ECONNRESET',
  });
}
