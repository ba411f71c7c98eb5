import { outOfFoldProbabilities } from '../classifier/cross-validate.ts';
import {
  defaultFeatureOptions,
  hashedFeaturesOfFolded,
  type HashedFeatureOptions,
} from '../classifier/features.ts';
import { defaultTrainOptions, type TrainOptions } from '../classifier/logistic-regression.ts';
import type { Corpus } from '../corpus.ts';
import { gradeOf, percent, scoreFromShare } from '../score.ts';
import type { CheckResult, Finding } from '../types.ts';

export interface LabelNoiseOptions {
  folds: number;
  features: HashedFeatureOptions;
  train: TrainOptions;
  /** A flagged row becomes a warning (not info) when p(suggested) − p(given) reaches this. */
  warningMargin: number;
}

export const defaultLabelNoiseOptions: LabelNoiseOptions = {
  folds: 5,
  features: defaultFeatureOptions,
  train: defaultTrainOptions,
  warningMargin: 0.5,
};

export interface LabelIssue {
  index: number;
  given: string;
  suggested: string;
  /** p(suggested) − p(given) from the out-of-fold model; higher is more certain. */
  margin: number;
}

export interface LabelNoiseAnalysis {
  classes: string[];
  /** Per class: the mean out-of-fold probability of that class over rows labelled with it. */
  thresholds: number[];
  /** Out-of-fold accuracy of the classifier (argmax vs given label). */
  accuracy: number;
  /** confidentJoint[given][suggested]: rows confidently counted in each cell. */
  confidentJoint: number[][];
  issues: LabelIssue[];
  labelled: number;
}

function skipped(reason: string): CheckResult {
  return {
    check: 'label-noise',
    title: 'Suspected label noise',
    score: 100,
    grade: 'A',
    summary: reason,
    findings: [],
    charts: [],
    stats: {},
    skipped: reason,
  };
}

/** Confident learning: flags rows whose out-of-fold probabilities confidently point to another class. */
export function analyseLabelNoise(
  corpus: Corpus,
  options: LabelNoiseOptions = defaultLabelNoiseOptions,
  onFold?: (done: number, total: number) => void,
): LabelNoiseAnalysis | string {
  const counts = new Map<string, number>();
  for (const c of corpus.classes) if (c !== null) counts.set(c, (counts.get(c) ?? 0) + 1);
  const classes = [...counts.keys()].filter((c) => (counts.get(c) ?? 0) >= options.folds).sort();
  if (classes.length < 2)
    return `Label noise needs at least two classes with ${options.folds} or more rows each; found ${classes.length}.`;
  const index = new Map(classes.map((c, i) => [c, i]));
  const labels = Int32Array.from(corpus.classes, (c) => (c === null ? -1 : (index.get(c) ?? -1)));
  const x = hashedFeaturesOfFolded(corpus.folded, options.features);
  const k = classes.length;
  const p = outOfFoldProbabilities(
    x,
    labels,
    classes,
    options.folds,
    options.features,
    options.train,
    onFold,
  );
  const sums = new Float64Array(k);
  const n = new Float64Array(k);
  let correct = 0;
  let labelled = 0;
  labels.forEach((y, r) => {
    if (y < 0) return;
    labelled++;
    sums[y] = (sums[y] ?? 0) + (p[r * k + y] ?? 0);
    n[y] = (n[y] ?? 0) + 1;
    let best = 0;
    for (let c = 1; c < k; c++) if ((p[r * k + c] ?? 0) > (p[r * k + best] ?? 0)) best = c;
    if (best === y) correct++;
  });
  const thresholds = Array.from(sums, (s, c) => s / Math.max(1, n[c] ?? 1));
  const confidentJoint = classes.map(() => new Array<number>(k).fill(0));
  const issues: LabelIssue[] = [];
  labels.forEach((y, r) => {
    if (y < 0) return;
    let pick = -1;
    for (let c = 0; c < k; c++) {
      const v = p[r * k + c] ?? 0;
      if (v >= (thresholds[c] ?? 1) && (pick < 0 || v > (p[r * k + pick] ?? 0))) pick = c;
    }
    if (pick < 0) return;
    const row = confidentJoint[y];
    if (row) row[pick] = (row[pick] ?? 0) + 1;
    if (pick !== y)
      issues.push({
        index: r,
        given: classes[y] ?? '',
        suggested: classes[pick] ?? '',
        margin: (p[r * k + pick] ?? 0) - (p[r * k + y] ?? 0),
      });
  });
  issues.sort((a, b) => b.margin - a.margin);
  return {
    classes,
    thresholds,
    accuracy: labelled ? correct / labelled : 0,
    confidentJoint,
    issues,
    labelled,
  };
}

export function checkLabelNoise(
  corpus: Corpus,
  options: LabelNoiseOptions = defaultLabelNoiseOptions,
  onFold?: (done: number, total: number) => void,
): CheckResult {
  const analysis = analyseLabelNoise(corpus, options, onFold);
  if (typeof analysis === 'string') return skipped(analysis);
  const { rows } = corpus;
  const findings: Finding[] = analysis.issues.map((issue, rank) => {
    const row = rows[issue.index];
    return {
      id: `label-noise:${rank}`,
      check: 'label-noise',
      rowIds: [row?.id ?? -1],
      severity: issue.margin >= options.warningMargin ? 'warning' : 'info',
      reason:
        `Line ${row?.line ?? '?'} is labelled "${issue.given}", but a classifier trained on the other rows ` +
        `is confident it is "${issue.suggested}" (by ${Math.round(issue.margin * 100)} points); check the label.`,
      fix: 'relabel-rows',
      extra: {
        margin: Math.round(issue.margin * 1000) / 1000,
        rank: rank + 1,
        suggestedLabel: corpus.rawLabelOf.get(issue.suggested) ?? issue.suggested,
        given: issue.given,
      },
    };
  });
  const share = analysis.labelled === 0 ? 0 : analysis.issues.length / analysis.labelled;
  const score = scoreFromShare(share, 0.3);
  return {
    check: 'label-noise',
    title: 'Suspected label noise',
    score,
    grade: gradeOf(score),
    summary: `${analysis.issues.length} rows (${percent(share)} of labelled) look mislabelled; out-of-fold accuracy ${percent(analysis.accuracy)}.`,
    findings,
    charts: [
      {
        kind: 'table',
        id: 'label-noise-confident-joint',
        title: 'Given label vs label the classifier is confident about',
        columns: ['given \\ suggested', ...analysis.classes],
        rows: analysis.classes.map((c, i) => [c, ...(analysis.confidentJoint[i] ?? [])]),
      },
      {
        kind: 'bars',
        id: 'label-noise-thresholds',
        title: 'Per-class confidence thresholds (mean self-confidence)',
        xLabel: 'class',
        yLabel: 'threshold',
        categories: analysis.classes,
        series: [{ name: 'threshold', values: analysis.thresholds.map((t) => Math.round(t * 1000) / 1000) }],
      },
    ],
    stats: {
      flagged: analysis.issues.length,
      share,
      outOfFoldAccuracy: analysis.accuracy,
      labelled: analysis.labelled,
    },
  };
}
