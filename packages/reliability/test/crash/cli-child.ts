/**
 * Runs the built `bulk-clients` as a child process, as a user runs it, so that a test can kill it
 * with a real signal while the sandbox (in the test process) keeps serving. The runner itself is
 * the CLI's own test runner; this suite gives it a token of its own.
 */
import { createCliRunner } from '../../../cli/test/cli-process.js';

export {
  buildCliIfStale,
  CLI_BIN,
  type CliProcess as CliChild,
  type CliResult,
} from '../../../cli/test/cli-process.js';

/** Distinctive, so that a plain substring search finds any leak of it. */
export const TOKEN = 'sandbox-CRASHCHECK-7c41e09b2fd3';

/**
 * `cliEnv()` is the environment of a run: only PATH and the vendors' tokens, nothing of the
 * caller's shell. `stopAllStarted()` kills (SIGKILL) every run `startCli` started that is still
 * running, and waits for them.
 */
export const { cliEnv, startCli, runCli, stopAllStarted } = createCliRunner(TOKEN);
