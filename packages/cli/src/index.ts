export {
  type CommandLine,
  camelCase,
  formatCommandHelp,
  formatGroupHelp,
  optionsOf,
  PROGRAM,
  parseCommandLine,
} from './args.js';
export { type CheckBaseUrlOptions, checkBaseUrl, isLoopbackHost } from './base-url.js';
export {
  type BulkCommandDefaults,
  type PreparedBulkCommand,
  prepareBulkCommand,
} from './commands/bulk-command.js';
export type {
  CommandSpec,
  CommonOptions,
  OptionSpec,
  ParsedCommand,
} from './commands/command-spec.js';
export { COMMAND_TABLE } from './commands/command-table.js';
export { COMMON_OPTIONS, GLOBAL_OPTIONS } from './commands/common-options.js';
export {
  type CliIo,
  type CommandContext,
  type CommandHandler,
  CommandRegistry,
} from './commands/registry.js';
export { CliError, type CliErrorKind, usageError } from './errors.js';
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
export {
  formatFromPath,
  INPUT_FORMATS,
  type InputFormat,
  type OpenedInput,
  type OpenInputOptions,
  openInput,
} from './input/open-input.js';
export { type MainOptions, main } from './main.js';
export {
  choice,
  nonEmpty,
  nonNegativeInteger,
  type OptionParser,
  port,
  positiveInteger,
  type RateLimit,
  rateLimit,
} from './option-parsers.js';
export { formatCount, formatDuration } from './output/format.js';
export { openPrivateFile, PRIVATE_FILE_MODE } from './output/private-file.js';
export {
  createProgress,
  type Progress,
  type ProgressOptions,
  type ProgressSnapshot,
} from './output/progress.js';
export {
  type FailedRecordEntry,
  type FailedRecordsWriter,
  openFailedRecordsFile,
  type ReportFileOptions,
  writeReportFile,
} from './output/report-files.js';
export {
  type BulkReportLike,
  type CliReport,
  formatJsonReport,
  formatSummary,
  toCliReport,
} from './output/summary.js';
export type { TextStream } from './output/text-stream.js';
export { createRedactor, REDACTED, type Redact, type Redactor } from './redact.js';
export {
  type ResolvedToken,
  type ResolveTokenOptions,
  resolveToken,
  TOKEN_ENV,
  TOKEN_FLAG_WARNING,
} from './token.js';
export {
  type CompileOptions,
  compileSpecValidator,
  createSpecCompiler,
  createSpecValidator,
  type FieldError,
  findSpecPath,
  loadSpec,
  type SpecLocationOptions,
  type ValidateRecord,
} from './validate/spec-validator.js';
