import { readFileSync } from 'node:fs';
import { PROGRAM, parseCommandLine } from './args.js';
import { createCommandRegistry } from './commands/builtin-commands.js';
import type { CliIo, CommandRegistry } from './commands/registry.js';
import { CliError } from './errors.js';
import { ExitCode, exitCodeForError } from './exit-codes.js';
import type { TextStream } from './output/text-stream.js';
import { createRedactor, type Redact } from './redact.js';

/** Options of {@link main}. */
export interface MainOptions {
  /** @default the process's streams and environment */
  io?: Partial<CliIo>;
  /** @default every built-in command (`createCommandRegistry()`) */
  registry?: CommandRegistry;
  /** Aborted on SIGINT/SIGTERM (bin.ts wires it). @default never aborted */
  signal?: AbortSignal;
  /** @default the version in this package's package.json */
  version?: string;
}

/**
 * Runs `bulk-clients` with `argv` (without `node` and the script) and resolves to the exit code.
 * It never throws and never calls `process.exit`: usage errors print a message naming the flag
 * and give 2, a failed command gives 1, an interrupted one 130.
 */
export async function main(argv: readonly string[], options: MainOptions = {}): Promise<number> {
  const redactor = createRedactor();
  const io = redactingIo(
    {
      stdout: options.io?.stdout ?? process.stdout,
      stderr: options.io?.stderr ?? process.stderr,
      env: options.io?.env ?? process.env,
      stdin: options.io?.stdin ?? process.stdin,
    },
    redactor.redact,
  );
  const registry = options.registry ?? createCommandRegistry();
  const signal = options.signal ?? new AbortController().signal;
  let commandWords: readonly string[] = [];
  try {
    const line = parseCommandLine(argv, registry.table);
    if (line.kind === 'help') {
      io.stdout.write(line.text);
      return ExitCode.Success;
    }
    if (line.kind === 'version') {
      io.stdout.write(`${options.version ?? packageVersion()}\n`);
      return ExitCode.Success;
    }
    const { command } = line.parsed;
    commandWords = command.path;
    const handler = registry.handlerFor(command);
    if (handler === undefined) {
      throw new CliError(
        'config',
        `${PROGRAM} ${command.path.join(' ')} is not available in this build`,
      );
    }
    const code = await handler({ parsed: line.parsed, io, redactor, signal });
    return signal.aborted && command.stopsOnSignal !== true ? ExitCode.Interrupted : code;
  } catch (error) {
    if (signal.aborted) return ExitCode.Interrupted;
    io.stderr.write(`${PROGRAM}: ${describeError(error, io.env)}\n`);
    if (error instanceof CliError && error.kind === 'usage') {
      const words = commandWords.length ? commandWords : knownPrefix(argv, registry);
      const help = [PROGRAM, ...words];
      io.stderr.write(`Run "${help.join(' ')} --help" for usage.\n`);
    }
    return exitCodeForError(error);
  }
}

/** The leading words of `argv` that name a level of the command tree. */
function knownPrefix(argv: readonly string[], registry: CommandRegistry): string[] {
  const words: string[] = [];
  for (const arg of argv) {
    const candidate = [...words, arg];
    const known = registry.table.some((command) =>
      candidate.every((w, i) => command.path[i] === w),
    );
    if (arg.startsWith('-') || !known) break;
    words.push(arg);
  }
  return words;
}

function describeError(error: unknown, env: CliIo['env']): string {
  if (error instanceof CliError) return error.message;
  // An unexpected failure: show the message, and the stack only when BULK_CLIENTS_DEBUG is set.
  if (error instanceof Error) {
    return env.BULK_CLIENTS_DEBUG ? (error.stack ?? error.message) : error.message;
  }
  return String(error);
}

function redactingIo(io: CliIo, redact: Redact): CliIo {
  return { ...io, stdout: redacting(io.stdout, redact), stderr: redacting(io.stderr, redact) };
}

function redacting(stream: TextStream, redact: Redact): TextStream {
  return {
    write: (text: string) => stream.write(redact(text)),
    get isTTY() {
      return stream.isTTY;
    },
    get columns() {
      return stream.columns;
    },
  };
}

function packageVersion(): string {
  const text = readFileSync(new URL('../package.json', import.meta.url), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}
