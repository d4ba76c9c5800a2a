/**
 * Reads a request body under a size limit. Multipart bodies are parsed while they stream in; the
 * read stops at the first byte over the limit, so memory never grows past `maxBytes`.
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

export function readBody(
  request: IncomingMessage,
  maxBytes: number,
  multipartBoundary: string | undefined,
): Promise<BodyResult> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
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
        // Stop reading: the server answers 413 and closes the connection.
        request.pause();
        finish({ kind: 'too-large', limit: maxBytes });
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
