import { foldText, hashRange, mix32 } from '../text.ts';

export interface HashedFeatureOptions {
  /** Feature space has 2^dimensionBits slots; collisions are the price of a fixed-size model. */
  dimensionBits: number;
  /** Character n-gram sizes for mostly-Chinese text (characters carry meaning, pairs are words). */
  hanNgrams: number[];
  /** Character n-gram sizes for other text, taken with spaces included, so word edges count. */
  otherNgrams: number[];
  /** Whole words (Latin and other spaced scripts) as extra features. */
  words: boolean;
  /** Only this many leading characters are used. */
  maxChars: number;
}

export const defaultFeatureOptions: HashedFeatureOptions = {
  dimensionBits: 18,
  hanNgrams: [1, 2],
  otherNgrams: [3],
  words: true,
  maxChars: 200,
};

/** Binary bag of hashed features, one row per text: row r owns indices[offsets[r], offsets[r + 1]), sorted and unique. Each present feature has value 1/sqrt(count), so every row has unit norm. */
export interface SparseFeatures {
  indices: Int32Array;
  offsets: Uint32Array;
  dimension: number;
}

const WORD = /[\p{L}\p{N}]+/gu;

function rowFeatures(foldedText: string, options: HashedFeatureOptions, mask: number, out: number[]): void {
  const folded = foldedText.replace(/\s+/g, ' ').trim().slice(0, options.maxChars);
  const padded = ` ${folded} `;
  let han = 0;
  for (let i = 0; i < folded.length; i++) {
    const c = folded.charCodeAt(i);
    if (c >= 0x3400 && c <= 0x9fff) han++;
  }
  const sizes = han >= 0.3 * folded.length ? options.hanNgrams : options.otherNgrams;
  for (const n of sizes) {
    const salt = mix32(n * 0x9e3779b1);
    for (let i = 0; i + n <= padded.length; i++) out.push(mix32(hashRange(padded, i, i + n) ^ salt) & mask);
  }
  if (options.words) {
    const salt = mix32(0x77777777);
    for (const m of folded.matchAll(WORD))
      if (m[0].length > 1) out.push(mix32(hashRange(m[0], 0, m[0].length) ^ salt) & mask);
  }
}

export function hashedFeatures(
  texts: readonly string[],
  options: HashedFeatureOptions = defaultFeatureOptions,
): SparseFeatures {
  return hashedFeaturesOfFolded(texts.map(foldText), options);
}

/** hashedFeatures for texts already passed through foldText. */
export function hashedFeaturesOfFolded(
  texts: readonly string[],
  options: HashedFeatureOptions = defaultFeatureOptions,
): SparseFeatures {
  const dimension = 2 ** options.dimensionBits;
  const mask = dimension - 1;
  const offsets = new Uint32Array(texts.length + 1);
  let indices = new Int32Array(Math.max(1024, texts.length * 64));
  let used = 0;
  const scratch: number[] = [];
  texts.forEach((text, r) => {
    scratch.length = 0;
    rowFeatures(text, options, mask, scratch);
    const row = Int32Array.from(scratch).sort();
    if (used + row.length > indices.length) {
      const grown = new Int32Array(Math.max(indices.length * 2, used + row.length));
      grown.set(indices.subarray(0, used));
      indices = grown;
    }
    let last = -1;
    for (const f of row) {
      if (f === last) continue;
      indices[used++] = f;
      last = f;
    }
    offsets[r + 1] = used;
  });
  return { indices: indices.slice(0, used), offsets, dimension };
}
