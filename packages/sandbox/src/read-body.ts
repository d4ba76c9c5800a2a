/**
 * Reads a request body under a size limit. Multipart bodies are parsed while they stream in;
 * nothing past the limit is kept, so memory never grows past `maxBytes`.
 */
import type { IncomingMessage } from 'node:http';
import { MultipartParser } from './multipart.js';
import type { MultipartBody } from './types.js';

export type BodyResult =
  | { kind: 'ok'; raw: Buffer; multipart?: MultipartBody }
  | { kind: 'too-large'; limit: number }
  | { kind: 'malformed-multipart'; message: string }
  /** The client went away before the body was complete. */
  | { kind: 'aborted' };

/** Most bytes of a refused body read and thrown away after the 413, before the socket is cut. */
export const MAX_DISCARD_BYTES = 256 * 1024 * 1024;
/** Longest time a refused body is read and thrown away after the 413, before the socket is cut. */
export const MAX_DISCARD_MS = 10_000;

/**
 * Reads `request`'s body, or answers `too-large` as soon as it is known to exceed `maxBytes`
 * (declared or counted). The caller then answers 413 with `Connection: close`; the rest of the
 * body is drained as described at {@link drainAfterRefusal}.
 */
export function readBody(
  request: IncomingMessage,
  maxBytes: number,
  multipartBoundary: string | undefined,
): Promise<BodyResult> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    drainAfterRefusal(request);
    return Promise.resolve({ kind: 'too-large', limit: maxBytes });
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    let parser: MultipartParser | undefined;
    let parseError: string | undefined;
    if (multipartBoundary !== undefined) {
      try {
        parser = new MultipartParser(multipartBoundary);
      } catch (error) {
        parseError = (error as Error).message;
      }
    }
    const finish = (result: BodyResult) => {
      if (settled) return;
      settled = true;
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onError);
      request.off('aborted', onAborted);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        finish({ kind: 'too-large', limit: maxBytes });
        drainAfterRefusal(request);
        return;
      }
      chunks.push(chunk);
      if (parser && parseError === undefined) {
        try {
          parser.write(chunk);
        } catch (error) {
          parseError = (error as Error).message;
        }
      }
    };
    const onEnd = () => {
      const raw = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size);
      if (multipartBoundary === undefined || size === 0) return finish({ kind: 'ok', raw });
      if (parser && parseError === undefined) {
        try {
          return finish({ kind: 'ok', raw, multipart: parser.end() });
        } catch (error) {
          parseError = (error as Error).message;
        }
      }
      finish({ kind: 'malformed-multipart', message: parseError ?? 'malformed multipart body' });
    };
    const onError = () => finish({ kind: 'aborted' });
    const onAborted = () => finish({ kind: 'aborted' });
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', onError);
    request.on('aborted', onAborted);
  });
}

/**
 * Keeps reading a refused body, throwing it away, until the client closes or a bound is reached.
 *
 * Node ends a `Connection: close` answer with `socket.destroySoon()`: the socket is destroyed as
 * soon as the 413 is flushed, while the client's body is still arriving. Closing with unread
 * bytes makes the kernel reset the connection, and a client that is still writing (most read
 * only once their body is sent) gets EPIPE/ECONNRESET and never sees the 413. So the socket is
 * only half-closed after the answer (FIN, as in a web server's lingering close) and read on; the
 * client reads the answer and closes its side, which ends the socket.
 */
function drainAfterRefusal(request: IncomingMessage): void {
  const socket = request.socket;
  let discarded = 0;
  const cut = () => socket.destroy();
  const timer = setTimeout(cut, MAX_DISCARD_MS).unref();
  socket.once('close', () => clearTimeout(timer));
  socket.destroySoon = () => {
    socket.end();
  };
  request.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > MAX_DISCARD_BYTES) cut();
  });
  request.resume();
}
