import type { Corpus } from '../corpus.ts';
import { forEachCandidatePair } from '../lsh.ts';
import {
  defaultMinHashOptions,
  estimatedJaccard,
  jaccard,
  minHashSignatures,
  shingleSets,
  type MinHashOptions,
} from '../minhash.ts';
import { gradeOf, percent, scoreFromShare } from '../score.ts';
import type { CheckResult, Finding } from '../types.ts';
import { UnionFind } from '../union-find.ts';

export interface NearDuplicateOptions extends MinHashOptions {
  /** Character-shingle Jaccard similarity at or above which two texts are near duplicates. */
  threshold: number;
}

export const defaultNearDuplicateOptions: NearDuplicateOptions = { ...defaultMinHashOptions, threshold: 0.7 };

export interface NearDuplicateCluster {
  id: number;
  /** Row indices in row order; the first is the representative a fix keeps. */
  indices: number[];
  /** Jaccard similarity of each member to the representative (1 for exact copies). */
  similarities: number[];
  minSimilarity: number;
  meanSimilarity: number;
  /** True when every member has the same duplicate key: already covered by exact duplicates. */
  exactOnly: boolean;
}

/** Clusters of two or more rows whose texts are near duplicates, exact copies included, largest first. */
export function nearDuplicateClusters(
  corpus: Corpus,
  options: NearDuplicateOptions = defaultNearDuplicateOptions,
): NearDuplicateCluster[] {
  const uniqueOf = new Map<string, number>();
  const uniqueKeys: string[] = [];
  const uniqueIndexOfRow = new Int32Array(corpus.keys.length).fill(-1);
  corpus.keys.forEach((key, i) => {
    if (key === '') return;
    let u = uniqueOf.get(key);
    if (u === undefined) {
      u = uniqueKeys.length;
      uniqueOf.set(key, u);
      uniqueKeys.push(key);
    }
    uniqueIndexOfRow[i] = u;
  });
  const count = uniqueKeys.length;
  const sets = shingleSets(uniqueKeys, options);
  const signatures = minHashSignatures(sets, count, options);
  const components = new UnionFind(count);
  // The estimate's standard error at 64 hashes is about 0.06; a looser gate avoids losing true pairs.
  const estimateGate = options.threshold - 0.2;
  forEachCandidatePair(signatures, count, options.numHashes, options.bands, (a, b) => {
    if (components.find(a) === components.find(b)) return;
    if (estimatedJaccard(signatures, options.numHashes, a, b) < estimateGate) return;
    if (jaccard(sets, a, b) >= options.threshold) components.union(a, b);
  });

  const byRoot = new Map<number, number[]>();
  uniqueIndexOfRow.forEach((u, i) => {
    if (u < 0) return;
    const root = components.find(u);
    const list = byRoot.get(root);
    if (list === undefined) byRoot.set(root, [i]);
    else list.push(i);
  });
  const clusters: NearDuplicateCluster[] = [];
  for (const indices of byRoot.values()) {
    if (indices.length < 2) continue;
    const rep = uniqueIndexOfRow[indices[0] ?? 0] ?? 0;
    const similarities = indices.map((i) => {
      const u = uniqueIndexOfRow[i] ?? 0;
      return u === rep ? 1 : jaccard(sets, rep, u);
    });
    let min = 1;
    let sum = 0;
    for (let k = 1; k < similarities.length; k++) {
      const s = similarities[k] ?? 0;
      min = Math.min(min, s);
      sum += s;
    }
    const exactOnly = indices.every((i) => uniqueIndexOfRow[i] === rep);
    clusters.push({
      id: 0,
      indices,
      similarities,
      minSimilarity: min,
      meanSimilarity: sum / (indices.length - 1),
      exactOnly,
    });
  }
  clusters.sort((a, b) => b.indices.length - a.indices.length || (a.indices[0] ?? 0) - (b.indices[0] ?? 0));
  clusters.forEach((c, n) => (c.id = n));
  return clusters;
}

export function checkNearDuplicates(
  corpus: Corpus,
  clusters: NearDuplicateCluster[] = nearDuplicateClusters(corpus),
): CheckResult {
  const { rows } = corpus;
  const near = clusters.filter((c) => !c.exactOnly);
  const findings: Finding[] = near.map((cluster, n) => ({
    id: `near-duplicates:${n}`,
    check: 'near-duplicates',
    rowIds: cluster.indices.map((i) => rows[i]?.id ?? -1),
    severity: 'warning',
    reason:
      `${cluster.indices.length} rows are near copies of line ${rows[cluster.indices[0] ?? 0]?.line ?? '?'} ` +
      `(character overlap ${percent(cluster.minSimilarity)}–${percent(cluster.meanSimilarity)} mean); ` +
      'they teach the model the same joke several times.',
    fix: 'keep-one-per-cluster',
    extra: {
      clusterId: cluster.id,
      similarity: Math.round(cluster.meanSimilarity * 1000) / 1000,
      minSimilarity: Math.round(cluster.minSimilarity * 1000) / 1000,
      memberSimilarities: cluster.similarities.map((s) => Math.round(s * 1000) / 1000),
    },
  }));
  const redundant = near.reduce((sum, c) => sum + c.indices.length - 1, 0);
  const share = rows.length === 0 ? 0 : redundant / rows.length;
  const simBins = [0, 0, 0, 0];
  for (const c of near) {
    const s = c.meanSimilarity;
    const bin = s < 0.8 ? 0 : s < 0.9 ? 1 : s < 1 ? 2 : 3;
    simBins[bin] = (simBins[bin] ?? 0) + 1;
  }
  const score = scoreFromShare(share, 0.3);
  return {
    check: 'near-duplicates',
    title: 'Near duplicates',
    score,
    grade: gradeOf(score),
    summary:
      near.length === 0
        ? 'No near duplicates.'
        : `${near.length} clusters of near copies; keeping one per cluster removes ${redundant} rows (${percent(share)}).`,
    findings,
    charts: [
      {
        kind: 'bars',
        id: 'near-duplicate-similarity',
        title: 'Near-duplicate clusters by mean similarity',
        xLabel: 'similarity to the kept row',
        yLabel: 'clusters',
        categories: ['70–80%', '80–90%', '90–99%', '≈100%'],
        series: [{ name: 'clusters', values: simBins }],
      },
      {
        kind: 'table',
        id: 'near-duplicate-largest',
        title: 'Largest near-duplicate clusters',
        columns: ['cluster', 'rows', 'mean similarity', 'first line', 'text'],
        rows: near
          .slice(0, 10)
          .map((c) => [
            c.id,
            c.indices.length,
            Math.round(c.meanSimilarity * 100) / 100,
            rows[c.indices[0] ?? 0]?.line ?? 0,
            (rows[c.indices[0] ?? 0]?.text ?? '').slice(0, 80),
          ]),
      },
    ],
    stats: { clusters: near.length, redundantRows: redundant, redundantShare: share },
  };
}
