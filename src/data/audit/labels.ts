/**
 * How raw label strings map to classes. Ingestion owns the user's column mapping; until it hands
 * over its own normaliser, the audit uses this spec, and any caller can pass a different one.
 */
export interface LabelSpec {
  /** Maps a raw label (as written in the file, trimmed) to a class name; null means unlabeled. */
  toClass(raw: string | null): string | null;
  /** The class that means "funny", for funny-label rates; null when labels are not binary humor labels. */
  positiveClass: string | null;
}

export const FUNNY = 'funny';
export const NOT_FUNNY = 'not funny';

const POSITIVE = new Set([
  '1',
  'true',
  'yes',
  'y',
  'funny',
  'humor',
  'humour',
  'humorous',
  'joke',
  '是',
  '对',
  '幽默',
  '好笑',
  '搞笑',
]);
const NEGATIVE = new Set([
  '0',
  '-1',
  'false',
  'no',
  'n',
  'not funny',
  'not_funny',
  'unfunny',
  'not humor',
  'not_humor',
  '否',
  '不',
  '不幽默',
  '不好笑',
]);

/** Binary labels in their usual spellings (1/0, true/false, yes/no, 是/否) become "funny"/"not funny"; any other label is its own class. */
export const defaultLabelSpec: LabelSpec = {
  toClass(raw) {
    if (raw === null) return null;
    const trimmed = raw.trim();
    if (trimmed === '') return null;
    const lower = trimmed.normalize('NFKC').toLowerCase();
    if (POSITIVE.has(lower)) return FUNNY;
    if (NEGATIVE.has(lower)) return NOT_FUNNY;
    return trimmed;
  },
  positiveClass: FUNNY,
};
