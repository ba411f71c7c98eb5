/**
 * Per-token negative log-likelihood of a causal language model, computed by one engine graph:
 *   inputs  input_ids [batch, seq] int32, labels [batch, seq] int32 (the next token at each position),
 *           and every weight of the parameter table
 *   output  nll [batch, seq] float32: -log softmax(logits)[label], as a stable log-sum-exp
 * Rows are right-padded; causal attention keeps pads out of every real position, and their scores are
 * simply not read.
 */
import type { ModelConfig } from '../engine/arch/config.ts';
import { forward, lmHead } from '../engine/arch/forward.ts';
import { noLora } from '../engine/arch/model.ts';
import { parameterTable } from '../engine/arch/params.ts';
import { Graph } from '../engine/builder.ts';
import { causalForwardInputs } from '../engine/graphs/train-lm.ts';
import { bindWeights } from '../engine/graphs/weights.ts';
import { readFloat32 } from '../runtime/tensors.ts';
import type { ModelSession, OrtTensor, TensorFactory } from '../runtime/types.ts';

export function buildTokenScoreGraph(config: ModelConfig): Graph {
  const g = new Graph();
  const weights = bindWeights(g, config, { kind: 'inputs' });
  const inputs = causalForwardInputs(g, config);
  const labels = g.input('labels', 'int32', ['batch', 'seq']);
  const { hidden } = forward(g, config, weights.lookup, noLora, inputs); // (N, C)
  const logits = lmHead(g, config, weights.lookup, hidden); // (N, V)
  const shifted = g.sub(logits, g.reduceMax(logits, [1], true)); // (N, V)
  const logSumExp = g.log(g.reduceSum(g.exp(shifted), [1], true)); // (N, 1)
  const picked = g.gatherElements(shifted, g.unsqueeze(g.reshape(labels, [-1]), [1]), 1); // (N, 1)
  g.output('nll', g.reshape(g.sub(logSumExp, picked), ['batch', 'seq']));
  return g;
}

/**
 * A stretch of one sequence the model reads at once: tokens [start, start + length) as input; the
 * predictions of tokens [scoreFrom, scoreTo) (absolute positions, each > start) are kept.
 */
export interface ScoreWindow {
  sequence: number;
  start: number;
  length: number;
  scoreFrom: number;
  scoreTo: number;
}

/**
 * Windows that score tokens [from, n) of each sequence with at most `context` tokens of input. A sequence
 * that fits is read in one window; a longer one in windows that move by `stride`, each scoring only tokens
 * not scored before, so every token after the first window sees at least context - stride earlier tokens.
 */
export function scoreWindows(
  lengths: readonly number[],
  from: number,
  context: number,
  stride: number,
): ScoreWindow[] {
  if (!(stride >= 1 && stride <= context - 1))
    throw new RangeError(`stride must lie in [1, context - 1], got ${stride} (context ${context})`);
  if (from < 1)
    throw new RangeError(`from must be >= 1 (token 0 has nothing to be predicted from), got ${from}`);
  const windows: ScoreWindow[] = [];
  lengths.forEach((n, sequence) => {
    if (n <= from) return;
    let scored = from;
    for (let start = 0; scored < n; start += stride) {
      const end = Math.min(n, start + context);
      if (end > scored)
        windows.push({ sequence, start, length: end - start, scoreFrom: scored, scoreTo: end });
      scored = end;
    }
  });
  return windows;
}

export interface ScoreOptions {
  /** Weight tensors by parameter-table name, bound once (see src/runtime/weights.ts). */
  weights: Readonly<Record<string, OrtTensor>>;
  tensors: TensorFactory;
  /** Longest input the model reads at once (its training sequence length is the fair choice). */
  context: number;
  stride: number;
  /** The first position scored in each sequence. */
  from: number;
  /** Windows per session run. */
  batchSize: number;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Natural-log probability the model gives each token of each sequence from position `from` on
 * (result[s][i] belongs to token from + i of sequence s).
 */
export async function scoreSequences(
  session: ModelSession,
  config: ModelConfig,
  sequences: readonly ArrayLike<number>[],
  options: ScoreOptions,
): Promise<Float64Array[]> {
  const { from, context, batchSize } = options;
  if (context > config.maxPositions)
    throw new RangeError(`context ${context} exceeds the model's ${config.maxPositions} positions`);
  const missing = parameterTable(config).find((s) => !(s.name in options.weights));
  if (missing) throw new Error(`scoreSequences: no weight tensor bound for "${missing.name}"`);
  const results = sequences.map((s) => new Float64Array(Math.max(0, s.length - from)));
  // Similar lengths share a batch, so little compute goes to padding.
  const windows = scoreWindows(
    sequences.map((s) => s.length),
    from,
    context,
    options.stride,
  ).sort((a, b) => a.length - b.length);
  for (let first = 0; first < windows.length; first += batchSize) {
    const batch = windows.slice(first, first + batchSize);
    const T = Math.max(...batch.map((w) => w.length));
    const B = batch.length;
    const ids = new Int32Array(B * T);
    const labels = new Int32Array(B * T);
    batch.forEach((w, b) => {
      const seq = sequences[w.sequence] as ArrayLike<number>;
      for (let t = 0; t < w.length; t++) {
        ids[b * T + t] = seq[w.start + t] as number;
        if (w.start + t + 1 < seq.length) labels[b * T + t] = seq[w.start + t + 1] as number;
      }
    });
    const out = await session.run(
      {
        ...options.weights,
        input_ids: options.tensors.int32(ids, [B, T]),
        labels: options.tensors.int32(labels, [B, T]),
      },
      ['nll'],
    );
    const nll = await readFloat32(out['nll'] as OrtTensor, `${session.label}: nll`);
    batch.forEach((w, b) => {
      const target = results[w.sequence] as Float64Array;
      // Position t of the window predicts token start + t + 1.
      for (let position = w.scoreFrom; position < w.scoreTo; position++)
        target[position - from] = -(nll[b * T + (position - 1 - w.start)] as number);
    });
    options.onProgress?.(Math.min(first + batchSize, windows.length), windows.length);
  }
  return results;
}
