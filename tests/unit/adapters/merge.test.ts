import { describe, expect, it } from 'vitest';
import { parseModelConfig, type ModelConfig } from '../../../src/engine/arch/config.ts';
import { initParameters } from '../../../src/engine/arch/init.ts';
import { buildDecodeGraph, pastKeyName, pastValueName } from '../../../src/engine/graphs/decode.ts';
import { exportOnnx } from '../../../src/engine/onnx/serialize.ts';
import { mergedModelFiles, mergeLora } from '../../../src/formats/peft/merge.ts';
import type { PeftAdapter } from '../../../src/formats/peft/index.ts';
import { parseSafetensors, readFloat32 } from '../../../src/formats/safetensors.ts';
import { nodeRuntime } from '../../../src/runtime/ort-node.ts';
import { readFloat32 as readTensor } from '../../../src/runtime/tensors.ts';
import type { OrtTensor } from '../../../src/runtime/types.ts';
import { randomAdapter } from './fixtures.ts';

const gpt2 = parseModelConfig({
  model_type: 'gpt2',
  vocab_size: 30,
  n_embd: 8,
  n_layer: 2,
  n_head: 2,
  n_positions: 16,
});
const llama = parseModelConfig({
  model_type: 'llama',
  vocab_size: 30,
  hidden_size: 8,
  intermediate_size: 12,
  num_hidden_layers: 2,
  num_attention_heads: 2,
  num_key_value_heads: 1,
  max_position_embeddings: 16,
  tie_word_embeddings: false,
});
const t = nodeRuntime.tensors;

async function logits(config: ModelConfig, weights: Map<string, Float32Array>, adapter: PeftAdapter | null) {
  const lora = adapter
    ? { rank: adapter.config.rank, alpha: adapter.config.alpha, targets: adapter.config.targetModules }
    : undefined;
  const graph = buildDecodeGraph(config, {
    weights: { kind: 'initializers', data: weights },
    ...(lora ? { lora } : {}),
  });
  const session = await nodeRuntime.createSession(exportOnnx(graph));
  const feeds: Record<string, OrtTensor> = {
    input_ids: t.int32(Int32Array.from([3, 7, 1, 22, 9]), [1, 5]),
    attention_mask: t.int32(new Int32Array(5).fill(1), [1, 5]),
    position_ids: t.int32(Int32Array.from([0, 1, 2, 3, 4]), [1, 5]),
  };
  for (let i = 0; i < config.numLayers; i++) {
    feeds[pastKeyName(i)] = t.float32(new Float32Array(0), [1, config.numKvHeads, 0, config.headDim]);
    feeds[pastValueName(i)] = t.float32(new Float32Array(0), [1, config.numKvHeads, 0, config.headDim]);
  }
  for (const [name, tensor] of adapter?.tensors ?? []) feeds[name] = t.float32(tensor.data, tensor.shape);
  const out = await session.run(feeds);
  const data = await readTensor(out['logits'] as OrtTensor, 'logits');
  await session.dispose();
  return data;
}

const maxDiff = (a: Float32Array, b: Float32Array) =>
  a.reduce((m, v, i) => Math.max(m, Math.abs(v - (b[i] as number))), 0);

describe('mergeLora', () => {
  it.each([
    ['gpt2 (Conv1D, [in, out])', gpt2, ['c_attn', 'c_proj', 'c_fc']],
    ['llama (Linear, [out, in])', llama, ['q_proj', 'v_proj', 'down_proj']],
  ] as const)(
    '%s: merged weights without LoRA give the logits of base + LoRA',
    async (_, config, targets) => {
      const base = initParameters(config, 3, 0.5);
      const adapter = randomAdapter(config, [...targets], 11);
      const merged = mergeLora(config, base, adapter);
      const withLora = await logits(config, base, adapter);
      const plain = await logits(config, base, null);
      const folded = await logits(config, merged, null);
      expect(maxDiff(withLora, plain)).toBeGreaterThan(0.05);
      expect(maxDiff(folded, withLora)).toBeLessThan(1e-4);
    },
  );

  it('computes W + (alpha/r)·B·A element by element and leaves the base untouched', () => {
    const base = initParameters(llama, 5, 0.5);
    const adapter = randomAdapter(llama, ['q_proj'], 2);
    const before = Float32Array.from(base.get('model.layers.1.self_attn.q_proj.weight') as Float32Array);
    const merged = mergeLora(llama, base, adapter);
    const a = adapter.tensors.get('base_model.model.model.layers.1.self_attn.q_proj.lora_A.weight')!.data; // (2, 8)
    const b = adapter.tensors.get('base_model.model.model.layers.1.self_attn.q_proj.lora_B.weight')!.data; // (8, 2)
    const w = merged.get('model.layers.1.self_attn.q_proj.weight') as Float32Array;
    const [o, i] = [5, 3];
    const expected = (before[o * 8 + i] as number) + 2 * (b[o * 2]! * a[i]! + b[o * 2 + 1]! * a[8 + i]!);
    expect(w[o * 8 + i]).toBeCloseTo(expected, 6);
    expect(base.get('model.layers.1.self_attn.q_proj.weight')).toEqual(before);
    expect(merged.get('model.layers.1.self_attn.k_proj.weight')).toBe(
      base.get('model.layers.1.self_attn.k_proj.weight'),
    );
  });

  it('refuses a classifier adapter and an adapter with a missing tensor', () => {
    const base = initParameters(llama, 5);
    const adapter = randomAdapter(llama, ['q_proj'], 2);
    expect(() =>
      mergeLora(llama, base, { ...adapter, config: { ...adapter.config, taskType: 'SEQ_CLS' } }),
    ).toThrow(/SEQ_CLS adapters carry a classifier head/);
    const missing = new Map(adapter.tensors);
    missing.delete('base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight');
    expect(() => mergeLora(llama, base, { ...adapter, tensors: missing })).toThrow(
      /layers\.0\.self_attn\.q_proj\.lora_B\.weight.*missing/,
    );
  });

  it('writes a model folder: base config and tokenizer copied, every parameter in model.safetensors', () => {
    const base = initParameters(llama, 5);
    const merged = mergeLora(llama, base, randomAdapter(llama, ['q_proj'], 2));
    const config = new TextEncoder().encode('{"model_type":"llama"}');
    const files = mergedModelFiles(
      llama,
      new Map([
        ['config.json', config],
        ['tokenizer.json', new Uint8Array([123, 125])],
        ['adapter_config.json', new Uint8Array(1)],
      ]),
      merged,
      '# card\n',
    );
    expect(Object.keys(files).sort()).toEqual([
      'README.md',
      'config.json',
      'model.safetensors',
      'tokenizer.json',
    ]);
    expect(files['config.json']).toBe(config);
    const file = parseSafetensors(files['model.safetensors']!, 'merged');
    expect(file.tensors.length).toBe(base.size);
    expect(readFloat32(file, 'model.layers.0.self_attn.q_proj.weight')).toEqual(
      merged.get('model.layers.0.self_attn.q_proj.weight'),
    );
  });
});
