import type { Corpus } from '../corpus.ts';
import { gradeOf, percent, scoreFromShare } from '../score.ts';
import type { CheckResult, Finding } from '../types.ts';

export interface DuplicateGroup {
  /** Row indices into corpus.rows, in row order; the first is the one a fix keeps. */
  indices: number[];
  key: string;
}

/** Groups rows whose duplicate keys are equal; empty keys are junk, not duplicates. */
export function exactDuplicateGroups(corpus: Corpus): DuplicateGroup[] {
  const byKey = new Map<string, number[]>();
  corpus.keys.forEach((key, i) => {
    if (key === '') return;
    const list = byKey.get(key);
    if (list === undefined) byKey.set(key, [i]);
    else list.push(i);
  });
  const groups: DuplicateGroup[] = [];
  for (const [key, indices] of byKey) if (indices.length > 1) groups.push({ key, indices });
  groups.sort((a, b) => (a.indices[0] ?? 0) - (b.indices[0] ?? 0));
  return groups;
}

export function checkExactDuplicates(corpus: Corpus, groups = exactDuplicateGroups(corpus)): CheckResult {
  const { rows } = corpus;
  const findings: Finding[] = groups.map((group, n) => {
    const first = rows[group.indices[0] ?? 0];
    const lines = group.indices.map((i) => rows[i]?.line ?? 0);
    return {
      id: `exact-duplicates:${n}`,
      check: 'exact-duplicates',
      rowIds: group.indices.map((i) => rows[i]?.id ?? -1),
      severity: 'warning',
      reason:
        `${group.indices.length} rows have the same text once case, spacing, punctuation and full-width forms are ignored ` +
        `(lines ${lines.slice(0, 5).join(', ')}${lines.length > 5 ? ', …' : ''}); keep the first (line ${first?.line ?? '?'}).`,
      fix: 'drop-exact-duplicates',
      extra: { similarity: 1, clusterId: n },
    };
  });
  const extraCopies = groups.reduce((sum, g) => sum + g.indices.length - 1, 0);
  const share = rows.length === 0 ? 0 : extraCopies / rows.length;
  const sizeBuckets = ['2', '3', '4–9', '10+'];
  const sizeCounts = [0, 0, 0, 0];
  for (const g of groups) {
    const n = g.indices.length;
    const bucket = n === 2 ? 0 : n === 3 ? 1 : n < 10 ? 2 : 3;
    sizeCounts[bucket] = (sizeCounts[bucket] ?? 0) + 1;
  }
  const score = scoreFromShare(share, 0.3);
  return {
    check: 'exact-duplicates',
    title: 'Exact duplicates',
    score,
    grade: gradeOf(score),
    summary:
      groups.length === 0
        ? 'No exact duplicates.'
        : `${extraCopies} redundant copies in ${groups.length} groups (${percent(share)} of rows).`,
    findings,
    charts: [
      {
        kind: 'bars',
        id: 'exact-duplicate-group-sizes',
        title: 'Duplicate groups by size',
        xLabel: 'copies of the same text',
        yLabel: 'groups',
        categories: sizeBuckets,
        series: [{ name: 'groups', values: sizeCounts }],
      },
    ],
    stats: { groups: groups.length, redundantRows: extraCopies, redundantShare: share },
  };
}
