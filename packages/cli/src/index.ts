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
export { createCommandRegistry } from './commands/builtin-commands.js';
export {
  type BulkCommandDefaults,
  type PreparedBulkCommand,
  prepareBulkCommand,
} from './commands/bulk-command.js';
export { type CommandJournal, openCommandJournal } from './commands/command-journal.js';
export type {
  CommandSpec,
  CommonOptions,
  OptionSpec,
  ParsedCommand,
} from './commands/command-spec.js';
export { COMMAND_TABLE } from './commands/command-table.js';
export { COMMON_OPTIONS, GLOBAL_OPTIONS } from './commands/common-options.js';
export { hubspotTicketsUpdate } from './commands/hubspot-tickets-update.js';
export { entryAdapter, INVALID_RECORD, type InputEntry } from './commands/input-entry.js';
export { mpdxPreferencesCreate } from './commands/mpdx-preferences-create.js';
export { type MappedRecord, type RecordMapping, readEntries } from './commands/record-entries.js';
export {
  type CliIo,
  type CommandContext,
  type CommandHandler,
  CommandRegistry,
} from './commands/registry.js';
export { type BulkCommandRun, runBulkCommand } from './commands/run-bulk-command.js';
export {
  batchSizeOf,
  pollOptionsOf,
  rateLimitOf,
  UNDOCUMENTED_MAX_BATCH_SIZE,
} from './commands/run-settings.js';
export { SANDBOX_OPTIONS, sandbox } from './commands/sandbox.js';
export { thoughtIndustriesTemplatesUpdate } from './commands/thought-industries-templates-update.js';
export { thoughtIndustriesWebinarImport } from './commands/thought-industries-webinar-import.js';
export { vecVaultCreate } from './commands/vec-vault-create.js';
export { type DemoOptions, type DemoStep, runDemo, summaryTable } from './demo.js';
export { CliError, type CliErrorKind, usageError } from './errors.js';
export { ExitCode, exitCodeForError, exitCodeForReport, type OutcomeCounts } from './exit-codes.js';
export {
  booleanCell,
  type CellProblem,
  integerCell,
  isBlank,
  isCellProblem,
} from './input/cells.js';
export { countRecords } from './input/count-records.js';
export { type CsvReaderOptions, readCsv } from './input/csv-reader.js';
export { openFilesDir, type ResolvedPath, type ResolveFile } from './input/files-dir.js';
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
