import { type ParseArgsConfig, parseArgs } from 'node:util';
import type {
  CommandSpec,
  CommonOptions,
  OptionSpec,
  ParsedCommand,
} from './commands/command-spec.js';
import { COMMON_OPTIONS, GLOBAL_OPTIONS } from './commands/common-options.js';
import { usageError } from './errors.js';
import type { InputFormat } from './input/open-input.js';
import type { RateLimit } from './option-parsers.js';
import { TOKEN_ENV } from './token.js';

/** The program name used in usage text. */
export const PROGRAM = 'bulk-clients';

/** What a command line asks for. */
export type CommandLine =
  | { kind: 'help'; text: string }
  | { kind: 'version' }
  | { kind: 'run'; parsed: ParsedCommand };

/**
 * Parses `argv` (without `node` and the script) against the command table:
 * `bulk-clients <vendor> <operation> [options]` or `bulk-clients <command> [options]`.
 * `--help` at any level returns that level's usage. Every mistake throws a `CliError` of kind
 * `usage` whose message names the flag or word at fault.
 */
export function parseCommandLine(
  argv: readonly string[],
  table: readonly CommandSpec[],
): CommandLine {
  if (!Array.isArray(argv) || argv.some((arg) => typeof arg !== 'string')) {
    throw new TypeError('Expected `argv` to be an array of strings');
  }
  const words: string[] = [];
  let rest = argv.slice();
  while (rest.length > 0 && !rest[0]!.startsWith('-')) {
    if (findCommand(table, words)) break;
    const candidate = [...words, rest[0]!];
    if (!table.some((command) => startsWith(command.path, candidate))) {
      throw unknownWord(table, words, rest[0]!);
    }
    words.push(rest[0]!);
    rest = rest.slice(1);
  }
  const command = findCommand(table, words);
  if (command === undefined) return parseGroup(table, words, rest);

  const options = optionsOf(command);
  const positionals: string[] = [];
  const raw = runParseArgs(rest, options, command.positionals?.length ? positionals : undefined);
  if (raw.help === true) return { kind: 'help', text: formatCommandHelp(command) };
  if (raw.version === true) return { kind: 'version' };

  const values: Record<string, unknown> = {};
  for (const option of options) {
    const given = raw[option.name];
    if (given === undefined || option.name === 'help' || option.name === 'version') continue;
    const flag = `--${option.name}`;
    values[camelCase(option.name)] =
      typeof given === 'string' && option.parse ? option.parse(given, flag) : given;
  }
  const names = command.positionals ?? [];
  if (positionals.length > names.length) {
    const word = positionals[names.length]!;
    throw usageError(word, `Unexpected argument "${word}"`);
  }
  for (const [index, name] of names.entries()) {
    const word = positionals[index];
    if (word === undefined) {
      throw usageError(name.toUpperCase(), `${commandName(command)} needs ${name.toUpperCase()}`);
    }
    values[camelCase(name)] = word;
  }
  for (const name of command.required ?? []) {
    if (values[camelCase(name)] === undefined) {
      throw usageError(`--${name}`, `${commandName(command)} needs --${name}`);
    }
  }
  if (values.resume === true && values.journal === undefined) {
    throw usageError(
      '--resume',
      '--resume needs --journal FILE (the journal of the run to resume)',
    );
  }
  if (values.enqueue === true) {
    for (const flag of ['journal', 'resume', 'dry-run'] as const) {
      if (values[camelCase(flag)] !== undefined) {
        throw usageError(
          `--${flag}`,
          `--${flag} cannot go with --enqueue: the workers journal a queued run in Redis`,
        );
      }
    }
  } else {
    for (const flag of ['chunk-size', 'chunks-per-account'] as const) {
      if (values[camelCase(flag)] !== undefined) {
        throw usageError(`--${flag}`, `--${flag} needs --enqueue`);
      }
    }
  }
  return { kind: 'run', parsed: parsedCommandOf(command, values) };
}

/**
 * A parsed command from option values already parsed (a queued run's parameters, read back by
 * a worker).
 */
export function parsedCommandOf(
  command: CommandSpec,
  values: Record<string, unknown>,
): ParsedCommand {
  return { command, values, common: commonOptions(values) };
}

function parseGroup(table: readonly CommandSpec[], words: string[], rest: string[]): CommandLine {
  const raw = runParseArgs(rest, GLOBAL_OPTIONS);
  const text = formatGroupHelp(table, words);
  if (raw.help === true) return { kind: 'help', text };
  if (raw.version === true) return { kind: 'version' };
  const what = words.length === 0 ? 'a command' : `a ${words.join(' ')} operation`;
  throw usageError(words.length === 0 ? '<command>' : '<operation>', `Missing ${what}.\n\n${text}`);
}

function runParseArgs(
  args: string[],
  options: readonly OptionSpec[],
  positionals?: string[],
): Record<string, string | boolean | undefined> {
  const config: ParseArgsConfig['options'] = {};
  for (const option of options) {
    config[option.name] = option.short
      ? { type: option.type, short: option.short }
      : { type: option.type };
  }
  try {
    const parsed = parseArgs({
      args,
      options: config,
      strict: true,
      allowPositionals: positionals !== undefined,
    });
    positionals?.push(...parsed.positionals);
    return parsed.values as Record<string, string | boolean | undefined>;
  } catch (error) {
    throw translateParseError(error);
  }
}

function translateParseError(error: unknown): Error {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  // Quote only the flag: an argument such as `--tokn=secret` must not be echoed whole.
  const flag = /'(-{1,2}[^'=\s<]*)/.exec(message)?.[1] ?? '';
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return usageError(flag, `Unknown option ${flag}`);
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return message.includes('does not take an argument')
        ? usageError(flag, `${flag} does not take a value`)
        : usageError(
            flag,
            `${flag} needs a value (use ${flag}=VALUE for a value that starts with -)`,
          );
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL': {
      const word = /argument '([^']*)'/.exec(message)?.[1] ?? '';
      return usageError(word, `Unexpected argument "${word}"`);
    }
    default:
      return error instanceof Error ? error : new Error(message);
  }
}

function unknownWord(table: readonly CommandSpec[], words: string[], word: string): Error {
  if (words.length === 0) {
    return usageError(word, `Unknown command "${word}". Commands: ${firstWords(table).join(', ')}`);
  }
  const siblings = table
    .filter((command) => startsWith(command.path, words))
    .map((command) => command.path[words.length]);
  return usageError(
    word,
    `Unknown ${words.join(' ')} operation "${word}". Operations: ${siblings.join(', ')}`,
  );
}

/** Every option a command accepts: global, then common (bulk commands), then its own. */
export function optionsOf(command: CommandSpec): readonly OptionSpec[] {
  return [...GLOBAL_OPTIONS, ...(command.bulk ? COMMON_OPTIONS : []), ...command.options];
}

function commonOptions(values: Record<string, unknown>): CommonOptions {
  const string = (key: string) => values[key] as string | undefined;
  const number = (key: string) => values[key] as number | undefined;
  return {
    input: string('input'),
    format: values.format as InputFormat | undefined,
    baseUrl: string('baseUrl'),
    batchSize: number('batchSize'),
    concurrency: number('concurrency'),
    rateLimit: values.rateLimit as RateLimit | undefined,
    dailyReserve: number('dailyReserve'),
    dryRun: values.dryRun === true,
    journal: string('journal'),
    resume: values.resume === true,
    failedOut: string('failedOut'),
    report: string('report'),
    json: values.json === true,
    progress: values.noProgress !== true,
    timeoutMs: number('timeout'),
    maxWaitMs: number('maxWait'),
    tokenFile: string('tokenFile'),
    token: string('token'),
    allowInsecure: values.allowInsecure === true,
    enqueue: values.enqueue === true,
    chunkSize: number('chunkSize'),
    chunksPerAccount: number('chunksPerAccount'),
  };
}

function findCommand(
  table: readonly CommandSpec[],
  words: readonly string[],
): CommandSpec | undefined {
  return table.find(
    (command) => command.path.length === words.length && startsWith(command.path, words),
  );
}

function startsWith(path: readonly string[], prefix: readonly string[]): boolean {
  return prefix.length <= path.length && prefix.every((word, i) => path[i] === word);
}

function firstWords(table: readonly CommandSpec[]): string[] {
  return [...new Set(table.map((command) => command.path[0]!))];
}

/** `batch-size` -> `batchSize`. */
export function camelCase(name: string): string {
  return name.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

function commandName(command: CommandSpec): string {
  return `${PROGRAM} ${command.path.join(' ')}`;
}

/** Usage of one command: synopsis, summary, its own options, the common options, examples. */
export function formatCommandHelp(command: CommandSpec): string {
  const required = (command.required ?? []).map((name) => {
    const option = optionsOf(command).find((o) => o.name === name);
    return `--${name} ${option?.valueName ?? 'VALUE'}`;
  });
  const lines = [
    `Usage: ${[commandName(command), ...required, '[options]'].join(' ')}`,
    '',
    command.summary,
  ];
  if (command.options.length > 0) lines.push('', 'Options:', ...optionLines(command.options));
  if (command.bulk) lines.push('', 'Common options:', ...optionLines(COMMON_OPTIONS));
  lines.push('', ...optionLines(GLOBAL_OPTIONS));
  if (command.bulk) {
    lines.push(
      '',
      `The API token comes from ${TOKEN_ENV[command.path[0]!] ?? 'the environment'} or --token-file FILE.`,
      'Exit codes: 0 all succeeded, 1 some failed or unknown, 2 usage/input/config/auth error, 130 interrupted.',
    );
  }
  if (command.examples?.length)
    lines.push('', 'Examples:', ...command.examples.map((e) => `  ${e}`));
  return `${lines.join('\n')}\n`;
}

/** Usage of a level of the tree: the top (`bulk-clients`) or a vendor (`bulk-clients hubspot`). */
export function formatGroupHelp(table: readonly CommandSpec[], words: readonly string[]): string {
  const commands = table.filter((command) => startsWith(command.path, words));
  const prefix = [PROGRAM, ...words].join(' ');
  const synopsis =
    words.length === 0 ? '<command> [<operation>] [options]' : '<operation> [options]';
  const names = commands.map((command) => command.path.join(' '));
  const width = Math.max(0, ...names.map((name) => name.length));
  const lines = [
    `Usage: ${prefix} ${synopsis}`,
    '',
    'Commands:',
    ...commands.map((command, i) => `  ${names[i]!.padEnd(width)}  ${command.summary}`),
    '',
    ...optionLines(GLOBAL_OPTIONS),
    '',
    `Run "${prefix} <${words.length === 0 ? 'command' : 'operation'}> --help" for its options.`,
  ];
  return `${lines.join('\n')}\n`;
}

function optionLines(options: readonly OptionSpec[]): string[] {
  const heads = options.map((option) => {
    const short = option.short ? `-${option.short}, ` : '';
    const value = option.type === 'string' ? ` ${option.valueName ?? 'VALUE'}` : '';
    return `${short}--${option.name}${value}`;
  });
  const width = Math.max(0, ...heads.map((head) => head.length));
  return options.map((option, i) => `  ${heads[i]!.padEnd(width)}  ${option.description}`);
}
