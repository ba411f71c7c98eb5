import Papa from 'papaparse';
import type { Delimiter, RejectedRow, RowReason } from './types.ts';

/** One record of the file before column mapping: its fields and where it stood. */
export interface SourceRecord {
  /** 1-based line where the record starts. */
  line: number;
  /** Offsets into the decoded text; `end` is past the record's line break. */
  start: number;
  end: number;
  fields: string[];
  problems: RowReason[];
}

export interface RecordBatch {
  records: SourceRecord[];
  rejected: RejectedRow[];
  blankLines: number;
}

export interface ReadControl {
  chunkRows: number;
  signal: AbortSignal | undefined;
  onChunk: (offset: number, recordsSoFar: number) => void;
}

/**
 * What papaparse's core Parser hands each step: one row, its errors, and the offset just past it. The core
 * Parser is used rather than Papa.parse because Papa.parse drops a leading U+FEFF from its input, which
 * would shift the offsets of a chunk that happens to start with one.
 */
interface CoreStep {
  data: string[][];
  errors: Papa.ParseError[];
  meta: { cursor: number };
}

/** The separator papaparse is given for a one-column CSV: the ASCII unit separator, never found in joke text. */
const NO_DELIMITER = '\u001F';
/** After this many unterminated quotes, quotes in the rest of the file are read as ordinary characters. */
const MAX_QUOTE_RECOVERIES = 10;
const YIELD_EVERY_RECOVERIES = 5;

export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Counts line breaks incrementally, so each record's line number costs only the text since the last one. */
export class LineCounter {
  private offset = 0;
  private line = 1;
  constructor(
    private readonly text: string,
    private readonly newline: '\n' | '\r',
  ) {}

  lineAt(offset: number): number {
    for (let i = this.text.indexOf(this.newline, this.offset); i !== -1 && i < offset;) {
      this.line++;
      i = this.text.indexOf(this.newline, i + 1);
    }
    this.offset = Math.max(this.offset, offset);
    return this.line;
  }
}

export function lineBreakEnd(text: string, from: number, newline: string): number {
  const at = text.indexOf(newline, from);
  return at === -1 ? text.length : at + newline.length;
}

export function stripLineBreak(raw: string): string {
  return raw.replace(/\r?\n$|\r$/, '');
}

/**
 * Papaparse splits CRLF files on '\n', so an unquoted last field keeps the '\r'; a quoted one does not
 * (papaparse treats it as space after the closing quote). The last field was unquoted exactly when the row
 * ends with its value right after a delimiter (or the row is that value alone); only then is the '\r' removed.
 */
function dropCarriageReturn(
  fields: string[],
  text: string,
  start: number,
  end: number,
  delimiter: string,
): void {
  const last = fields.length - 1;
  const value = fields[last];
  if (value === undefined || !value.endsWith('\r')) return;
  const raw = text.slice(start, end);
  const body = raw.endsWith('\n') ? raw.slice(0, -1) : raw;
  if (!body.endsWith(value)) return;
  const before = body.length - value.length;
  if (before === 0 || body.slice(before - delimiter.length, before) === delimiter)
    fields[last] = value.slice(0, -1);
}

function quoteProblems(errors: Papa.ParseError[]): { unterminated: boolean; malformed: boolean } {
  return {
    unterminated: errors.some((e) => e.code === 'MissingQuotes'),
    malformed: errors.some((e) => e.code === 'InvalidQuotes'),
  };
}

const MALFORMED: RowReason = {
  code: 'malformed-quotes',
  message:
    'A quoted field has text after its closing quote; the field was read up to the next valid closing quote.',
};

const UNTERMINATED: RowReason = {
  code: 'unterminated-quote',
  message:
    'A quoted field opens on this line and never closes; only this line was rejected and reading went on at the next line.',
};

const QUOTES_AS_TEXT: RowReason = {
  code: 'malformed-quotes',
  message: `After ${MAX_QUOTE_RECOVERIES} lines with unterminated quotes, quotes in the rest of the file were read as ordinary characters; check this row's fields.`,
};

/** A character absent from the text, given to papaparse as the quote so that quotes become ordinary text. */
function unusedCharacter(text: string): string {
  for (let code = 0xe000; ; code++) {
    const candidate = String.fromCharCode(code);
    if (!text.includes(candidate)) return candidate;
  }
}

interface ChunkOutcome {
  /** Offset where the next chunk starts. */
  next: number;
  /** Start of a record whose quote never closes, or -1. */
  unterminatedAt: number;
}

interface ChunkSettings {
  delimiter: string;
  newline: '\n' | '\r';
  quoteChar: string;
  chunkRows: number;
}

/** Parses records from `base` until `chunkRows` records, an unterminated quote, or the end of the text. */
function parseChunk(
  text: string,
  base: number,
  settings: ChunkSettings,
  lines: LineCounter,
  batch: RecordBatch,
): ChunkOutcome {
  const literalQuotes = settings.quoteChar !== '"';
  let consumed = 0;
  let inChunk = 0;
  let stoppedEarly = false;
  let unterminatedAt = -1;
  const parser: Papa.Parser = new Papa.Parser({
    delimiter: settings.delimiter,
    newline: settings.newline,
    quoteChar: settings.quoteChar,
    escapeChar: settings.quoteChar,
    fastMode: false,
    step: (step: unknown) => {
      const result = step as CoreStep;
      const start = base + consumed;
      consumed = result.meta.cursor;
      const end = base + consumed;
      const quotes = quoteProblems(result.errors);
      if (quotes.unterminated) {
        unterminatedAt = start;
        stoppedEarly = true;
        parser.abort();
        return;
      }
      const fields = result.data[0] ?? [''];
      dropCarriageReturn(fields, text, start, end, settings.delimiter);
      if (fields.length === 1 && fields[0]!.trim() === '') {
        if (end > start) batch.blankLines++;
      } else {
        const problems = quotes.malformed
          ? [MALFORMED]
          : literalQuotes && fields.some((f) => f.includes('"'))
            ? [QUOTES_AS_TEXT]
            : [];
        batch.records.push({ line: lines.lineAt(start), start, end, fields, problems });
      }
      if (++inChunk >= settings.chunkRows) {
        stoppedEarly = true;
        parser.abort();
      }
    },
  } as Papa.ParseConfig);
  parser.parse(base === 0 ? text : text.slice(base), 0, false);
  return { next: stoppedEarly ? base + consumed : text.length, unterminatedAt };
}

/**
 * Reads delimited records with papaparse in chunks of `chunkRows`, yielding to the event loop between
 * chunks so progress can be shown and an abort takes effect. A field whose quote never closes would
 * swallow the rest of the file; instead that one line is rejected and parsing resumes after it. Each such
 * recovery re-parses the rest of the file, so after MAX_QUOTE_RECOVERIES of them quotes are read as
 * ordinary characters for the remainder (those rows are flagged), which keeps the work linear.
 */
export async function readDelimitedRecords(
  text: string,
  delimiter: Delimiter | null,
  newline: '\n' | '\r',
  control: ReadControl,
): Promise<RecordBatch> {
  const batch: RecordBatch = { records: [], rejected: [], blankLines: 0 };
  const lines = new LineCounter(text, newline);
  const settings: ChunkSettings = {
    delimiter: delimiter ?? NO_DELIMITER,
    newline,
    quoteChar: '"',
    chunkRows: control.chunkRows,
  };
  let offset = 0;
  let recoveries = 0;
  while (offset < text.length) {
    control.signal?.throwIfAborted();
    const chunk = parseChunk(text, offset, settings, lines, batch);
    offset = chunk.next;
    if (chunk.unterminatedAt >= 0) {
      offset = lineBreakEnd(text, chunk.unterminatedAt, newline);
      const raw = stripLineBreak(text.slice(chunk.unterminatedAt, offset));
      batch.rejected.push({ line: lines.lineAt(chunk.unterminatedAt), raw, reasons: [UNTERMINATED] });
      if (++recoveries >= MAX_QUOTE_RECOVERIES) settings.quoteChar = unusedCharacter(text);
    }
    // Yield after a full chunk, or after every few quote recoveries (each re-parses the rest of the file).
    if (offset < text.length && (chunk.unterminatedAt < 0 || recoveries % YIELD_EVERY_RECOVERIES === 0)) {
      control.onChunk(offset, batch.records.length);
      await yieldToEventLoop();
    }
  }
  control.onChunk(text.length, batch.records.length);
  return batch;
}
