import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { parseModelConfig } from '../../../../src/engine/arch/config.ts';
import {
  importPeftAdapter,
  type AdapterSource,
  type BaseModelInfo,
} from '../../../../src/formats/peft/adapter-io.ts';
import { PeftError } from '../../../../src/formats/peft/errors.ts';
import { parseSafetensors, readFloat32 } from '../../../../src/formats/safetensors.ts';
import { writeSafetensors } from '../../../../src/formats/safetensors-write.ts';
import { adapterFiles, filesSource, gpt2Base, llamaBase, type AdapterFiles } from './fixtures.ts';

function expectPeftError(
  source: AdapterSource,
  base: BaseModelInfo,
  file: string,
  field: string | null,
  pattern: RegExp,
): void {
  let thrown: unknown = null;
  try {
    importPeftAdapter(source, base);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(PeftError);
  const error = thrown as PeftError;
  expect({ file: error.file, field: error.field }).toEqual({ file, field });
  expect(error.message).toMatch(pattern);
}

const lora = adapterFiles('llama-lora');
const withConfig = (patch: Record<string, unknown>): AdapterFiles => ({
  ...lora,
  config: { ...lora.config, ...patch },
});
const A0 = 'base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight';

/** The llama-lora weights with one tensor replaced, renamed or removed. */
function editWeights(
  edit: (tensors: Map<string, { shape: number[]; data: Float32Array }>) => void,
): AdapterFiles {
  const file = parseSafetensors(lora.weights, 'w');
  const tensors = new Map(
    file.tensors.map((t) => [t.name, { shape: t.shape, data: readFloat32(file, t.name) }]),
  );
  edit(tensors);
  const inputs = [...tensors].map(([name, t]) => ({
    name,
    dtype: 'F32' as const,
    shape: t.shape,
    data: t.data,
  }));
  return { ...lora, weights: writeSafetensors(inputs) };
}

describe('adapter_config.json refusals', () => {
  const base = { config: llamaBase };
  const cases: Array<[string, Record<string, unknown>, string, RegExp]> = [
    ['IA3', { peft_type: 'IA3' }, 'peft_type', /IA³ adapters are not supported/],
    ['LoHa', { peft_type: 'LOHA' }, 'peft_type', /LoHa adapters are not supported/],
    ['DoRA', { use_dora: true }, 'use_dora', /DoRA/],
    ['rsLoRA', { use_rslora: true }, 'use_rslora', /alpha\/sqrt\(r\)/],
    ['rank_pattern', { rank_pattern: { q_proj: 8 } }, 'rank_pattern', /per-module ranks/],
    ['alpha_pattern', { alpha_pattern: { q_proj: 8 } }, 'alpha_pattern', /per-module alphas/],
    ['biases', { bias: 'all' }, 'bias', /"all" is not supported/],
    ['regex targets', { target_modules: '.*q_proj' }, 'target_modules', /regular expression/],
    ['layer subset', { layers_to_transform: [0] }, 'layers_to_transform', /subset of layers/],
    [
      'lm_head saved',
      { modules_to_save: ['lm_head'] },
      'modules_to_save',
      /CAUSAL_LM adapter saves no full modules/,
    ],
    ['task', { task_type: 'SEQ_2_SEQ_LM' }, 'task_type', /"SEQ_2_SEQ_LM" is not supported/],
    ['rank', { r: 0 }, 'r', /positive integer/],
  ];
  it.each(cases)('%s', (_, patch, field, pattern) => {
    expectPeftError(filesSource(withConfig(patch)), base, 'adapter_config.json', field, pattern);
  });

  it('names targets that the base model does not have', () => {
    expectPeftError(
      filesSource(withConfig({ target_modules: ['c_attn'] })),
      base,
      'adapter_config.json',
      'target_modules',
      /"c_attn" matches no llama linear layer/,
    );
  });
});

describe('tensor refusals', () => {
  const base = { config: llamaBase };

  it('reports a rank that disagrees with the config', () => {
    expectPeftError(
      filesSource(withConfig({ r: 8 })),
      base,
      'adapter_model.safetensors',
      A0,
      /has rank 4 \(shape \[4, 16\]\) but adapter_config.json says r = 8/,
    );
  });

  it('reports the wrong base model by shape', () => {
    const wider = parseModelConfig({
      ...JSON.parse(JSON.stringify(rawLlama())),
      hidden_size: 32,
      head_dim: 4,
    });
    expectPeftError(
      filesSource(lora),
      { config: wider },
      'adapter_model.safetensors',
      A0,
      /needs \[4, 32\] in this llama base.*different base model/,
    );
    expectPeftError(
      filesSource(adapterFiles('gpt2-lora')),
      base,
      'adapter_config.json',
      'target_modules',
      /"c_(attn|proj|fc)" matches no llama/,
    );
    expectPeftError(
      filesSource(lora),
      { config: gpt2Base },
      'adapter_config.json',
      'target_modules',
      /"q_proj" matches no gpt2/,
    );
  });

  it('reports the wrong base model by content hash', () => {
    const meta = {
      format: 'punchline-adapter',
      version: 1,
      name: 'a',
      createdAt: 'now',
      baseModel: { name: 'SmolLM2', contentHash: 'sha256:1111', arch: 'llama' },
      dataset: null,
    };
    expectPeftError(
      filesSource(lora, meta),
      { ...base, contentHash: 'sha256:2222' },
      'punchline.json',
      'baseModel.contentHash',
      /trained on "SmolLM2" \(sha256:1111\) but the loaded base model is sha256:2222/,
    );
    expect(
      importPeftAdapter(filesSource(lora, meta), { ...base, contentHash: 'sha256:1111' }).meta?.baseModel
        .name,
    ).toBe('SmolLM2');
  });

  it('reports missing, misshaped, unexpected and non-finite tensors', () => {
    expectPeftError(
      filesSource(editWeights((t) => t.delete(A0))),
      base,
      'adapter_model.safetensors',
      A0,
      /missing: adapter_config.json targets model.layers.0.self_attn.q_proj/,
    );
    expectPeftError(
      filesSource(editWeights((t) => t.set(A0, { shape: [4, 4, 4], data: new Float32Array(64) }))),
      base,
      'adapter_model.safetensors',
      A0,
      /expected a matrix \[4, 16\]/,
    );
    const dora = 'base_model.model.model.layers.0.self_attn.q_proj.lora_magnitude_vector';
    expectPeftError(
      filesSource(editWeights((t) => t.set(dora, { shape: [16], data: new Float32Array(16) }))),
      base,
      'adapter_model.safetensors',
      dora,
      /DoRA magnitude vector/,
    );
    expectPeftError(
      filesSource(editWeights((t) => t.set(A0, { shape: [4, 16], data: new Float32Array(64).fill(NaN) }))),
      base,
      'adapter_model.safetensors',
      A0,
      /value NaN at index 0 is not finite/,
    );
  });

  it('reports a head whose label count differs from the caller', () => {
    expectPeftError(
      filesSource(adapterFiles('llama-cls')),
      { ...base, numLabels: 2 },
      'adapter_model.safetensors',
      'base_model.model.score.weight',
      /classifier head needs \[2, 16\] \(2 labels/,
    );
  });
});

describe('hostile files', () => {
  const base = { config: llamaBase };

  it('rejects an oversized safetensors header and offsets past the end', () => {
    const huge = new Uint8Array(16);
    new DataView(huge.buffer).setBigUint64(0, 2n ** 40n, true);
    expectPeftError(
      { kind: 'files', config: JSON.stringify(lora.config), weights: huge },
      base,
      'adapter_model.safetensors',
      null,
      /exceeds the 100000000-byte limit/,
    );
    const truncated = lora.weights.subarray(0, lora.weights.length - 8);
    expectPeftError(
      { kind: 'files', config: JSON.stringify(lora.config), weights: truncated },
      base,
      'adapter_model.safetensors',
      null,
      /tensors cover \d+ data bytes but the file has \d+/,
    );
  });

  it('rejects zip bombs by declared size before inflating', () => {
    const bomb = zipSync({
      'adapter_config.json': new Uint8Array(2 << 20),
      'adapter_model.safetensors': lora.weights,
    });
    expect(bomb.length).toBeLessThan(10_000);
    expectPeftError(
      { kind: 'zip', bytes: bomb, label: 'bomb.zip' },
      base,
      'bomb.zip',
      'adapter_config.json',
      /uncompressed size 2097152 bytes exceeds the 1048576-byte limit/,
    );
  });

  it('rejects archives that lie about sizes, lack files or are not zips', () => {
    const good = zipSync(
      {
        'adapter_config.json': new TextEncoder().encode(JSON.stringify(lora.config)),
        'adapter_model.safetensors': lora.weights,
      },
      { level: 0 },
    );
    const lying = good.slice();
    // Shrink the declared uncompressed size of the first local and central entries of the config.
    const central = findSignature(lying, 0x02014b50);
    new DataView(lying.buffer).setUint32(central + 24, 10, true);
    expectPeftError(
      { kind: 'zip', bytes: lying, label: 'l.zip' },
      base,
      'l.zip',
      'adapter_config.json',
      /declares 10 \(corrupt archive\)/,
    );
    const onlyConfig = zipSync({ 'adapter_config.json': new TextEncoder().encode('{}') });
    expectPeftError(
      { kind: 'zip', bytes: onlyConfig, label: 'o.zip' },
      base,
      'o.zip',
      null,
      /has no adapter_model.safetensors/,
    );
    expectPeftError(
      { kind: 'zip', bytes: new Uint8Array(100), label: 'n.zip' },
      base,
      'n.zip',
      null,
      /not a zip archive/,
    );
  });

  it('accepts the files inside one folder of the archive', () => {
    const nested = zipSync({
      'my-adapter/adapter_config.json': new TextEncoder().encode(JSON.stringify(lora.config)),
      'my-adapter/adapter_model.safetensors': lora.weights,
    });
    expect(importPeftAdapter({ kind: 'zip', bytes: nested }, base).tensors.size).toBe(8);
  });
});

function findSignature(bytes: Uint8Array, signature: number): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i + 4 <= bytes.length; i++) if (view.getUint32(i, true) === signature) return i;
  throw new Error('signature not found');
}

function rawLlama(): Record<string, unknown> {
  return {
    model_type: 'llama',
    vocab_size: llamaBase.vocabSize,
    hidden_size: llamaBase.hiddenSize,
    intermediate_size: llamaBase.intermediateSize,
    num_hidden_layers: llamaBase.numLayers,
    num_attention_heads: llamaBase.numHeads,
    num_key_value_heads: llamaBase.numKvHeads,
    max_position_embeddings: llamaBase.maxPositions,
  };
}
