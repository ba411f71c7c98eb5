import type { Corpus } from '../corpus.ts';
import { gradeOf, percent } from '../score.ts';
import type { CheckResult, Finding, Severity } from '../types.ts';

/** Class counts, the largest-to-smallest ratio, and class weights n / (classes × n_class) that would even it out. */
export function checkLabelBalance(corpus: Corpus): CheckResult {
  const { rows, classes } = corpus;
  const counts = new Map<string, number>();
  const unlabelled: number[] = [];
  classes.forEach((c, i) => {
    if (c === null) unlabelled.push(i);
    else counts.set(c, (counts.get(c) ?? 0) + 1);
  });
  const labelled = rows.length - unlabelled.length;
  const names = [...counts.keys()].sort((a, b) => (counts.get(b) ?? 0) - (counts.get(a) ?? 0));
  if (names.length === 0)
    return {
      check: 'label-balance',
      title: 'Label balance',
      score: 100,
      grade: 'A',
      summary: 'The dataset has no labels.',
      findings: [],
      charts: [],
      stats: { classes: 0 },
      skipped: 'The dataset has no labels.',
    };
  const largest = counts.get(names[0] ?? '') ?? 0;
  const smallest = counts.get(names[names.length - 1] ?? '') ?? 0;
  const ratio = smallest > 0 ? largest / smallest : Infinity;
  const weights = names.map(
    (c) => Math.round((labelled / (names.length * (counts.get(c) ?? 1))) * 1000) / 1000,
  );
  const findings: Finding[] = [];
  if (names.length === 1)
    findings.push({
      id: 'label-balance:0',
      check: 'label-balance',
      rowIds: [],
      severity: 'error',
      reason: `Every labelled row is "${names[0]}"; a classifier cannot learn anything from one class.`,
      fix: 'review',
    });
  else if (ratio >= 1.5) {
    const severity: Severity = ratio >= 10 ? 'error' : ratio >= 3 ? 'warning' : 'info';
    findings.push({
      id: `label-balance:${findings.length}`,
      check: 'label-balance',
      rowIds: [],
      severity,
      reason:
        `"${names[0]}" has ${ratio.toFixed(1)}× as many rows as "${names[names.length - 1]}"; ` +
        `train with class weights (${names.map((c, k) => `${c}: ${weights[k]}`).join(', ')}) or collect more of the rare class.`,
      fix: 'reweight-classes',
      extra: { classes: names, weights, ratio },
    });
  }
  if (unlabelled.length > 0)
    findings.push({
      id: `label-balance:${findings.length}`,
      check: 'label-balance',
      rowIds: unlabelled.map((i) => rows[i]?.id ?? -1),
      severity: 'warning',
      reason: `${unlabelled.length} rows (${percent(unlabelled.length / rows.length)}) have no label; they cannot be used for a classifier.`,
      fix: 'drop-rows',
    });
  const score = names.length === 1 ? 0 : Math.round(Math.max(0, Math.min(100, 100 - 25 * Math.log2(ratio))));
  return {
    check: 'label-balance',
    title: 'Label balance',
    score,
    grade: gradeOf(score),
    summary:
      names.length === 1
        ? `Only one class ("${names[0]}").`
        : `${names.length} classes; largest/smallest ratio ${ratio.toFixed(2)}.`,
    findings,
    charts: [
      {
        kind: 'bars',
        id: 'label-balance',
        title: 'Rows per class',
        xLabel: 'class',
        yLabel: 'rows',
        categories: unlabelled.length ? [...names, '(no label)'] : names,
        series: [
          {
            name: 'rows',
            values: [
              ...names.map((c) => counts.get(c) ?? 0),
              ...(unlabelled.length ? [unlabelled.length] : []),
            ],
          },
        ],
      },
    ],
    stats: { classes: names.length, imbalanceRatio: ratio, unlabelled: unlabelled.length },
  };
}
