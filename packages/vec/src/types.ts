/**
 * Friendly names for the shapes of the VEC.digital certificate vault API. The generated
 * `components` names stay internal to this module: callers import these.
 */
import type {
  ApiClientOptions,
  BulkReport,
  Clock,
  PassedRunBulkOptions,
  RateLimitOptions,
  RetryOptions,
  VendorClient,
} from '@bulk-clients/core';
import type { Client } from 'openapi-fetch';
import type { components, operations, paths } from './generated/schema.js';

type Schemas = components['schemas'];

export type { components, operations, paths };

/** The multipart form of an upload: one field, `file`. */
export type UploadFileRequest = Schemas['UploadFileRequest'];
/** A stored certificate file: `file_id`, `file_name`, `mime_type`, `size`. */
export type UploadedFile = Schemas['UploadedFile'];
/** The 201 body of `POST /business/certificate-vault/upload-file`. */
export type UploadFileResponse = Schemas['UploadFileResponse'];

/** One certificate to create from an uploaded file. */
export type CertificateEntry = Schemas['CertificateEntry'];
/** The body of `POST /business/certificate-vault/bulk`. */
export type BulkCreateCertificatesRequest = Schemas['BulkCreateCertificatesRequest'];
/** The 202 body of `POST /business/certificate-vault/bulk`. */
export type BulkCreateCertificatesResponse = Schemas['BulkCreateCertificatesResponse'];
/** The batch a bulk request became: `batch_id`, `total`, `status`. */
export type BulkAcceptance = Schemas['BulkAcceptance'];

/** A certificate kept in the vault. */
export type Certificate = Schemas['Certificate'];
/** A certificate's status with display hints (`value`, `label`, `color`, `icon`, `description`). */
export type CertificateStatus = Schemas['CertificateStatus'];
/** `pending`, `processing`, `generated`, `failed` or `revoked`. */
export type CertificateStatusValue = Schemas['CertificateStatusValue'];
/** How a certificate entered the vault. */
export type CertificateSource = Schemas['CertificateSource'];
/** The 200 body of `GET /business/certificate-vault/{uuid}`. */
export type CertificateResponse = Schemas['CertificateResponse'];
/** The 200 body of `POST /business/certificate-vault/{uuid}/retry`. */
export type RetryCertificateResponse = Schemas['RetryCertificateResponse'];

/** The 200 body of `GET /business/certificate-vault`: `data`, `links`, `meta`. */
export type CertificateList = Schemas['CertificateList'];
/** Query parameters of `GET /business/certificate-vault`. */
export type ListCertificatesQuery = NonNullable<
  operations['listCertificates']['parameters']['query']
>;
/** URLs of the first, last, previous and next pages. */
export type PaginationLinks = Schemas['PaginationLinks'];
/** Position of a page in the whole result. */
export type PaginationMeta = Schemas['PaginationMeta'];
/** One navigation button in `meta.links`. */
export type PaginationLink = Schemas['PaginationLink'];

/** The 200 body of `GET /business/batches/{batchId}/status`. */
export type BatchStatus = Schemas['BatchStatus'];
/** `pending`, `processing`, `waiting_for_approval`, `completed`, `partially_completed` or `failed`. */
export type BatchStatusValue = Schemas['BatchStatusValue'];

/** 401 and 429 body: `{ message }`. */
export type MessageErrorBody = Schemas['MessageError'];
/** 403 body: `{ message, required_permission }`. */
export type PermissionErrorBody = Schemas['PermissionError'];
/** 404 body: `{ message, error: 'resource_not_found' }`. */
export type NotFoundErrorBody = Schemas['NotFoundError'];
/** 422 body of the bulk endpoint: `{ message, errors: ['Entry N: ...'] }`. */
export type BulkValidationErrorBody = Schemas['BulkValidationError'];
/** 422 body of the other endpoints: `{ message, errors: { field: [messages] } }`. */
export type FieldValidationErrorBody = Schemas['FieldValidationError'];
/** 5xx body: `{ message, error_code }`. */
export type ServerErrorBody = Schemas['ServerError'];
/** Any error body the vault sends; the `body` of an `ApiError` from this client. */
export type VecErrorBody =
  | MessageErrorBody
  | PermissionErrorBody
  | NotFoundErrorBody
  | BulkValidationErrorBody
  | FieldValidationErrorBody
  | ServerErrorBody;

/** A permission a vault token can carry. */
export type VecPermission =
  | 'certificate-vault:list'
  | 'certificate-vault:view'
  | 'certificate-vault:create'
  | 'certificate-vault:download'
  | 'certificate-vault:update';

/** A request budget for the `rateLimit` option: at most `requests` requests every `perMs` ms. */
export type RateLimit = RateLimitOptions;

/** Options of `createVecClient`. */
export interface VecClientOptions extends ApiClientOptions {
  /**
   * Scheme, host and optional port of the vault API (paths are part of each operation).
   * @default 'https://api.vec.digital'
   * @example 'http://127.0.0.1:4010'
   */
  baseUrl?: ApiClientOptions['baseUrl'];
  /**
   * The request budget of this client: a core `RateLimiter` to share one budget between clients,
   * a {@link RateLimit} `{ requests, perMs, burst? }` for one of its own, or `false` for none.
   * The vault documents no limit, so the default is an assumption.
   * @default vecDefaults.rateLimit (60 requests per minute)
   * @example { requests: 120, perMs: 60_000 }
   */
  rateLimit?: ApiClientOptions['rateLimit'];
}

/** The typed openapi-fetch client for the vault paths. */
export type VecApi = Client<paths>;

/**
 * What `createVecClient` returns: the typed `api` (`api.POST('/business/certificate-vault/bulk', { body })`), its `baseUrl`
 * and `limiter` (see core's `VendorClient`), and the bulk operations.
 */
export interface VecClient extends VendorClient<VecApi> {
  /** Bulk operations on vault certificates. */
  readonly certificates: {
    /**
     * Creates certificates in bulk: uploads each entry's `file` (or uses its `file_id`), sends
     * the entries in batches, waits until every certificate settles, and reports every entry.
     * Requests share this client's rate limiter.
     *
     * @example
     * const report = await vec.certificates.bulkCreate(entries, { onDrop: (o) => console.error(o.error?.message) });
     */
    bulkCreate(
      entries: Iterable<BulkCertificateEntry> | AsyncIterable<BulkCertificateEntry>,
      options?: CertificatesBulkCreateOptions,
    ): Promise<CertificatesBulkCreateReport>;
  };
}

/** A document to upload: a file path, the bytes (`Buffer` is a `Uint8Array`), or a `Blob`/`File`. */
export type CertificateFile = string | Uint8Array | Blob;

/** An entry whose document is uploaded by `bulkCreate` before the bulk request. */
export interface CertificateEntryWithFile extends Omit<CertificateEntry, 'file_id'> {
  file_id?: undefined;
  /** The document: a path, its bytes or a `Blob`. PDF, JPG, JPEG or PNG, at most 20 MB. */
  file: CertificateFile;
  /**
   * The name the vault stores.
   * @default the path's base name, `File.name`, else `certificate.<ext>`
   */
  fileName?: string | undefined;
}

/** An entry that names an already uploaded file. */
export interface CertificateEntryWithFileId extends CertificateEntry {
  file?: undefined;
  fileName?: undefined;
}

/** One certificate to create: its fields and its document, as a `file_id` or as a file. */
export type BulkCertificateEntry = CertificateEntryWithFileId | CertificateEntryWithFile;

/** How a batch is followed after the vault accepted it. */
export interface CertificatesBulkCreatePollOptions {
  /**
   * Shortest wait between two status checks.
   * @default 1000
   */
  minDelayMs?: number | undefined;
  /**
   * Longest wait between two status checks.
   * @default 15000
   */
  maxDelayMs?: number | undefined;
  /**
   * How long to wait for a batch to settle; entries still pending then are reported `unknown`.
   * @default 600000
   */
  maxWaitMs?: number | undefined;
}

/** Options of `createCertificatesBulkCreateAdapter`. */
export interface CertificatesBulkCreateAdapterOptions {
  /**
   * Entries per bulk request. The vault documents no maximum.
   * @default vecDefaults.chunkSize (100)
   */
  batchSize?: number | undefined;
  /**
   * Uploads in flight at once, over all batches of the run.
   * @default 4
   */
  uploadConcurrency?: number | undefined;
  /**
   * How each accepted batch is followed until its certificates settle.
   * @default { minDelayMs: 1000, maxDelayMs: 15000, maxWaitMs: 600000 }
   */
  poll?: CertificatesBulkCreatePollOptions | undefined;
  /**
   * Timeout of each HTTP request the operation makes (upload, bulk request, status read), in ms;
   * a bulk request that times out has an unknown outcome and is read back, never re-sent blindly.
   * `0` disables it.
   * @default 60000
   */
  httpTimeoutMs?: number | undefined;
  /**
   * Check field lengths and the date format before sending, as the vault would. `false` leaves
   * them to the vault (its 422 then fails the entries it names). Shape and document checks are
   * always made.
   * @default true
   */
  checkEntries?: boolean | undefined;
  /**
   * Backoff between the attempts of one upload (uploads are safe to retry).
   * @default defaultRetryOptions of `@bulk-clients/core`
   */
  retry?: RetryOptions | undefined;
  /**
   * Time source for polling and upload backoff; inject one in tests.
   * @default systemClock
   */
  clock?: Clock | undefined;
}

/** Options of `certificates.bulkCreate`: the engine's options that apply, and the vault's own. */
export interface CertificatesBulkCreateOptions
  extends CertificatesBulkCreateAdapterOptions,
    PassedRunBulkOptions<
      BulkCertificateEntry,
      Certificate,
      'batchSize' | 'requestTimeoutMs' | 'retry' | 'clock'
    > {
  /**
   * Milliseconds before the engine abandons one batch (uploads, bulk request and the wait for
   * its certificates); its outcome is then unknown and read back. Each HTTP request has its own
   * `httpTimeoutMs` and the wait its own `poll.maxWaitMs`, so no overall bound is needed.
   * @default 0 (none)
   */
  requestTimeoutMs?: number | undefined;
}

/** The report of `certificates.bulkCreate`: each entry's `value` is its certificate. */
export type CertificatesBulkCreateReport = BulkReport<BulkCertificateEntry, Certificate>;

/** @deprecated Use {@link CertificatesBulkCreatePollOptions}. */
export type BulkCreatePollOptions = CertificatesBulkCreatePollOptions;
/** @deprecated Use {@link CertificatesBulkCreateOptions}. */
export type BulkCreateCertificatesOptions = CertificatesBulkCreateOptions;
/** @deprecated Use {@link CertificatesBulkCreateReport}. */
export type BulkCreateCertificatesReport = CertificatesBulkCreateReport;
