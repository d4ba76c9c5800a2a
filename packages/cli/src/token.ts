import { readFile, stat } from 'node:fs/promises';
import { CliError } from './errors.js';

/** The environment variable that holds each vendor's token. */
export const TOKEN_ENV: Readonly<Record<string, string>> = {
  hubspot: 'HUBSPOT_TOKEN',
  'thought-industries': 'THOUGHT_INDUSTRIES_API_KEY',
  vec: 'VEC_TOKEN',
  mpdx: 'MPDX_TOKEN',
};

/** Printed when a token is given with `--token`. */
export const TOKEN_FLAG_WARNING =
  'Warning: --token puts the token in your shell history and in the process list; ' +
  'prefer the environment variable or --token-file FILE.';

/** Options of {@link resolveToken}. */
export interface ResolveTokenOptions {
  /** The vendor (first word of the command), which names the environment variable. */
  vendor: string;
  /** The environment to read. @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
  /** The `--token-file` value. */
  tokenFile?: string | undefined;
  /** The `--token` value (works, with a warning). */
  token?: string | undefined;
}

/** A resolved token and where it came from (never the token itself in `source`). */
export interface ResolvedToken {
  token: string;
  /** `--token`, `--token-file FILE` or the variable name, for messages. */
  source: string;
  /** Warnings to print on stderr (through the redactor, as everything else). */
  warnings: string[];
}

/**
 * Finds the API token: `--token` (with a warning), else `--token-file FILE` (trimmed), else the
 * vendor's environment variable. A missing, empty or multi-line token is a `CliError` of kind
 * `auth`; its message names where to put the token and never contains it.
 */
export async function resolveToken(options: ResolveTokenOptions): Promise<ResolvedToken> {
  const variable = TOKEN_ENV[options.vendor];
  if (variable === undefined) {
    throw new TypeError(`Expected \`vendor\` to be one of ${Object.keys(TOKEN_ENV).join(', ')}`);
  }
  const warnings: string[] = [];
  if (options.token !== undefined) {
    warnings.push(TOKEN_FLAG_WARNING);
    return { token: checked(options.token, '--token'), source: '--token', warnings };
  }
  if (options.tokenFile !== undefined) {
    const source = `--token-file ${options.tokenFile}`;
    let text: string;
    try {
      const info = await stat(options.tokenFile);
      // Like ssh with its keys: say so when others can read the secret.
      if (process.platform !== 'win32' && (info.mode & 0o077) !== 0) {
        warnings.push(
          `Warning: ${options.tokenFile} can be read by other users; chmod 600 ${options.tokenFile}`,
        );
      }
      text = await readFile(options.tokenFile, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
      throw new CliError('auth', `Cannot read ${source}: ${code}`, {
        flag: '--token-file',
        cause: error,
      });
    }
    return { token: checked(text, source), source, warnings };
  }
  const value = (options.env ?? process.env)[variable];
  if (value === undefined || value.trim() === '') {
    throw new CliError('auth', `No API token: set ${variable} or pass --token-file FILE`);
  }
  return { token: checked(value, variable), source: variable, warnings };
}

function checked(raw: string, source: string): string {
  const token = raw.trim();
  if (token === '') throw new CliError('auth', `The token from ${source} is empty`);
  if (/[\r\n]/.test(token)) {
    throw new CliError('auth', `The token from ${source} must be a single line`);
  }
  return token;
}
