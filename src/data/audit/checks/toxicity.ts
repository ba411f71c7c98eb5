import type { Corpus } from '../corpus.ts';
import { findToxicTerms, type ToxicCategory, type ToxicSeverity } from '../lexicons.ts';
import { gradeOf, percent, scoreFromShare } from '../score.ts';
import type { CheckResult, Finding, Severity } from '../types.ts';

export interface RowToxicity {
  maxSeverity: ToxicSeverity;
  labels: string[];
  categories: ToxicCategory[];
}

/** Per row: the toxic terms found (null when none). */
export function rowToxicity(corpus: Corpus): (RowToxicity | null)[] {
  return corpus.folded.map((folded, i) => {
    const matches = findToxicTerms(folded, corpus.tokens(i));
    if (matches.length === 0) return null;
    let maxSeverity: ToxicSeverity = 1;
    const labels = new Set<string>();
    const categories = new Set<ToxicCategory>();
    for (const m of matches) {
      if (m.payload.severity > maxSeverity) maxSeverity = m.payload.severity;
      labels.add(m.payload.label);
      categories.add(m.payload.category);
    }
    return { maxSeverity, labels: [...labels], categories: [...categories] };
  });
}

const SEVERITY: Record<ToxicSeverity, Severity> = { 1: 'info', 2: 'warning', 3: 'error' };
const WHAT: Record<ToxicSeverity, string> = {
  1: 'mild profanity or rude words',
  2: 'strong profanity, insults or sexual vulgarity',
  3: 'slurs, hate or threats',
};

/** Offensive rows are severity ≥ 2; mild words (severity 1) are listed but do not lower the score. */
export function checkToxicity(
  corpus: Corpus,
  toxicity: (RowToxicity | null)[] = rowToxicity(corpus),
): CheckResult {
  const { rows } = corpus;
  const findings: Finding[] = [];
  const byCategory = new Map<ToxicCategory, number>();
  const bySeverity = [0, 0, 0];
  let offensive = 0;
  toxicity.forEach((t, i) => {
    if (t === null) return;
    const row = rows[i];
    for (const c of t.categories) byCategory.set(c, (byCategory.get(c) ?? 0) + 1);
    bySeverity[t.maxSeverity - 1] = (bySeverity[t.maxSeverity - 1] ?? 0) + 1;
    if (t.maxSeverity >= 2) offensive++;
    findings.push({
      id: `toxicity:${findings.length}`,
      check: 'toxicity',
      rowIds: [row?.id ?? -1],
      severity: SEVERITY[t.maxSeverity],
      reason: `Line ${row?.line ?? '?'} contains ${WHAT[t.maxSeverity]} (${t.labels.join(', ')}).`,
      fix: t.maxSeverity >= 2 ? 'drop-toxic-rows' : 'review',
      extra: { toxicSeverity: t.maxSeverity, terms: t.labels, categories: t.categories },
    });
  });
  const share = rows.length === 0 ? 0 : offensive / rows.length;
  const score = scoreFromShare(share, 0.2);
  const categories: ToxicCategory[] = ['profanity', 'insult', 'sexual', 'violence', 'threat', 'slur'];
  return {
    check: 'toxicity',
    title: 'Toxicity and profanity',
    score,
    grade: gradeOf(score),
    summary:
      findings.length === 0
        ? 'No offensive words found.'
        : `${offensive} rows (${percent(share)}) contain strong profanity, insults, slurs or threats; ${bySeverity[0]} more have mild words.`,
    findings,
    charts: [
      {
        kind: 'bars',
        id: 'toxicity-categories',
        title: 'Rows by kind of offensive language',
        xLabel: 'category',
        yLabel: 'rows',
        categories,
        series: [{ name: 'rows', values: categories.map((c) => byCategory.get(c) ?? 0) }],
      },
      {
        kind: 'bars',
        id: 'toxicity-severity',
        title: 'Rows by worst severity',
        xLabel: 'severity',
        yLabel: 'rows',
        categories: ['mild', 'strong', 'slur / hate / threat'],
        series: [{ name: 'rows', values: bySeverity }],
      },
    ],
    stats: {
      offensiveRows: offensive,
      offensiveShare: share,
      mildRows: bySeverity[0] ?? 0,
      slurRows: bySeverity[2] ?? 0,
    },
  };
}
