import type { RequestLimiter } from '@bulk-clients/core';
import { createNodeFetch, type NodeFetch } from '@bulk-clients/core/node-fetch';
import { checkBaseUrl } from '../base-url.js';
import { CliError } from '../errors.js';
import { ExitCode, exitCodeForReport } from '../exit-codes.js';
import type { CsvReaderOptions } from '../input/csv-reader.js';
import { type OpenedInput, openInput } from '../input/open-input.js';
import { createProgress, type Progress } from '../output/progress.js';
import {
  type FailedRecordsWriter,
  openFailedRecordsFile,
  writeReportFile,
} from '../output/report-files.js';
import {
  type BulkReportLike,
  type CliReport,
  formatJsonReport,
  formatSummary,
  toCliReport,
} from '../output/summary.js';
import { resolveToken, TOKEN_ENV } from '../token.js';
import type { CommandContext } from './registry.js';
import { openSharedLimit, redisSettingsOf, type SharedLimit } from './shared-limit.js';

/** Stands in for the token of a dry run given none; nothing is sent with it. */
const DRY_RUN_TOKEN = 'dry-run-sends-nothing';

/** What a vendor command tells {@link prepareBulkCommand}. */
export interface BulkCommandDefaults {
  /** The vendor's production URL, used when `--base-url` is not given; none means required. */
  defaultBaseUrl?: string | undefined;
  /**
   * Whether the command reads `--input` (webinar import does not: the file is on the vendor's side).
   * @default true
   */
  readsInput?: boolean;
  /**
   * Reader options for `--input`, e.g. `onHeader` to refuse a CSV file whose columns the command
   * cannot use (its error then surfaces when the first record is read).
   * @default {}
   */
  inputOptions?: Pick<CsvReaderOptions, 'onHeader'> | undefined;
  /**
   * Whether `--dry-run` sends nothing, so that it runs without a token (the webinar import's dry
   * run asks the vendor, and needs one).
   * @default true
   */
  dryRunSendsNothing?: boolean;
}

/** Everything a bulk command needs, set up in the order that keeps exit code 2 honest. */
export interface PreparedBulkCommand {
  /** The API token; already registered with the run's redactor. */
  token: string;
  /**
   * Where the token came from, for messages: the environment variable, `--token-file FILE` or
   * `--token` (never the token itself).
   */
  tokenSource: string;
  /** Checked origin (HTTPS unless loopback or `--allow-insecure`). */
  baseUrl: string;
  /**
   * The transport for the vendor client: `node:http` with keep-alive, cheaper in CPU and memory
   * per request than the global `fetch`. Its sockets close when the command finishes.
   */
  fetch: NodeFetch;
  /** The opened input, when the command reads one. */
  input: OpenedInput | undefined;
  /** Progress on stderr (silent with `--no-progress`). */
  progress: Progress;
  /** The `--failed-out` writer, when asked for. */
  failedRecords: FailedRecordsWriter | undefined;
  /**
   * With `--redis`: the account's budget shared with every process through Redis, for the
   * client's `rateLimit` (see `clientLimitsOf`). Closed by `finish` and `abandon`.
   */
  sharedLimiter?: RequestLimiter | undefined;
  /**
   * Ends the run: final progress line, `--report` file, summary (stdout, or stderr with `--json`,
   * which prints the JSON report on stdout), closes `--failed-out`; resolves to the exit code
   * (130 when the run was interrupted).
   */
  finish(
    report: BulkReportLike,
    extra?: {
      invalid?: number;
      /** Records in the whole input, when known: an interrupted run then shows how far it got. */
      inputTotal?: number | undefined;
    },
  ): Promise<number>;
  /** Closes what was opened, for a run that ends by an error. */
  abandon(): Promise<void>;
}

/**
 * The common first steps of every bulk command: resolve the token (and warn about `--token`),
 * check the base URL, open the input, then open the output files. Each check that can fail
 * throws a `CliError` (exit code 2) before anything is sent or written.
 */
export async function prepareBulkCommand(
  context: CommandContext,
  defaults: BulkCommandDefaults = {},
): Promise<PreparedBulkCommand> {
  const { parsed, io, redactor, signal } = context;
  const { common, command } = parsed;
  const vendor = command.path[0]!;

  const tokenGiven =
    common.token !== undefined ||
    common.tokenFile !== undefined ||
    (io.env[TOKEN_ENV[vendor] ?? ''] ?? '').trim() !== '';
  // A dry run and an enqueue send nothing (workers use their own tokens): no token needed.
  const sendsNothing = (common.dryRun || common.enqueue) && defaults.dryRunSendsNothing !== false;
  const resolved =
    sendsNothing && !tokenGiven
      ? // The clients still want a token, and never use it.
        {
          token: DRY_RUN_TOKEN,
          source: common.enqueue ? 'no token (enqueued)' : 'no token (dry run)',
          warnings: [],
        }
      : await resolveToken({
          vendor,
          env: io.env,
          tokenFile: common.tokenFile,
          token: common.token,
        });
  redactor.add(resolved.token);
  for (const warning of resolved.warnings) io.stderr.write(`${warning}\n`);

  const redisSettings = redisSettingsOf(context);
  const rawBaseUrl = common.baseUrl ?? defaults.defaultBaseUrl;
  if (rawBaseUrl === undefined) {
    throw new CliError('usage', `${vendor} has no default host: pass --base-url URL`, {
      flag: '--base-url',
    });
  }
  const baseUrl = checkBaseUrl(rawBaseUrl, { allowInsecure: common.allowInsecure });

  let input: OpenedInput | undefined;
  // A worker's command writes queued chunks: it reads no input.
  if (defaults.readsInput !== false && context.host === undefined) {
    if (common.input === undefined) {
      throw new CliError('usage', `${command.path.join(' ')} needs --input FILE|-`, {
        flag: '--input',
      });
    }
    input = await openInput({
      ...defaults.inputOptions,
      input: common.input,
      format: common.format,
      stdin: io.stdin,
    });
  }

  let failedRecords: FailedRecordsWriter | undefined;
  if (common.failedOut !== undefined) {
    try {
      // Truncated on --resume too: the resumed run reports again every record the journal
      // settled as failed, so the file ends complete and without duplicates.
      failedRecords = await openFailedRecordsFile(common.failedOut, { redact: redactor.redact });
    } catch (error) {
      await input?.close();
      const code = (error as NodeJS.ErrnoException).code ?? 'unwritable';
      throw new CliError('config', `Cannot write --failed-out ${common.failedOut}: ${code}`, {
        flag: '--failed-out',
        cause: error,
      });
    }
  }
  const display = createProgress({
    stream: io.stderr,
    redact: redactor.redact,
    enabled: common.progress,
    label: command.path.join(' '),
  });
  // A run that ends by an error before any progress draws no progress line at all.
  let started = false;
  const progress: Progress = {
    update(snapshot) {
      started = true;
      display.update(snapshot);
    },
    finish(snapshot) {
      started = true;
      display.finish(snapshot);
    },
  };

  // Last of the checks, so that a refused Redis leaves nothing else open.
  let shared: SharedLimit | undefined;
  if (redisSettings !== undefined && !sendsNothing) {
    try {
      shared = await openSharedLimit(context, redisSettings, vendor, resolved.token);
    } catch (error) {
      await input?.close();
      await failedRecords?.close();
      throw error;
    }
  }

  const transport = createNodeFetch();
  return {
    token: resolved.token,
    tokenSource: resolved.source,
    baseUrl,
    fetch: transport,
    input,
    progress,
    failedRecords,
    sharedLimiter: shared?.limiter,
    async finish(engineReport, extra = {}) {
      const report: CliReport = toCliReport(vendor, engineReport, {
        dryRun: common.dryRun,
        invalid: extra.invalid ?? 0,
      });
      progress.finish({
        done: report.succeeded + report.failed + report.unknown + report.skipped,
        total: Math.max(report.total, extra.inputTotal ?? 0),
        failed: report.failed,
        unknown: report.unknown,
        throttled: report.throttled,
        throttledMs: report.throttledMs,
        budget: report.rateLimit ?? undefined,
      });
      transport.destroy();
      await shared?.close();
      await input?.close();
      await failedRecords?.close();
      if (common.report) await writeReportFile(common.report, report, { redact: redactor.redact });
      if (common.json) {
        io.stdout.write(formatJsonReport(report));
        io.stderr.write(formatSummary(report));
      } else {
        io.stdout.write(formatSummary(report));
      }
      return signal.aborted ? ExitCode.Interrupted : exitCodeForReport(report);
    },
    async abandon() {
      if (started) display.finish();
      transport.destroy();
      await shared?.close();
      await input?.close();
      await failedRecords?.close();
    },
  };
}
