/**
 * Talks HTTP/1.1 over a bare TCP socket, so that a test can send what no HTTP client would
 * (broken framing, random bytes, bodies that stop midway) and still tell an answer from a closed
 * socket from a hang.
 */
import { connect, type Socket } from 'node:net';

/** What came back on one connection. */
export interface RawAnswer {
  /** Status of the first response, when one was read in full (head and body). */
  status: number | undefined;
  /** Response headers, lower-cased. */
  headers: Record<string, string>;
  body: Buffer;
  /** The server closed or reset the connection. */
  closed: boolean;
  /** Neither an answer nor a close arrived within `timeoutMs`. */
  timedOut: boolean;
  /** Milliseconds from connecting to the answer, the close or the timeout. */
  ms: number;
}

export interface RawExchangeOptions {
  /**
   * Bound on the whole exchange; past it the socket is destroyed and `timedOut` set.
   * @default 10000
   */
  timeoutMs?: number;
  /**
   * Writes the request. Gets the socket once connected; may write over time (a slow body) and
   * resolve when done. Errors from writing to a socket the server closed are ignored.
   */
  write: (socket: Socket) => void | Promise<void>;
}

/** Parses `HTTP/1.1 200 OK\r\nname: value\r\n...` up to the blank line. */
function parseHead(head: string): { status: number; headers: Record<string, string> } {
  const [statusLine = '', ...lines] = head.split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? Number.NaN);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0)
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status, headers };
}

/**
 * Connects to `127.0.0.1:port`, lets `write` send anything, and resolves with the first full
 * response (framed by `content-length`, or by the close when there is none), or with the close,
 * or with `timedOut` after `timeoutMs`. Never rejects.
 */
export function rawExchange(port: number, options: RawExchangeOptions): Promise<RawAnswer> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const started = performance.now();
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let received = Buffer.alloc(0);
    let done = false;
    const finish = (closed: boolean, timedOut: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      const end = received.indexOf('\r\n\r\n');
      const head = end >= 0 ? parseHead(received.subarray(0, end).toString('latin1')) : undefined;
      const status = head && Number.isFinite(head.status) ? head.status : undefined;
      resolve({
        status,
        headers: head?.headers ?? {},
        body: end >= 0 ? received.subarray(end + 4) : Buffer.alloc(0),
        closed,
        timedOut,
        ms: performance.now() - started,
      });
    };
    const timer = setTimeout(() => finish(false, true), timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      let end = received.indexOf('\r\n\r\n');
      if (end < 0) return;
      let head = parseHead(received.subarray(0, end).toString('latin1'));
      // Interim answers (100 Continue) come before the real one: drop them.
      while (head.status >= 100 && head.status < 200) {
        received = received.subarray(end + 4);
        end = received.indexOf('\r\n\r\n');
        if (end < 0) return;
        head = parseHead(received.subarray(0, end).toString('latin1'));
      }
      const { headers } = head;
      const length = headers['content-length'];
      // A response with a length is complete once that many bytes arrived; else wait for close.
      if (length !== undefined && received.length - end - 4 >= Number(length)) {
        finish(false, false);
      }
    });
    socket.on('error', () => finish(true, false));
    socket.on('close', () => finish(true, false));
    socket.on('connect', () => {
      Promise.resolve()
        .then(() => options.write(socket))
        .catch(() => {
          // The server may close while we still write: that is an answer, read by 'close'.
        });
    });
  });
}

/** Writes `data` unless the socket is gone; resolves once it was handed to the kernel. */
export function writeSome(socket: Socket, data: string | Buffer): Promise<void> {
  return new Promise((resolve) => {
    if (socket.destroyed || !socket.writable) return resolve();
    socket.write(data, () => resolve());
  });
}

/** Resolves after `ms` real milliseconds (only for trickling bytes to a real server). */
export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
