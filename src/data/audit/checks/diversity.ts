import { CountTable } from '../count-table.ts';
import type { Corpus } from '../corpus.ts';
import { gradeOf, percent, scoreFromShare } from '../score.ts';
import { hashString, isHanToken, mix32 } from '../text.ts';
import type { CheckResult, Finding } from '../types.ts';
import { ENGLISH_FUNCTION_WORDS, type Language } from './language.ts';
import type { NearDuplicateCluster } from './near-duplicates.ts';

const CHINESE_FUNCTION_CHARS = new Set([
  ...'的了是我你他她它们在有不这那就也都和说个一上么吗呢吧啊到要去来会着没很人',
]);
const TOP = 20;
const KEY_MASK = 0x7fffffff;

interface NgramStats {
  unigrams: CountTable;
  bigrams: CountTable;
  totalUnigrams: number;
  totalBigrams: number;
}

function emptyStats(): NgramStats {
  return { unigrams: new CountTable(), bigrams: new CountTable(), totalUnigrams: 0, totalBigrams: 0 };
}

export interface DistinctScores {
  distinct1: number;
  distinct2: number;
  vocabulary: number;
}

function distinct(s: NgramStats): DistinctScores {
  return {
    distinct1: s.totalUnigrams ? s.unigrams.size / s.totalUnigrams : 0,
    distinct2: s.totalBigrams ? s.bigrams.size / s.totalBigrams : 0,
    vocabulary: s.unigrams.size,
  };
}

function topEntries(
  count: (key: number) => number,
  names: Map<number, string>,
  skip: (name: string) => boolean,
): [string, number][] {
  return [...names]
    .filter(([, name]) => !skip(name))
    .map(([h, name]): [string, number] => [name, count(h)])
    .sort((a, b) => b[1] - a[1])
    .slice(0, TOP);
}

/**
 * Distinct-1/2 (words for English, characters for Chinese), per language group; vocabulary; most
 * frequent content words and bigrams; and how much of the data sits in the largest near-duplicate clusters.
 * N-grams are counted by 31-bit hash (collisions are negligible at these sizes); names are kept only
 * for n-grams seen three times or more, the only ones that can reach a top list.
 */
export function checkDiversity(
  corpus: Corpus,
  languages: Language[],
  clusters: NearDuplicateCluster[],
): CheckResult {
  const { rows } = corpus;
  const groups: Record<'en' | 'zh' | 'other', NgramStats> = {
    en: emptyStats(),
    zh: emptyStats(),
    other: emptyStats(),
  };
  const unigramNames = new Map<number, string>();
  const bigramNames = new Map<number, string>();
  rows.forEach((_, i) => {
    const lang = languages[i];
    const g = lang === 'en' ? groups.en : lang === 'zh' ? groups.zh : groups.other;
    let prev = -1;
    let prevToken = '';
    for (const token of corpus.tokens(i)) {
      const h = hashString(token) & KEY_MASK;
      const count = g.unigrams.increment(h);
      g.totalUnigrams++;
      if (count === 3 && !unigramNames.has(h)) unigramNames.set(h, token);
      if (prev >= 0) {
        const b = mix32(prev ^ mix32(h + 0x9e3779b9)) & KEY_MASK;
        const bc = g.bigrams.increment(b);
        g.totalBigrams++;
        if (bc === 3 && !bigramNames.has(b))
          bigramNames.set(
            b,
            isHanToken(token) && isHanToken(prevToken) ? prevToken + token : `${prevToken} ${token}`,
          );
      }
      prev = h;
      prevToken = token;
    }
  });
  const en = distinct(groups.en);
  const zh = distinct(groups.zh);
  const other = distinct(groups.other);
  const parts = [groups.en, groups.zh, groups.other];
  const sum = (f: (g: NgramStats) => number): number => parts.reduce((a, g) => a + f(g), 0);
  // Languages partition the rows; an n-gram used in two language groups is counted once per group.
  const all: DistinctScores = {
    distinct1:
      sum((g) => g.unigrams.size) /
      Math.max(
        1,
        sum((g) => g.totalUnigrams),
      ),
    distinct2:
      sum((g) => g.bigrams.size) /
      Math.max(
        1,
        sum((g) => g.totalBigrams),
      ),
    vocabulary: sum((g) => g.unigrams.size),
  };
  const total = (key: number, pick: (g: NgramStats) => CountTable): number =>
    parts.reduce((a, g) => a + pick(g).get(key), 0);
  const isStop = (w: string): boolean =>
    ENGLISH_FUNCTION_WORDS.has(w) || CHINESE_FUNCTION_CHARS.has(w) || /^\p{N}+$/u.test(w);
  const topWords = topEntries((h) => total(h, (g) => g.unigrams), unigramNames, isStop);
  const topBigrams = topEntries(
    (h) => total(h, (g) => g.bigrams),
    bigramNames,
    () => false,
  );
  const largest = clusters.slice(0, 10);
  const inLargest = largest.reduce((s, c) => s + c.indices.length, 0);
  const redundant = clusters.reduce((s, c) => s + c.indices.length - 1, 0);
  const n = rows.length || 1;
  const largestShare = inLargest / n;
  const findings: Finding[] = [];
  if (largest.length > 0 && largestShare >= 0.05)
    findings.push({
      id: 'diversity:0',
      check: 'diversity',
      rowIds: largest.flatMap((c) => c.indices.map((i) => rows[i]?.id ?? -1)),
      severity: largestShare >= 0.15 ? 'warning' : 'info',
      reason: `The 10 largest clusters of (near) copies hold ${percent(largestShare)} of all rows; the model will over-learn these few jokes.`,
      fix: 'keep-one-per-cluster',
      extra: { largestClusterShare: largestShare },
    });
  for (const [name, d] of [
    ['English', en],
    ['Chinese', zh],
  ] as const)
    if (d.vocabulary > 0 && d.distinct2 < 0.2)
      findings.push({
        id: `diversity:${findings.length}`,
        check: 'diversity',
        rowIds: [],
        severity: 'info',
        reason: `${name} rows reuse the same phrases: only ${percent(d.distinct2)} of ${name === 'English' ? 'word' : 'character'} pairs are distinct.`,
        fix: 'review',
        extra: { distinct2: d.distinct2 },
      });
  if (sum((g) => g.totalUnigrams) === 0)
    return {
      check: 'diversity',
      title: 'Diversity',
      score: 100,
      grade: 'A',
      summary: 'No words to measure.',
      findings: [],
      charts: [],
      stats: {},
      skipped: 'The rows contain no words.',
    };
  const redundancyScore = scoreFromShare(redundant / n, 0.5);
  const phraseScore = Math.min(100, Math.round(all.distinct2 * 200));
  const score = Math.round((redundancyScore + phraseScore) / 2);
  const round = (x: number): number => Math.round(x * 1000) / 1000;
  return {
    check: 'diversity',
    title: 'Diversity',
    score,
    grade: gradeOf(score),
    summary: `distinct-1 ${round(all.distinct1)}, distinct-2 ${round(all.distinct2)}, vocabulary ${all.vocabulary}; ${percent(redundant / n)} of rows are redundant copies.`,
    findings,
    charts: [
      {
        kind: 'table',
        id: 'diversity-distinct',
        title: 'Distinct n-grams by language (words for English, characters for Chinese)',
        columns: ['rows', 'distinct-1', 'distinct-2', 'vocabulary'],
        rows: [
          ['all', round(all.distinct1), round(all.distinct2), all.vocabulary],
          ['English', round(en.distinct1), round(en.distinct2), en.vocabulary],
          ['Chinese', round(zh.distinct1), round(zh.distinct2), zh.vocabulary],
          ['mixed and other', round(other.distinct1), round(other.distinct2), other.vocabulary],
        ],
      },
      {
        kind: 'table',
        id: 'diversity-top-words',
        title: 'Most frequent content words',
        columns: ['word', 'count'],
        rows: topWords,
      },
      {
        kind: 'table',
        id: 'diversity-top-bigrams',
        title: 'Most frequent bigrams',
        columns: ['bigram', 'count'],
        rows: topBigrams,
      },
    ],
    stats: {
      distinct1: all.distinct1,
      distinct2: all.distinct2,
      vocabulary: all.vocabulary,
      largestClustersShare: largestShare,
      redundantShare: redundant / n,
    },
  };
}
