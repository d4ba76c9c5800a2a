import type { TextStream } from '../output/text-stream.js';
import type { Redactor } from '../redact.js';
import type { BulkRunHost } from './bulk-run-host.js';
import type { CommandSpec, OptionSpec, ParsedCommand } from './command-spec.js';
import { COMMAND_TABLE } from './command-table.js';

/** The process's streams and environment, injected so that commands run in tests as in a shell. */
export interface CliIo {
  stdout: TextStream;
  stderr: TextStream;
  env: Readonly<Record<string, string | undefined>>;
  /** What `--input -` reads. */
  stdin: AsyncIterable<Uint8Array | string>;
}

/** What a command handler receives. */
export interface CommandContext {
  parsed: ParsedCommand;
  /** Streams that already redact every secret added to `redactor`. */
  io: CliIo;
  /** Add the token here as soon as it is known. */
  redactor: Redactor;
  /** Aborted on SIGINT/SIGTERM: settle in-flight batches, flush the journal, return 130. */
  signal: AbortSignal;
  /**
   * Set by `bulk-clients worker`: a bulk command reads no input and hands its adapter to the
   * host, which writes queued chunks with it.
   * @default none: the command runs its input itself
   */
  host?: BulkRunHost | undefined;
}

/** Runs a command; resolves to its exit code (see `ExitCode`). */
export type CommandHandler = (context: CommandContext) => Promise<number>;

/**
 * The command table with the handlers that command modules attach to it. One instance per
 * program (no module-level state), so tests can build their own.
 */
export class CommandRegistry {
  private readonly commands: CommandSpec[];
  private readonly handlers = new Map<CommandSpec, CommandHandler>();

  constructor(table: readonly CommandSpec[] = COMMAND_TABLE) {
    this.commands = table.map((command) => ({ ...command }));
  }

  /** The command table, with the options that registrations added. */
  get table(): readonly CommandSpec[] {
    return this.commands;
  }

  /**
   * Attaches the handler of a command of the table, e.g. `register('hubspot tickets-update', run)`.
   * `options` adds options of its own (e.g. the sandbox's fault settings).
   */
  register(path: string, handler: CommandHandler, options: readonly OptionSpec[] = []): this {
    if (typeof handler !== 'function') throw new TypeError('Expected `handler` to be a function');
    const command = this.find(path);
    if (command === undefined) {
      throw new TypeError(`Expected \`path\` to name a command of the table, got "${path}"`);
    }
    if (this.handlers.has(command)) throw new TypeError(`Command "${path}" is registered twice`);
    command.options = [...command.options, ...options];
    this.handlers.set(command, handler);
    return this;
  }

  /** The handler of a command, if a module registered one. */
  handlerFor(command: CommandSpec): CommandHandler | undefined {
    return this.handlers.get(command);
  }

  private find(path: string): CommandSpec | undefined {
    const words = path.trim().split(/\s+/);
    return this.commands.find(
      (command) =>
        command.path.length === words.length && command.path.every((w, i) => w === words[i]),
    );
  }
}
