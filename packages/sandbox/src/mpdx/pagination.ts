/** `page` / `per_page` paging with the `meta.pagination` block MPDX answers with. */
import { type ErrorObject, errorObject } from './json-api.js';

export const DEFAULT_PER_PAGE = 25;
export const MAX_PER_PAGE = 100;

export interface Page<T> {
  items: T[];
  meta: {
    pagination: { page: number; per_page: number; total_count: number; total_pages: number };
  };
}

/**
 * Cuts one page out of `all`, or returns the error objects for bad paging parameters (the
 * server validates them against the spec first; this keeps a handler safe on its own).
 */
export function paginate<T>(all: readonly T[], query: URLSearchParams): Page<T> | ErrorObject[] {
  const errors: ErrorObject[] = [];
  const page = readPositiveInteger(query, 'page', 1, Number.MAX_SAFE_INTEGER, errors);
  const perPage = readPositiveInteger(query, 'per_page', DEFAULT_PER_PAGE, MAX_PER_PAGE, errors);
  if (errors.length > 0) return errors;
  const start = (page - 1) * perPage;
  return {
    items: all.slice(start, start + perPage),
    meta: {
      pagination: {
        page,
        per_page: perPage,
        total_count: all.length,
        total_pages: Math.ceil(all.length / perPage),
      },
    },
  };
}

function readPositiveInteger(
  query: URLSearchParams,
  name: string,
  fallback: number,
  max: number,
  errors: ErrorObject[],
): number {
  const raw = query.get(name);
  if (raw === null) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < 1 || value > max) {
    errors.push(
      errorObject(400, `${name} must be an integer from 1 to ${max}.`, { parameter: name }),
    );
    return fallback;
  }
  return value;
}
