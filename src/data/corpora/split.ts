import { fnv1a32, normalisedKey } from './normalise.ts';

/** Share of rows, in thousandths, that go to validation. */
export const VALIDATION_PER_MILLE = 30;

export const SPLIT_RULE =
  'validation if fnv1a32(utf8(normalisedKey(text))) % 1000 < 30, else train; normalisedKey = NFKC, lower case, letters and digits only';

/**
 * Fixed train/validation assignment by a hash of the normalised text: the same text always lands in the
 * same split, whichever run, order or source it comes from, so exact duplicates never straddle the split.
 */
export function splitOf(text: string): 'train' | 'validation' {
  return fnv1a32(normalisedKey(text)) % 1000 < VALIDATION_PER_MILLE ? 'validation' : 'train';
}
