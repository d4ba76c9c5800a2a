/** What every output path passes text through before it is printed or written. */
export type Redact = (text: string) => string;

/** Stands in for a secret in output. */
export const REDACTED = '[REDACTED]';

/** A redactor that learns secrets as the run finds them (the token is read after parsing). */
export interface Redactor {
  /** Replaces every known secret in `text`. */
  readonly redact: Redact;
  /** Adds a secret; empty strings are ignored. */
  add(secret: string): void;
}

/**
 * A redactor for the given secrets: it replaces each secret, and the forms it takes once
 * JSON-escaped or URL-encoded, with `[REDACTED]`. Use one per run and pass its `redact` to every
 * writer (progress, summary, report files, error messages).
 *
 * @example
 * const { redact } = createRedactor([token]);
 * stderr.write(redact(`${error.message}\n`));
 */
export function createRedactor(secrets: Iterable<string> = []): Redactor {
  const forms = new Set<string>();
  let pattern: RegExp | undefined;
  const add = (secret: string): void => {
    if (typeof secret !== 'string') throw new TypeError('Expected `secret` to be a string');
    if (secret === '') return;
    forms.add(secret);
    forms.add(JSON.stringify(secret).slice(1, -1));
    forms.add(encodeURIComponent(secret));
    // Longest first, so that a form containing another is replaced whole.
    const ordered = [...forms].sort((a, b) => b.length - a.length);
    pattern = new RegExp(ordered.map(escapeRegExp).join('|'), 'g');
  };
  for (const secret of secrets) add(secret);
  return {
    redact: (text) => (pattern === undefined ? text : String(text).replace(pattern, REDACTED)),
    add,
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
