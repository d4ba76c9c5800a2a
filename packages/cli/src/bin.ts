#!/usr/bin/env node
import { ExitCode } from './exit-codes.js';
import { main } from './main.js';

// The first SIGINT/SIGTERM asks the running command to stop cleanly (settle in-flight batches,
// flush the journal); a second one stops at once.
const controller = new AbortController();
const stop = (): void => {
  if (controller.signal.aborted) process.exit(ExitCode.Interrupted);
  controller.abort();
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

process.exitCode = await main(process.argv.slice(2), { signal: controller.signal });
process.off('SIGINT', stop);
process.off('SIGTERM', stop);
