import 'fake-indexeddb/auto';
import { strFromU8, unzipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportPeftFiles, exportPeftZip } from '../../../src/formats/peft/index.ts';
import { parseSafetensors, readFloat32 } from '../../../src/formats/safetensors.ts';
import type { BackendReport } from '../../../src/runtime/backend.ts';
import { DEFAULT_SAMPLING } from '../../../src/runtime/sampling.ts';
import { nodeRuntime } from '../../../src/runtime/ort-node.ts';
import { addDatasetVersion, getModel, openDatabase, type PunchlineDb } from '../../../src/storage/index.ts';
import { AdapterService, type AdapterJob } from '../../../src/worker/adapters/service.ts';
import { loadGenerationAdapter, saveTrainedAdapter } from '../../../src/worker/adapters/stored-adapters.ts';
import type { ComparePayload } from '../../../src/worker/adapters/types.ts';
import { metaFor, MODEL_ID, randomAdapter, storeTinyModel, tinyConfig } from './fixtures.ts';

let db: PunchlineDb;
let service: AdapterService;
let contentHash: string;
const report = { backend: 'wasm', label: 'onnxruntime-node cpu' } as BackendReport;

beforeEach(async () => {
  db = await openDatabase({ name: `adapters-${crypto.randomUUID()}` });
  await storeTinyModel(db);
  contentHash = (await getModel(db, MODEL_ID))!.files.find((f) => f.name === 'model.safetensors')!.sha256;
  let n = 0;
  service = new AdapterService(
    async () => db,
    async () => report,
    nodeRuntime,
    () => `adapter-${++n}`,
  );
});
afterEach(() => db.close());

function job<P = never>(events: P[] = []): AdapterJob<P> {
  return {
    signal: new AbortController().signal,
    checkpoint: async () => undefined,
    progress: (e) => events.push(e),
    transferResult: () => undefined,
  };
}

const zipOf = (bytes: Uint8Array) => ({
  kind: 'zip' as const,
  fileName: 'funny.zip',
  bytes: bytes.slice().buffer,
});

describe('AdapterService library', () => {
  it('imports a PEFT zip, lists, shows lineage, renames, exports the same tensors and deletes', async () => {
    const adapter = randomAdapter(tinyConfig, ['q_proj', 'v_proj'], 4, metaFor('funny v1', contentHash));
    const summary = await service.importAdapter(
      MODEL_ID,
      null,
      zipOf(exportPeftZip(adapter, { config: tinyConfig })),
    );
    expect(summary).toMatchObject({
      id: 'adapter-1',
      name: 'funny v1',
      rank: 2,
      alpha: 4,
      taskType: 'CAUSAL_LM',
    });
    expect((await service.list(MODEL_ID)).map((a) => a.id)).toEqual(['adapter-1']);

    const details = await service.details('adapter-1');
    expect(details.lineage).toMatchObject({ baseModelHash: contentHash, datasetVersion: 'dataset-v2' });
    expect(details.lineage?.metrics.validationLossAfter).toBe(2.5);
    expect(details.tensors).toHaveLength(8); // 2 layers × 2 modules × (A, B)

    await service.rename('adapter-1', '  punchy  ');
    expect((await service.details('adapter-1')).name).toBe('punchy');

    const exported = await service.exportAdapter('adapter-1', job());
    expect(exported.fileName).toBe('punchy.zip');
    const files = unzipSync(new Uint8Array(exported.bytes));
    expect(Object.keys(files).sort()).toEqual([
      'README.md',
      'adapter_config.json',
      'adapter_model.safetensors',
      'punchline.json',
    ]);
    expect(JSON.parse(strFromU8(files['punchline.json']!)).name).toBe('punchy');
    const weights = parseSafetensors(files['adapter_model.safetensors']!, 'exported');
    for (const [name, tensor] of adapter.tensors) expect(readFloat32(weights, name)).toEqual(tensor.data);

    await service.remove('adapter-1');
    expect(await service.list(null)).toEqual([]);
    await expect(service.details('adapter-1')).rejects.toThrow(/No stored adapter has the id "adapter-1"/);
  });

  it('refuses an adapter for another base, naming the tensor, and one whose base hash differs', async () => {
    const other = { ...tinyConfig, hiddenSize: 32, headDim: 8 };
    const wrongShape = exportPeftZip(randomAdapter(other, ['q_proj'], 1), { config: other });
    await expect(service.importAdapter(MODEL_ID, 'x', zipOf(wrongShape))).rejects.toThrow(
      /q_proj\.lora_A\.weight/,
    );
    const wrongHash = exportPeftZip(randomAdapter(tinyConfig, ['q_proj'], 1, metaFor('x', 'ab12')), {
      config: tinyConfig,
    });
    await expect(service.importAdapter(MODEL_ID, 'x', zipOf(wrongHash))).rejects.toThrow(
      /load that base model first/,
    );
    await expect(service.importAdapter('missing', 'x', zipOf(wrongHash))).rejects.toThrow(
      /not stored in this browser/,
    );
    expect(await service.list(null)).toEqual([]);
  });

  it('exports the merged model as a Hugging Face folder zip', async () => {
    await service.importAdapter(
      MODEL_ID,
      'm',
      zipOf(exportPeftZip(randomAdapter(tinyConfig, ['o_proj'], 3), { config: tinyConfig })),
    );
    const merged = await service.exportMerged('adapter-1', job());
    const files = unzipSync(new Uint8Array(merged.bytes));
    expect(Object.keys(files).sort()).toEqual([
      'README.md',
      'config.json',
      'model.safetensors',
      'tokenizer.json',
      'tokenizer_config.json',
    ]);
    const weights = parseSafetensors(files['model.safetensors']!, 'merged');
    expect(weights.tensors.map((t) => t.name)).toContain('model.layers.1.self_attn.o_proj.weight');
  });

  it('compares base and adapter with the same seed: deterministic, and the adapter changes the text', async () => {
    await service.importAdapter(
      MODEL_ID,
      'c',
      zipOf(
        exportPeftZip(randomAdapter(tinyConfig, ['q_proj', 'v_proj', 'o_proj'], 9, null, 2), {
          config: tinyConfig,
        }),
      ),
    );
    const payload: ComparePayload = {
      modelId: MODEL_ID,
      adapterA: null,
      adapterB: 'adapter-1',
      prompts: ['Why did', 'A cat'],
      language: 'en',
      control: 'funny',
      seed: 42,
      maxNewTokens: 6,
      sampling: DEFAULT_SAMPLING,
    };
    const events: { done: number; total: number }[] = [];
    const first = await service.compare(payload, job(events));
    const again = await service.compare(payload, job());
    expect(again.rows).toEqual(first.rows);
    expect(events.at(-1)).toEqual({ done: 4, total: 4 });
    expect(first.rows.map((r) => r.prompt)).toEqual(['Why did', 'A cat']);
    expect(first.rows.some((r) => r.a !== r.b)).toBe(true);
    const same = await service.compare({ ...payload, adapterA: 'adapter-1' }, job());
    for (const row of same.rows) expect(row.a).toBe(row.b);
  });

  it('exports a GPU handoff bundle from a stored dataset version', async () => {
    const rows = Array.from({ length: 10 }, (_, i) => ({
      id: i,
      line: i + 2,
      text: `Joke number ${i} walks into a bar.`,
      label: i % 3 === 0 ? 'not funny' : 'funny',
      extra: {},
    }));
    await addDatasetVersion(db, {
      id: 'ds-1',
      name: 'bar jokes',
      parentId: null,
      createdAt: 1,
      change: { kind: 'import', fileName: 'bar.csv' },
      rows,
    } as never);
    const bundle = await service.exportHandoff(
      {
        modelId: MODEL_ID,
        datasetVersionId: 'ds-1',
        jobName: 'bar',
        settings: { rank: 4, alpha: 8, targets: ['q', 'v'], steps: 20, funnyOnly: false },
      },
      job(),
    );
    const files = unzipSync(new Uint8Array(bundle.bytes));
    expect(Object.keys(files).sort()).toEqual([
      'README.md',
      'adapter_config.json',
      'data/train.jsonl',
      'data/validation.jsonl',
      'train_lora.py',
      'training.json',
    ]);
    const lines = [
      ...strFromU8(files['data/train.jsonl']!).trim().split('\n'),
      ...strFromU8(files['data/validation.jsonl']!).trim().split('\n'),
    ];
    expect(lines).toHaveLength(10);
    expect(new Set(lines.map((l) => JSON.parse(l).control))).toEqual(new Set(['<|funny|>', '<|not_funny|>']));
    expect(JSON.parse(strFromU8(files['adapter_config.json']!))).toMatchObject({
      r: 4,
      lora_alpha: 8,
      target_modules: ['q_proj', 'v_proj'],
    });
    expect(JSON.parse(strFromU8(files['training.json']!))).toMatchObject({
      steps: 20,
      base_model: { contentHash },
    });
  });
});

describe('stored adapters for the trainer and generation', () => {
  it('stores a trained adapter and hands its LoRA tensors to generation, refusing another base', async () => {
    const adapter = randomAdapter(tinyConfig, ['k_proj'], 6, metaFor('trained', contentHash));
    const summary = await saveTrainedAdapter(db, MODEL_ID, adapter, 'trained-1');
    expect(summary).toMatchObject({ id: 'trained-1', name: 'trained', targetModules: ['k_proj'] });
    const loaded = await loadGenerationAdapter(db, 'trained-1', MODEL_ID);
    expect(loaded.lora).toEqual({ rank: 2, alpha: 4, targets: ['k_proj'] });
    for (const [name, tensor] of adapter.tensors) expect(loaded.tensors.get(name)?.data).toEqual(tensor.data);
    await expect(loadGenerationAdapter(db, 'trained-1', 'other-model')).rejects.toThrow(
      /made for base model "tiny-test", not "other-model"/,
    );
  });

  it('imports the two PEFT files without a zip', async () => {
    const files = exportPeftFiles(randomAdapter(tinyConfig, ['up_proj'], 8), { config: tinyConfig });
    const buffer = (name: string) => files[name]!.slice().buffer;
    const summary = await service.importAdapter(MODEL_ID, 'two files', {
      kind: 'files',
      config: buffer('adapter_config.json'),
      weights: buffer('adapter_model.safetensors'),
    });
    expect(summary).toMatchObject({ name: 'two files', targetModules: ['up_proj'] });
  });
});
