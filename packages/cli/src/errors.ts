/**
 * Why the command stopped before doing any work. Every kind maps to exit code 2: the user has
 * to fix the command line, the input file, the configuration or the credential.
 */
export type CliErrorKind = 'usage' | 'input' | 'config' | 'auth';

/**
 * An error the user can fix. Its message names the flag, the file or the variable at fault and
 * never contains a credential.
 */
export class CliError extends Error {
  override readonly name = 'CliError';
  readonly kind: CliErrorKind;
  /** The command-line flag at fault, e.g. `--batch-size`, where there is one. */
  readonly flag: string | undefined;

  constructor(
    kind: CliErrorKind,
    message: string,
    options: { flag?: string; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.kind = kind;
    this.flag = options.flag;
  }
}

/** A usage error that names the flag at fault. */
export function usageError(flag: string, message: string): CliError {
  return new CliError('usage', message, { flag });
}
