import type { InputFormat } from '../input/open-input.js';
import type { OptionParser, RateLimit } from '../option-parsers.js';

/** One command-line option of a command. */
export interface OptionSpec {
  /** The flag without its dashes, e.g. `batch-size`; its value is stored under the camelCase key. */
  name: string;
  /** `boolean` flags take no value; `string` flags take one (parsed by `parse`). */
  type: 'boolean' | 'string';
  /** Placeholder for the value in help text, e.g. `FILE`, `N`. @default 'VALUE' */
  valueName?: string;
  /** One line for `--help`. */
  description: string;
  /** Turns the raw text into the typed value; throws a usage error naming the flag. */
  parse?: OptionParser<unknown>;
  /** One-letter alias, e.g. `h` for `--help`. */
  short?: string;
}

/** An entry of the command table: what `--help` prints and what the parser accepts. */
export interface CommandSpec {
  /** The words that name the command: `['hubspot', 'tickets-update']` or `['sandbox']`. */
  path: readonly string[];
  /** One line for the command list. */
  summary: string;
  /** Whether the command takes the common bulk options (`--input`, `--batch-size`, ...). */
  bulk: boolean;
  /** The command's own options. */
  options: readonly OptionSpec[];
  /** Options that must be given, by name (e.g. `input`, `base-url`). */
  required?: readonly string[];
  /**
   * Words the command takes after its name, in order, stored under their camelCase names
   * (e.g. `['run-id']` for `runs status RUN_ID`); all required.
   * @default none
   */
  positionals?: readonly string[];
  /** Example command lines for `--help`. */
  examples?: readonly string[];
  /**
   * SIGINT/SIGTERM is the command's normal way to stop (a worker): its exit code stands instead
   * of 130.
   * @default false
   */
  stopsOnSignal?: boolean;
}

/** The common options of every bulk command, parsed and typed. */
export interface CommonOptions {
  input: string | undefined;
  format: InputFormat | undefined;
  baseUrl: string | undefined;
  batchSize: number | undefined;
  concurrency: number | undefined;
  rateLimit: RateLimit | undefined;
  /** `--daily-reserve N`. */
  dailyReserve: number | undefined;
  dryRun: boolean;
  journal: string | undefined;
  resume: boolean;
  failedOut: string | undefined;
  report: string | undefined;
  json: boolean;
  progress: boolean;
  timeoutMs: number | undefined;
  maxWaitMs: number | undefined;
  tokenFile: string | undefined;
  /** Discouraged: it leaks into shell history and `ps`; a warning is printed. */
  token: string | undefined;
  allowInsecure: boolean;
  /** `--enqueue`: check the input here and queue it for `bulk-clients worker` processes. */
  enqueue: boolean;
  /** `--chunk-size N`: records per queued chunk. */
  chunkSize: number | undefined;
  /** `--chunks-per-account N`: most chunks of the account processed at once. */
  chunksPerAccount: number | undefined;
}

/** A command line resolved to a command and its typed option values. */
export interface ParsedCommand {
  command: CommandSpec;
  /** Every option given or defaulted, under camelCase keys, after `parse`. */
  values: Readonly<Record<string, unknown>>;
  /** The common bulk options (all `undefined`/`false` for commands that take none). */
  common: CommonOptions;
}
