import type { FetchLike } from '../src/index.js';

/** What the fake vault answers: a status, a JSON body and extra headers. */
export interface CannedResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A request as the fake saw it, with its body already read. */
export interface RecordedRequest {
  method: string;
  url: URL;
  headers: Headers;
  contentType: string | null;
  json: unknown;
  form: FormData | undefined;
}

/** A `fetch` that records every request and answers with `respond(request)`. */
export function createFakeFetch(respond: (request: Request) => CannedResponse) {
  const requests: RecordedRequest[] = [];
  const fetch: FetchLike = async (request) => {
    const contentType = request.headers.get('content-type');
    let json: unknown;
    let form: FormData | undefined;
    if (contentType?.startsWith('multipart/form-data')) {
      form = await request.clone().formData();
    } else {
      const text = await request.clone().text();
      json = text === '' ? undefined : JSON.parse(text);
    }
    requests.push({
      method: request.method,
      url: new URL(request.url),
      headers: request.headers,
      contentType,
      json,
      form,
    });
    const canned = respond(request);
    const response = new Response(canned.body === undefined ? null : JSON.stringify(canned.body), {
      status: canned.status,
      headers: { 'Content-Type': 'application/json', ...canned.headers },
    });
    // A real fetch sets `url`; core's ApiError reads the path from it.
    Object.defineProperty(response, 'url', { value: request.url });
    return response;
  };
  return { fetch, requests };
}
