/** What every output path passes text through before it is printed or written. */
export type Redact = (text: string) => string;

/** Stands in for a secret in output. */
export const REDACTED = '[REDACTED]';

/**
 * Secrets at least this long are replaced wherever they occur, even inside a longer word: a
 * random string that long does not turn up by chance. Shorter ones (a sandbox's `t`) would, so
 * they are replaced only where they stand alone.
 */
export const WHOLE_WORD_SECRET_LENGTH = 16;

/** A redactor that learns secrets as the run finds them (the token is read after parsing). */
export interface Redactor {
  /** Replaces every known secret in `text`. */
  readonly redact: Redact;
  /** Adds a secret (one line: output is redacted line by line); empty strings are ignored. */
  add(secret: string): void;
}

// What a short secret must not touch on either side to be replaced: a letter, digit, `_` or `-`.
const WORD_CHAR = '[\\p{L}\\p{N}_-]';

/**
 * A redactor for the given secrets, passed to every writer of a run (progress, summary, report
 * files, error messages). Its rule:
 *
 * - a secret of {@link WHOLE_WORD_SECRET_LENGTH} characters or more is replaced with
 *   `[REDACTED]` wherever it occurs, as is, JSON-escaped or URL-encoded;
 * - a shorter secret is replaced only as a whole word (no letter, digit, `_` or `-` touching it),
 *   so that the `t` of `retries` stays;
 * - in text that is JSON (a whole report, or one JSON line), only string values are rewritten,
 *   through a JSON round trip, and object keys only for long secrets: the output stays valid JSON
 *   with the same keys, whatever the secret.
 *
 * @example
 * const { redact } = createRedactor([token]);
 * stderr.write(redact(`${error.message}\n`));
 */
export function createRedactor(secrets: Iterable<string> = []): Redactor {
  // Each form of each secret, and whether it is replaced only as a whole word.
  const forms = new Map<string, boolean>();
  // Matches any form (in plain text and in JSON string values, which may quote JSON in turn).
  let textPattern: RegExp | undefined;
  // Matches only the forms of long secrets (for JSON keys).
  let keyPattern: RegExp | undefined;
  const add = (secret: string): void => {
    if (typeof secret !== 'string') throw new TypeError('Expected `secret` to be a string');
    if (secret === '') return;
    if (/[\r\n]/.test(secret)) throw new TypeError('Expected `secret` to be a single line');
    const wholeWordOnly = secret.length < WHOLE_WORD_SECRET_LENGTH;
    forms.set(secret, wholeWordOnly);
    forms.set(JSON.stringify(secret).slice(1, -1), wholeWordOnly);
    forms.set(encodeURIComponent(secret), wholeWordOnly);
    textPattern = patternOf([...forms]);
    keyPattern = patternOf([...forms].filter(([, whole]) => !whole));
  };
  const redactText = (text: string): string =>
    textPattern === undefined ? text : text.replace(textPattern, REDACTED);
  const redactJson = (text: string): string =>
    text.replace(STRING_LITERAL, (match: string, literal: string, colon: string | undefined) => {
      const pattern = colon === undefined ? textPattern : keyPattern;
      if (pattern === undefined) return match;
      const value = JSON.parse(literal) as string;
      const redacted = value.replace(pattern, REDACTED);
      return redacted === value ? match : `${JSON.stringify(redacted)}${colon ?? ''}`;
    });
  for (const secret of secrets) add(secret);
  return {
    redact: (input) => {
      if (textPattern === undefined) return input;
      const text = String(input);
      if (isJsonDocument(text)) return redactJson(text);
      if (!text.includes('\n')) return redactText(text);
      // JSON Lines, or text with JSON lines in it: each line by its kind.
      return text
        .split('\n')
        .map((line) => (isJsonDocument(line) ? redactJson(line) : redactText(line)))
        .join('\n');
    },
    add,
  };
}

// A JSON string literal, and the colon after it when it is an object key. In valid JSON text a
// quote outside a string always opens one, so a left-to-right scan finds exactly the strings.
const STRING_LITERAL = /("(?:[^"\\]|\\.)*")(\s*:)?/g;

function isJsonDocument(text: string): boolean {
  const start = text.trimStart()[0];
  if (start !== '{' && start !== '[') return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** One alternation of every form, longest first, so that a form containing another wins. */
function patternOf(forms: readonly (readonly [string, boolean])[]): RegExp | undefined {
  if (forms.length === 0) return undefined;
  const ordered = [...forms].sort(([a], [b]) => b.length - a.length);
  const alternatives = ordered.map(([form, wholeWordOnly]) =>
    wholeWordOnly ? `(?<!${WORD_CHAR})${escapeRegExp(form)}(?!${WORD_CHAR})` : escapeRegExp(form),
  );
  return new RegExp(alternatives.join('|'), 'gu');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
