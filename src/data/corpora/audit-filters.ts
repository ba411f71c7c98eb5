import { nearDuplicateClusters } from '../audit/checks/near-duplicates.ts';
import { prepareCorpus } from '../audit/corpus.ts';
import { checkSafety, type SafetyStrictness } from '../audit/safety.ts';
import type { DatasetRow } from '../types.ts';
import type { RowFilters } from './row-filters.ts';

/**
 * The project's audit checks as mix filters: MinHash near-duplicate clusters (character shingles,
 * Jaccard >= 0.7) and the lexicon safety filter at the given strictness ('standard' drops strong
 * profanity, sexual vulgarity, insults, slurs and threats, and insults aimed at identity groups).
 */
export function auditRowFilters(strictness: SafetyStrictness): RowFilters {
  return {
    nearDuplicateGroups: (texts) => {
      const rows: DatasetRow[] = texts.map((text, index) => ({
        id: index,
        line: index + 1,
        text,
        label: null,
        extra: {},
      }));
      return nearDuplicateClusters(prepareCorpus(rows)).map((cluster) => cluster.indices);
    },
    toxicity: (texts) =>
      texts.map((text) => {
        const verdict = checkSafety(text, strictness);
        return verdict.ok ? null : verdict.reasons.join('; ');
      }),
  };
}
