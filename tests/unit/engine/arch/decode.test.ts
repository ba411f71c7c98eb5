import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import type { ModelConfig } from '../../../../src/engine/arch/config.ts';
import type { NdArray } from '../../../../src/engine/interpreter/ndarray.ts';
import {
  buildDecodeGraph,
  pastKeyName,
  pastValueName,
  presentKeyName,
  presentValueName,
} from '../../../../src/engine/graphs/decode.ts';
import { exportOnnx } from '../../../../src/engine/onnx/serialize.ts';
import { TINY_MODELS, VOCAB, f32, i32, randomWeights, relativeError, run } from './tiny.ts';

// Two rows of 6 tokens; row 1 is left-padded by 2, so its positions start at 0 on its first real token.
const B = 2;
const T = 6;
const IDS = [5, 9, 2, 17, 3, 11, 0, 0, 14, 6, 21, 8];
const MASK = [1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1];
const POSITIONS = [0, 1, 2, 3, 4, 5, 0, 0, 0, 1, 2, 3];

const cols = (rows: number[], from: number, to: number): number[] =>
  [0, 1].flatMap((b) => rows.slice(b * T + from, b * T + to));

function emptyPast(config: ModelConfig): Record<string, NdArray> {
  const feeds: Record<string, NdArray> = {};
  for (let i = 0; i < config.numLayers; i++) {
    feeds[pastKeyName(i)] = f32([B, config.numKvHeads, 0, config.headDim], []);
    feeds[pastValueName(i)] = f32([B, config.numKvHeads, 0, config.headDim], []);
  }
  return feeds;
}

function presentNames(config: ModelConfig): string[] {
  return Array.from({ length: config.numLayers }, (_, i) => [presentKeyName(i), presentValueName(i)]).flat();
}

describe.each(TINY_MODELS)('decode graph (%s)', (_name, config) => {
  const weights = randomWeights(config, 7);
  const graph = buildDecodeGraph(config, { weights: { kind: 'initializers', data: weights } });

  function step(from: number, to: number, past: Record<string, NdArray>): Map<string, NdArray> {
    return run(
      graph,
      {
        input_ids: i32([B, to - from], cols(IDS, from, to)),
        attention_mask: i32([B, to], cols(MASK, 0, to)),
        position_ids: i32([B, to - from], cols(POSITIONS, from, to)),
        ...past,
      },
      ['logits', ...presentNames(config)],
    );
  }

  it('gives the same logits from the KV cache (chunks of 3, 2, 1, 1 tokens) as from the whole sequence (float64)', () => {
    const full = step(0, T, emptyPast(config)).get('logits') as NdArray;
    let out = step(0, 3, emptyPast(config));
    const cached: number[][] = [[], []];
    const collect = (logits: NdArray, width: number) => {
      for (let b = 0; b < B; b++)
        cached[b]!.push(...logits.data.subarray(b * width * VOCAB, (b + 1) * width * VOCAB));
    };
    collect(out.get('logits') as NdArray, 3);
    for (let t = 3, width = 2; t < T; t += width, width = 1) {
      const past: Record<string, NdArray> = {};
      for (let i = 0; i < config.numLayers; i++) {
        past[pastKeyName(i)] = out.get(presentKeyName(i)) as NdArray;
        past[pastValueName(i)] = out.get(presentValueName(i)) as NdArray;
      }
      out = step(t, t + width, past);
      collect(out.get('logits') as NdArray, width);
      expect(out.get(presentKeyName(0))?.shape).toEqual([B, config.numKvHeads, t + width, config.headDim]);
    }
    // Only real tokens: a pad query attends to nothing real, and transformers leaves those rows unspecified.
    const real = (logits: ArrayLike<number>) =>
      Array.from(logits).filter((_, i) => MASK[Math.floor(i / VOCAB)] === 1);
    expect(relativeError(real([...cached[0]!, ...cached[1]!]), real(full.data))).toBeLessThan(1e-12);
  });

  it('runs on onnxruntime-node in float32 within 1e-5 of the float64 reference', async () => {
    const reference = step(0, T, emptyPast(config)).get('logits') as NdArray;
    const session = await ort.InferenceSession.create(exportOnnx(graph));
    const feeds: Record<string, ort.Tensor> = {
      input_ids: new ort.Tensor('int32', Int32Array.from(IDS), [B, T]),
      attention_mask: new ort.Tensor('int32', Int32Array.from(MASK), [B, T]),
      position_ids: new ort.Tensor('int32', Int32Array.from(POSITIONS), [B, T]),
    };
    for (const [name, value] of Object.entries(emptyPast(config))) {
      feeds[name] = new ort.Tensor('float32', new Float32Array(0), value.shape);
    }
    const out = await session.run(feeds);
    expect(out['logits']?.dims).toEqual([B, T, VOCAB]);
    expect(relativeError(out['logits']?.data as Float32Array, reference.data)).toBeLessThan(1e-5);
    await session.release();
  });
});

describe.each(TINY_MODELS)('decode graph with logits "last" (%s)', (_name, config) => {
  it('gives the last position of the full logits, [batch, 1, vocab]', () => {
    const weights = randomWeights(config, 7);
    const feeds = {
      input_ids: i32([B, T], IDS),
      attention_mask: i32([B, T], MASK),
      position_ids: i32([B, T], POSITIONS),
      ...emptyPast(config),
    };
    const all = buildDecodeGraph(config, { weights: { kind: 'initializers', data: weights } });
    const last = buildDecodeGraph(config, {
      weights: { kind: 'initializers', data: weights },
      logits: 'last',
    });
    const full = run(all, feeds, ['logits']).get('logits') as NdArray;
    const tail = run(last, feeds, ['logits']).get('logits') as NdArray;
    expect(tail.shape).toEqual([B, 1, VOCAB]);
    const expected = [0, 1].flatMap((b) =>
      Array.from(full.data.subarray((b * T + T - 1) * VOCAB, (b * T + T) * VOCAB)),
    );
    expect(Array.from(tail.data)).toEqual(expected);
  });
});

describe('decode graph bad input', () => {
  it('names a weight that the initializer map lacks', () => {
    const [, config] = TINY_MODELS[1]!;
    const weights = randomWeights(config, 1);
    weights.delete('model.layers.1.mlp.up_proj.weight');
    expect(() => buildDecodeGraph(config, { weights: { kind: 'initializers', data: weights } })).toThrow(
      'weights: no data for "model.layers.1.mlp.up_proj.weight" [12, 8]',
    );
  });

  it('rejects a weight of the wrong size when it is bound', () => {
    const [, config] = TINY_MODELS[0]!;
    const weights = randomWeights(config, 1);
    weights.set('transformer.wpe.weight', new Float32Array(10));
    expect(() => buildDecodeGraph(config, { weights: { kind: 'initializers', data: weights } })).toThrow(
      /transformer.wpe.weight/,
    );
  });
});
