/**
 * Friendly names for the shapes of the VEC.digital certificate vault API. The generated
 * `components` names stay internal to this module: callers import these.
 */
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
