/** Uploads one certificate document, retrying what can be retried, for `bulkCreate`. */
import {
  ApiError,
  backoffDelay,
  type Clock,
  classifyFailure,
  type ItemError,
  type ResolvedRetryOptions,
  unwrap,
} from '@bulk-clients/core';
import type { ResolvedFile } from './certificate-entry.js';
import { retryAfterFromHeaders, vecDefaults } from './defaults.js';
import type { UploadedFile, VecApi } from './types.js';
import { uploadFileBody } from './upload-file-body.js';

/** What {@link uploadCertificateFile} needs besides the file. */
export interface UploadContext {
  api: VecApi;
  /** The input index of the entry, for messages. */
  record: number;
  retry: ResolvedRetryOptions;
  /** Stops the upload and its retries; the rejection is then the abort reason. */
  signal: AbortSignal;
  /** Waits between attempts. */
  clock: Clock;
  /** Gives each attempt its own signal, with the per-request timeout. */
  requestSignal(signal: AbortSignal): AbortSignal;
}

/** The uploaded file, or why the entry cannot be created. */
export type UploadOutcome = { ok: true; file: UploadedFile } | { ok: false; error: ItemError };

/**
 * Uploads one document. The size is checked first (the bytes of a path are only known now), and
 * nothing is sent for a file over 20 MB. Throws only when `signal` aborts.
 *
 * An upload is a create too, but a lost answer only leaves an unused file in the vault: no
 * certificate refers to it, and a file id is only consumed by a bulk entry naming it. So unlike
 * the bulk request, an upload whose outcome is unknown (reset, 5xx, timeout, unreadable answer)
 * is safe to send again.
 */
export async function uploadCertificateFile(
  file: ResolvedFile,
  ctx: UploadContext,
): Promise<UploadOutcome> {
  if (file.blob.size > vecDefaults.maxUploadBytes) {
    return {
      ok: false,
      error: {
        code: 'invalid_entry',
        field: 'file',
        message: `Record ${ctx.record}: file must not be larger than 20 MB (${vecDefaults.maxUploadBytes} bytes), got ${file.blob.size} bytes`,
      },
    };
  }
  for (let attempt = 1; ; attempt++) {
    try {
      const result = await ctx.api.POST('/business/certificate-vault/upload-file', {
        body: uploadFileBody(file.blob, file.name),
        signal: ctx.requestSignal(ctx.signal),
      });
      return { ok: true, file: unwrap(result, { retryAfter: retryAfterFromHeaders }).data };
    } catch (error) {
      if (ctx.signal.aborted) throw ctx.signal.reason ?? error;
      const failure = classifyFailure(error);
      if (failure.kind === 'aborted') throw error;
      const again = failure.kind === 'retry' || failure.kind === 'unknown';
      if (!again || attempt > ctx.retry.retries) {
        return { ok: false, error: uploadError(error, failure.reason, ctx.record) };
      }
      await ctx.clock.sleep(backoffDelay(attempt, ctx.retry, failure.retryAfterMs), ctx.signal);
    }
  }
}

/** The vendor's reason for a failed upload, naming the record and the field. */
export function uploadError(error: unknown, reason: string, record: number): ItemError {
  if (error instanceof ApiError) {
    const body = error.body as { message?: unknown; errors?: unknown } | undefined;
    const fieldErrors =
      body && typeof body.errors === 'object' && body.errors !== null && !Array.isArray(body.errors)
        ? (body.errors as Record<string, unknown>)
        : undefined;
    const field = fieldErrors ? Object.keys(fieldErrors)[0] : undefined;
    const messages =
      field !== undefined && Array.isArray(fieldErrors?.[field])
        ? (fieldErrors[field] as unknown[]).filter((m): m is string => typeof m === 'string')
        : [];
    const vendorMessage =
      messages.join(' ') || (typeof body?.message === 'string' ? body.message : error.message);
    const result: ItemError = {
      code: error.code,
      message: `Record ${record}: the upload of file failed with ${error.status}: ${vendorMessage}`,
      status: error.status,
      vendor: error.body,
    };
    if (field !== undefined) result.field = field;
    else if (error.status === 422) result.field = 'file';
    return result;
  }
  const message = error instanceof Error ? error.message : String(error);
  return {
    code: reason,
    field: 'file',
    message: `Record ${record}: the upload of file failed: ${message}`,
  };
}
