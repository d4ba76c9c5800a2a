/**
 * Finding the inputs at fault in a batch HubSpot refused whole without naming them. HubSpot
 * answers some invalid property values with a 400 "Property values were not valid" that has no
 * `context.ids` and applies nothing; sending each half of the batch again, and halving the
 * halves that are refused the same way, leaves the bad inputs alone (about log2(100) = 7 more
 * requests per bad input) while every good input is written.
 */
import { ApiError, type ItemResult } from '@bulk-clients/core';
import { isRecord } from './object-batch-response.js';

/**
 * Whether a failed request is a whole-batch refusal worth isolating: a 400 `VALIDATION_ERROR`
 * that blames property values (its message, or a detail naming a field) and names no input. A
 * refusal of the batch as such (malformed JSON, too many inputs) is not: halving would only
 * repeat it.
 */
export function isUnnamedInputRefusal(error: unknown): error is ApiError {
  if (!(error instanceof ApiError) || error.status !== 400) return false;
  const body = error.body;
  if (!isRecord(body) || body.category !== 'VALIDATION_ERROR') return false;
  const ids = isRecord(body.context) ? body.context.ids : undefined;
  if (Array.isArray(ids) && ids.length > 0) return false;
  const message = typeof body.message === 'string' ? body.message : '';
  const blamesField =
    Array.isArray(body.errors) &&
    body.errors.some((detail) => isRecord(detail) && typeof detail.in === 'string');
  return message.startsWith('Property values were not valid') || blamesField;
}

/** What {@link isolateRefusedInputs} needs from the operation. */
export interface Isolation<I, R> {
  /**
   * Sends some inputs as one batch; resolves with one result per input, or throws as a send
   * does (an `ApiError` for a refused request).
   */
  send(inputs: I[]): Promise<ItemResult<R>[]>;
  /** The result of an input refused alone: failed with the refusal. */
  refusedAlone(input: I, refusal: ApiError): ItemResult<R>;
  /** The result of an input whose isolating request failed in another way (see the caller). */
  afterFailure(input: I, error: unknown): ItemResult<R>;
  /** Called before each isolating request, to count them. */
  onRequest(): void;
  /** The request's signal: an abort stops the isolation (the error is thrown). */
  signal: AbortSignal;
}

/**
 * Results for `inputs`, a batch that `refusal` refused whole without naming any of them: each
 * half is sent again, a half refused the same way is halved in turn, and an input refused on its
 * own fails with the refusal. Inputs of a half whose request failed otherwise get
 * `afterFailure`.
 */
export async function isolateRefusedInputs<I, R>(
  inputs: readonly I[],
  refusal: ApiError,
  isolation: Isolation<I, R>,
): Promise<ItemResult<R>[]> {
  if (inputs.length === 1) return [isolation.refusedAlone(inputs[0]!, refusal)];
  const middle = Math.ceil(inputs.length / 2);
  const results: ItemResult<R>[] = [];
  for (const half of [inputs.slice(0, middle), inputs.slice(middle)]) {
    isolation.onRequest();
    try {
      results.push(...(await isolation.send(half)));
    } catch (error) {
      if (isolation.signal.aborted) throw error;
      if (isUnnamedInputRefusal(error)) {
        results.push(...(await isolateRefusedInputs(half, error, isolation)));
      } else {
        for (const input of half) results.push(isolation.afterFailure(input, error));
      }
    }
  }
  return results;
}
