import { beforeAll, describe, expect, it } from 'vitest';
import { parseModelConfig } from '../../../src/engine/arch/config.ts';
import { initLora } from '../../../src/engine/arch/init.ts';
import { loraTable } from '../../../src/engine/arch/lora.ts';
import { exportPeftFiles } from '../../../src/formats/peft/adapter-io.ts';
import type { PeftAdapter } from '../../../src/formats/peft/types.ts';
import { nodeRuntime } from '../../../src/runtime/ort-node.ts';
import type { AdapterRecord } from '../../../src/storage/index.ts';
import { isCausalLmAdapter, mergedWeights } from '../../../src/worker/generate/adapter-weights.ts';
import { createDecoderModel, type DecoderModel } from '../../../src/worker/generate/decoder-model.ts';
import { runGeneration } from '../../../src/worker/generate/generation-job.ts';
import type { GeneratePayload } from '../../../src/worker/generate/types.ts';
import { tinyConfigJson, tinyModelFiles } from './tiny-model.ts';

const config = parseModelConfig(tinyConfigJson);
let model: DecoderModel;
beforeAll(async () => {
  model = await createDecoderModel('tiny', tinyModelFiles(), nodeRuntime, 'cpu');
});

/** A stored CAUSAL_LM adapter on q_proj and v_proj; lora_B is zero unless `scaleB` is given. */
function adapterRecord(scaleB: number): AdapterRecord {
  const lora = { rank: 2, alpha: 4, targets: ['q_proj', 'v_proj'] };
  const tensors = initLora(loraTable(config, lora), 3);
  const specs = loraTable(config, lora);
  for (const spec of specs) {
    const b = tensors.get(spec.bName) as Float32Array;
    b.forEach((_, i) => (b[i] = scaleB * Math.sin(i + 1)));
  }
  const adapter: PeftAdapter = {
    config: {
      taskType: 'CAUSAL_LM',
      rank: 2,
      alpha: 4,
      dropout: 0,
      targetModules: ['q_proj', 'v_proj'],
      baseModelNameOrPath: null,
      fanInFanOut: false,
    },
    tensors: new Map(
      specs.flatMap((s) => [
        [s.aName, { shape: [...s.aShape], data: tensors.get(s.aName) as Float32Array }],
        [s.bName, { shape: [...s.bShape], data: tensors.get(s.bName) as Float32Array }],
      ]),
    ),
    meta: null,
  };
  const files = exportPeftFiles(adapter, { config });
  const weights = files['adapter_model.safetensors'] as Uint8Array;
  return {
    id: `adapter-${scaleB}`,
    name: `test adapter ${scaleB}`,
    baseModelId: 'tiny',
    createdAt: 0,
    rank: 2,
    alpha: 4,
    targetModules: ['q_proj', 'v_proj'],
    weights: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer,
    config: JSON.parse(new TextDecoder().decode(files['adapter_config.json'])) as Record<string, unknown>,
  };
}

const payload: GeneratePayload = {
  modelId: 'tiny',
  prompt: 'Why',
  language: 'en',
  control: 'funny',
  sampling: { temperature: 0, topK: 0, topP: 1, repetitionPenalty: 1 },
  maxNewTokens: 10,
  candidates: 1,
  seed: 0,
  adapterId: null,
  strictness: 'standard',
};

async function textWith(weights?: DecoderModel['weights']): Promise<string> {
  const outcome = await runGeneration(model, payload, {
    signal: new AbortController().signal,
    checkpoint: async () => undefined,
    onProgress: () => undefined,
    ...(weights ? { weights } : {}),
  });
  return outcome.candidates[0]?.continuation ?? '';
}

describe('generating with a stored adapter', () => {
  it('merges the adapter into the weights it targets and leaves the rest shared', () => {
    const merged = mergedWeights(config, model.baseWeights, adapterRecord(0.5));
    const q = 'model.layers.0.self_attn.q_proj.weight';
    expect(merged.get(q)).not.toEqual(model.baseWeights.get(q));
    const k = 'model.layers.0.self_attn.k_proj.weight';
    expect(merged.get(k)).toBe(model.baseWeights.get(k));
  });

  it('writes like the base model when lora_B is zero, and differently when it is not', async () => {
    const base = await textWith();
    const zero = await model.bindWeightSet(mergedWeights(config, model.baseWeights, adapterRecord(0)));
    expect(await textWith(zero)).toBe(base);
    const strong = await model.bindWeightSet(mergedWeights(config, model.baseWeights, adapterRecord(4)));
    expect(await textWith(strong)).not.toBe(base);
  });

  it('lists only adapters that write text, and names an adapter that does not fit', () => {
    const record = adapterRecord(1);
    expect(isCausalLmAdapter(record)).toBe(true);
    expect(isCausalLmAdapter({ config: { ...record.config, task_type: 'SEQ_CLS' } })).toBe(false);
    const broken = { ...record, weights: new ArrayBuffer(8) };
    expect(() => mergedWeights(config, model.baseWeights, broken)).toThrow(
      /Adapter "test adapter 1" cannot be used/,
    );
  });
});
