import { decodeUtf8 } from './utf8.js';

/** One CSV record as cut out of the byte stream, before the header gives its cells names. */
export interface RawCsvRecord {
  /** Line on which the record starts (a quoted cell may span several lines). */
  line: number;
  cells: string[];
  /** The first problem found in the record; `cells` are then incomplete. */
  error?: { cellIndex?: number; message: string };
}

/** Limits of {@link CsvParser}. */
export interface CsvParserLimits {
  maxRecordBytes: number;
  maxFieldBytes: number;
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const CR = 0x0d;
const LF = 0x0a;

const State = {
  CellStart: 0,
  Unquoted: 1,
  Quoted: 2,
  /** A quote inside a quoted cell: either the first half of `""` or the closing quote. */
  QuoteInQuoted: 3,
} as const;
type State = (typeof State)[keyof typeof State];

/**
 * An RFC 4180 tokenizer that works on bytes, so that invalid UTF-8 is found per cell (every
 * delimiter is ASCII, and no byte of a multi-byte UTF-8 sequence is). Records end at CRLF, LF or
 * a lone CR outside quotes. Memory is bounded by the limits: a record that outgrows them is
 * reported, its bytes dropped, and parsing resumes at the next record.
 */
export class CsvParser {
  private readonly limits: CsvParserLimits;
  private state: State = State.CellStart;
  private line = 1;
  private recordLine = 1;
  private recordStarted = false;
  private recordBytes = 0;
  private crPending = false;
  private cells: string[] = [];
  private cell = Buffer.alloc(256);
  private cellLength = 0;
  private cellAscii = true;
  private error: RawCsvRecord['error'];
  /** Set once the record broke a limit: its bytes are no longer kept. */
  private discarding = false;
  private output: RawCsvRecord[] = [];

  constructor(limits: CsvParserLimits) {
    this.limits = limits;
  }

  /** Feeds the next chunk; returns the records it completed. */
  push(chunk: Buffer): RawCsvRecord[] {
    this.output = [];
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i]!;
      if (byte === LF && this.crPending) {
        // Second half of a CRLF: the line was counted (and the record ended) at the CR.
        this.crPending = false;
        if (this.state === State.Quoted) this.append(byte);
        continue;
      }
      this.crPending = false;
      if (!this.recordStarted) {
        this.recordStarted = true;
        this.recordLine = this.line;
      }
      if ((this.state === State.Unquoted || this.state === State.Quoted) && isPlain(byte)) {
        // Fast path: copy a run of plain cell bytes at once (nothing in it changes state or line).
        let end = i + 1;
        while (end < chunk.length && isPlain(chunk[end]!)) end++;
        this.appendRange(chunk, i, end);
        i = end - 1;
        continue;
      }
      this.consume(byte);
      if (byte === LF) {
        this.line++;
      } else if (byte === CR) {
        this.line++;
        this.crPending = true;
      }
    }
    return this.output;
  }

  /** Ends the input; returns the last record, if the input did not end with a newline. */
  end(): RawCsvRecord[] {
    this.output = [];
    if (this.state === State.Quoted) {
      this.fail(
        this.cells.length,
        `quoted field opened on line ${this.recordLine} is never closed`,
      );
    }
    if (this.recordStarted) this.endRecord();
    return this.output;
  }

  private consume(byte: number): void {
    switch (this.state) {
      case State.CellStart:
        if (byte === QUOTE) {
          this.state = State.Quoted;
          this.count();
        } else if (byte === COMMA) {
          this.count();
          this.endCell();
        } else if (byte === CR || byte === LF) {
          this.endRecord();
        } else {
          this.state = State.Unquoted;
          this.append(byte);
        }
        return;
      case State.Unquoted:
        if (byte === COMMA) {
          this.count();
          this.endCell();
          this.state = State.CellStart;
        } else if (byte === CR || byte === LF) {
          this.endRecord();
        } else {
          if (byte === QUOTE) this.fail(this.cells.length, 'quote inside an unquoted field');
          this.append(byte);
        }
        return;
      case State.Quoted:
        if (byte === QUOTE) {
          this.state = State.QuoteInQuoted;
          this.count();
        } else {
          this.append(byte);
        }
        return;
      case State.QuoteInQuoted:
        if (byte === QUOTE) {
          this.state = State.Quoted;
          this.append(byte);
        } else if (byte === COMMA) {
          this.count();
          this.endCell();
          this.state = State.CellStart;
        } else if (byte === CR || byte === LF) {
          this.endRecord();
        } else {
          this.fail(this.cells.length, 'text after the closing quote of a field');
          this.state = State.Unquoted;
          this.append(byte);
        }
        return;
    }
  }

  /** Counts a byte of the record that is not cell content (a delimiter or a quote). */
  private count(): void {
    this.recordBytes++;
    if (this.recordBytes > this.limits.maxRecordBytes) this.overflow();
  }

  private append(byte: number): void {
    this.count();
    if (this.discarding) return;
    if (this.cellLength >= this.limits.maxFieldBytes) {
      this.fail(this.cells.length, `field is longer than ${this.limits.maxFieldBytes} bytes`);
      this.discard();
      return;
    }
    if (this.cellLength === this.cell.length) {
      const grown = Buffer.allocUnsafe(Math.min(this.cell.length * 2, this.limits.maxFieldBytes));
      this.cell.copy(grown, 0, 0, this.cellLength);
      this.cell = grown;
    }
    this.cell[this.cellLength++] = byte;
    if (byte >= 0x80) this.cellAscii = false;
  }

  /** `append` for every byte of `chunk[start, end)`, none of them a quote, comma, CR or LF. */
  private appendRange(chunk: Buffer, start: number, end: number): void {
    const length = end - start;
    this.recordBytes += length;
    if (this.recordBytes > this.limits.maxRecordBytes) this.overflow();
    if (this.discarding) return;
    const needed = this.cellLength + length;
    if (needed > this.limits.maxFieldBytes) {
      this.fail(this.cells.length, `field is longer than ${this.limits.maxFieldBytes} bytes`);
      this.discard();
      return;
    }
    if (needed > this.cell.length) {
      const size = Math.min(Math.max(this.cell.length * 2, needed), this.limits.maxFieldBytes);
      const grown = Buffer.allocUnsafe(size);
      this.cell.copy(grown, 0, 0, this.cellLength);
      this.cell = grown;
    }
    chunk.copy(this.cell, this.cellLength, start, end);
    this.cellLength = needed;
    if (this.cellAscii) {
      for (let i = start; i < end; i++) {
        if (chunk[i]! >= 0x80) {
          this.cellAscii = false;
          break;
        }
      }
    }
  }

  private overflow(): void {
    if (this.discarding) return;
    this.fail(undefined, `record is longer than ${this.limits.maxRecordBytes} bytes`);
    this.discard();
  }

  private discard(): void {
    this.discarding = true;
    this.cells = [];
    this.cellLength = 0;
    if (this.cell.length > 256) this.cell = Buffer.alloc(256);
  }

  private fail(cellIndex: number | undefined, message: string): void {
    // The first problem is the one worth reporting; later ones are often its echo.
    if (this.error) return;
    this.error = cellIndex === undefined ? { message } : { cellIndex, message };
  }

  private endCell(): void {
    if (!this.discarding) {
      const text = decodeUtf8(this.cell, 0, this.cellLength, this.cellAscii);
      if (text === undefined) {
        this.fail(this.cells.length, 'invalid UTF-8');
        this.cells.push('');
      } else {
        this.cells.push(text);
      }
    }
    this.cellLength = 0;
    this.cellAscii = true;
  }

  private endRecord(): void {
    const blank = this.recordBytes === 0 && this.cells.length === 0 && this.cellLength === 0;
    if (!blank) {
      this.endCell();
      const record: RawCsvRecord = { line: this.recordLine, cells: this.cells };
      if (this.error) record.error = this.error;
      this.output.push(record);
    }
    this.state = State.CellStart;
    this.recordStarted = false;
    this.recordBytes = 0;
    this.cells = [];
    this.cellLength = 0;
    this.cellAscii = true;
    this.error = undefined;
    this.discarding = false;
  }
}

function isPlain(byte: number): boolean {
  return byte !== QUOTE && byte !== COMMA && byte !== CR && byte !== LF;
}
