// What a program calls: the command itself (`main`), a registry to add commands to, the demo, the
// input readers, the report and the exit codes. The building blocks of the commands stay inside.
export { createCommandRegistry } from './commands/builtin-commands.js';
export type {
  CommandSpec,
  CommonOptions,
  OptionSpec,
  ParsedCommand,
} from './commands/command-spec.js';
export {
  type CliIo,
  type CommandContext,
  type CommandHandler,
  CommandRegistry,
} from './commands/registry.js';
export { type DemoOptions, type DemoStep, runDemo } from './demo.js';
export { CliError, type CliErrorKind } from './errors.js';
export { ExitCode, exitCodeForError, exitCodeForReport, type OutcomeCounts } from './exit-codes.js';
export { type CsvReaderOptions, readCsv } from './input/csv-reader.js';
export type {
  CsvRow,
  InputItem,
  InputSource,
  JsonRow,
  ReaderOptions,
  RecordError,
} from './input/input-item.js';
export { type JsonlReaderOptions, readJsonl } from './input/jsonl-reader.js';
export { type MainOptions, main } from './main.js';
export {
  type BulkReportLike,
  type CliReport,
  formatJsonReport,
  formatSummary,
  toCliReport,
} from './output/summary.js';
export type { TextStream } from './output/text-stream.js';
export type { Redactor } from './redact.js';
