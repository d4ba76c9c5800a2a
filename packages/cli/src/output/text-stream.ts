/** The part of a writable stream the output writers use; `process.stderr` fits, so does a fake. */
export interface TextStream {
  write(text: string): unknown;
  /** Set on a terminal: progress then draws a bar in place. */
  isTTY?: boolean | undefined;
  /** Terminal width, when known. */
  columns?: number | undefined;
}
