#!/usr/bin/env node
/**
 * `bulk-clients-sandbox`: runs the sandbox until SIGINT or SIGTERM. Prints its URL on stdout
 * (one line, so scripts can read it) and warnings on stderr. Bad flags exit with code 2.
 */
import { parseCommandLine, USAGE } from './cli-args.js';
import { type SandboxOptions, startSandbox } from './start-sandbox.js';

async function main(): Promise<void> {
  let options: SandboxOptions | 'help';
  try {
    options = parseCommandLine(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`bulk-clients-sandbox: ${(error as Error).message}\n`);
    process.stderr.write('Run bulk-clients-sandbox --help for usage.\n');
    process.exitCode = 2;
    return;
  }
  if (options === 'help') {
    process.stdout.write(USAGE);
    return;
  }
  const sandbox = await startSandbox(options);
  for (const warning of sandbox.warnings) process.stderr.write(`warning: ${warning}\n`);
  process.stdout.write(`${sandbox.url}\n`);
  const stop = (signal: NodeJS.Signals) => {
    process.stderr.write(`Received ${signal}, closing the sandbox\n`);
    sandbox.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`bulk-clients-sandbox: ${(error as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`bulk-clients-sandbox: ${(error as Error).message}\n`);
  process.exitCode = 1;
});
