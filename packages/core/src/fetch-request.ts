/**
 * openapi-fetch builds a `Request` (middleware sees and may change it) and hands it to `fetch`.
 * Node's `fetch` copies a `Request` it is given, and copying one with a body pipes that body
 * through a new `TransformStream`: for a bulk run of many small JSON requests that costs more CPU
 * than the client's own work per request. Building the `Request` costs too: a body stream, a
 * header list, and an abort signal of its own that follows the caller's (a listener and a
 * finalizer per request), all thrown away when `fetch` builds its own.
 *
 * So a client sends its requests with {@link fetchRequest}, which calls `fetch(url, init)` when
 * the body is a string (or absent), and builds them as one of two kinds:
 * - {@link LightRequest} when only the client's own middleware and {@link fetchRequest} will see
 *   them (see `createApiClient`): the URL, method, headers and signal, and a real `Request` made
 *   only if something reads the body or clones it;
 * - {@link ReusableRequest} otherwise: a real `Request` that remembers the `init` it was made with,
 *   so that user middleware and a caller's own `fetch` get what they expect (`instanceof Request`,
 *   `new Request(request, init)`).
 * A request a middleware replaced, or one with a stream, form or binary body, is sent as it is.
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
   * given: any `Request` passes, as it does with the global class, and so does a
   * {@link LightRequest}.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return value instanceof Request || value instanceof LightRequest;
  }

  /**
   * The `init` to send `request` with: `undefined` unless it is a `ReusableRequest` or a
   * {@link LightRequest} whose body is a string or absent.
   */
  static reusableInit(request: Request | LightRequest): RequestInit | undefined {
    if (request instanceof LightRequest) return request.sendInit();
    if (!(#init in request)) return undefined;
    return stringBodyInit(request.#init, request.method, request.headers);
  }
}

/** Methods that `Request` writes in upper case whatever case they are given in (not PATCH). */
const NORMALIZED_METHODS = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT']);

/**
 * The part of a `Request` that the client's own middleware and {@link fetchRequest} use, without
 * the body stream and abort signal a real one builds. Reading the body or cloning it builds a
 * real `Request` from the same URL, method, headers and `init`.
 */
export class LightRequest {
  /** The URL, absolute and normalized as `Request` gives it. */
  readonly url: string;
  /** The method, in upper case when it is one of the standard ones (as `Request` does). */
  readonly method: string;
  /** The headers, a copy of those in `init`; middleware may change them before sending. */
  readonly headers: Headers;
  readonly #init: RequestInit;
  #signal: AbortSignal | undefined;
  #real: Request | undefined;

  constructor(input: string | URL, init: RequestInit = {}) {
    this.url = new URL(input).href;
    const method = init.method ?? 'GET';
    const upper = method.toUpperCase();
    this.method = NORMALIZED_METHODS.has(upper) ? upper : method;
    this.headers = new Headers(init.headers);
    this.#init = init;
    this.#signal = init.signal ?? undefined;
  }

  /** The caller's abort signal; one that never aborts when the request was given none. */
  get signal(): AbortSignal {
    this.#signal ??= new AbortController().signal;
    return this.#signal;
  }

  /** Whether {@link ReusableRequest.reusableInit} applies: a light request is one of ours. */
  static [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && #init in value;
  }

  /** The `init` to send this request with, or `undefined` when its body is not a string. */
  sendInit(): RequestInit | undefined {
    return stringBodyInit(this.#init, this.method, this.headers);
  }

  /** The body as a stream (builds a real `Request`). */
  get body(): ReadableStream<Uint8Array> | null {
    return this.#materialize().body;
  }

  /** Whether the body was read. */
  get bodyUsed(): boolean {
    return this.#real?.bodyUsed ?? false;
  }

  arrayBuffer(): Promise<ArrayBuffer> {
    return this.#materialize().arrayBuffer();
  }

  blob(): Promise<Blob> {
    return this.#materialize().blob();
  }

  formData(): Promise<FormData> {
    return this.#materialize().formData();
  }

  json(): Promise<unknown> {
    return this.#materialize().json();
  }

  text(): Promise<string> {
    return this.#materialize().text();
  }

  /** A real `Request` with this request's current URL, method, headers and body. */
  clone(): Request {
    if (this.#real) return this.#real.clone();
    return this.#build();
  }

  /** A real `Request` equal to this one, built once, for the body to be read from. */
  #materialize(): Request {
    this.#real ??= this.#build();
    return this.#real;
  }

  #build(): Request {
    return new ReusableRequest(this.url, {
      ...this.#init,
      method: this.method,
      headers: this.headers,
      signal: this.#signal ?? null,
    });
  }
}

function stringBodyInit(
  init: RequestInit | undefined,
  method: string,
  headers: Headers,
): RequestInit | undefined {
  if (init?.body !== undefined && init.body !== null && typeof init.body !== 'string') {
    return undefined;
  }
  // Headers are the request's own: middleware may have set some (such as Authorization).
  return { ...init, method, headers };
}

/**
 * The `Request` class a client gives openapi-fetch: it builds a {@link LightRequest} while
 * `light()` says that only the client's own middleware and {@link fetchRequest} will see the
 * request, and a {@link ReusableRequest} otherwise. What it builds, and any `Request`, passes its
 * `instanceof` (openapi-fetch checks what a middleware returns with it).
 */
export function requestClassFor(light: () => boolean): typeof Request {
  function ClientRequest(input: string | URL, init?: RequestInit): Request | LightRequest {
    return light() && typeof input === 'string'
      ? new LightRequest(input, init)
      : new ReusableRequest(input, init);
  }
  Object.defineProperty(ClientRequest, Symbol.hasInstance, {
    value: (value: unknown) => value instanceof ReusableRequest,
  });
  // Called with `new`, a function that returns an object yields that object.
  return ClientRequest as unknown as typeof Request;
}

/** Sends `request` with the global `fetch`, without copying its body where it need not. */
export function fetchRequest(request: Request | LightRequest): Promise<Response> {
  const init = ReusableRequest.reusableInit(request);
  if (init) return globalThis.fetch(request.url, init);
  // A light request with a stream, form or binary body: send the real request it stands for.
  return globalThis.fetch(request instanceof LightRequest ? request.clone() : request);
}
