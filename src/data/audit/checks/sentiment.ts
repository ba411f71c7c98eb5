import type { Corpus } from '../corpus.ts';
import { sentimentLexicons, type SentimentLexicon } from '../lexicons.ts';
import { gradeOf, scoreFromShare } from '../score.ts';
import { isHanToken } from '../text.ts';
import type { CheckResult, Finding } from '../types.ts';

/** How many following words (English) or characters (Chinese) a negator reaches. */
const NEGATION_SPAN_WORDS = 3;
const NEGATION_SPAN_CHARS = 4;
const NEGATED = -0.75;
const NEUTRAL_BAND = 0.1;

function englishSum(tokens: readonly string[], lex: SentimentLexicon): number {
  let sum = 0;
  let negation = 0;
  let boost = 1;
  for (const token of tokens) {
    if (isHanToken(token)) continue;
    if (lex.negators.has(token)) {
      negation = NEGATION_SPAN_WORDS + 1;
    } else {
      const factor = lex.intensifiers.get(token);
      const value = lex.words.get(token);
      if (factor !== undefined) boost = factor;
      else if (value !== undefined) {
        sum += value * boost * (negation > 0 ? NEGATED : 1);
        boost = 1;
      }
    }
    if (negation > 0) negation--;
  }
  return sum;
}

let hanStarts: Set<string> | null = null;

function chineseSum(folded: string, lex: SentimentLexicon): number {
  hanStarts ??= new Set(
    [...lex.words.keys(), ...lex.negators, ...lex.intensifiers.keys()].map((w) => w[0] ?? ''),
  );
  let sum = 0;
  let negatedUntil = -1;
  let boost = 1;
  let boostUntil = -1;
  let i = 0;
  while (i < folded.length) {
    if (!hanStarts.has(folded[i] ?? '')) {
      i++;
      continue;
    }
    let matched = 0;
    for (let len = Math.min(lex.maxLength, folded.length - i); len >= 1 && matched === 0; len--) {
      const piece = folded.slice(i, i + len);
      const value = lex.words.get(piece);
      if (value !== undefined) {
        sum += value * (i <= boostUntil ? boost : 1) * (i <= negatedUntil ? NEGATED : 1);
        matched = len;
      } else if (lex.negators.has(piece)) {
        negatedUntil = i + len + NEGATION_SPAN_CHARS - 1;
        matched = len;
      } else {
        const factor = lex.intensifiers.get(piece);
        if (factor !== undefined) {
          boost = factor;
          boostUntil = i + len + 1;
          matched = len;
        }
      }
    }
    i += Math.max(1, matched);
  }
  return sum;
}

/** Sentiment of one row in [-1, 1]: English words and Chinese words scored from the lexicons, with negation and intensifiers. */
export function sentimentOf(folded: string, tokens: readonly string[]): number {
  const { en, zh } = sentimentLexicons();
  const sum = englishSum(tokens, en) + chineseSum(folded, zh);
  return sum / Math.sqrt(sum * sum + 10);
}

export function rowSentiments(corpus: Corpus): Float32Array {
  return Float32Array.from(corpus.folded, (folded, i) => sentimentOf(folded, corpus.tokens(i)));
}

const BINS = [-1, -0.6, -0.2, 0.2, 0.6, 1.0001];
const BIN_NAMES = ['very negative', 'negative', 'neutral', 'positive', 'very positive'];

export function checkSentiment(
  corpus: Corpus,
  sentiments: Float32Array = rowSentiments(corpus),
): CheckResult {
  const { rows, classes } = corpus;
  const histogram = new Array<number>(BIN_NAMES.length).fill(0);
  const byClass = new Map<string, { sum: number; n: number; neg: number; neu: number; pos: number }>();
  sentiments.forEach((s, i) => {
    const bin = BINS.findIndex((edge, b) => s >= edge && s < (BINS[b + 1] ?? 2));
    if (bin >= 0) histogram[bin] = (histogram[bin] ?? 0) + 1;
    const cls = classes[i];
    if (cls === null || cls === undefined) return;
    const c = byClass.get(cls) ?? { sum: 0, n: 0, neg: 0, neu: 0, pos: 0 };
    c.sum += s;
    c.n++;
    if (s < -NEUTRAL_BAND) c.neg++;
    else if (s > NEUTRAL_BAND) c.pos++;
    else c.neu++;
    byClass.set(cls, c);
  });
  const names = [...byClass.keys()].sort();
  const means = names.map((c) => {
    const v = byClass.get(c);
    return v && v.n ? v.sum / v.n : 0;
  });
  const gap = means.length > 1 ? Math.max(...means) - Math.min(...means) : 0;
  const findings: Finding[] = [];
  if (gap >= 0.15) {
    const hi = names[means.indexOf(Math.max(...means))] ?? '';
    const lo = names[means.indexOf(Math.min(...means))] ?? '';
    findings.push({
      id: 'sentiment:0',
      check: 'sentiment',
      rowIds: [],
      severity: gap >= 0.3 ? 'warning' : 'info',
      reason: `"${hi}" rows are much more positive than "${lo}" rows (mean ${Math.max(...means).toFixed(2)} vs ${Math.min(...means).toFixed(2)}); a classifier may learn sentiment instead of humor.`,
      fix: 'review',
      extra: { gap },
    });
  }
  const score = scoreFromShare(gap, 0.6);
  const mean = sentiments.length ? sentiments.reduce((a, b) => a + b, 0) / sentiments.length : 0;
  const pct = (x: number, n: number): number => (n ? Math.round((1000 * x) / n) / 10 : 0);
  return {
    check: 'sentiment',
    title: 'Sentiment',
    score,
    grade: gradeOf(score),
    summary: `Mean sentiment ${mean.toFixed(2)} (−1 negative … 1 positive); ${names.length > 1 ? `largest gap between labels ${gap.toFixed(2)}` : 'no label comparison'}.`,
    findings,
    charts: [
      {
        kind: 'bars',
        id: 'sentiment-distribution',
        title: 'Sentiment of rows',
        xLabel: 'sentiment',
        yLabel: 'rows',
        categories: BIN_NAMES,
        series: [{ name: 'rows', values: histogram }],
      },
      {
        kind: 'bars',
        id: 'sentiment-by-label',
        title: 'Sentiment by label (% of the label’s rows)',
        xLabel: 'sentiment',
        yLabel: '% of rows',
        categories: ['negative', 'neutral', 'positive'],
        series: names.map((name) => {
          const c = byClass.get(name) ?? { n: 0, neg: 0, neu: 0, pos: 0 };
          return { name, values: [pct(c.neg, c.n), pct(c.neu, c.n), pct(c.pos, c.n)] };
        }),
      },
    ],
    stats: { meanSentiment: mean, labelGap: gap, rows: rows.length },
  };
}
