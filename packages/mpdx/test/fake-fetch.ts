/** A request as the fake transport saw it, body already read. */
export interface RecordedRequest {
  method: string;
  url: URL;
  headers: Headers;
  /** Parsed JSON body, or undefined when the request had none. */
  body: unknown;
}

/** What the fake transport answers with. */
export interface CannedResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * A `fetch` that answers with `respond(request)` and logs every request it was given, so tests
 * assert on what went over the wire without a server.
 */
export function createFakeFetch(respond: (request: RecordedRequest) => CannedResponse) {
  const requests: RecordedRequest[] = [];
  async function fakeFetch(request: Request): Promise<Response> {
    const text = await request.text();
    const recorded: RecordedRequest = {
      method: request.method,
      url: new URL(request.url),
      headers: request.headers,
      body: text === '' ? undefined : JSON.parse(text),
    };
    requests.push(recorded);
    const canned = respond(recorded);
    const response = new Response(canned.body === undefined ? null : JSON.stringify(canned.body), {
      status: canned.status,
      headers: { 'Content-Type': 'application/vnd.api+json; charset=utf-8', ...canned.headers },
    });
    // A real fetch sets `url`; ApiError reports the path from it.
    Object.defineProperty(response, 'url', { value: request.url });
    return response;
  }
  return { fetch: fakeFetch, requests };
}
