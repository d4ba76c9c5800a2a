import { realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { CliError } from '../errors.js';

/** A checked file path, or why the record's file cannot be used. */
export type ResolvedPath =
  | { path: string; problem?: undefined }
  | { path?: undefined; problem: string };

/** Resolves the `file` of one record; see {@link openFilesDir}. */
export type ResolveFile = (file: string) => Promise<ResolvedPath>;

/**
 * Opens `--files-dir` (a `CliError`, exit code 2, when it is not a readable directory) and returns
 * the resolver of record files under it. The resolver refuses anything that would read a file
 * outside the directory: absolute paths, `..` segments that climb out, and symbolic links that
 * point out (the real path is checked, not the spelling). A missing file or a directory is a
 * problem of the record, reported with its line.
 */
export async function openFilesDir(root: string): Promise<ResolveFile> {
  let realRoot: string;
  try {
    realRoot = await realpath(root);
    if (!(await stat(realRoot)).isDirectory()) throw new Error('not a directory');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'not a directory';
    throw new CliError('input', `Cannot use --files-dir ${root}: ${code}`, {
      flag: '--files-dir',
      cause: error,
    });
  }
  return (file) => resolveUnder(realRoot, file);
}

async function resolveUnder(realRoot: string, file: string): Promise<ResolvedPath> {
  if (file.trim() === '') return { problem: 'is blank' };
  if (isAbsolute(file)) {
    return { problem: `must be a path relative to --files-dir, got the absolute path "${file}"` };
  }
  const candidate = resolve(realRoot, file);
  if (!isInside(realRoot, candidate)) {
    return { problem: `"${file}" is outside --files-dir` };
  }
  let real: string;
  try {
    real = await realpath(candidate);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return {
      problem: code === 'ENOENT' ? `no file "${file}" in --files-dir` : `cannot read "${file}"`,
    };
  }
  if (!isInside(realRoot, real)) {
    return { problem: `"${file}" leads outside --files-dir (a symbolic link)` };
  }
  if (!(await stat(real)).isFile()) return { problem: `"${file}" is not a file` };
  return { path: real };
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
}
