import { mix32 } from './text.ts';

const INDEX_BITS = 2 ** 21;
/** Buckets up to this size are verified pair by pair; larger ones (very common bands) only along a chain and a star. */
const ALL_PAIRS_LIMIT = 32;

/**
 * Calls visit(a, b) for candidate pairs: items that agree on every value of at least one band of
 * their MinHash signature. Each band is bucketed by sorting (band hash, item) keys, so memory stays
 * flat and time about linear in items.
 */
export function forEachCandidatePair(
  signatures: Uint32Array,
  count: number,
  numHashes: number,
  bands: number,
  visit: (a: number, b: number) => void,
): void {
  if (numHashes % bands !== 0)
    throw new Error(`MinHash: ${numHashes} hashes cannot be split into ${bands} equal bands.`);
  if (count >= INDEX_BITS)
    throw new Error(`Near-duplicate search supports up to ${INDEX_BITS - 1} distinct texts; got ${count}.`);
  const rowsPerBand = numHashes / bands;
  const keys = new Float64Array(count);
  const members: number[] = [];
  for (let band = 0; band < bands; band++) {
    for (let t = 0; t < count; t++) {
      let h = mix32(band + 0x632be5ab);
      const base = t * numHashes + band * rowsPerBand;
      for (let r = 0; r < rowsPerBand; r++) h = mix32(h ^ (signatures[base + r] ?? 0));
      keys[t] = h * INDEX_BITS + t;
    }
    keys.sort();
    let start = 0;
    while (start < count) {
      const bucket = Math.floor((keys[start] ?? 0) / INDEX_BITS);
      let end = start + 1;
      while (end < count && Math.floor((keys[end] ?? 0) / INDEX_BITS) === bucket) end++;
      if (end - start > 1) {
        members.length = 0;
        for (let k = start; k < end; k++) members.push((keys[k] ?? 0) % INDEX_BITS);
        visitBucket(members, visit);
      }
      start = end;
    }
  }
}

function visitBucket(members: number[], visit: (a: number, b: number) => void): void {
  const first = members[0] ?? 0;
  if (members.length <= ALL_PAIRS_LIMIT) {
    for (let i = 0; i < members.length; i++)
      for (let j = i + 1; j < members.length; j++) visit(members[i] ?? 0, members[j] ?? 0);
    return;
  }
  for (let i = 1; i < members.length; i++) {
    visit(first, members[i] ?? 0);
    if (i > 1) visit(members[i - 1] ?? 0, members[i] ?? 0);
  }
}
