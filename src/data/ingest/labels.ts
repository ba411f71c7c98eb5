import { looksNumeric } from './mapping.ts';
import type { LabelScheme } from './types.ts';

interface BinaryPair {
  positive: readonly string[];
  negative: readonly string[];
}

/** Spellings of "funny" / "not funny" seen in humour datasets; compared lower-cased and trimmed. */
const BINARY_PAIRS: readonly BinaryPair[] = [
  { positive: ['1', '1.0'], negative: ['0', '0.0'] },
  { positive: ['1'], negative: ['-1'] },
  { positive: ['true', 't'], negative: ['false', 'f'] },
  { positive: ['yes', 'y'], negative: ['no', 'n'] },
  {
    positive: ['funny', 'humor', 'humour', 'humorous', 'joke', 'pun'],
    negative: [
      'not funny',
      'not_funny',
      'notfunny',
      'unfunny',
      'non-humor',
      'non_humor',
      'nonhumor',
      'not humor',
      'not_humor',
      'non-humour',
      'not humorous',
      'non-humorous',
      'not joke',
      'not a joke',
      'non-joke',
      'serious',
      'non-pun',
      'not pun',
    ],
  },
  {
    positive: ['是', '幽默', '有趣', '好笑', '笑话'],
    negative: ['否', '不幽默', '无趣', '不好笑', '非幽默', '不是笑话'],
  },
  { positive: ['pos', 'positive'], negative: ['neg', 'negative'] },
];

/** A binary scheme tolerates a few stray values (typos), which are then flagged; more than this share and it is not binary. */
const MAX_STRAY_SHARE = 0.05;

function tally(labels: Iterable<string | null>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const label of labels) {
    if (label === null) continue;
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  return counts;
}

function binaryScheme(counts: Map<string, number>, total: number): LabelScheme | null {
  for (const pair of BINARY_PAIRS) {
    const positive: string[] = [];
    const negative: string[] = [];
    let covered = 0;
    for (const [value, n] of counts) {
      const key = value.toLowerCase();
      if (pair.positive.includes(key)) positive.push(value);
      else if (pair.negative.includes(key)) negative.push(value);
      else continue;
      covered += n;
    }
    if (positive.length + negative.length === 0) continue;
    const stray = total - covered;
    if (stray <= MAX_STRAY_SHARE * total && counts.size - positive.length - negative.length <= 2) {
      return { kind: 'binary', positive, negative };
    }
  }
  return null;
}

/**
 * Classifies the label column from its values: binary when they are one of the known funny/not-funny
 * pairs, numeric when all are numbers (ratings), categorical otherwise. Raw values are kept in the rows;
 * the scheme says how to read them.
 */
export function classifyLabels(labels: Iterable<string | null>): LabelScheme {
  const counts = tally(labels);
  if (counts.size === 0) return { kind: 'none' };
  let total = 0;
  for (const n of counts.values()) total += n;
  const binary = binaryScheme(counts, total);
  if (binary) return binary;
  const values = [...counts.keys()];
  if (values.every(looksNumeric)) {
    const numbers = values.map(Number);
    return { kind: 'numeric', min: Math.min(...numbers), max: Math.max(...numbers) };
  }
  const categories = values.sort((a, b) => (counts.get(b) ?? 0) - (counts.get(a) ?? 0) || a.localeCompare(b));
  return { kind: 'categorical', categories };
}

/** 1 for funny, 0 for not funny, null when the scheme is not binary or the value is not one of its spellings. */
export function binaryValue(scheme: LabelScheme, label: string | null): 1 | 0 | null {
  if (scheme.kind !== 'binary' || label === null) return null;
  const key = label.toLowerCase();
  if (scheme.positive.some((p) => p.toLowerCase() === key)) return 1;
  if (scheme.negative.some((n) => n.toLowerCase() === key)) return 0;
  return null;
}

/** The label as the audit should compare it: "funny" / "not funny" for binary schemes, the trimmed value otherwise. */
export function canonicalLabel(scheme: LabelScheme, label: string | null): string | null {
  const binary = binaryValue(scheme, label);
  if (binary !== null) return binary === 1 ? 'funny' : 'not funny';
  return label;
}

export function fitsScheme(scheme: LabelScheme, label: string): boolean {
  return scheme.kind !== 'binary' || binaryValue(scheme, label) !== null;
}

/** Maps raw labels to classes for the audit (the shape of src/data/audit/labels.ts LabelSpec). */
export interface LabelClassifier {
  toClass(raw: string | null): string | null;
  /** "funny" for binary schemes, null otherwise. */
  positiveClass: string | null;
}

/**
 * The dataset's own label scheme as a classifier: a binary scheme maps its two spellings to "funny" and
 * "not funny" (so "1"/"-1" or "humor"/"non-humor" work whatever the file used); other labels map to themselves.
 */
export function labelClassifier(scheme: LabelScheme): LabelClassifier {
  return {
    toClass(raw) {
      const label = raw?.trim() ?? '';
      return label === '' ? null : canonicalLabel(scheme, label);
    },
    positiveClass: scheme.kind === 'binary' ? 'funny' : null,
  };
}
