import type { UploadFileRequest } from './types.js';

/**
 * Builds the multipart body of `POST /business/certificate-vault/upload-file`: a form whose
 * field `file` holds the document (PDF, JPG, JPEG or PNG, at most 20 MB).
 *
 * @param file The document's bytes.
 * @param fileName The name the vault stores. @default `file.name` for a `File`, else `'certificate'`
 * @example
 * const pdf = new Blob([bytes], { type: 'application/pdf' });
 * const { data } = await vec.api.POST('/business/certificate-vault/upload-file', {
 *   body: uploadFileBody(pdf, 'achievement.pdf'),
 * });
 */
export function uploadFileBody(file: Blob, fileName?: string): UploadFileRequest {
  if (!(file instanceof Blob)) {
    throw new TypeError(
      `Expected \`file\` to be a Blob or File, got ${file === null ? 'null' : typeof file}`,
    );
  }
  if (fileName !== undefined && (typeof fileName !== 'string' || fileName.trim() === '')) {
    throw new TypeError('Expected `fileName` to be a non-empty string');
  }
  const name = fileName ?? (file instanceof File && file.name ? file.name : 'certificate');
  const form = new FormData();
  form.append('file', file, name);
  // openapi-fetch sends a FormData body as it is and lets fetch write the multipart boundary.
  // The generated type describes the form's fields, so the form stands in for it here.
  return form as unknown as UploadFileRequest;
}
