/** `POST /business/certificate-vault/upload-file`: stores a file's description, never its bytes. */
import type { MultipartBody, SandboxRequest, SandboxResponse, SimulatorContext } from '../types.js';
import { fieldErrors } from './errors.js';
import type { VecState } from './state.js';

/** The vendor's limit: 20 MB, which Laravel counts as 20,480 kilobytes. */
export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

const TYPE_MESSAGE = 'The file field must be a file of type: pdf, jpg, jpeg, png.';
const SIZE_MESSAGE = 'The file field must not be greater than 20480 kilobytes.';

/**
 * The media type of a PDF, JPEG or PNG found by its first bytes, or undefined for anything
 * else. Like the vendor, trusts the content rather than the name or the declared type.
 */
export function detectMediaType(data: Buffer): string | undefined {
  if (data.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) {
    return 'image/jpeg';
  }
  if (data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) {
    return 'image/png';
  }
  return undefined;
}

function isMultipart(body: unknown): body is MultipartBody {
  return (
    typeof body === 'object' &&
    body !== null &&
    Array.isArray((body as MultipartBody).files) &&
    typeof (body as MultipartBody).fields === 'object'
  );
}

export function uploadFile(state: VecState, ctx: SimulatorContext) {
  return (request: SandboxRequest): SandboxResponse => {
    const part = isMultipart(request.body)
      ? request.body.files.find((file) => file.name === 'file')
      : undefined;
    if (!part || part.filename === undefined) {
      return fieldErrors({ file: ['The file field is required.'] });
    }
    const mimeType = detectMediaType(part.data);
    const problems: string[] = [];
    if (!mimeType) problems.push(TYPE_MESSAGE);
    if (part.data.length > MAX_UPLOAD_BYTES) problems.push(SIZE_MESSAGE);
    if (!mimeType || problems.length > 0) return fieldErrors({ file: problems });

    const stored = {
      fileId: ctx.uuid(),
      fileName: part.filename || 'upload',
      mimeType,
      size: part.data.length,
      uploadedAt: ctx.now(),
    };
    state.files.set(stored.fileId, stored);
    return {
      status: 201,
      body: {
        message: 'File uploaded successfully',
        data: {
          file_id: stored.fileId,
          file_name: stored.fileName,
          mime_type: stored.mimeType,
          size: stored.size,
        },
      },
    };
  };
}
