/**
 * Packing of tokenized jokes into fixed-length training windows (no padding waste): each epoch shuffles
 * the jokes with a seeded permutation, concatenates them (every joke already ends in <|endofjoke|>) and
 * cuts the stream into windows of seq + 1 tokens; a window's first seq tokens are the input and its last
 * seq tokens the next-token labels. The position in the data is (epoch, window), so a run that stops
 * after any step resumes on exactly the window it would have read next.
 */
import { Rng } from '../runtime/rng.ts';

export interface DataPosition {
  epoch: number;
  window: number;
}

export interface Batch {
  /** [batch, seq] row-major. */
  inputIds: Int32Array;
  labels: Int32Array;
  /** The position to read from next. */
  next: DataPosition;
}

/** Fisher–Yates with a generator derived from (seed, epoch): the same epoch always gets the same order. */
export function epochOrder(count: number, seed: number, epoch: number): Uint32Array {
  const order = Uint32Array.from({ length: count }, (_, i) => i);
  const rng = Rng.seeded(seed, epoch + 1);
  for (let i = count - 1; i > 0; i--) {
    const j = rng.nextUint32() % (i + 1);
    const tmp = order[i] as number;
    order[i] = order[j] as number;
    order[j] = tmp;
  }
  return order;
}

/** Concatenates sequences in the given order into one stream. */
export function concatInOrder(sequences: readonly Int32Array[], order: ArrayLike<number>): Int32Array {
  let total = 0;
  for (const seq of sequences) total += seq.length;
  const stream = new Int32Array(total);
  let offset = 0;
  for (let i = 0; i < order.length; i++) {
    const seq = sequences[order[i] as number] as Int32Array;
    stream.set(seq, offset);
    offset += seq.length;
  }
  return stream;
}

export class PackedDataset {
  private cachedEpoch = -1;
  private stream: Int32Array = new Int32Array(0);

  constructor(
    private readonly sequences: readonly Int32Array[],
    readonly seq: number,
    private readonly seed: number,
  ) {
    if (!Number.isInteger(seq) || seq < 1) throw new RangeError(`seq must be a positive integer, got ${seq}`);
    const total = sequences.reduce((n, s) => n + s.length, 0);
    if (total < seq + 1)
      throw new RangeError(`the data holds ${total} tokens; one window of seq ${seq} needs ${seq + 1}`);
  }

  /** Windows per epoch; the stream's tail shorter than one window is skipped (it moves every epoch). */
  get windowsPerEpoch(): number {
    return Math.floor((this.streamFor(0).length - 1) / this.seq);
  }

  private streamFor(epoch: number): Int32Array {
    if (epoch !== this.cachedEpoch) {
      this.stream = concatInOrder(this.sequences, epochOrder(this.sequences.length, this.seed, epoch));
      this.cachedEpoch = epoch;
    }
    return this.stream;
  }

  /** Reads `batch` consecutive windows starting at `from`, rolling over into the next epoch. */
  batch(from: DataPosition, batch: number): Batch {
    const T = this.seq;
    const inputIds = new Int32Array(batch * T);
    const labels = new Int32Array(batch * T);
    let { epoch, window } = from;
    for (let b = 0; b < batch; b++) {
      if (window >= this.windowsPerEpoch) {
        epoch += 1;
        window = 0;
      }
      const stream = this.streamFor(epoch);
      const start = window * T;
      inputIds.set(stream.subarray(start, start + T), b * T);
      labels.set(stream.subarray(start + 1, start + T + 1), b * T);
      window += 1;
    }
    return { inputIds, labels, next: { epoch, window } };
  }
}

/** Every window of one stream in order (evaluation: no shuffling, no epochs). */
export function evaluationWindows(stream: Int32Array, seq: number, limit: number): Batch[] {
  const windows: Batch[] = [];
  const count = Math.min(limit, Math.floor((stream.length - 1) / seq));
  for (let w = 0; w < count; w++) {
    const start = w * seq;
    windows.push({
      inputIds: stream.slice(start, start + seq),
      labels: stream.slice(start + 1, start + seq + 1),
      next: { epoch: 0, window: w + 1 },
    });
  }
  return windows;
}
