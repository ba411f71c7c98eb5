import { escapeFormula } from './ingest/formula.ts';
import type { ColumnMapping, RejectedRow } from './ingest/types.ts';
import type { DatasetRow } from './types.ts';

export interface CsvExportOptions {
  delimiter?: ',' | ';' | '\t';
  /** A UTF-8 byte-order mark makes Excel open the file as UTF-8 instead of the system code page. Default true. */
  bom?: boolean;
  /** Default CRLF, as RFC 4180 and Excel write it. */
  lineEnding?: '\r\n' | '\n';
}

/**
 * Fields are quoted when they hold a quote, a line break, or any delimiter our importer might detect
 * (so detection on the exported file cannot be misled), or when they start or end with white space.
 */
const NEEDS_QUOTES = /["\r\n,;\t|]|^\s|\s$|^\uFEFF/;

function csvField(value: string): string {
  const safe = escapeFormula(value);
  return NEEDS_QUOTES.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function columnsOf(mapping: ColumnMapping): string[] {
  return [mapping.text, ...(mapping.label === null ? [] : [mapping.label]), ...mapping.extra];
}

function cellsOf(row: DatasetRow, mapping: ColumnMapping): string[] {
  const cells = [row.text];
  if (mapping.label !== null) cells.push(row.label ?? '');
  for (const column of mapping.extra) cells.push(row.extra[column] ?? '');
  return cells;
}

function writeCsv(table: string[][], options: CsvExportOptions): string {
  const delimiter = options.delimiter ?? ',';
  const eol = options.lineEnding ?? '\r\n';
  const body = table.map((cells) => cells.map(csvField).join(delimiter)).join(eol);
  return `${options.bom === false ? '' : '\uFEFF'}${body}${eol}`;
}

/**
 * The rows as CSV: header from the mapping (text, label, extras), every cell formula-escaped (see
 * ingest/formula.ts), quoted as needed. ingestFile reads the result back to the same text, label and extra.
 */
export function exportCsv(
  rows: readonly DatasetRow[],
  mapping: ColumnMapping,
  options: CsvExportOptions = {},
): string {
  return writeCsv([columnsOf(mapping), ...rows.map((row) => cellsOf(row, mapping))], options);
}

/** One JSON object per line, keys as the column names; no formula escaping, since spreadsheets do not open JSON. */
export function exportJsonl(rows: readonly DatasetRow[], mapping: ColumnMapping): string {
  const lines = rows.map((row) => {
    const record: Record<string, string | null> = { [mapping.text]: row.text };
    if (mapping.label !== null) record[mapping.label] = row.label;
    for (const column of mapping.extra) {
      const value = row.extra[column];
      if (value !== undefined) record[column] = value;
    }
    return JSON.stringify(record);
  });
  return lines.map((line) => `${line}\n`).join('');
}

/** The rejected rows for download: their line, why they were rejected, and the raw text as it stood in the file. */
export function exportRejectedCsv(rejected: readonly RejectedRow[], options: CsvExportOptions = {}): string {
  const table = rejected.map((r) => [
    String(r.line),
    r.reasons.map((reason) => reason.message).join(' '),
    r.raw,
  ]);
  return writeCsv([['line', 'reason', 'raw'], ...table], options);
}

/** Bytes for a download or a file write: UTF-8, as the importer reads it. */
export function encodeUtf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}
