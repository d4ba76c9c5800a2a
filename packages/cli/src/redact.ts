/** What every output path passes text through before it is printed or written. */
export type Redact = (text: string) => string;

/** Stands in for a secret in output. */
export const REDACTED = '[REDACTED]';

/**
 * A redactor for the given secrets: it replaces each secret, and the forms it takes once
 * JSON-escaped or URL-encoded, with `[REDACTED]`. Use one per run and pass its `redact` to every
 * writer (progress, summary, report files, error messages).
 *
 * @example
 * const redact = createRedactor([token]);
 * stderr.write(redact(`${error.message}\n`));
 */
export function createRedactor(secrets: Iterable<string>): Redact {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (typeof secret !== 'string') throw new TypeError('Expected `secrets` to hold strings');
    if (secret === '') continue;
    forms.add(secret);
    forms.add(JSON.stringify(secret).slice(1, -1));
    forms.add(encodeURIComponent(secret));
  }
  // Longest first, so that a form containing another is replaced whole.
  const ordered = [...forms].sort((a, b) => b.length - a.length);
  if (ordered.length === 0) return (text) => text;
  const pattern = new RegExp(ordered.map(escapeRegExp).join('|'), 'g');
  return (text) => (typeof text === 'string' ? text.replace(pattern, REDACTED) : text);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
