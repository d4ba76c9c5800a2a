/**
 * The input of `certificates.bulkCreate`: a vault entry whose document is either an uploaded
 * `file_id` or a file to upload first. Checks an entry before anything is sent, and turns its
 * file into a `Blob` for the upload.
 */
import type { ItemError } from '@bulk-clients/core';
import { vecDefaults } from './defaults.js';
import type { BulkCertificateEntry, CertificateEntry, CertificateEntryWithFile } from './types.js';

const EXTENSIONS: Readonly<Record<string, string>> = {
  pdf: 'application/pdf',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
};
const REQUIRED_TEXT = ['certificate_title', 'full_name', 'applicant_email'] as const;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Options of {@link checkEntry}. */
export interface CheckEntryOptions {
  /** Also check lengths and the date format, as the vault will. */
  fields: boolean;
}

/**
 * Why an entry cannot be sent, or `undefined` when it can. Checks the shape, the document (type
 * and size where they can be known without reading a file) and, with `fields`, the lengths and
 * date format the vault enforces. The message names the record and the field.
 */
export function checkEntry(
  entry: unknown,
  index: number,
  options: CheckEntryOptions,
): ItemError | undefined {
  const fail = (field: string | undefined, message: string): ItemError => {
    const error: ItemError = { code: 'invalid_entry', message: `Record ${index}: ${message}` };
    if (field !== undefined) error.field = field;
    return error;
  };
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    return fail(undefined, 'expected an object with the certificate fields and file_id or file');
  }
  const record = entry as Record<string, unknown>;
  for (const field of REQUIRED_TEXT) {
    const value = record[field];
    if (typeof value !== 'string' || value.trim() === '') {
      return fail(field, `${field} is required and must be a non-empty string`);
    }
    if (options.fields && value.length > vecDefaults.maxFieldLength) {
      return fail(
        field,
        `${field} must not be longer than ${vecDefaults.maxFieldLength} characters (got ${value.length})`,
      );
    }
  }
  if (record.details !== undefined) {
    if (typeof record.details !== 'string') return fail('details', 'details must be a string');
    if (options.fields && record.details.length > vecDefaults.maxDetailsLength) {
      return fail(
        'details',
        `details must not be longer than ${vecDefaults.maxDetailsLength} characters (got ${record.details.length})`,
      );
    }
  }
  if (record.issue_date !== undefined) {
    if (typeof record.issue_date !== 'string')
      return fail('issue_date', 'issue_date must be a string');
    if (options.fields && !isCalendarDate(record.issue_date)) {
      return fail(
        'issue_date',
        `issue_date must be a date as YYYY-MM-DD, got "${record.issue_date}"`,
      );
    }
  }
  const hasFileId = record.file_id !== undefined;
  const hasFile = record.file !== undefined;
  if (hasFileId && hasFile) return fail('file', 'give either file_id or file, not both');
  if (!hasFileId && !hasFile) return fail('file_id', 'file_id or file is required');
  if (hasFileId) {
    return typeof record.file_id === 'string' && record.file_id.trim() !== ''
      ? undefined
      : fail('file_id', 'file_id must be a non-empty string');
  }
  if (
    record.fileName !== undefined &&
    (typeof record.fileName !== 'string' || record.fileName.trim() === '')
  ) {
    return fail('fileName', 'fileName must be a non-empty string');
  }
  const problem = fileProblem(record.file, record.fileName as string | undefined);
  return problem === undefined ? undefined : fail('file', problem);
}

/** What is wrong with a document, as far as it can be told without reading a file. */
function fileProblem(file: unknown, fileName: string | undefined): string | undefined {
  const accepted = 'PDF, JPG, JPEG or PNG';
  if (typeof file === 'string') {
    if (file.trim() === '') return 'file must be a non-empty path';
    return mediaTypeOfName(fileName ?? file) === undefined
      ? `file must be a ${accepted} file, got "${baseName(fileName ?? file)}"`
      : undefined;
  }
  if (file instanceof Uint8Array) {
    if (file.byteLength > vecDefaults.maxUploadBytes) return tooLarge(file.byteLength);
    return sniffMediaType(file) === undefined
      ? `file must be the bytes of a ${accepted} document (its first bytes say otherwise)`
      : undefined;
  }
  if (file instanceof Blob) {
    if (file.size > vecDefaults.maxUploadBytes) return tooLarge(file.size);
    const name = fileName ?? (file instanceof File ? file.name : '');
    // A Blob's bytes cannot be read synchronously: trust its declared type, else its name; the
    // vault checks the content anyway.
    if (file.type !== '' && !vecDefaults.uploadMediaTypes.includes(file.type.toLowerCase())) {
      return `file must be a ${accepted} document, got the type "${file.type}"`;
    }
    if (file.type === '' && name !== '' && mediaTypeOfName(name) === undefined) {
      return `file must be a ${accepted} file, got "${name}"`;
    }
    return undefined;
  }
  return 'file must be a path, a Buffer/Uint8Array or a Blob';
}

function tooLarge(bytes: number): string {
  return `file must not be larger than 20 MB (${vecDefaults.maxUploadBytes} bytes), got ${bytes} bytes`;
}

/** The media type the vault accepts for a file name's extension, if any. */
export function mediaTypeOfName(name: string): string | undefined {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? undefined : EXTENSIONS[name.slice(dot + 1).toLowerCase()];
}

/** The media type of PDF, JPEG or PNG bytes, found by their first bytes as the vault does. */
export function sniffMediaType(bytes: Uint8Array): string | undefined {
  const starts = (...prefix: number[]) => prefix.every((byte, at) => bytes[at] === byte);
  if (starts(0x25, 0x50, 0x44, 0x46, 0x2d)) return 'application/pdf';
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  return undefined;
}

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() || path;
}

function isCalendarDate(value: string): boolean {
  if (!DATE.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value;
}

/** The fields of an entry that go into the bulk request, with the document's `file_id`. */
export function requestEntry(entry: BulkCertificateEntry, fileId: string): CertificateEntry {
  const body: CertificateEntry = {
    certificate_title: entry.certificate_title,
    full_name: entry.full_name,
    applicant_email: entry.applicant_email,
    file_id: fileId,
  };
  if (entry.issue_date !== undefined) body.issue_date = entry.issue_date;
  if (entry.details !== undefined) body.details = entry.details;
  return body;
}

// Held in a variable so that bundlers leave it alone: a browser build of this package works, and
// only an entry that names its document by path (which needs a file system) loads the module.
const FS_MODULE = 'node:fs';

async function loadFs(): Promise<typeof import('node:fs')> {
  try {
    return (await import(
      /* @vite-ignore */ /* webpackIgnore: true */ FS_MODULE
    )) as typeof import('node:fs');
  } catch (error) {
    throw new TypeError(
      'Expected `file` to be bytes or a Blob: a path needs node:fs, which this runtime lacks',
      { cause: error },
    );
  }
}

/** A document ready to upload. */
export interface ResolvedFile {
  blob: Blob;
  name: string;
}

/**
 * Turns an entry's document into a `Blob` and a name. A path is opened with `fs.openAsBlob`, so
 * the file is streamed by the upload rather than read into memory; `node:fs` is loaded only here,
 * so that the package also loads where there is no file system.
 */
export async function resolveFile(entry: CertificateEntryWithFile): Promise<ResolvedFile> {
  const { file, fileName } = entry;
  if (typeof file === 'string') {
    const { openAsBlob } = await loadFs();
    const name = fileName ?? baseName(file);
    const type = mediaTypeOfName(name) ?? mediaTypeOfName(file) ?? '';
    return { blob: await openAsBlob(file, { type }), name };
  }
  if (file instanceof Uint8Array) {
    const type = sniffMediaType(file) ?? '';
    const extension = type === 'application/pdf' ? 'pdf' : type === 'image/png' ? 'png' : 'jpg';
    return {
      blob: new Blob([file as Uint8Array<ArrayBuffer>], { type }),
      name: fileName ?? `certificate.${extension}`,
    };
  }
  const name = fileName ?? (file instanceof File && file.name ? file.name : 'certificate');
  return { blob: file, name };
}
