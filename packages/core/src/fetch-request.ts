/**
 * openapi-fetch builds a `Request` (middleware sees and may change it) and hands it to `fetch`.
 * Node's `fetch` copies a `Request` it is given, and copying one with a body pipes that body
 * through a new `TransformStream`: for a bulk run of many small JSON requests that costs more CPU
 * than the client's own work per request. The client therefore builds its requests as
 * {@link ReusableRequest}s, which remember the `init` they were made with, and sends them with
 * {@link fetchRequest}, which calls `fetch(url, init)` when the body is a string (or absent) and
 * the request is still the one that was built. A request a middleware replaced, or one with a
 * stream, form or binary body, is sent as it is.
 */

/** A `Request` that keeps the `init` it was made with, so that its body can be sent again. */
export class ReusableRequest extends Request {
  readonly #init: RequestInit | undefined;

  constructor(input: RequestInfo | URL, init?: RequestInit) {
    super(input, init);
    this.#init = init;
  }

  /**
   * openapi-fetch checks what a middleware returns with `instanceof` the `Request` class it was
   * given: any `Request` passes, as it does with the global class.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return value instanceof Request;
  }

  /**
   * The `init` to send `request` with: `undefined` unless it is a `ReusableRequest` whose body is
   * a string or absent.
   */
  static reusableInit(request: Request): RequestInit | undefined {
    if (!(#init in request)) return undefined;
    const init = request.#init;
    if (init?.body !== undefined && init.body !== null && typeof init.body !== 'string') {
      return undefined;
    }
    // Headers are the request's own: middleware may have set some (such as Authorization).
    return { ...init, method: request.method, headers: request.headers };
  }
}

/** Sends `request` with the global `fetch`, without copying its body where it need not. */
export function fetchRequest(request: Request): Promise<Response> {
  const init = ReusableRequest.reusableInit(request);
  return init ? globalThis.fetch(request.url, init) : globalThis.fetch(request);
}
