import type { JsonRow } from './input-item.js';
import { type InputFormat, openInput } from './open-input.js';

/**
 * Reads an input file again and hands every record after the first `read` to `visit`: the
 * records a stopped run never read (after a refused token or an interrupt), so that they are
 * counted as skipped and kept in `--failed-out` instead of being lost from sight. Records are
 * counted as the engine counted them (every record but a fatal one), in bounded memory. Resolves
 * to the number of records visited, `stopped` when `stop()` ended the reading early, and, when the
 * file could not be read to its end, the error.
 */
export async function visitUnreadRecords(
  path: string,
  format: InputFormat,
  read: number,
  visit: (line: number, record: JsonRow | undefined) => Promise<void> | void,
  stop: () => boolean = () => false,
): Promise<{ unread: number; stopped?: true; error?: unknown }> {
  let unread = 0;
  try {
    const { records } = await openInput({ input: path, format });
    let seen = 0;
    for await (const item of records) {
      if (stop()) return { unread, stopped: true };
      if (item.error?.fatal) continue;
      if (seen++ < read) continue;
      unread++;
      await visit(item.line, item.record);
    }
    return { unread };
  } catch (error) {
    return { unread, error };
  }
}
