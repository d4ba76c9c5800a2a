/**
 * Test doubles for the clients built on core, published as `@bulk-clients/core/testing` so that
 * every vendor package tests its wire format with the same fake transport (no server, no global
 * `fetch` patched): pass `recording.fetch` as the client's `fetch`.
 */

/** A request as the fake transport saw it, with its body already read. */
export interface RecordedRequest {
  method: string;
  url: URL;
  headers: Headers;
  /** The request's `Content-Type`, or `null` when it sent none. */
  contentType: string | null;
  /** The parsed JSON body; `undefined` when the request had no body or sent a form. */
  body: unknown;
  /** The multipart form, when the request sent one. */
  form: FormData | undefined;
}

/** What the fake transport answers with: a status, a JSON body and extra headers. */
export interface CannedResponse {
  status: number;
  /** Sent as JSON; leave it out for an empty body. */
  body?: unknown;
  headers?: Record<string, string> | undefined;
}

/** Options of {@link createRecordingFetch}. */
export interface RecordingFetchOptions {
  /**
   * `Content-Type` of every answer (a canned `headers` entry overrides it).
   * @default 'application/json'
   * @example 'application/vnd.api+json; charset=utf-8'
   */
  contentType?: string | undefined;
}

/** What {@link createRecordingFetch} returns. */
export interface RecordingFetch {
  /** The `fetch` to give the client. */
  fetch: (request: Request) => Promise<Response>;
  /** Every request, in the order it was made. */
  readonly requests: RecordedRequest[];
  /** Queues the answer to the next request not answered by `respond`. */
  respondWith(response: CannedResponse): void;
}

/**
 * A `fetch` that records every request and answers it with `respond(request)`, or, without
 * `respond`, with the next response queued by `respondWith` (a request with none queued
 * rejects, naming it).
 *
 * @example
 * const transport = createRecordingFetch(() => ({ status: 200, body: { results: [] } }));
 * const client = createHubSpotClient({ token: 'sandbox-token', fetch: transport.fetch });
 * expect(transport.requests[0]?.url.pathname).toBe('/crm/v3/objects/tickets/batch/update');
 */
export function createRecordingFetch(
  respond?: (request: RecordedRequest) => CannedResponse | Promise<CannedResponse>,
  options: RecordingFetchOptions = {},
): RecordingFetch {
  if (respond !== undefined && typeof respond !== 'function') {
    throw new TypeError('Expected `respond` to be a function');
  }
  const contentType = options.contentType ?? 'application/json';
  const requests: RecordedRequest[] = [];
  const queue: CannedResponse[] = [];
  return {
    requests,
    respondWith(response) {
      queue.push(response);
    },
    async fetch(request) {
      const recorded = await record(request);
      requests.push(recorded);
      const canned = respond ? await respond(recorded) : queue.shift();
      if (!canned) throw new Error(`No canned response for ${request.method} ${request.url}`);
      const response = new Response(
        canned.body === undefined ? null : JSON.stringify(canned.body),
        { status: canned.status, headers: { 'Content-Type': contentType, ...canned.headers } },
      );
      // A real fetch sets `url`; ApiError reports the path from it.
      Object.defineProperty(response, 'url', { value: request.url });
      return response;
    },
  };
}

async function record(request: Request): Promise<RecordedRequest> {
  const contentType = request.headers.get('content-type');
  // A clone, so that the request stays readable for whoever holds it.
  const copy = request.clone();
  let body: unknown;
  let form: FormData | undefined;
  if (contentType?.startsWith('multipart/form-data')) form = await copy.formData();
  else {
    const text = await copy.text();
    body = text === '' ? undefined : (JSON.parse(text) as unknown);
  }
  return {
    method: request.method,
    url: new URL(request.url),
    headers: request.headers,
    contentType,
    body,
    form,
  };
}
