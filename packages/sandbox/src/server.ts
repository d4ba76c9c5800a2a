/**
 * The one HTTP server in front of every simulator. It owns what is the same for every vendor:
 * routing, body reading and parsing, auth hand-off, spec validation, faults, and turning every
 * failure into an answer in the vendor's own error shape. Nothing a client sends can crash it.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type SandboxClock, sleepOn } from './context.js';
import type { FaultController, FaultPlan, RateLimitPlan } from './faults.js';
import { multipartBoundary } from './multipart.js';
import { readBody } from './read-body.js';
import type { RouteMatch } from './router.js';
import { Router } from './router.js';
import {
  baseMediaType,
  isJsonMediaType,
  type SpecOperation,
  type VendorSpec,
} from './spec-validator.js';
import type {
  Route,
  SandboxRequest,
  SandboxResponse,
  ValidationProblem,
  VendorSimulator,
} from './types.js';

/** What to do when a response does not match the spec. */
export type ResponseValidationMode = 'off' | 'record' | 'throw';

/** A response that did not match its operation's response in the spec. */
export interface ResponseViolation {
  vendor: string;
  /** `METHOD /path/template` */
  operation: string;
  status: number;
  problems: ValidationProblem[];
}

export interface SandboxServerOptions {
  simulators: readonly VendorSimulator[];
  /** Loaded specs by vendor name; a vendor without one is served unvalidated. */
  specs: ReadonlyMap<string, VendorSpec>;
  faults: FaultController;
  clock: SandboxClock;
  maxBodyBytes: number;
  /** Silence allowed in the middle of a request before the socket is dropped; 0 disables it. */
  idleTimeoutMs: number;
  validateResponses: ResponseValidationMode;
  /** Receives every response violation (mode `record` or `throw`). */
  onViolation(violation: ResponseViolation): void;
}

const NEUTRAL_MEDIA_TYPE = 'application/json';

export function createSandboxServer(options: SandboxServerOptions): Server {
  const router = new Router(options.simulators);
  const server = createServer({ keepAlive: true }, (request, response) => {
    handle(request, response, router, options).catch((error: unknown) => {
      // handle() catches its own errors; this is the last line of defence.
      safeEnd(response, 500, neutralError(500, describeError(error)));
    });
  });
  // Node keeps a half-sent body (and what was buffered of it) for `requestTimeout`, 300 s. Drop a
  // request that goes silent much sooner, as a vendor's front end does; idle keep-alive
  // connections are closed by `keepAliveTimeout` long before this applies.
  server.timeout = options.idleTimeoutMs;
  // Unparseable HTTP never reaches the handler: answer it here instead of letting it throw.
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  return server;
}

async function handle(
  request: IncomingMessage,
  response: ServerResponse,
  router: Router,
  options: SandboxServerOptions,
): Promise<void> {
  const method = (request.method ?? 'GET').toUpperCase();
  let vendor: VendorSimulator | undefined;
  let operation: SpecOperation | undefined;
  try {
    const url = new URL(request.url ?? '/', 'http://sandbox.invalid');
    let match: RouteMatch;
    try {
      match = router.match(method, url.pathname);
    } catch {
      vendor = router.vendorFor(url.pathname);
      return send(
        response,
        vendor,
        vendor
          ? vendor.error(400, 'Malformed percent-encoding in the path')
          : neutralError(400, 'Malformed percent-encoding in the path'),
        options,
        undefined,
      );
    }
    vendor = match.simulator;
    const routeKey = match.kind === 'route' ? `${method} ${match.route.path}` : undefined;
    const spec = vendor ? options.specs.get(vendor.name) : undefined;
    operation = match.kind === 'route' ? spec?.operation(method, match.route.path) : undefined;

    const plan = options.faults.plan(vendor?.name, routeKey, vendor?.rateLimitPolicy);
    // Where the vendor reports its limits on every answer, each one from here on carries them.
    const limitHeaders =
      plan.rateLimit?.headers && plan.rateLimit.everyResponse && !plan.rateLimit.refused
        ? vendor?.rateLimitHeaders?.(plan.rateLimit.state)
        : undefined;
    if (limitHeaders) {
      for (const [name, value] of Object.entries(limitHeaders)) response.setHeader(name, value);
    }
    if (plan.delayMs > 0) await sleepOn(options.clock, plan.delayMs);
    if (plan.resetBeforeBody) {
      request.socket.destroy();
      return;
    }

    // Answers given before the body is read close the connection rather than read the body.
    if (match.kind !== 'route' || plan.rateLimit?.refused || plan.errorStatus !== undefined) {
      if (bodyPending(request)) closeAfter(response);
    }
    if (match.kind !== 'route') {
      if (match.kind === 'method') {
        const answer = errorFrom(vendor, 405, `Method ${method} is not allowed on ${url.pathname}`);
        answer.headers = { ...answer.headers, allow: match.allowed.join(', ') };
        return send(response, vendor, answer, options, undefined);
      }
      return send(
        response,
        vendor,
        errorFrom(vendor, 404, `No route for ${method} ${url.pathname}`),
        options,
        undefined,
      );
    }
    const simulator = match.simulator;
    const route = match.route;

    if (plan.rateLimit?.refused) {
      return send(
        response,
        simulator,
        refusal(simulator, plan.rateLimit),
        options,
        operation,
        spec,
      );
    }
    if (plan.errorStatus !== undefined) {
      const answer = simulator.error(
        plan.errorStatus,
        faultMessage(plan.errorStatus),
        plan.errorStatus === 503 ? { retryAfterMs: 1000 } : undefined,
      );
      if (plan.errorStatus === 503) answer.headers = { 'retry-after': '1', ...answer.headers };
      return send(response, simulator, answer, options, operation, spec);
    }

    const contentType = headerValue(request.headers['content-type']);
    const mediaType = baseMediaType(contentType);
    // An operation that declares no body ignores a stray one (read, never parsed), as a vendor's
    // framework does; without a spec, every body is parsed.
    const parsesBody = operation?.requestMediaTypes.length !== 0;
    const multipart = parsesBody && mediaType === 'multipart/form-data';
    const boundary = multipart ? multipartBoundary(contentType) : undefined;
    const read = await readBody(
      request,
      options.maxBodyBytes,
      multipart ? (boundary ?? '') : undefined,
    );
    if (read.kind === 'aborted') {
      request.socket.destroy();
      return;
    }
    if (read.kind === 'too-large') {
      closeAfter(response);
      return send(
        response,
        simulator,
        simulator.error(413, `Request body exceeds ${read.limit} bytes`),
        options,
        operation,
        spec,
      );
    }

    const sandboxRequest: SandboxRequest = {
      method,
      path: url.pathname,
      params: match.params,
      query: url.searchParams,
      headers: request.headers,
      body: undefined,
      rawBody: read.kind === 'ok' ? read.raw : Buffer.alloc(0),
      token: bearerToken(request.headers.authorization),
    };
    const rejected = simulator.authorize(sandboxRequest, route);
    if (rejected) return send(response, simulator, rejected, options, operation, spec);

    const hasBody = sandboxRequest.rawBody.length > 0;
    if (hasBody && operation && operation.requestMediaTypes.length > 0) {
      if (!mediaType || !spec?.acceptsMediaType(operation, mediaType)) {
        return send(
          response,
          simulator,
          simulator.error(
            415,
            `Unsupported media type ${mediaType ?? '(none)'}; expected ${operation.requestMediaTypes.join(' or ')}`,
          ),
          options,
          operation,
          spec,
        );
      }
    }
    if (read.kind === 'malformed-multipart') {
      return send(
        response,
        simulator,
        simulator.error(400, `Malformed multipart body: ${read.message}`),
        options,
        operation,
        spec,
      );
    }
    if (read.multipart) {
      sandboxRequest.body = read.multipart;
    } else if (hasBody && mediaType && isJsonMediaType(mediaType) && parsesBody) {
      try {
        sandboxRequest.body = JSON.parse(sandboxRequest.rawBody.toString('utf8'));
      } catch (error) {
        return send(
          response,
          simulator,
          simulator.error(400, `Malformed JSON body: ${(error as Error).message}`),
          options,
          operation,
          spec,
        );
      }
    }

    if (spec && operation && route.validateRequest !== false) {
      const problems = spec.validateRequest(operation, {
        params: match.params,
        query: url.searchParams,
        mediaType,
        body: sandboxRequest.body,
        hasBody,
      });
      if (problems.length > 0) {
        return send(
          response,
          simulator,
          simulator.invalid(problems, sandboxRequest),
          options,
          operation,
          spec,
        );
      }
    }

    const answer = await options.faults.requestScope.run(
      { vendor: simulator.name, route: routeKey },
      () => runHandler(route, sandboxRequest),
    );
    if (plan.resetAfterHandler) {
      request.socket.destroy();
      return;
    }
    return send(response, simulator, answer, options, operation, spec, plan);
  } catch (error) {
    const answer = errorFrom(vendor, 500, `Internal sandbox error: ${describeError(error)}`);
    return send(
      response,
      vendor,
      answer,
      options,
      operation,
      vendor ? options.specs.get(vendor.name) : undefined,
    );
  }
}

async function runHandler(route: Route, request: SandboxRequest): Promise<SandboxResponse> {
  const answer = await route.handle(request);
  if (!answer || typeof answer.status !== 'number') {
    throw new Error(`The handler of ${route.method} ${route.path} returned no response`);
  }
  return answer;
}

/** The 429 of a request a limit refused: the vendor's body and headers, `Retry-After` by the fault. */
function refusal(simulator: VendorSimulator, limit: RateLimitPlan): SandboxResponse {
  const waitMs = limit.refused?.retryAfterMs ?? 0;
  const answer = simulator.error(429, 'Rate limit exceeded', {
    retryAfterMs: waitMs,
    ...(limit.state.refusedBy ? { rateLimitPolicy: limit.state.refusedBy } : {}),
  });
  // The fault decides about Retry-After, whatever the vendor's error builder added.
  const headers = Object.fromEntries(
    Object.entries(answer.headers ?? {}).filter(([name]) => name.toLowerCase() !== 'retry-after'),
  );
  if (limit.headers) Object.assign(headers, simulator.rateLimitHeaders?.(limit.state));
  if (limit.retryAfter) headers['retry-after'] = String(Math.max(1, Math.ceil(waitMs / 1000)));
  return { ...answer, headers };
}

/** Writes a response: validates it against the spec when asked, applies body faults. */
function send(
  response: ServerResponse,
  vendor: VendorSimulator | undefined,
  answer: SandboxResponse,
  options: SandboxServerOptions,
  operation: SpecOperation | undefined,
  spec?: VendorSpec,
  plan?: FaultPlan,
): void {
  let status = answer.status;
  let body = status === 204 || status === 304 ? undefined : answer.body;
  let contentType = answer.contentType ?? vendor?.mediaType ?? NEUTRAL_MEDIA_TYPE;
  let headers = answer.headers;
  if (operation && spec && options.validateResponses !== 'off') {
    const problems = spec.validateResponse(
      operation,
      status,
      body === undefined ? undefined : baseMediaType(contentType),
      body,
    );
    if (problems.length > 0) {
      options.onViolation({ vendor: operation.vendor, operation: operation.key, status, problems });
      if (options.validateResponses === 'throw') {
        const message = `Response ${status} of ${operation.key} does not match the spec: ${problems.map((p) => `${p.pointer || '(body)'} ${p.message}`).join('; ')}`;
        const replacement = errorFrom(vendor, 500, message);
        status = 500;
        body = replacement.body;
        contentType = replacement.contentType ?? vendor?.mediaType ?? NEUTRAL_MEDIA_TYPE;
        headers = { ...replacement.headers, 'x-sandbox-spec-violation': 'true' };
      }
    }
  }
  if (response.headersSent || response.destroyed) return;
  for (const [name, value] of Object.entries(headers ?? {})) response.setHeader(name, value);
  if (body === undefined) {
    response.statusCode = status;
    response.end();
    return;
  }
  const payload = Buffer.from(JSON.stringify(body));
  response.statusCode = status;
  response.setHeader('content-type', contentType);
  if (plan?.malformedBody && status >= 200 && status < 300) {
    options.faults.countMalformedBody();
    const cut = payload.subarray(0, Math.floor(payload.length / 2));
    if (plan.malformedBody === 'abort') {
      response.setHeader('content-length', payload.length);
      response.write(cut, () => response.socket?.destroy());
      return;
    }
    response.setHeader('content-length', cut.length);
    response.end(cut);
    return;
  }
  response.setHeader('content-length', payload.length);
  response.end(payload);
}

function errorFrom(
  vendor: VendorSimulator | undefined,
  status: number,
  message: string,
): SandboxResponse {
  if (!vendor) return neutralError(status, message);
  try {
    return vendor.error(status, message);
  } catch {
    return neutralError(status, message);
  }
}

function neutralError(status: number, message: string): SandboxResponse {
  return { status, body: { error: codeFor(status), message }, contentType: NEUTRAL_MEDIA_TYPE };
}

function codeFor(status: number): string {
  if (status === 404) return 'not_found';
  if (status === 405) return 'method_not_allowed';
  if (status === 400) return 'bad_request';
  return 'internal_error';
}

function safeEnd(response: ServerResponse, status: number, answer: SandboxResponse): void {
  try {
    if (response.headersSent) {
      response.destroy();
      return;
    }
    response.statusCode = status;
    response.setHeader('content-type', NEUTRAL_MEDIA_TYPE);
    response.end(JSON.stringify(answer.body));
  } catch {
    response.destroy();
  }
}

function bodyPending(request: IncomingMessage): boolean {
  const length = Number(request.headers['content-length'] ?? 0);
  return length > 0 || request.headers['transfer-encoding'] !== undefined;
}

/** Ends the connection after this response, so an unread request body is never read. */
function closeAfter(response: ServerResponse): void {
  response.shouldKeepAlive = false;
  response.setHeader('connection', 'close');
}

function bearerToken(header: string | undefined): string | undefined {
  const match = /^\s*Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function faultMessage(status: number): string {
  switch (status) {
    case 502:
      return 'Bad gateway';
    case 503:
      return 'Service temporarily unavailable';
    case 504:
      return 'Gateway timeout';
    default:
      return 'Internal server error';
  }
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
