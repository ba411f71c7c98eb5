import {
  lineBreakEnd,
  stripLineBreak,
  yieldToEventLoop,
  type ReadControl,
  type SourceRecord,
} from './records.ts';
import type { RejectedRow } from './types.ts';

/** A JSON Lines record: one object, its values as strings. */
export interface ObjectRecord {
  line: number;
  raw: string;
  values: Record<string, string>;
}

export interface ObjectBatch {
  records: ObjectRecord[];
  rejected: RejectedRow[];
  blankLines: number;
  /** Every key seen, in first-seen order: the columns of a JSON Lines file. */
  keys: string[];
}

/** Strings stay verbatim; numbers and booleans become their JSON text; nested values stay JSON. */
export function cellText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null) return '';
  return JSON.stringify(value);
}

/** Calls `visit` for each physical line, yielding to the event loop every `chunkRows` lines. */
async function forEachLine(
  text: string,
  newline: '\n' | '\r',
  control: ReadControl,
  visit: (raw: string, line: number, start: number, end: number) => void,
  recordsSoFar: () => number,
): Promise<void> {
  let line = 1;
  let inChunk = 0;
  for (let start = 0; start < text.length; line++) {
    if (inChunk === 0) control.signal?.throwIfAborted();
    const end = lineBreakEnd(text, start, newline);
    visit(stripLineBreak(text.slice(start, end)), line, start, end);
    start = end;
    if (++inChunk >= control.chunkRows) {
      inChunk = 0;
      control.onChunk(start, recordsSoFar());
      await yieldToEventLoop();
    }
  }
  control.onChunk(text.length, recordsSoFar());
}

export async function readJsonLines(
  text: string,
  newline: '\n' | '\r',
  control: ReadControl,
): Promise<ObjectBatch> {
  const batch: ObjectBatch = { records: [], rejected: [], blankLines: 0, keys: [] };
  const seen = new Set<string>();
  const visit = (raw: string, line: number): void => {
    if (raw.trim() === '') {
      batch.blankLines++;
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      const detail = error instanceof Error ? error.message : 'unreadable';
      batch.rejected.push({
        line,
        raw,
        reasons: [{ code: 'invalid-json', message: `Not valid JSON: ${detail}.` }],
      });
      return;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      const what = Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`;
      batch.rejected.push({
        line,
        raw,
        reasons: [
          { code: 'not-an-object', message: `This line holds ${what}; each line must be one JSON object.` },
        ],
      });
      return;
    }
    const values: Record<string, string> = {};
    for (const [key, cell] of Object.entries(value as Record<string, unknown>)) {
      values[key] = cellText(cell);
      if (!seen.has(key)) {
        seen.add(key);
        batch.keys.push(key);
      }
    }
    batch.records.push({ line, raw, values });
  };
  await forEachLine(text, newline, control, visit, () => batch.records.length);
  return batch;
}

/** One joke per line, taken verbatim: no quoting rules, since plain text lists use quotes as punctuation. */
export async function readPlainLines(
  text: string,
  newline: '\n' | '\r',
  control: ReadControl,
): Promise<{ records: SourceRecord[]; blankLines: number }> {
  const records: SourceRecord[] = [];
  let blankLines = 0;
  const visit = (raw: string, line: number, start: number, end: number): void => {
    if (raw.trim() === '') blankLines++;
    else records.push({ line, start, end, fields: [raw], problems: [] });
  };
  await forEachLine(text, newline, control, visit, () => records.length);
  return { records, blankLines };
}
