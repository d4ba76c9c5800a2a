/**
 * The pieces behind the bulk operation, for tests and for debugging a mapping: not part of the
 * package's supported API, and free to change in any release.
 */

export { checkEntry, requestEntry } from './certificate-entry.js';
export {
  type CertificateMatch,
  type EntryErrors,
  type EntryFields,
  fieldOfMessage,
  isFileAlreadyUsed,
  mapBulkRejection,
  matchBatchCertificates,
  parseEntryErrors,
  showsAllFilesUsed,
} from './certificates-bulk-create-response.js';
export { fileIdNote, recordedFileIds } from './file-id-note.js';
