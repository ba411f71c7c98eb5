import type { Corpus } from '../corpus.ts';
import { gradeOf, percent, scoreFromShare } from '../score.ts';
import type { CheckResult, Finding, Severity } from '../types.ts';

export interface JunkOptions {
  /** Rows with fewer characters (punctuation and spaces excluded) are too short to be a joke. */
  minChars: number;
  /** Robust z-score of log length beyond which a row is an outlier. */
  outlierZ: number;
  /** A run of one letter or digit this long counts as repeated characters ("哈哈哈哈哈哈", "nooooooo"). */
  repeatRun: number;
  /** Rows where letters and digits are less than this share of visible characters. */
  minLetterShare: number;
}

export const defaultJunkOptions: JunkOptions = {
  minChars: 4,
  outlierZ: 3.5,
  repeatRun: 6,
  minLetterShare: 0.5,
};

export type JunkProblem =
  'empty' | 'url-only' | 'too-short' | 'too-long' | 'markup' | 'repeated-characters' | 'few-letters';

const URLS = /(?:https?:\/\/|www\.)\S+/giu;
const HAS_URL = /(?:https?:\/\/|www\.)\S+/iu;
const MARKUP = /<\/?[a-z][a-z0-9]*(?:\s[^<>]*)?\/?>|&(?:[a-z]{2,8}|#\d{1,6}|#x[0-9a-f]{1,6});/iu;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
const SPACE = /\s/u;

/** Code points of text other than spaces, and how many of them are letters or digits. */
function countVisible(text: string): { visible: number; letters: number } {
  let visible = 0;
  let letters = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xdc00 && c <= 0xdfff) continue;
    if (c < 0x80) {
      if (c <= 0x20 || c === 0x7f) continue;
      visible++;
      if ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) letters++;
    } else if (c >= 0x4e00 && c <= 0x9fff) {
      visible++;
      letters++;
    } else {
      const ch = String.fromCodePoint(text.codePointAt(i) ?? c);
      if (SPACE.test(ch)) continue;
      visible++;
      if (LETTER_OR_DIGIT.test(ch)) letters++;
    }
  }
  return { visible, letters };
}

function codePointLength(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && !(c >= 0xdc00 && c <= 0xdfff)) n++;
  }
  return n;
}

const SEVERITY: Record<JunkProblem, Severity> = {
  empty: 'error',
  'url-only': 'error',
  'too-short': 'warning',
  'too-long': 'info',
  markup: 'warning',
  'repeated-characters': 'info',
  'few-letters': 'warning',
};

const DESCRIPTION: Record<JunkProblem, string> = {
  empty: 'is empty',
  'url-only': 'is only a link',
  'too-short': 'is very short',
  'too-long': 'is unusually long',
  markup: 'contains HTML markup or entities',
  'repeated-characters': 'repeats one character many times',
  'few-letters': 'is mostly symbols, not words',
};

const RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

function median(sorted: Float64Array): number {
  const n = sorted.length;
  if (n === 0) return 0;
  const mid = n >> 1;
  return n % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

function quantile(sorted: Float64Array, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

const LENGTH_BINS = [0, 20, 50, 100, 200, 500, 1000, Infinity];

export function checkJunk(corpus: Corpus, options: JunkOptions = defaultJunkOptions): CheckResult {
  const { rows } = corpus;
  const lengths = corpus.keys.map(codePointLength);
  const logs = Float64Array.from(lengths.filter((l) => l > 0).map((l) => Math.log(l))).sort();
  const med = median(logs);
  const mad = median(Float64Array.from(logs, (v) => Math.abs(v - med)).sort()) || 1e-9;
  // 1.4826 × MAD estimates the standard deviation for normal data; log length is roughly normal.
  const zOf = (len: number): number => (Math.log(len) - med) / (1.4826 * mad);
  const counts = new Map<JunkProblem, number>();
  const findings: Finding[] = [];
  let bad = 0;
  const repeated = new RegExp(`([\\p{L}\\p{N}])\\1{${options.repeatRun - 1},}`, 'u');
  rows.forEach((row, i) => {
    const problems: JunkProblem[] = [];
    const len = lengths[i] ?? 0;
    const { visible, letters } = countVisible(row.text);
    if (visible === 0) problems.push('empty');
    else if (HAS_URL.test(row.text) && row.text.replace(URLS, '').replace(/[\s\p{P}]/gu, '') === '')
      problems.push('url-only');
    else {
      if (letters > 0 && (len < options.minChars || zOf(len) < -options.outlierZ)) problems.push('too-short');
      if (zOf(len) > options.outlierZ) problems.push('too-long');
      if (MARKUP.test(row.text)) problems.push('markup');
      if (repeated.test(row.text)) problems.push('repeated-characters');
      if (visible >= 5 && letters / visible < options.minLetterShare) problems.push('few-letters');
    }
    if (problems.length === 0) return;
    for (const p of problems) counts.set(p, (counts.get(p) ?? 0) + 1);
    const severity = problems.map((p) => SEVERITY[p]).reduce((a, b) => (RANK[b] > RANK[a] ? b : a));
    if (severity !== 'info') bad++;
    findings.push({
      id: `junk:${findings.length}`,
      check: 'junk',
      rowIds: [row.id],
      severity,
      reason: `Line ${row.line} ${problems.map((p) => DESCRIPTION[p]).join(' and ')}${problems.includes('too-short') || problems.includes('too-long') ? ` (${len} characters)` : ''}.`,
      fix: severity === 'info' ? 'review' : 'drop-rows',
      extra: { problems },
    });
  });
  const histogram = new Array<number>(LENGTH_BINS.length - 1).fill(0);
  for (const len of lengths) {
    const bin = LENGTH_BINS.findIndex((edge, b) => len >= edge && len < (LENGTH_BINS[b + 1] ?? Infinity));
    if (bin >= 0) histogram[bin] = (histogram[bin] ?? 0) + 1;
  }
  const share = rows.length ? bad / rows.length : 0;
  const score = scoreFromShare(share, 0.2);
  const kinds = Object.keys(DESCRIPTION) as JunkProblem[];
  const sortedLengths = Float64Array.from(lengths).sort();
  return {
    check: 'junk',
    title: 'Junk and outliers',
    score,
    grade: gradeOf(score),
    summary:
      findings.length === 0
        ? 'No empty, broken or outlier rows.'
        : `${bad} rows (${percent(share)}) are empty, links, markup, symbols or too short; ${findings.length - bad} more are only unusual.`,
    findings,
    charts: [
      {
        kind: 'bars',
        id: 'length-histogram',
        title: 'Text length (characters, punctuation and spaces excluded)',
        xLabel: 'characters',
        yLabel: 'rows',
        categories: ['<20', '20–49', '50–99', '100–199', '200–499', '500–999', '1000+'],
        series: [{ name: 'rows', values: histogram }],
      },
      {
        kind: 'bars',
        id: 'junk-problems',
        title: 'Problems found',
        xLabel: 'problem',
        yLabel: 'rows',
        categories: kinds,
        series: [{ name: 'rows', values: kinds.map((k) => counts.get(k) ?? 0) }],
      },
    ],
    stats: {
      flagged: bad,
      share,
      medianLength: median(sortedLengths),
      p5Length: quantile(sortedLengths, 0.05),
      p95Length: quantile(sortedLengths, 0.95),
      shortBelow: Math.max(options.minChars, Math.ceil(Math.exp(med - options.outlierZ * 1.4826 * mad))),
      longAbove: Math.floor(Math.exp(med + options.outlierZ * 1.4826 * mad)),
    },
  };
}
