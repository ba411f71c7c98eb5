import { describe, expect, it } from 'vitest';
import { parseModelConfig, type ModelConfig } from '../../../src/engine/arch/config.ts';
import { seededNormal } from '../../../src/engine/arch/init.ts';
import { parameterTable } from '../../../src/engine/arch/params.ts';
import { buildDecodeGraph } from '../../../src/engine/graphs/decode.ts';
import { exportOnnx } from '../../../src/engine/onnx/serialize.ts';
import {
  decodeSpecFromSession,
  emptyPast,
  idTensor,
  type DecodeSpec,
} from '../../../src/runtime/decode-io.ts';
import { generate } from '../../../src/runtime/generate.ts';
import { nodeRuntime } from '../../../src/runtime/ort-node.ts';
import { readFloat32 } from '../../../src/runtime/tensors.ts';
import type { ModelSession, OrtTensor } from '../../../src/runtime/types.ts';
import { bindWeights } from '../../../src/runtime/weights.ts';

const VOCAB = 29;
const configs: [string, ModelConfig][] = [
  [
    'gpt2',
    parseModelConfig({
      model_type: 'gpt2',
      vocab_size: VOCAB,
      n_embd: 8,
      n_layer: 2,
      n_head: 2,
      n_positions: 32,
    }),
  ],
  [
    'llama-gqa',
    parseModelConfig({
      model_type: 'llama',
      vocab_size: VOCAB,
      hidden_size: 8,
      intermediate_size: 12,
      num_hidden_layers: 2,
      num_attention_heads: 4,
      num_key_value_heads: 2,
      max_position_embeddings: 32,
      tie_word_embeddings: true,
    }),
  ],
];

function randomWeights(config: ModelConfig): Record<string, { data: Float32Array; dims: number[] }> {
  const normal = seededNormal(11);
  return Object.fromEntries(
    parameterTable(config).map((spec) => {
      const size = spec.shape.reduce((a, b) => a * b, 1);
      const gain = spec.shape.length === 1 && spec.name.endsWith('.weight');
      return [
        spec.name,
        {
          data: Float32Array.from({ length: size }, () => (gain ? 1 : 0) + 0.5 * normal()),
          dims: [...spec.shape],
        },
      ];
    }),
  );
}

/** Greedy decoding without a cache: the whole left-padded sequence goes through the graph at every step. */
async function greedyWithoutCache(
  session: ModelSession,
  spec: DecodeSpec,
  weights: Record<string, OrtTensor>,
  prompts: number[][],
  steps: number,
) {
  const t = nodeRuntime.tensors;
  const seqs = prompts.map((p) => [...p]);
  for (let s = 0; s < steps; s++) {
    const length = Math.max(...seqs.map((q) => q.length));
    const pads = seqs.map((q) => length - q.length);
    const ids = seqs.flatMap((q, b) => [...new Array<number>(pads[b]!).fill(0), ...q]);
    const mask = seqs.flatMap((q, b) => [...new Array<number>(pads[b]!).fill(0), ...q.map(() => 1)]);
    const positions = seqs.flatMap((q, b) => [...new Array<number>(pads[b]!).fill(0), ...q.map((_, i) => i)]);
    const dims = [seqs.length, length];
    const out = await session.run({
      ...weights,
      ...emptyPast(t, spec, seqs.length),
      input_ids: idTensor(t, spec, ids, dims),
      attention_mask: idTensor(t, spec, mask, dims),
      position_ids: idTensor(t, spec, positions, dims),
    });
    const logits = await readFloat32(out.logits!, 'logits');
    seqs.forEach((q, b) => {
      const row = logits.subarray((b * length + length - 1) * VOCAB, (b * length + length) * VOCAB);
      q.push(row.indexOf(Math.max(...row)));
    });
  }
  return seqs.map((q, b) => q.slice(prompts[b]!.length));
}

describe.each(configs)('generate on the engine decode graph (%s)', (_name, config) => {
  it('matches greedy decoding that recomputes the whole sequence, with weights bound once as inputs', async () => {
    const model = exportOnnx(buildDecodeGraph(config, { weights: { kind: 'inputs' } }));
    const session = await nodeRuntime.createSession(model, { label: `${config.arch} decode graph` });
    try {
      const spec = decodeSpecFromSession(session, config.maxPositions);
      expect(spec).toMatchObject({
        numLayers: 2,
        numKvHeads: config.numKvHeads,
        headDim: config.headDim,
        hasPositionIds: true,
      });
      const weights = await bindWeights(nodeRuntime, randomWeights(config), 'cpu');
      const prompts = [
        [3, 14, 15, 9, 2],
        [6, 5],
      ];
      const result = await generate(session, nodeRuntime.tensors, spec, {
        prompts,
        maxNewTokens: 8,
        eosTokenIds: [],
        sampling: { temperature: 0, topK: 0, topP: 1, repetitionPenalty: 1 },
        seed: 0,
        boundInputs: weights,
      });
      const reference = await greedyWithoutCache(session, spec, weights, prompts, 8);
      expect(result.sequences).toEqual(reference);
      // Random weights still vary their choices, so the comparison is not between two constant sequences.
      expect(new Set(result.sequences.flat()).size).toBeGreaterThan(2);
    } finally {
      await session.dispose();
    }
  });
});
