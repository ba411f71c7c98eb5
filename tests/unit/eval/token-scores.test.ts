import { bindModelWeights } from '../../../src/models/bind-weights.ts';
import { describe, expect, it } from 'vitest';
import { parseModelConfig } from '../../../src/engine/arch/config.ts';
import { initParameters } from '../../../src/engine/arch/init.ts';
import { exportOnnx } from '../../../src/engine/onnx/serialize.ts';
import { createDecoder, nextTokenProbabilities } from '../../../src/eval/decoder.ts';
import { buildTokenScoreGraph, scoreSequences, scoreWindows } from '../../../src/eval/token-scores.ts';
import { nodeRuntime } from '../../../src/runtime/ort-node.ts';

const config = parseModelConfig({
  model_type: 'llama',
  vocab_size: 37,
  hidden_size: 16,
  intermediate_size: 24,
  num_hidden_layers: 2,
  num_attention_heads: 4,
  num_key_value_heads: 2,
  max_position_embeddings: 32,
  tie_word_embeddings: true,
});

describe('scoreWindows', () => {
  it('scores every token from `from` on exactly once, each window within the context', () => {
    const lengths = [1, 2, 3, 8, 9, 20, 31];
    const windows = scoreWindows(lengths, 2, 8, 3);
    lengths.forEach((n, s) => {
      const scored: number[] = [];
      for (const w of windows.filter((x) => x.sequence === s)) {
        expect(w.length).toBeLessThanOrEqual(8);
        expect(w.start + w.length).toBeLessThanOrEqual(n);
        expect(w.scoreFrom).toBeGreaterThan(w.start);
        expect(w.scoreTo).toBe(w.start + w.length);
        // Every scored token after the first window has at least context - stride tokens before it.
        if (w.start > 0) expect(w.scoreFrom - w.start).toBeGreaterThanOrEqual(8 - 3);
        for (let p = w.scoreFrom; p < w.scoreTo; p++) scored.push(p);
      }
      expect(scored).toEqual(Array.from({ length: Math.max(0, n - 2) }, (_, i) => i + 2));
    });
  });

  it('refuses a stride that would skip or never move, and position 0', () => {
    expect(() => scoreWindows([5], 1, 8, 8)).toThrow(/stride must lie in \[1, context - 1\]/);
    expect(() => scoreWindows([5], 1, 8, 0)).toThrow(/stride/);
    expect(() => scoreWindows([5], 0, 8, 4)).toThrow(/from must be >= 1/);
  });
});

describe('scoreSequences', () => {
  it('equals the decode graph’s next-token probabilities, with batching, right padding and windows', async () => {
    // Large weights make the distributions far from uniform, so a label off by one position shows.
    const weights = initParameters(config, 3, 0.5);
    const sequences = [
      [1, 5, 9, 2, 7, 7, 3],
      [2, 4],
      [1, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30, 32, 34, 36, 1, 3],
      [3, 3, 3, 3, 3],
    ];
    const session = await nodeRuntime.createSession(exportOnnx(buildTokenScoreGraph(config)), {
      label: 'token scores',
    });
    const bound = await bindModelWeights(nodeRuntime, { config, weights }, 'cpu');
    const decoder = await createDecoder(nodeRuntime, config, weights, 'cpu');
    const context = 8;
    const stride = 4;
    const scores = await scoreSequences(session, config, sequences, {
      weights: bound,
      tensors: nodeRuntime.tensors,
      context,
      stride,
      from: 1,
      batchSize: 3,
    });
    for (const [s, seq] of sequences.entries()) {
      const got = scores[s] as Float64Array;
      expect(got).toHaveLength(seq.length - 1);
      const windows = scoreWindows([seq.length], 1, context, stride);
      for (let p = 1; p < seq.length; p++) {
        // The window that scores p reads from its start: the reference sees the same context.
        const w = windows.find((x) => p >= x.scoreFrom && p < x.scoreTo);
        const probs = await nextTokenProbabilities(decoder, seq.slice(w?.start ?? 0, p));
        expect(got[p - 1]).toBeCloseTo(Math.log(probs[seq[p] as number] as number), 5);
      }
    }
    const all = scores.flatMap((s) => Array.from(s));
    expect(Math.max(...all) - Math.min(...all)).toBeGreaterThan(1);
    await decoder.dispose();
    await session.dispose();
  });
});
