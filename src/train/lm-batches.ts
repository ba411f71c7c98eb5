/**
 * Packed causal-LM batches with a loss mask: each epoch orders the jokes with the seeded permutation of
 * packing.ts, concatenates them and cuts windows of seq + 1 tokens. Alongside the token stream runs a
 * target stream (1 for joke tokens and <|endofjoke|>, 0 for the <|lang|><|control|> prefix), so the loss
 * counts joke tokens only and no position is padding. The data position is (epoch, window).
 */
import { epochOrder, type DataPosition } from './packing.ts';
import type { JokeTokens } from './sequences.ts';

export interface LmBatch {
  /** [batch, seq] row-major. */
  inputIds: Int32Array;
  labels: Int32Array;
  lossMask: Float32Array;
  /** Tokens that count in the loss. */
  targets: number;
  next: DataPosition;
}

interface Stream {
  ids: Int32Array;
  target: Uint8Array;
}

function concatJokes(jokes: readonly JokeTokens[], order: ArrayLike<number>): Stream {
  let total = 0;
  for (const joke of jokes) total += joke.ids.length;
  const ids = new Int32Array(total);
  const target = new Uint8Array(total);
  let offset = 0;
  for (let i = 0; i < order.length; i++) {
    const joke = jokes[order[i] as number] as JokeTokens;
    ids.set(joke.ids, offset);
    target.fill(1, offset + joke.prefix, offset + joke.ids.length);
    offset += joke.ids.length;
  }
  return { ids, target };
}

function windowInto(stream: Stream, start: number, seq: number, batch: LmBatch, row: number): void {
  const at = row * seq;
  batch.inputIds.set(stream.ids.subarray(start, start + seq), at);
  batch.labels.set(stream.ids.subarray(start + 1, start + seq + 1), at);
  for (let t = 0; t < seq; t++) {
    const on = stream.target[start + 1 + t] as number;
    batch.lossMask[at + t] = on;
    batch.targets += on;
  }
}

function emptyBatch(rows: number, seq: number, next: DataPosition): LmBatch {
  return {
    inputIds: new Int32Array(rows * seq),
    labels: new Int32Array(rows * seq),
    lossMask: new Float32Array(rows * seq),
    targets: 0,
    next,
  };
}

export class PackedJokes {
  private cachedEpoch = -1;
  private stream: Stream = { ids: new Int32Array(0), target: new Uint8Array(0) };
  readonly windowsPerEpoch: number;

  constructor(
    private readonly jokes: readonly JokeTokens[],
    readonly seq: number,
    private readonly seed: number,
  ) {
    const total = jokes.reduce((n, j) => n + j.ids.length, 0);
    if (total < seq + 1)
      throw new RangeError(
        `the training split holds ${total} tokens; one window of ${seq} tokens needs ${seq + 1}. Add rows or lower the max sequence length`,
      );
    this.windowsPerEpoch = Math.floor((total - 1) / seq);
  }

  private streamFor(epoch: number): Stream {
    if (epoch !== this.cachedEpoch) {
      this.stream = concatJokes(this.jokes, epochOrder(this.jokes.length, this.seed, epoch));
      this.cachedEpoch = epoch;
    }
    return this.stream;
  }

  /** `rows` consecutive windows from `from`, rolling over into the next epoch. */
  batch(from: DataPosition, rows: number): LmBatch {
    let { epoch, window } = from;
    const out = emptyBatch(rows, this.seq, from);
    for (let b = 0; b < rows; b++) {
      if (window >= this.windowsPerEpoch) {
        epoch += 1;
        window = 0;
      }
      windowInto(this.streamFor(epoch), window * this.seq, this.seq, out, b);
      window += 1;
    }
    out.next = { epoch, window };
    return out;
  }
}

/** Validation windows over the jokes in their given order (no shuffling), at most `limit`, `rows` per batch. */
export function validationLmBatches(
  jokes: readonly JokeTokens[],
  seq: number,
  limit: number,
  rows: number,
): LmBatch[] {
  const stream = concatJokes(
    jokes,
    jokes.map((_, i) => i),
  );
  const windows = Math.min(limit, Math.floor((stream.ids.length - 1) / seq));
  const batches: LmBatch[] = [];
  for (let w = 0; w < windows; w += rows) {
    const count = Math.min(rows, windows - w);
    const batch = emptyBatch(count, seq, { epoch: 0, window: w + count });
    for (let b = 0; b < count; b++) windowInto(stream, (w + b) * seq, seq, batch, b);
    batches.push(batch);
  }
  return batches;
}
