import { type FileHandle, open } from 'node:fs/promises';

/** Mode of every file the CLI writes that may hold records or state: owner read/write only. */
export const PRIVATE_FILE_MODE = 0o600;

/**
 * Opens a file for writing with mode 0600. `open`'s mode applies only when the file is created,
 * so an existing file is narrowed with `chmod` too: a report that once was world-readable does
 * not stay so.
 *
 * @param flags `'w'` to truncate, `'a'` to append, `'wx'` to fail when the file exists.
 */
export async function openPrivateFile(path: string, flags: 'w' | 'a' | 'wx'): Promise<FileHandle> {
  if (typeof path !== 'string' || path === '') {
    throw new TypeError('Expected `path` to be a non-empty string');
  }
  const handle = await open(path, flags, PRIVATE_FILE_MODE);
  try {
    await handle.chmod(PRIVATE_FILE_MODE);
  } catch (error) {
    await handle.close();
    throw error;
  }
  return handle;
}
