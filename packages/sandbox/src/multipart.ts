/**
 * An incremental `multipart/form-data` parser (RFC 7578). Chunks may split a delimiter or a
 * header anywhere; the parser keeps only the few bytes that could still start a delimiter, so its
 * memory beyond the parts' own data is bounded by the header limit.
 */
import type { MultipartBody, MultipartPart } from './types.js';

/** Thrown for a body that is not well-formed multipart; the server answers 400. */
export class MultipartError extends Error {
  readonly code = 'MULTIPART_MALFORMED';
}

const MAX_HEADER_BYTES = 16 * 1024;
const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');

type State = 'preamble' | 'after-delimiter' | 'headers' | 'data' | 'done';

/** The `boundary` parameter of a `multipart/form-data` content type, if any. */
export function multipartBoundary(contentType: string | undefined): string | undefined {
  if (!contentType) return undefined;
  const match = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return match?.[1] ?? match?.[2];
}

export class MultipartParser {
  readonly #delimiter: Buffer;
  #state: State = 'preamble';
  // Starts with CRLF so the first delimiter looks like every other one: CRLF "--" boundary.
  #pending: Buffer = Buffer.from(CRLF);
  #part: { headers: Record<string, string>; chunks: Buffer[] } | undefined;
  readonly #fields: Record<string, string> = {};
  readonly #files: MultipartPart[] = [];

  constructor(boundary: string) {
    if (!boundary || boundary.length > 70) {
      throw new MultipartError('multipart boundary is missing or longer than 70 characters');
    }
    this.#delimiter = Buffer.from(`\r\n--${boundary}`);
  }

  write(chunk: Buffer): void {
    this.#pending = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
    this.#drain();
  }

  /** Finishes parsing; throws a `MultipartError` when the closing delimiter never came. */
  end(): MultipartBody {
    if (this.#state !== 'done') {
      throw new MultipartError('multipart body ended before its closing boundary');
    }
    return { fields: this.#fields, files: this.#files };
  }

  #drain(): void {
    for (;;) {
      switch (this.#state) {
        case 'preamble': {
          const at = this.#pending.indexOf(this.#delimiter);
          if (at === -1) {
            this.#keepTail();
            return;
          }
          this.#pending = this.#pending.subarray(at + this.#delimiter.length);
          this.#state = 'after-delimiter';
          break;
        }
        case 'after-delimiter': {
          // Either "--" (the closing delimiter) or optional whitespace then CRLF.
          if (this.#pending.length < 2) return;
          if (this.#pending[0] === 0x2d && this.#pending[1] === 0x2d) {
            this.#state = 'done';
            this.#pending = Buffer.alloc(0);
            return;
          }
          const eol = this.#pending.indexOf(CRLF);
          if (eol === -1) {
            if (this.#pending.length > 256)
              throw new MultipartError('malformed multipart delimiter');
            return;
          }
          if (this.#pending.subarray(0, eol).toString('latin1').trim() !== '') {
            throw new MultipartError('malformed multipart delimiter');
          }
          this.#pending = this.#pending.subarray(eol + 2);
          this.#state = 'headers';
          break;
        }
        case 'headers': {
          // A part with no headers at all starts directly with CRLF.
          const empty = this.#pending.length >= 2 && this.#pending.subarray(0, 2).equals(CRLF);
          const at = empty ? -2 : this.#pending.indexOf(HEADER_END);
          if (at === -1) {
            if (this.#pending.length > MAX_HEADER_BYTES) {
              throw new MultipartError('multipart part headers are too large');
            }
            return;
          }
          const headers = empty ? {} : parseHeaders(this.#pending.subarray(0, at).toString('utf8'));
          this.#pending = this.#pending.subarray(at + 4);
          this.#part = { headers, chunks: [] };
          this.#state = 'data';
          break;
        }
        case 'data': {
          const at = this.#pending.indexOf(this.#delimiter);
          if (at === -1) {
            const keep = Math.min(this.#pending.length, this.#delimiter.length - 1);
            const emit = this.#pending.length - keep;
            if (emit > 0) this.#part?.chunks.push(this.#pending.subarray(0, emit));
            this.#pending = Buffer.from(this.#pending.subarray(emit));
            return;
          }
          if (at > 0) this.#part?.chunks.push(this.#pending.subarray(0, at));
          this.#finishPart();
          this.#pending = this.#pending.subarray(at + this.#delimiter.length);
          this.#state = 'after-delimiter';
          break;
        }
        case 'done':
          // The epilogue is ignored.
          this.#pending = Buffer.alloc(0);
          return;
      }
    }
  }

  #keepTail(): void {
    const keep = Math.min(this.#pending.length, this.#delimiter.length - 1);
    this.#pending = Buffer.from(this.#pending.subarray(this.#pending.length - keep));
  }

  #finishPart(): void {
    const part = this.#part;
    this.#part = undefined;
    if (!part) return;
    const disposition = part.headers['content-disposition'];
    if (!disposition || !/^\s*form-data\b/i.test(disposition)) {
      throw new MultipartError('multipart part without a form-data Content-Disposition');
    }
    const params = parseParams(disposition);
    const name = params.name;
    if (name === undefined) throw new MultipartError('multipart part without a name');
    const data = Buffer.concat(part.chunks);
    const filename = params['filename*'] ?? params.filename;
    if (filename === undefined) {
      this.#fields[name] = data.toString('utf8');
      return;
    }
    const file: MultipartPart = { name, filename, data };
    const contentType = part.headers['content-type'];
    if (contentType) file.contentType = contentType.trim();
    this.#files.push(file);
  }
}

function parseHeaders(text: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of text.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) throw new MultipartError(`malformed multipart header line "${line}"`);
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

/** Parameters of a Content-Disposition value: `name="file"; filename="a.pdf"`. */
function parseParams(value: string): Record<string, string> {
  const params: Record<string, string> = {};
  const pattern = /;\s*([^=;\s]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/g;
  for (let match = pattern.exec(value); match; match = pattern.exec(value)) {
    const key = (match[1] ?? '').toLowerCase();
    const quoted = match[2];
    let text = quoted !== undefined ? quoted.replace(/\\(.)/g, '$1') : (match[3] ?? '').trim();
    if (key.endsWith('*')) {
      // RFC 5987 extended value: charset'language'percent-encoded.
      const ext = /^([^']*)'[^']*'(.*)$/.exec(text);
      if (ext) {
        try {
          text = decodeURIComponent(ext[2] ?? '');
        } catch {
          throw new MultipartError(`malformed ${key} parameter`);
        }
      }
    }
    params[key] = text;
  }
  return params;
}
