const LF = 0x0a;
const CR = 0x0d;

/** One line cut out of a byte stream; `bytes` is absent when the line broke the size limit. */
export interface RawLine {
  line: number;
  bytes?: Buffer;
}

/**
 * Cuts a byte stream at LF (a CR before it is dropped). A line longer than `maxLineBytes` is
 * returned without its bytes, and its bytes are never held: memory stays bounded by the limit.
 */
export async function* splitLines(
  chunks: AsyncIterable<Buffer>,
  maxLineBytes: number,
): AsyncGenerator<RawLine> {
  let pieces: Buffer[] = [];
  let length = 0;
  let tooLong = false;
  let line = 1;

  const take = (): RawLine => {
    const result: RawLine = { line };
    if (!tooLong) {
      let bytes = pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces, length);
      if (bytes.length > 0 && bytes[bytes.length - 1] === CR) bytes = bytes.subarray(0, -1);
      if (bytes.length <= maxLineBytes) result.bytes = bytes;
    }
    pieces = [];
    length = 0;
    tooLong = false;
    line++;
    return result;
  };

  const keep = (piece: Buffer): void => {
    if (tooLong || piece.length === 0) return;
    // +1 leaves room for the CR of a CRLF, which is not part of the line.
    if (length + piece.length > maxLineBytes + 1) {
      tooLong = true;
      pieces = [];
      length = 0;
      return;
    }
    // Copy: a view would pin the whole chunk in memory for the life of the line.
    pieces.push(Buffer.from(piece));
    length += piece.length;
  };

  for await (const chunk of chunks) {
    let start = 0;
    for (;;) {
      const end = chunk.indexOf(LF, start);
      if (end === -1) break;
      if (length === 0 && !tooLong) {
        // Fast path: the whole line lies inside this chunk.
        const piece = chunk.subarray(start, end);
        if (piece.length > maxLineBytes + 1) tooLong = true;
        else pieces.push(piece);
        length = piece.length;
      } else {
        keep(chunk.subarray(start, end));
      }
      yield take();
      start = end + 1;
    }
    keep(chunk.subarray(start));
  }
  if (length > 0 || tooLong) yield take();
}
