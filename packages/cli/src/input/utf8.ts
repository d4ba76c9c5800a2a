// `fatal` makes invalid sequences an error instead of a silent U+FFFD; `ignoreBOM` keeps a BOM
// inside a field as data (only the one at the start of the input is a marker).
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Decodes `bytes[start, end)` as UTF-8, or returns `undefined` when they are not valid UTF-8.
 * `ascii` says the caller saw no byte >= 0x80, which allows the fast latin1 path.
 */
export function decodeUtf8(
  bytes: Buffer,
  start: number,
  end: number,
  ascii: boolean,
): string | undefined {
  if (ascii) return bytes.toString('latin1', start, end);
  try {
    return decoder.decode(bytes.subarray(start, end));
  } catch {
    return undefined;
  }
}
