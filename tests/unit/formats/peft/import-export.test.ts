import { describe, expect, it } from 'vitest';
import { loraTable } from '../../../../src/engine/arch/lora.ts';
import {
  exportPeftFiles,
  exportPeftZip,
  importPeftAdapter,
} from '../../../../src/formats/peft/adapter-io.ts';
import { parseSafetensors, readFloat32 } from '../../../../src/formats/safetensors.ts';
import type { PeftAdapter, PunchlineMeta } from '../../../../src/formats/peft/types.ts';
import { unzipSync } from 'fflate';
import { adapterFiles, filesSource, gpt2Base, llamaBase } from './fixtures.ts';

const meta: PunchlineMeta = {
  format: 'punchline-adapter',
  version: 1,
  name: 'cats-v1',
  createdAt: '2026-12-03T17:00:00Z',
  baseModel: { name: 'tiny-llama', contentHash: 'sha256:abc', arch: 'llama' },
  dataset: { version: 'ds-7', auditSummary: { rows: 120, duplicates: 3 } },
  hyperparameters: { learningRate: 0.0002, steps: 40, scheduler: 'cosine', packing: true },
  metrics: { trainLoss: 2.5, validationLoss: 2.75 },
  labels: ['not funny', 'funny', 'offensive'],
  controlCodes: ['<|funny|>'],
};

describe('import of adapters saved by PEFT 0.21.2', () => {
  it.each([
    ['llama-lora', llamaBase, 4, 8, 2 * 2 * 2],
    ['gpt2-lora', gpt2Base, 2, 4, 2 * 4 * 2],
  ] as const)(
    '%s: every LoRA tensor of the engine table, with PEFT values',
    (name, base, rank, alpha, count) => {
      const files = adapterFiles(name);
      const adapter = importPeftAdapter(filesSource(files), { config: base });
      expect(adapter.config).toMatchObject({
        taskType: 'CAUSAL_LM',
        rank,
        alpha,
        fanInFanOut: name === 'gpt2-lora',
      });
      const table = loraTable(base, { rank, alpha, targets: adapter.config.targetModules });
      expect([...adapter.tensors.keys()]).toEqual(table.flatMap((s) => [s.aName, s.bName]));
      expect(adapter.tensors.size).toBe(count);
      const raw = parseSafetensors(files.weights, 'raw');
      for (const spec of table) {
        expect(adapter.tensors.get(spec.aName)?.shape).toEqual(spec.aShape);
        expect(adapter.tensors.get(spec.bName)?.shape).toEqual(spec.bShape);
        expect(adapter.tensors.get(spec.bName)?.data).toEqual(readFloat32(raw, spec.bName));
      }
    },
  );

  it('llama-cls: the score head saved under modules_to_save becomes score.weight', () => {
    const adapter = importPeftAdapter(filesSource(adapterFiles('llama-cls')), { config: llamaBase });
    expect(adapter.config.taskType).toBe('SEQ_CLS');
    expect(adapter.tensors.get('score.weight')?.shape).toEqual([3, 16]);
    expect(adapter.tensors.has('base_model.model.score.weight')).toBe(false);
  });
});

describe('export → import round trip', () => {
  const imported = importPeftAdapter(filesSource(adapterFiles('llama-cls')), { config: llamaBase });
  const adapter: PeftAdapter = {
    ...imported,
    config: { ...imported.config, baseModelNameOrPath: 'tiny-llama' },
    meta,
  };

  it('returns the same config, tensors and metadata through a zip', () => {
    const zip = exportPeftZip(adapter, { config: llamaBase });
    const back = importPeftAdapter(
      { kind: 'zip', bytes: zip },
      { config: llamaBase, contentHash: 'sha256:abc' },
    );
    expect(back.config).toEqual(adapter.config);
    expect(back.meta).toEqual(meta);
    expect([...back.tensors.keys()]).toEqual([...adapter.tensors.keys()]);
    for (const [name, tensor] of adapter.tensors) expect(back.tensors.get(name)).toEqual(tensor);
  });

  it('writes PEFT names, the PEFT config keys and a model card', () => {
    const files = exportPeftFiles(adapter, { config: llamaBase });
    expect(Object.keys(files).sort()).toEqual([
      'README.md',
      'adapter_config.json',
      'adapter_model.safetensors',
      'punchline.json',
    ]);
    const weights = parseSafetensors(files['adapter_model.safetensors'] ?? new Uint8Array(), 'w');
    expect(weights.tensors.map((t) => t.name).sort()).toEqual(
      [...imported.tensors.keys()]
        .map((n) => (n === 'score.weight' ? 'base_model.model.score.weight' : n))
        .sort(),
    );
    const config = JSON.parse(new TextDecoder().decode(files['adapter_config.json'])) as Record<
      string,
      unknown
    >;
    expect(config).toMatchObject({
      peft_type: 'LORA',
      task_type: 'SEQ_CLS',
      r: 4,
      lora_alpha: 16,
      bias: 'none',
      modules_to_save: ['score'],
      base_model_name_or_path: 'tiny-llama',
      fan_in_fan_out: false,
    });
    const card = new TextDecoder().decode(files['README.md']);
    expect(card).toMatch(/^---\nlibrary_name: peft\nbase_model: "tiny-llama"/);
    expect(card).toContain('| validationLoss | 2.75 |');
    expect(card).toContain('0: not funny, 1: funny, 2: offensive');
  });

  it('stores the weights uncompressed and the JSON compressed', () => {
    const zip = exportPeftZip(adapter, { config: llamaBase });
    const entries = unzipSync(zip);
    expect(Object.keys(entries).sort()).toEqual([
      'README.md',
      'adapter_config.json',
      'adapter_model.safetensors',
      'punchline.json',
    ]);
  });

  it('sets fan_in_fan_out for GPT-2 Conv1D layers and only there', () => {
    const gpt2 = importPeftAdapter(filesSource(adapterFiles('gpt2-lora')), { config: gpt2Base });
    const unset = { ...gpt2, config: { ...gpt2.config, fanInFanOut: false } };
    const files = exportPeftFiles(unset, { config: gpt2Base });
    const config = JSON.parse(new TextDecoder().decode(files['adapter_config.json'])) as Record<
      string,
      unknown
    >;
    expect(config.fan_in_fan_out).toBe(true);
    expect(config.target_modules).toEqual(gpt2.config.targetModules);
  });

  it('refuses to export tensors that do not fit the base', () => {
    const tensors = new Map(adapter.tensors);
    tensors.delete('score.weight');
    expect(() => exportPeftFiles({ ...adapter, tensors }, { config: llamaBase })).toThrow(
      /score\.weight.*missing/,
    );
    expect(() => exportPeftFiles(adapter, { config: gpt2Base })).toThrow(
      /target_modules.*matches no gpt2 linear layer/,
    );
  });
});
