import { IngestError, describeFile } from './errors.ts';
import type { ColumnMapping } from './types.ts';

/** Lower-case letters and digits only (CJK kept), so "Is_Funny", "is funny" and "isFunny" compare equal. */
export function normaliseHeader(name: string): string {
  return name
    .replace(/^\uFEFF/, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, '');
}

/** In priority order: the first name found in a file's header wins. */
const TEXT_HEADERS = [
  'text',
  'joke',
  'jokes',
  'joketext',
  'content',
  'sentence',
  'body',
  'tweet',
  'post',
  'utterance',
  'comment',
  'headline',
  'question',
  'title',
  '内容',
  '文本',
  '笑话',
  '句子',
  '正文',
  '段子',
  '文本内容',
  '笑話',
  '標題',
  '标题',
].map(normaliseHeader);

const LABEL_HEADERS = [
  'label',
  'labels',
  'isfunny',
  'funny',
  'ishumor',
  'ishumour',
  'humor',
  'humour',
  'humorous',
  'class',
  'category',
  'categories',
  'type',
  'target',
  'rating',
  'score',
  'funniness',
  'y',
  '标签',
  '標籤',
  '类别',
  '類別',
  '类型',
  '分类',
  '是否幽默',
  '幽默',
  '幽默程度',
  '等级',
].map(normaliseHeader);

export function isKnownTextHeader(cell: string): boolean {
  return TEXT_HEADERS.includes(normaliseHeader(cell));
}

function isKnownHeader(cell: string): boolean {
  const name = normaliseHeader(cell);
  return name !== '' && (TEXT_HEADERS.includes(name) || LABEL_HEADERS.includes(name));
}

const NUMBER = /^\s*[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*$/;

export function looksNumeric(value: string): boolean {
  return NUMBER.test(value);
}

const MAX_HEADER_CELL = 40;

/**
 * A first row is a header when it names a known column, or when it looks like names (distinct, short,
 * non-numeric) sitting over data that does not look like names (numbers, or much longer text).
 */
export function detectHeader(first: string[], following: string[][]): boolean {
  if (first.some(isKnownHeader)) return true;
  const cells = first.map((c) => c.trim());
  const namesLike =
    cells.every((c) => c !== '' && c.length <= MAX_HEADER_CELL && !looksNumeric(c)) &&
    new Set(cells).size === cells.length;
  if (!namesLike || following.length === 0) return false;
  return cells.some((cell, col) => {
    const values = following.map((row) => row[col] ?? '').filter((v) => v.trim() !== '');
    if (values.length === 0) return false;
    const numeric = values.filter(looksNumeric).length;
    if (numeric >= 0.8 * values.length) return true;
    const lengths = values.map((v) => v.length).sort((a, b) => a - b);
    const median = lengths[Math.floor(lengths.length / 2)] ?? 0;
    return median >= 3 * cell.length && median >= 15;
  });
}

/** Names for a header-less file: column1, column2, … */
export function generatedColumnNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `column${i + 1}`);
}

/** Makes header names usable as keys: blanks get a position name, repeats get a suffix. */
export function uniqueColumnNames(cells: string[]): string[] {
  const seen = new Set<string>();
  return cells.map((cell, i) => {
    const base = cell.trim() === '' ? `column${i + 1}` : cell;
    let name = base;
    for (let n = 2; seen.has(name); n++) name = `${base}_${n}`;
    seen.add(name);
    return name;
  });
}

function findByName(columns: string[], known: string[], exclude: string | null): string | null {
  for (const wanted of known) {
    const hit = columns.find((c) => c !== exclude && normaliseHeader(c) === wanted);
    if (hit !== undefined) return hit;
  }
  return null;
}

interface ColumnProfile {
  name: string;
  filled: number;
  numericShare: number;
  meanLength: number;
  distinct: number;
  /** Share of values that are JSON objects or arrays (nested values from a JSON file), never joke text. */
  structuredShare: number;
}

function profileColumns(columns: string[], sample: Array<Record<string, string>>): ColumnProfile[] {
  return columns.map((name) => {
    const values = sample.map((r) => r[name] ?? '').filter((v) => v.trim() !== '');
    const numeric = values.filter(looksNumeric).length;
    const structured = values.filter((v) => /^[[{]/.test(v) && /[\]}]$/.test(v)).length;
    const total = values.reduce((sum, v) => sum + v.length, 0);
    return {
      name,
      filled: values.length,
      numericShare: values.length ? numeric / values.length : 0,
      meanLength: values.length ? total / values.length : 0,
      distinct: new Set(values.map((v) => v.trim())).size,
      structuredShare: values.length ? structured / values.length : 0,
    };
  });
}

function guessTextByContent(profiles: ColumnProfile[]): string | null {
  let best: ColumnProfile | null = null;
  for (const p of profiles) {
    if (p.filled === 0 || p.numericShare > 0.5 || p.structuredShare > 0.5) continue;
    if (!best || p.meanLength > best.meanLength) best = p;
  }
  return best?.name ?? null;
}

/** A label column repeats a few short values; an id column is all distinct and is never a label. */
function guessLabelByContent(profiles: ColumnProfile[], text: string): string | null {
  let best: ColumnProfile | null = null;
  for (const p of profiles) {
    if (p.name === text || p.filled === 0 || p.meanLength > 20) continue;
    const maxDistinct = Math.max(2, Math.min(20, Math.ceil(p.filled * 0.1)));
    if (p.distinct > maxDistinct || p.distinct === p.filled) continue;
    if (!best || p.distinct < best.distinct) best = p;
  }
  return best?.name ?? null;
}

const SAMPLE_ROWS = 2000;

/**
 * Guesses which column holds the joke and which the label: known header names first, then content
 * (the longest non-numeric column is the text; a short low-cardinality column is the label).
 * Any part of `override` replaces the guess; names must exist in `columns`.
 */
export function guessMapping(
  columns: string[],
  records: Array<Record<string, string>>,
  hasHeader: boolean,
  override: Partial<ColumnMapping> | undefined,
  fileName: string | undefined,
): ColumnMapping {
  const file = describeFile(fileName);
  for (const name of [override?.text, override?.label, ...(override?.extra ?? [])]) {
    if (name != null && !columns.includes(name)) {
      throw new IngestError(
        'unknown-column',
        `${file} has no column named "${name}"; its columns are ${columns.map((c) => `"${c}"`).join(', ')}.`,
      );
    }
  }
  const profiles = profileColumns(columns, records.slice(0, SAMPLE_ROWS));
  const text =
    override?.text ??
    (hasHeader ? findByName(columns, TEXT_HEADERS, null) : null) ??
    guessTextByContent(profiles);
  if (text === null && columns.length === 0) {
    throw new IngestError(
      'no-text-column',
      `${file} has records but no fields in them, so there is no text to read.`,
    );
  }
  if (text === null) {
    throw new IngestError(
      'no-text-column',
      `${file} has no column that looks like joke text (columns: ${columns.map((c) => `"${c}"`).join(', ')}; all are empty or numeric). Choose the text column yourself, or check that the right delimiter was used.`,
    );
  }
  const label =
    override?.label !== undefined
      ? override.label
      : ((hasHeader ? findByName(columns, LABEL_HEADERS, text) : null) ??
        guessLabelByContent(profiles, text));
  const extra = override?.extra ?? columns.filter((c) => c !== text && c !== label);
  return { text, label, extra: extra.filter((c) => c !== text && c !== label) };
}
