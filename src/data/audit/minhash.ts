import { hashRange, mix32 } from './text.ts';

export interface MinHashOptions {
  /** Signature length; must equal bands × rowsPerBand. */
  numHashes: number;
  bands: number;
  /** Character n-gram size for mostly-Chinese text (no spaces, dense characters). */
  hanShingle: number;
  /** Character n-gram size for other text. */
  otherShingle: number;
  /** Only this many leading characters are shingled, so a few huge rows cannot dominate the run time. */
  maxChars: number;
  seed: number;
}

export const defaultMinHashOptions: MinHashOptions = {
  numHashes: 64,
  bands: 16,
  hanShingle: 3,
  otherShingle: 5,
  maxChars: 1000,
  seed: 0x5eed,
};

/** Shingle sets of many texts packed into one array: texts[i] owns values[offsets[i], offsets[i + 1]), sorted, unique. */
export interface ShingleSets {
  values: Uint32Array;
  offsets: Uint32Array;
}

function hanShare(text: string, limit: number): number {
  let han = 0;
  let other = 0;
  for (let i = 0; i < limit; i++) {
    const c = text.charCodeAt(i);
    if (c === 32) continue;
    if ((c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf)) han++;
    else other++;
  }
  return han + other === 0 ? 0 : han / (han + other);
}

export function shingleSets(texts: readonly string[], options: MinHashOptions): ShingleSets {
  const offsets = new Uint32Array(texts.length + 1);
  let capacity = 1024;
  let values = new Uint32Array(capacity);
  let used = 0;
  const scratch = new Uint32Array(Math.max(1, options.maxChars));
  texts.forEach((text, t) => {
    const limit = Math.min(text.length, options.maxChars);
    const n = hanShare(text, limit) >= 0.3 ? options.hanShingle : options.otherShingle;
    let count = 0;
    if (limit <= n) scratch[count++] = mix32(hashRange(text, 0, limit));
    else for (let i = 0; i + n <= limit; i++) scratch[count++] = mix32(hashRange(text, i, i + n));
    const row = scratch.subarray(0, count).sort();
    if (used + count > capacity) {
      while (used + count > capacity) capacity *= 2;
      const grown = new Uint32Array(capacity);
      grown.set(values.subarray(0, used));
      values = grown;
    }
    let last = -1;
    for (let i = 0; i < count; i++) {
      const v = row[i] ?? 0;
      if (v === last) continue;
      values[used++] = v;
      last = v;
    }
    offsets[t + 1] = used;
  });
  return { values: values.slice(0, used), offsets };
}

/** Exact Jaccard similarity of shingle sets a and b. */
export function jaccard(sets: ShingleSets, a: number, b: number): number {
  const { values, offsets } = sets;
  let i = offsets[a] ?? 0;
  const iEnd = offsets[a + 1] ?? 0;
  let j = offsets[b] ?? 0;
  const jEnd = offsets[b + 1] ?? 0;
  const sizeA = iEnd - i;
  const sizeB = jEnd - j;
  if (sizeA === 0 && sizeB === 0) return 1;
  let common = 0;
  while (i < iEnd && j < jEnd) {
    const x = values[i] ?? 0;
    const y = values[j] ?? 0;
    if (x === y) {
      common++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return common / (sizeA + sizeB - common);
}

/** Added per step when an empty bin borrows from a neighbour, so borrowed values differ from the neighbour's own. */
const ROTATION_STEP = 0x9e3779b1;

/**
 * (texts × numHashes) MinHash signatures, signatures[t * numHashes + h], by one-permutation hashing:
 * one hash per shingle picks a bin, a second independent hash is minimised within the bin, and empty
 * bins borrow from the next non-empty bin to the right (rotation densification). Two texts agree on a
 * bin with probability ≈ their Jaccard similarity, as with numHashes independent permutations, at one
 * hash per shingle instead of numHashes.
 */
export function minHashSignatures(sets: ShingleSets, count: number, options: MinHashOptions): Uint32Array {
  const k = options.numHashes;
  if (k < 1 || k > 65536) throw new Error(`MinHash: numHashes must be 1–65536; got ${k}.`);
  const binSeed = mix32(options.seed);
  const valueSeed = mix32(options.seed ^ 0x5bd1e995);
  const signatures = new Uint32Array(count * k);
  const filled = new Uint8Array(k);
  const { values, offsets } = sets;
  for (let t = 0; t < count; t++) {
    const base = t * k;
    filled.fill(0);
    const end = offsets[t + 1] ?? 0;
    for (let s = offsets[t] ?? 0; s < end; s++) {
      const x = values[s] ?? 0;
      const bin = (((mix32(x ^ binSeed) >>> 16) * k) >>> 16) % k;
      const v = mix32(x ^ valueSeed);
      if (filled[bin] === 0 || v < (signatures[base + bin] ?? 0)) {
        signatures[base + bin] = v;
        filled[bin] = 1;
      }
    }
    for (let b = 0; b < k; b++) {
      if (filled[b] === 1) continue;
      for (let step = 1; step < k; step++) {
        const from = (b + step) % k;
        if (filled[from] !== 1) continue;
        signatures[base + b] = ((signatures[base + from] ?? 0) + Math.imul(step, ROTATION_STEP)) >>> 0;
        break;
      }
    }
  }
  return signatures;
}

export function estimatedJaccard(signatures: Uint32Array, numHashes: number, a: number, b: number): number {
  let same = 0;
  const baseA = a * numHashes;
  const baseB = b * numHashes;
  for (let k = 0; k < numHashes; k++) if (signatures[baseA + k] === signatures[baseB + k]) same++;
  return same / numHashes;
}
