import type { Corpus } from '../corpus.ts';
import { gradeOf, percent, scoreFromShare } from '../score.ts';
import type { CheckResult, Finding } from '../types.ts';
import type { DuplicateGroup } from './exact-duplicates.ts';
import type { NearDuplicateCluster } from './near-duplicates.ts';

interface LabelTally {
  counts: Map<string, number>;
  majority: string;
  labelled: number;
}

function tally(corpus: Corpus, indices: number[]): LabelTally | null {
  const counts = new Map<string, number>();
  let labelled = 0;
  for (const i of indices) {
    const cls = corpus.classes[i];
    if (cls === null || cls === undefined) continue;
    counts.set(cls, (counts.get(cls) ?? 0) + 1);
    labelled++;
  }
  if (counts.size < 2) return null;
  let majority = '';
  let best = -1;
  for (const [cls, n] of counts) if (n > best) [majority, best] = [cls, n];
  return { counts, majority, labelled };
}

function describe(counts: Map<string, number>): string {
  return [...counts].map(([cls, n]) => `${n}× "${cls}"`).join(', ');
}

/**
 * Same text (exact groups: error) or near-same text (near-duplicate clusters: warning) carrying
 * different labels. A near cluster already fully explained by an exact group is not repeated.
 */
export function checkLabelConflicts(
  corpus: Corpus,
  exactGroups: DuplicateGroup[],
  clusters: NearDuplicateCluster[],
): CheckResult {
  const { rows } = corpus;
  const findings: Finding[] = [];
  const inExactConflict = new Set<number>();
  const conflictRows = new Set<number>();
  const add = (indices: number[], t: LabelTally, exact: boolean): void => {
    const minority = indices.filter((i) => corpus.classes[i] !== null && corpus.classes[i] !== t.majority);
    for (const i of indices) conflictRows.add(i);
    findings.push({
      id: `label-conflicts:${findings.length}`,
      check: 'label-conflicts',
      rowIds: indices.map((i) => rows[i]?.id ?? -1),
      severity: exact ? 'error' : 'warning',
      reason:
        `${exact ? 'The same text' : 'Nearly the same text'} is labelled differently (${describe(t.counts)}) ` +
        `at lines ${indices
          .map((i) => rows[i]?.line ?? 0)
          .slice(0, 6)
          .join(', ')}; ` +
        `relabel the ${minority.length} minority row(s) to "${t.majority}" or drop them.`,
      fix: 'relabel-rows',
      extra: {
        suggestedLabel: corpus.rawLabelOf.get(t.majority) ?? t.majority,
        minorityRowIds: minority.map((i) => rows[i]?.id ?? -1),
        labels: [...t.counts.keys()],
      },
    });
  };
  for (const group of exactGroups) {
    const t = tally(corpus, group.indices);
    if (t === null) continue;
    group.indices.forEach((i) => inExactConflict.add(i));
    add(group.indices, t, true);
  }
  for (const cluster of clusters) {
    if (cluster.exactOnly) continue;
    const t = tally(corpus, cluster.indices);
    if (t === null) continue;
    const minority = cluster.indices.filter(
      (i) => corpus.classes[i] !== null && corpus.classes[i] !== t.majority,
    );
    if (minority.every((i) => inExactConflict.has(i))) continue;
    add(cluster.indices, t, false);
  }
  const labelled = corpus.classes.filter((c) => c !== null).length;
  const share = labelled === 0 ? 0 : conflictRows.size / labelled;
  const score = scoreFromShare(share, 0.1);
  const exactCount = findings.filter((f) => f.severity === 'error').length;
  return {
    check: 'label-conflicts',
    title: 'Conflicting labels',
    score,
    grade: gradeOf(score),
    summary:
      findings.length === 0
        ? 'No text carries two different labels.'
        : `${exactCount} identical and ${findings.length - exactCount} near-identical texts carry different labels (${percent(share)} of labelled rows).`,
    findings,
    charts: [],
    stats: {
      conflicts: findings.length,
      exactConflicts: exactCount,
      rowsInConflict: conflictRows.size,
      share,
    },
    ...(labelled === 0 ? { skipped: 'The dataset has no labels.' } : {}),
  };
}
