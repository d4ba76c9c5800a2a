import { type InputFormat, openInput } from './open-input.js';

/**
 * Counts the records of an input file (readable or not, as the commands see them) by reading it
 * a second time, in bounded memory, so that progress can show a percentage and an ETA. Stops
 * early, resolving `undefined`, once `stop()` says the count is no longer wanted. Never rejects:
 * a count is only a nicety.
 */
export async function countRecords(
  path: string,
  format: InputFormat,
  stop: () => boolean,
): Promise<number | undefined> {
  try {
    const { records } = await openInput({ input: path, format });
    let count = 0;
    for await (const item of records) {
      if (stop()) return undefined;
      if (!item.error?.fatal) count++;
    }
    return count;
  } catch {
    return undefined;
  }
}
