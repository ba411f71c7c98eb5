import Papa from 'papaparse';
import { IngestError, describeFile } from './errors.ts';
import { isKnownTextHeader } from './mapping.ts';
import type { Delimiter, FileFormat } from './types.ts';

export const CANDIDATE_DELIMITERS: readonly Delimiter[] = [',', ';', '\t', '|'];

export interface Dialect {
  format: FileFormat;
  /** For format 'json': the parsed document. */
  document?: unknown;
  /** null for JSON Lines, plain lines, and a CSV with a single column. */
  delimiter: Delimiter | null;
  /** The line break papaparse splits on; CRLF files use '\n' and the trailing '\r' is removed per row. */
  newline: '\n' | '\r';
}

const SAMPLE_CHARS = 1 << 16;
const SAMPLE_ROWS = 50;
/** Share of sampled rows that must agree on the field count (the first row among them) for a delimiter to be believed. */
const MIN_CONSISTENCY = 0.5;

function sampleOf(text: string): { sample: string; truncated: boolean } {
  if (text.length <= SAMPLE_CHARS) return { sample: text, truncated: false };
  const cut = text.lastIndexOf('\n', SAMPLE_CHARS);
  return { sample: text.slice(0, cut > 0 ? cut : SAMPLE_CHARS), truncated: true };
}

export function newlineOf(text: string): '\n' | '\r' {
  return text.includes('\n') || !text.includes('\r') ? '\n' : '\r';
}

interface DelimiterScore {
  delimiter: Delimiter;
  fields: number;
  consistency: number;
  quoteErrors: number;
  /** Whether the first row (usually the header) has the common field count. */
  firstAgrees: boolean;
}

function scoreDelimiter(
  sample: string,
  truncated: boolean,
  delimiter: Delimiter,
  newline: string,
): DelimiterScore {
  const parsed = Papa.parse<string[]>(sample, {
    delimiter,
    newline: newline as '\n' | '\r',
    quoteChar: '"',
    escapeChar: '"',
    fastMode: false,
    skipEmptyLines: 'greedy',
    preview: SAMPLE_ROWS + 1,
  });
  const rows = truncated && parsed.data.length > 1 ? parsed.data.slice(0, -1) : parsed.data;
  const tally = new Map<number, number>();
  for (const row of rows) tally.set(row.length, (tally.get(row.length) ?? 0) + 1);
  let fields = 0;
  let count = 0;
  for (const [n, c] of tally) {
    if (c > count || (c === count && n > fields)) {
      fields = n;
      count = c;
    }
  }
  const quoteErrors = parsed.errors.filter((e) => e.type === 'Quotes').length;
  const consistency = rows.length === 0 ? 0 : count / rows.length;
  return { delimiter, fields, consistency, quoteErrors, firstAgrees: rows[0]?.length === fields };
}

function extensionOf(fileName: string | undefined): string {
  const dot = fileName?.lastIndexOf('.') ?? -1;
  return dot >= 0 && fileName ? fileName.slice(dot + 1).toLowerCase() : '';
}

function firstNonBlankLine(text: string): string {
  for (let start = 0; start < text.length;) {
    const end = text.indexOf('\n', start);
    const line = text.slice(start, end === -1 ? text.length : end).trim();
    if (line) return line;
    if (end === -1) break;
    start = end + 1;
  }
  return '';
}

function parsesAsObject(line: string): boolean {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

/** The parsed document when the whole text is one JSON array or object (pretty-printed JSON), else undefined. */
function parseJsonDocument(text: string): unknown {
  const trimmed = text.trim();
  const wrapped =
    (trimmed.startsWith('[') && trimmed.endsWith(']')) || (trimmed.startsWith('{') && trimmed.endsWith('}'));
  if (!wrapped) return undefined;
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * The one delimiter that splits the first line into several cells, one of them a known text column name
 * ("id,joke,label"). This wins over row consistency, because unquoted delimiters inside jokes make rows
 * ragged; those rows are then repaired and flagged, not read as plain lines.
 */
function delimiterFromHeader(text: string, newline: string): Delimiter | null {
  const end = text.indexOf(newline);
  const first = end === -1 ? text : text.slice(0, end);
  const fits = CANDIDATE_DELIMITERS.filter((delimiter) => {
    const cells = first.split(delimiter).map((c) => c.replace(/^\s*"|"\s*$/g, ''));
    return cells.length >= 2 && cells.some(isKnownTextHeader);
  });
  return fits.length === 1 ? fits[0]! : null;
}

function detectDelimiter(text: string, fileName: string | undefined, newline: string): Delimiter | null {
  const fromHeader = delimiterFromHeader(text, newline);
  if (fromHeader) return fromHeader;
  const { sample, truncated } = sampleOf(text);
  const preferred: Delimiter | null = extensionOf(fileName) === 'tsv' ? '\t' : null;
  let best: DelimiterScore | null = null;
  for (const delimiter of CANDIDATE_DELIMITERS) {
    const score = scoreDelimiter(sample, truncated, delimiter, newline);
    if (score.fields < 2 || score.consistency < MIN_CONSISTENCY || !score.firstAgrees) continue;
    const better =
      !best ||
      score.consistency > best.consistency ||
      (score.consistency === best.consistency &&
        (delimiter === preferred ||
          (best.delimiter !== preferred &&
            (score.quoteErrors < best.quoteErrors ||
              (score.quoteErrors === best.quoteErrors && score.fields > best.fields)))));
    if (better) best = score;
  }
  return best?.delimiter ?? null;
}

/** Decides JSON Lines, a JSON document, delimited text (and which delimiter) or plain lines, unless the caller already chose. */
export function detectDialect(
  text: string,
  options: { fileName?: string; format?: FileFormat; delimiter?: Delimiter },
): Dialect {
  const newline = newlineOf(text);
  const ext = extensionOf(options.fileName);
  let format = options.format;
  if (!format && options.delimiter) format = 'csv';
  if (!format) {
    const first = firstNonBlankLine(text);
    if (ext === 'jsonl' || ext === 'ndjson' || (first.startsWith('{') && parsesAsObject(first)))
      format = 'jsonl';
  }
  if (!format || format === 'json') {
    const document = parseJsonDocument(text);
    if (document !== undefined) return { format: 'json', document, delimiter: null, newline };
    if (format === 'json') {
      throw new IngestError(
        'json-document',
        `${describeFile(options.fileName)} is not valid JSON: check it with a JSON validator, or load it as CSV or JSON Lines.`,
      );
    }
  }
  if (format === 'jsonl') return { format, delimiter: null, newline };
  if (format === 'lines') return { format, delimiter: null, newline };
  if (options.delimiter) return { format: 'csv', delimiter: options.delimiter, newline };

  const delimiter = detectDelimiter(text, options.fileName, newline);
  if (delimiter) return { format: 'csv', delimiter, newline };
  // One column: a CSV when its first line names the column (so quoted fields are honoured), else one joke per line.
  if (format === 'csv' || isKnownTextHeader(firstNonBlankLine(text)))
    return { format: 'csv', delimiter: null, newline };
  return { format: 'lines', delimiter: null, newline };
}
