import { IngestError, describeFile } from './errors.ts';
import { cellText, type ObjectBatch, type ObjectRecord } from './line-records.ts';
import { LineCounter } from './records.ts';
import type { RejectedRow } from './types.ts';

/** Where the rows of a JSON document are: the top-level array, or the array under one top-level key. */
interface RowArray {
  key: string | null;
  items: unknown[];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function findRowArray(document: unknown): RowArray | null {
  if (Array.isArray(document)) return { key: null, items: document };
  if (!isObject(document)) return null;
  for (const [key, value] of Object.entries(document)) {
    if (Array.isArray(value) && value.some(isObject)) return { key, items: value };
  }
  return null;
}

function skipString(text: string, at: number): number {
  let i = at + 1;
  while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
  return i + 1;
}

function skipSpace(text: string, at: number): number {
  let i = at;
  while (i < text.length && /\s/.test(text[i]!)) i++;
  return i;
}

/** Offset of the '[' that opens the row array: the document start, or the value of `key` in the top-level object. */
function arrayStart(text: string, key: string | null): number {
  const first = skipSpace(text, 0);
  if (key === null) return first;
  let depth = 0;
  for (let i = first; i < text.length;) {
    const ch = text[i]!;
    if (ch === '"') {
      const end = skipString(text, i);
      const after = skipSpace(text, end);
      if (depth === 1 && text[after] === ':' && JSON.parse(text.slice(i, end)) === key)
        return skipSpace(text, after + 1);
      i = end;
      continue;
    }
    if (ch === '{' || ch === '[') depth++;
    else if (ch === '}' || ch === ']') depth--;
    i++;
  }
  return -1;
}

/** Start and end offsets of each element of the array opening at `open`, found by a string-aware bracket scan. */
function elementSpans(text: string, open: number): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  let depth = 0;
  let start = -1;
  for (let i = open; i < text.length;) {
    const ch = text[i]!;
    if (ch === '"') {
      if (depth === 1 && start < 0) start = i;
      i = skipString(text, i);
      continue;
    }
    if (ch === '[' || ch === '{') {
      if (depth === 1 && start < 0) start = i;
      depth++;
    } else if (ch === ']' || ch === '}') {
      depth--;
      if (depth === 0) {
        if (start >= 0) spans.push([start, i]);
        break;
      }
    } else if (ch === ',' && depth === 1) {
      spans.push([start, i]);
      start = -1;
    } else if (depth === 1 && start < 0 && !/\s/.test(ch)) {
      start = i;
    }
    i++;
  }
  return spans.map(([s, e]) => {
    let end = e;
    while (end > s && /\s/.test(text[end - 1]!)) end--;
    return [s, end];
  });
}

/**
 * Reads a JSON document whose rows are an array of objects (top level, or under one key such as "jokes").
 * Each element keeps the line where it starts; elements that are not objects are rejected.
 */
export function readJsonDocument(text: string, document: unknown, fileName: string | undefined): ObjectBatch {
  const rows = findRowArray(document);
  if (!rows) {
    throw new IngestError(
      'json-document',
      `${describeFile(fileName)} is a JSON document without an array of objects, so it has no rows: save the jokes as an array of objects, as JSON Lines (one object per line) or as CSV.`,
    );
  }
  const open = arrayStart(text, rows.key);
  const spans = open >= 0 ? elementSpans(text, open) : [];
  const lines = new LineCounter(text, '\n');
  const batch: ObjectBatch = { records: [], rejected: [], blankLines: 0, keys: [] };
  const seen = new Set<string>();
  rows.items.forEach((item, index) => {
    const span = spans[index];
    const line = span ? lines.lineAt(span[0]) : 1;
    const raw = span ? text.slice(span[0], span[1]) : JSON.stringify(item);
    if (!isObject(item)) {
      const rejected: RejectedRow = {
        line,
        raw,
        reasons: [{ code: 'not-an-object', message: `Element ${index + 1} of the array is not an object.` }],
      };
      batch.rejected.push(rejected);
      return;
    }
    const values: Record<string, string> = {};
    for (const [key, value] of Object.entries(item)) {
      values[key] = cellText(value);
      if (!seen.has(key)) {
        seen.add(key);
        batch.keys.push(key);
      }
    }
    const record: ObjectRecord = { line, raw, values };
    batch.records.push(record);
  });
  return batch;
}
