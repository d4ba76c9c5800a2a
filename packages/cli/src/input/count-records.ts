import type { InputFormat } from './open-input.js';
import { visitUnreadRecords } from './unread-records.js';

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
  const counted = await visitUnreadRecords(path, format, 0, () => {}, stop);
  return counted.stopped || counted.error !== undefined ? undefined : counted.unread;
}
