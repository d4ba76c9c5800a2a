/** A `fetch` double that records every request and answers from a queue of canned responses. */
export interface RecordedRequest {
  method: string;
  url: URL;
  headers: Headers;
  body: unknown;
}

export interface CannedResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface FakeFetch {
  fetch: (request: Request) => Promise<Response>;
  requests: RecordedRequest[];
  respondWith(response: CannedResponse): void;
}

export function createFakeFetch(): FakeFetch {
  const requests: RecordedRequest[] = [];
  const queue: CannedResponse[] = [];
  return {
    requests,
    respondWith(response) {
      queue.push(response);
    },
    async fetch(request) {
      const text = await request.text();
      requests.push({
        method: request.method,
        url: new URL(request.url),
        headers: request.headers,
        body: text === '' ? undefined : (JSON.parse(text) as unknown),
      });
      const next = queue.shift();
      if (!next) throw new Error(`No canned response for ${request.method} ${request.url}`);
      const hasBody = next.body !== undefined;
      const response = new Response(hasBody ? JSON.stringify(next.body) : null, {
        status: next.status,
        headers: { ...(hasBody ? { 'Content-Type': 'application/json' } : {}), ...next.headers },
      });
      // Response built by hand has an empty url; give it the request's, as a real fetch does.
      Object.defineProperty(response, 'url', { value: request.url });
      return response;
    },
  };
}
