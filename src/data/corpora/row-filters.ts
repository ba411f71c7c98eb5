import type { MixRow, SourceStats } from './mix.ts';

/** Checks that look at all kept rows together (near duplicates) or need a lexicon (toxicity). */
export interface RowFilters {
  /** Groups of row indices whose texts are near duplicates; each group's first index is kept, the rest dropped. */
  nearDuplicateGroups?: (texts: readonly string[]) => number[][];
  /** For each text, why it is toxic, or null to keep it. */
  toxicity?: (texts: readonly string[]) => (string | null)[];
}

/**
 * Applies the filters to the rows `buildMix` kept, in the order it kept them (permissive sources first,
 * so they keep the representative of a near-duplicate group), and moves dropped rows from kept to
 * dropped in the per-source stats.
 */
export function applyRowFilters(
  rows: readonly MixRow[],
  stats: SourceStats[],
  filters: RowFilters,
): MixRow[] {
  const reasons = new Array<'near duplicate' | 'toxic (lexicon)' | null>(rows.length).fill(null);
  const texts = rows.map((row) => row.text);
  if (filters.toxicity !== undefined) {
    filters.toxicity(texts).forEach((reason, index) => {
      if (reason !== null) reasons[index] = 'toxic (lexicon)';
    });
  }
  if (filters.nearDuplicateGroups !== undefined) {
    for (const group of filters.nearDuplicateGroups(texts)) {
      const survivors = group.filter((index) => reasons[index] === null).sort((a, b) => a - b);
      for (const index of survivors.slice(1)) reasons[index] = 'near duplicate';
    }
  }
  const statsOf = new Map(stats.map((entry) => [entry.source, entry]));
  return rows.filter((row, index) => {
    const reason = reasons[index];
    if (reason === null || reason === undefined) return true;
    const entry = statsOf.get(row.source);
    if (entry === undefined) throw new Error(`row from ${row.source} has no stats entry`);
    entry.dropped[reason] = (entry.dropped[reason] ?? 0) + 1;
    entry.rowsKept -= 1;
    entry.kept[row.control === '<|funny|>' ? 'funny' : 'notFunny'] -= 1;
    entry.kept[row.split] -= 1;
    entry.kept.characters -= row.text.length;
    return false;
  });
}
