/**
 * Interpolated modified Kneser-Ney n-gram model over token ids (Chen & Goodman 1998: three discounts per
 * order, D1, D2 and D3+, estimated from counts of counts), the smoothed baseline the neural model is
 * measured against.
 *
 * Every sequence is padded on the left with order-1 BOS symbols (id = vocabSize, never predicted), so each
 * real token has a full history. The highest order uses raw counts; lower orders use continuation counts
 * (how many distinct tokens precede the n-gram), except n-grams that begin with BOS, which can only ever be
 * preceded by BOS and keep their raw counts. The lowest order interpolates with the uniform distribution
 * over the real vocabulary, so every token gets a probability above zero.
 *
 * Storage without hashing: an n-gram of order k is named by an integer id, the index of the key
 * (id of its (k-1)-token prefix) * (vocabSize + 1) + last token in a sorted array of unique keys. Keys stay
 * below 2^53 as long as an order has fewer than 2^53 / (vocabSize + 1) distinct n-grams, so they are exact
 * float64s; lookups are binary searches.
 */

export interface KneserNeyOptions {
  /** The n of the n-gram: 5 uses up to four tokens of history. */
  order: number;
}

interface OrderTable {
  /** Sorted unique keys: contextId * (vocabSize + 1) + token. */
  keys: Float64Array;
  /** Raw (highest order, or BOS-initial) or continuation count of each n-gram. */
  counts: Float64Array;
  /** Per context id (an n-gram id of the order below; 0 = the empty context for unigrams). */
  contextTotals: Float64Array;
  /** D1 * N1(h•) + D2 * N2(h•) + D3 * N3+(h•) per context: the mass set aside for the order below. */
  contextReserved: Float64Array;
  discounts: [number, number, number];
}

function lowerBound(sorted: Float64Array, key: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function find(sorted: Float64Array, key: number): number {
  const i = lowerBound(sorted, key);
  return i < sorted.length && sorted[i] === key ? i : -1;
}

function uniqueSorted(values: Float64Array): Float64Array {
  const sorted = Float64Array.from(values).sort();
  let n = 0;
  for (let i = 0; i < sorted.length; i++)
    if (i === 0 || sorted[i] !== sorted[n - 1]) sorted[n++] = sorted[i] as number;
  return sorted.slice(0, n);
}

/** Chen & Goodman's estimates from n1..n4 (how many n-grams have count 1..4), kept within [0, c]. */
export function modifiedDiscounts(countOfCounts: readonly number[]): [number, number, number] {
  const [n1 = 0, n2 = 0, n3 = 0, n4 = 0] = countOfCounts;
  if (n1 === 0 || n2 === 0 || n3 === 0) return [0.5, 1, 1.5];
  const y = n1 / (n1 + 2 * n2);
  const clamp = (d: number, c: number) => Math.min(Math.max(d, 0), c);
  return [clamp(1 - (2 * y * n2) / n1, 1), clamp(2 - (3 * y * n3) / n2, 2), clamp(3 - (4 * y * n4) / n3, 3)];
}

export class KneserNey {
  private constructor(
    readonly vocabSize: number,
    readonly order: number,
    private readonly tables: OrderTable[],
  ) {}

  /** Trains on token sequences (each one joke, say); ids must lie in [0, vocabSize). */
  static train(
    sequences: readonly ArrayLike<number>[],
    vocabSize: number,
    options: KneserNeyOptions = { order: 5 },
  ): KneserNey {
    const { order } = options;
    if (!Number.isInteger(order) || order < 1) throw new RangeError(`order must be >= 1, got ${order}`);
    const bos = vocabSize;
    const base = vocabSize + 1;
    const pad = order - 1;
    let total = 0;
    for (const s of sequences) total += s.length + pad;
    const stream = new Int32Array(total);
    // 1 where the position holds a real token (a training event), 0 on padding.
    const real = new Uint8Array(total);
    let offset = 0;
    sequences.forEach((s, index) => {
      stream.fill(bos, offset, offset + pad);
      offset += pad;
      for (let i = 0; i < s.length; i++) {
        const token = s[i] as number;
        if (!Number.isInteger(token) || token < 0 || token >= vocabSize)
          throw new RangeError(
            `sequence ${index}, position ${i}: token ${token} is not in [0, ${vocabSize})`,
          );
        stream[offset] = token;
        real[offset++] = 1;
      }
    });

    // ids[k - 1][i]: id of the k-gram ending at position i (grams at padding may span two sequences;
    // they are never counted, and every gram ending at a real token lies within its own sequence).
    const ids: Int32Array[] = [];
    const keyTables: Float64Array[] = [];
    for (let k = 1; k <= order; k++) {
      const prev = k === 1 ? null : (ids[k - 2] as Int32Array);
      const keys = new Float64Array(total);
      for (let i = 0; i < total; i++) {
        const context = prev === null ? 0 : i === 0 ? 0 : (prev[i - 1] as number);
        keys[i] = context * base + (stream[i] as number);
      }
      const unique = uniqueSorted(keys);
      if (unique.length * base >= Number.MAX_SAFE_INTEGER)
        throw new RangeError(`too many distinct ${k}-grams (${unique.length}) for exact keys`);
      ids.push(Int32Array.from(keys, (key) => lowerBound(unique, key)));
      keyTables.push(unique);
    }

    const tables: OrderTable[] = [];
    for (let k = 1; k <= order; k++) {
      const gramIds = ids[k - 1] as Int32Array;
      const keys = keyTables[k - 1] as Float64Array;
      const counts = new Float64Array(keys.length);
      const higher = k < order ? (ids[k] as Int32Array) : null;
      const seenHigher = higher ? new Uint8Array((keyTables[k] as Float64Array).length) : null;
      for (let i = 0; i < total; i++) {
        if (!real[i]) continue;
        const gram = gramIds[i] as number;
        const startsWithBos = stream[i - k + 1] === bos;
        if (!higher || !seenHigher || startsWithBos) counts[gram] = (counts[gram] as number) + 1;
        else if (!seenHigher[higher[i] as number]) {
          seenHigher[higher[i] as number] = 1;
          counts[gram] = (counts[gram] as number) + 1;
        }
      }
      const countOfCounts = [0, 0, 0, 0];
      for (const c of counts)
        if (c >= 1 && c <= 4) countOfCounts[c - 1] = (countOfCounts[c - 1] as number) + 1;
      const discounts = modifiedDiscounts(countOfCounts);
      const contexts = k === 1 ? 1 : (keyTables[k - 2] as Float64Array).length;
      const contextTotals = new Float64Array(contexts);
      const contextReserved = new Float64Array(contexts);
      for (let g = 0; g < keys.length; g++) {
        const c = counts[g] as number;
        if (c === 0) continue;
        const h = Math.floor((keys[g] as number) / base);
        contextTotals[h] = (contextTotals[h] as number) + c;
        contextReserved[h] = (contextReserved[h] as number) + (discounts[Math.min(c, 3) - 1] as number);
      }
      tables.push({ keys, counts, contextTotals, contextReserved, discounts });
    }
    return new KneserNey(vocabSize, order, tables);
  }

  /** The discounts (D1, D2, D3+) of order k (1-based). */
  discountsOf(k: number): readonly [number, number, number] {
    const table = this.tables[k - 1];
    if (!table) throw new RangeError(`order ${k} is not in 1..${this.order}`);
    return table.discounts;
  }

  /** P(token | history); only the last order-1 tokens of the history count, and a short one is BOS-padded. */
  probability(history: readonly number[], token: number): number {
    const pad = this.order - 1;
    const context = history.slice(Math.max(0, history.length - pad));
    const padded = [...new Array<number>(pad - context.length).fill(this.vocabSize), ...context, token];
    return this.probabilities(padded, pad)[0] as number;
  }

  /**
   * Natural-log probability of every token of `sequence` from position `from` on, each given the tokens
   * before it in the same sequence (BOS-padded at the start, as in training).
   */
  logProbabilities(sequence: ArrayLike<number>, from = 0): Float64Array {
    const pad = this.order - 1;
    const padded = new Array<number>(pad).fill(this.vocabSize);
    for (let i = 0; i < sequence.length; i++) padded.push(sequence[i] as number);
    return this.probabilities(padded, pad + from).map(Math.log);
  }

  private probabilities(padded: readonly number[], from: number): Float64Array {
    const base = this.vocabSize + 1;
    const n = padded.length;
    // gram[k - 1][i]: id of the k-gram ending at i, or -1 when training never saw it.
    const gram = this.tables.map(() => new Int32Array(n).fill(-1));
    for (let k = 1; k <= this.order; k++) {
      const table = this.tables[k - 1] as OrderTable;
      const ids = gram[k - 1] as Int32Array;
      for (let i = k - 1; i < n; i++) {
        const context = k === 1 ? 0 : ((gram[k - 2] as Int32Array)[i - 1] as number);
        if (context >= 0) ids[i] = find(table.keys, context * base + (padded[i] as number));
      }
    }
    const out = new Float64Array(Math.max(0, n - from));
    for (let i = from; i < n; i++) {
      const token = padded[i] as number;
      if (!Number.isInteger(token) || token < 0 || token >= this.vocabSize)
        throw new RangeError(`position ${i - from}: token ${token} is not in [0, ${this.vocabSize})`);
      let p = 1 / this.vocabSize;
      for (let k = 1; k <= this.order; k++) {
        const table = this.tables[k - 1] as OrderTable;
        const context = k === 1 ? 0 : ((gram[k - 2] as Int32Array)[i - 1] as number);
        if (context < 0) break;
        const totalCount = table.contextTotals[context] as number;
        if (totalCount === 0) continue;
        const id = (gram[k - 1] as Int32Array)[i] as number;
        const c = id >= 0 ? (table.counts[id] as number) : 0;
        const discounted = c > 0 ? c - (table.discounts[Math.min(c, 3) - 1] as number) : 0;
        p = discounted / totalCount + ((table.contextReserved[context] as number) / totalCount) * p;
      }
      out[i - from] = p;
    }
    return out;
  }
}
