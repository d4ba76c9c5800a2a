/**
 * Maps the answer of a bulk create back to the records that were sent: one result per record, in
 * request order, whatever the vendor returned. Pure, so it is tested on its own with random
 * responses.
 */
import { codeForStatus, type ItemError, type ItemResult } from '@bulk-clients/core';
import { mpdxDefaults } from './defaults.js';
import type {
  CreatedNotificationPreference,
  MpdxErrorObject,
  NotificationPreference,
} from './types.js';

/** One record as it went out in a bulk request. */
export interface SentNotificationPreference {
  /** 0-based index of the record in the whole input. */
  readonly index: number;
  /** The client id it was sent with. */
  readonly id: string;
  /** `true` when the id was derived from the run (`deriveItemId`), not given by the caller. */
  readonly generatedId: boolean;
}

/** Options of {@link mapNotificationPreferencesBulkResponse}. */
export interface MapBulkResponseOptions {
  /**
   * Whether a 409 ("already exists") for this record means that an earlier attempt of ours
   * created it, so it counts as succeeded. Otherwise the 409 is a failure with code `conflict`.
   * @default (record) => record.generatedId
   */
  alreadyCreated?: ((record: SentNotificationPreference) => boolean) | undefined;
}

/**
 * The 200 body of a bulk create was not the array MPDX promises. The request may have created
 * some records, so the batch's outcome is unknown (the engine sends it again: creates with client
 * ids are idempotent).
 */
export class MpdxBulkResponseError extends Error {
  override readonly name = 'MpdxBulkResponseError';
  readonly code = 'invalid_response';
  constructor(
    message: string,
    /** The body as it was received. */
    readonly body: unknown,
  ) {
    super(message);
  }
}

type Element =
  | { kind: 'created'; id: string; preference: NotificationPreference }
  | { kind: 'refused'; id: string | undefined; position: number | undefined; error: unknown }
  | { kind: 'unreadable' };

/**
 * One {@link ItemResult} per sent record, in the order of `sent`:
 *
 * - an element is matched to its record by id (a created resource's `data.id`, or the `id` an
 *   error document carries), else an element without an id by position (its error's
 *   `source.pointer` `/data/N/...` when there is one, else its place in the array); an element is
 *   used for one record at most;
 * - a created resource: `succeeded` (`created: true`);
 * - an error document: `failed` with the vendor's status, detail and field, and the raw element
 *   in `vendor`; a 409 counts as `succeeded` (`created: false`) when `alreadyCreated` says so; a
 *   429 or 5xx element is `resend`;
 * - no element, or one that cannot be read: `resend` (whether it was created is unknown, and
 *   sending the same id again is safe).
 *
 * Throws an {@link MpdxBulkResponseError} when `body` is not an array.
 */
export function mapNotificationPreferencesBulkResponse(
  sent: readonly SentNotificationPreference[],
  body: unknown,
  options: MapBulkResponseOptions = {},
): ItemResult<CreatedNotificationPreference>[] {
  if (!Array.isArray(body)) {
    throw new MpdxBulkResponseError(
      `MPDX answered a bulk create of ${sent.length} records with ${body === null ? 'null' : typeof body} instead of an array`,
      body,
    );
  }
  const alreadyCreated = options.alreadyCreated ?? ((record) => record.generatedId);
  const elements = body.map(readElement);
  const used = new Uint8Array(elements.length);
  const byId = new Map<string, number[]>();
  const byPosition = new Map<number, number[]>();
  elements.forEach((element, at) => {
    if (element.kind === 'unreadable') {
      push(byPosition, at, at);
    } else if (element.id !== undefined) {
      push(byId, element.id, at);
    } else if (element.kind === 'refused') {
      push(byPosition, element.position ?? at, at);
    }
  });

  return sent.map((record, position) => {
    const at =
      pick(byId.get(record.id), position, used) ??
      byPosition.get(position)?.find((candidate) => !used[candidate]);
    if (at === undefined) return { kind: 'resend' };
    used[at] = 1;
    const element = elements[at]!;
    if (element.kind === 'created') {
      return {
        kind: 'succeeded',
        value: { id: record.id, created: true, preference: element.preference },
      };
    }
    if (element.kind === 'unreadable') return { kind: 'resend' };
    const error = itemErrorOf(record, element.error, body[at]);
    if (error.status === 409 && alreadyCreated(record)) {
      return { kind: 'succeeded', value: { id: record.id, created: false, preference: undefined } };
    }
    if (error.status !== undefined && mpdxDefaults.retryableStatuses.includes(error.status)) {
      return { kind: 'resend' };
    }
    return { kind: 'failed', error };
  });
}

/** Of the elements carrying a record's id, prefers the one at its position, else the first unused. */
function pick(
  candidates: number[] | undefined,
  position: number,
  used: Uint8Array,
): number | undefined {
  if (!candidates) return undefined;
  if (candidates.includes(position) && !used[position]) return position;
  return candidates.find((at) => !used[at]);
}

function push<K>(map: Map<K, number[]>, key: K, value: number): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function readElement(element: unknown): Element {
  if (!isObject(element)) return { kind: 'unreadable' };
  if (Array.isArray(element.errors)) {
    const error = element.errors.find(isObject);
    const id = typeof element.id === 'string' && element.id !== '' ? element.id : undefined;
    return { kind: 'refused', id, position: memberPosition(error), error };
  }
  const data = element.data;
  if (
    isObject(data) &&
    typeof data.id === 'string' &&
    data.id !== '' &&
    data.type === 'notification_preferences'
  ) {
    return { kind: 'created', id: data.id, preference: data as unknown as NotificationPreference };
  }
  return { kind: 'unreadable' };
}

const MEMBER_POINTER = /^\/data\/(\d+)(?:\/data)?(\/.*)?$/;

/** The index of the request member an error points at (`/data/N/...`), if it says. */
function memberPosition(error: unknown): number | undefined {
  const match = MEMBER_POINTER.exec(pointerOf(error) ?? '');
  if (!match) return undefined;
  const position = Number(match[1]);
  return Number.isSafeInteger(position) ? position : undefined;
}

function pointerOf(error: unknown): string | undefined {
  if (!isObject(error) || !isObject(error.source)) return undefined;
  return typeof error.source.pointer === 'string' ? error.source.pointer : undefined;
}

/** The input field (of `NewNotificationPreference`) a JSON:API pointer blames, if any. */
export function fieldOfPointer(pointer: string | undefined): string | undefined {
  if (pointer === undefined) return undefined;
  const match = MEMBER_POINTER.exec(pointer);
  // Not inside a member: name the pointer itself, so the vendor's word is not lost.
  if (!match) return pointer === '' ? undefined : pointer;
  const rest = match[2];
  // The member as a whole: no single field.
  if (rest === undefined) return undefined;
  if (rest === '/id') return 'id';
  if (rest.startsWith('/relationships')) return 'notificationTypeId';
  const flag = /^\/attributes\/(app|email|task)$/.exec(rest)?.[1];
  if (flag) return flag;
  return rest.slice(1).replaceAll('/', '.');
}

function itemErrorOf(record: SentNotificationPreference, error: unknown, raw: unknown): ItemError {
  const object: Partial<MpdxErrorObject> = isObject(error) ? error : {};
  const status = Number.parseInt(String(object.status ?? ''), 10);
  const known = Number.isInteger(status) && status >= 100 && status <= 599;
  const field = fieldOfPointer(pointerOf(error));
  const reason =
    (typeof object.detail === 'string' && object.detail) ||
    (typeof object.title === 'string' && object.title) ||
    'MPDX refused it without saying why';
  return {
    code: known ? codeForStatus(status) : 'refused',
    message: `Record ${record.index} (id ${record.id}): ${field === undefined ? '' : `${field}: `}${reason}`,
    field,
    status: known ? status : undefined,
    vendor: raw,
    // Bad input or a missing parent is refused on every attempt: no earlier attempt wrote it.
    ...(known && DEFINITE_STATUSES.includes(status) ? { definite: true } : {}),
  };
}

const DEFINITE_STATUSES: readonly number[] = [400, 404, 422];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
