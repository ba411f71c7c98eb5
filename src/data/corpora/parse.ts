import Papa from 'papaparse';
import { CorpusFormatError } from './types.ts';

/** A data row of a delimited file: cells by header name, plus the 1-based line where the row starts. */
export interface DelimitedRow {
  line: number;
  cells: Record<string, string>;
}

/**
 * Parses CSV-like text with a header row (quoted fields may span lines). Header names are trimmed and a
 * leading byte-order mark is dropped, so `" text"` becomes `text` and a BOM-only first cell becomes `""`.
 */
export function parseDelimited(text: string, file: string, delimiter: ',' | ';'): DelimitedRow[] {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  let header: string[] | null = null;
  let previousCursor = 0;
  let line = 1;
  const rows: DelimitedRow[] = [];
  Papa.parse<string[]>(body, {
    delimiter,
    header: false,
    skipEmptyLines: false,
    step: (result) => {
      const startLine = line;
      line += countNewlines(body, previousCursor, result.meta.cursor);
      previousCursor = result.meta.cursor;
      const fields = result.data;
      if (result.errors.length > 0) {
        const first = result.errors[0];
        throw new CorpusFormatError(
          file,
          `line ${startLine}`,
          `CSV error ${first?.code ?? ''}: ${first?.message ?? ''}`,
        );
      }
      if (header === null) {
        header = fields.map((name) => name.trim());
        return;
      }
      if (fields.length === 1 && fields[0] === '') return;
      if (fields.length !== header.length) {
        throw new CorpusFormatError(
          file,
          `line ${startLine}`,
          `expected ${header.length} ${delimiter === ';' ? 'semicolon' : 'comma'}-separated fields (${header.join(', ')}), found ${fields.length}`,
        );
      }
      const cells: Record<string, string> = {};
      header.forEach((name, index) => {
        cells[name] = fields[index] ?? '';
      });
      rows.push({ line: startLine, cells });
    },
  });
  return rows;
}

function countNewlines(text: string, from: number, to: number): number {
  let count = 0;
  for (let index = from; index < to; index += 1) if (text.charCodeAt(index) === 10) count += 1;
  return count;
}

/** Non-empty lines with their 1-based line numbers; a trailing carriage return is removed. */
export function parseLines(text: string): { line: number; text: string }[] {
  const result: { line: number; text: string }[] = [];
  text.split('\n').forEach((raw, index) => {
    const value = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (value.trim() !== '') result.push({ line: index + 1, text: value });
  });
  return result;
}

/** Tab-separated text with a header line and no quoting (the Taiwan humour corpus). */
export function parseTabSeparated(text: string, file: string): DelimitedRow[] {
  const [headerLine, ...lines] = parseLines(text);
  if (headerLine === undefined)
    throw new CorpusFormatError(file, 'line 1', 'the file is empty; expected a header line');
  const header = headerLine.text.split('\t').map((name) => name.trim());
  return lines.map(({ line, text: value }) => {
    const fields = value.split('\t');
    if (fields.length !== header.length) {
      throw new CorpusFormatError(
        file,
        `line ${line}`,
        `expected ${header.length} tab-separated fields (${header.join(', ')}), found ${fields.length}`,
      );
    }
    const cells: Record<string, string> = {};
    header.forEach((name, index) => {
      cells[name] = fields[index] ?? '';
    });
    return { line, cells };
  });
}

/** Parses JSON, naming the file when it is malformed. */
export function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new CorpusFormatError(file, 'whole file', `not valid JSON (${(error as Error).message})`);
  }
}

/** Parses one JSON object per non-empty line. */
export function parseJsonLines(text: string, file: string): { line: number; value: unknown }[] {
  return parseLines(text).map(({ line, text: value }) => {
    try {
      return { line, value: JSON.parse(value) as unknown };
    } catch (error) {
      throw new CorpusFormatError(file, `line ${line}`, `not valid JSON (${(error as Error).message})`);
    }
  });
}

/** Reads a string field of a JSON object, or fails naming the record and field. */
export function stringField(value: unknown, field: string, file: string, where: string): string {
  if (typeof value !== 'object' || value === null)
    throw new CorpusFormatError(file, where, 'expected a JSON object');
  const cell = (value as Record<string, unknown>)[field];
  if (typeof cell !== 'string')
    throw new CorpusFormatError(file, where, `field "${field}" is missing or not a string`);
  return cell;
}

/** Reads a cell of a delimited row, or fails naming the line and column. */
export function cell(row: DelimitedRow, column: string, file: string): string {
  const value = row.cells[column];
  if (value === undefined) throw new CorpusFormatError(file, `line ${row.line}`, `no column "${column}"`);
  return value;
}
