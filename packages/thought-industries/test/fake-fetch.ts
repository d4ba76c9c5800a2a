/** A request as the fake transport saw it, with the body already read. */
export interface RecordedRequest {
  method: string;
  url: string;
  headers: Headers;
  body: unknown;
}

export interface CannedResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * A `fetch` that answers every request with `respond(request)` and keeps a log of what was
 * sent, so tests assert on the wire format without a server.
 */
export function createFakeFetch(respond: (request: RecordedRequest) => CannedResponse) {
  const requests: RecordedRequest[] = [];
  async function fakeFetch(request: Request): Promise<Response> {
    const text = await request.text();
    const recorded: RecordedRequest = {
      method: request.method,
      url: request.url,
      headers: request.headers,
      body: text === '' ? undefined : JSON.parse(text),
    };
    requests.push(recorded);
    const canned = respond(recorded);
    const response = new Response(canned.body === undefined ? null : JSON.stringify(canned.body), {
      status: canned.status,
      headers: { 'Content-Type': 'application/json', ...canned.headers },
    });
    // A real fetch sets `url`; ApiError reports the path from it.
    Object.defineProperty(response, 'url', { value: request.url });
    return response;
  }
  return { fetch: fakeFetch, requests };
}
