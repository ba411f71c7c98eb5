/**
 * Classifier batches, length-bucketed: each epoch shuffles the rows with a seeded permutation, sorts each
 * run of BUCKET batches by length (so a batch holds rows of similar length and little padding), and pads
 * each batch to its longest row (right padding, attention_mask 0). The data position is (epoch, window)
 * with window = the index of the next batch in the epoch.
 */
import { epochOrder, type DataPosition } from './packing.ts';

export interface LabeledSequence {
  ids: Int32Array;
  classIndex: number;
}

export interface ClassifierBatch {
  /** [rows, seq] row-major. */
  inputIds: Int32Array;
  attentionMask: Int32Array;
  rows: number;
  seq: number;
  classIndex: Int32Array;
  /** Tokens that are not padding. */
  tokens: number;
  next: DataPosition;
}

const BUCKET = 8;

export function padBatch(items: readonly LabeledSequence[], next: DataPosition): ClassifierBatch {
  const seq = Math.max(...items.map((item) => item.ids.length));
  const rows = items.length;
  const inputIds = new Int32Array(rows * seq);
  const attentionMask = new Int32Array(rows * seq);
  let tokens = 0;
  items.forEach((item, r) => {
    inputIds.set(item.ids, r * seq);
    attentionMask.fill(1, r * seq, r * seq + item.ids.length);
    tokens += item.ids.length;
  });
  const classIndex = Int32Array.from(items, (item) => item.classIndex);
  return { inputIds, attentionMask, rows, seq, classIndex, tokens, next };
}

export class BucketedRows {
  private cachedEpoch = -1;
  private order: number[] = [];
  readonly batchesPerEpoch: number;

  constructor(
    private readonly items: readonly LabeledSequence[],
    private readonly batchSize: number,
    private readonly seed: number,
  ) {
    if (items.length === 0) throw new RangeError('the training split is empty');
    this.batchesPerEpoch = Math.ceil(items.length / batchSize);
  }

  private orderFor(epoch: number): number[] {
    if (epoch !== this.cachedEpoch) {
      const shuffled = Array.from(epochOrder(this.items.length, this.seed, epoch));
      const span = this.batchSize * BUCKET;
      const order: number[] = [];
      for (let start = 0; start < shuffled.length; start += span) {
        const run = shuffled.slice(start, start + span);
        run.sort((a, b) => (this.items[a]?.ids.length ?? 0) - (this.items[b]?.ids.length ?? 0) || a - b);
        order.push(...run);
      }
      this.order = order;
      this.cachedEpoch = epoch;
    }
    return this.order;
  }

  batch(from: DataPosition): ClassifierBatch {
    let { epoch, window } = from;
    if (window >= this.batchesPerEpoch) {
      epoch += 1;
      window = 0;
    }
    const order = this.orderFor(epoch);
    const picked = order
      .slice(window * this.batchSize, (window + 1) * this.batchSize)
      .map((i) => this.items[i] as LabeledSequence);
    return padBatch(picked, { epoch, window: window + 1 });
  }
}

/** Validation rows in batches (sorted by length for little padding), at most `limit` rows. */
export function validationClassifierBatches(
  items: readonly LabeledSequence[],
  limit: number,
  rows: number,
): ClassifierBatch[] {
  const kept = items.slice(0, limit);
  const order = kept
    .map((_, i) => i)
    .sort((a, b) => (kept[a]?.ids.length ?? 0) - (kept[b]?.ids.length ?? 0) || a - b);
  const batches: ClassifierBatch[] = [];
  for (let start = 0; start < order.length; start += rows) {
    const picked = order.slice(start, start + rows).map((i) => kept[i] as LabeledSequence);
    batches.push(padBatch(picked, { epoch: 0, window: batches.length + 1 }));
  }
  return batches;
}
