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

function randomCoefficients(count: number, seed: number): { mul: Uint32Array; add: Uint32Array } {
  const mul = new Uint32Array(count);
  const add = new Uint32Array(count);
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x9e3779b9) >>> 0;
    return mix32(state);
  };
  for (let i = 0; i < count; i++) {
    mul[i] = next() | 1;
    add[i] = next();
  }
  return { mul, add };
}

/** (texts × numHashes) MinHash signatures: signatures[t * numHashes + h]. */
export function minHashSignatures(sets: ShingleSets, count: number, options: MinHashOptions): Uint32Array {
  const h = options.numHashes;
  const { mul, add } = randomCoefficients(h, options.seed);
  const signatures = new Uint32Array(count * h).fill(0xffffffff);
  const { values, offsets } = sets;
  for (let t = 0; t < count; t++) {
    const base = t * h;
    const end = offsets[t + 1] ?? 0;
    for (let s = offsets[t] ?? 0; s < end; s++) {
      const x = values[s] ?? 0;
      for (let k = 0; k < h; k++) {
        const v = (Math.imul(mul[k] ?? 1, x) + (add[k] ?? 0)) >>> 0;
        if (v < (signatures[base + k] ?? 0)) signatures[base + k] = v;
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
