/** A tiny stored base model and LoRA adapters for it, built in memory. */
import { parseModelConfig, type ModelConfig } from '../../../src/engine/arch/config.ts';
import { seededNormal } from '../../../src/engine/arch/init.ts';
import { loraTable } from '../../../src/engine/arch/lora.ts';
import type { AdapterTensor, PeftAdapter, PunchlineMeta } from '../../../src/formats/peft/index.ts';
import { putModel, type PunchlineDb } from '../../../src/storage/index.ts';
import { tinyConfigJson, tinyModelFiles } from '../generate/tiny-model.ts';

export const MODEL_ID = 'tiny-test';
export const tinyConfig: ModelConfig = parseModelConfig(tinyConfigJson);

export async function storeTinyModel(db: PunchlineDb): Promise<void> {
  const files = [...tinyModelFiles()].map(([name, bytes]) => ({ name, bytes }));
  await putModel(db, { id: MODEL_ID, name: 'Tiny test model', source: 'test' }, files);
}

/** A CAUSAL_LM adapter with random A and B (std `scale`), so it visibly changes the model. */
export function randomAdapter(
  config: ModelConfig,
  targets: string[],
  seed: number,
  meta: PunchlineMeta | null = null,
  scale = 0.5,
): PeftAdapter {
  const lora = { rank: 2, alpha: 4, targets };
  const normal = seededNormal(seed);
  const tensors = new Map<string, AdapterTensor>();
  for (const spec of loraTable(config, lora)) {
    for (const [name, shape] of [
      [spec.aName, spec.aShape],
      [spec.bName, spec.bShape],
    ] as const) {
      tensors.set(name, {
        shape: [...shape],
        data: Float32Array.from({ length: shape[0] * shape[1] }, () => normal() * scale),
      });
    }
  }
  return {
    config: {
      taskType: 'CAUSAL_LM',
      rank: 2,
      alpha: 4,
      dropout: 0,
      targetModules: targets,
      baseModelNameOrPath: null,
      fanInFanOut: config.arch === 'gpt2',
    },
    tensors,
    meta,
  };
}

export function metaFor(name: string, contentHash: string): PunchlineMeta {
  return {
    format: 'punchline-adapter',
    version: 1,
    name,
    createdAt: '2026-12-03T00:00:00Z',
    baseModel: { name: 'Tiny test model', contentHash, arch: 'llama' },
    dataset: { version: 'dataset-v2', auditSummary: { rows: 40 } },
    hyperparameters: { rank: 2, alpha: 4, learningRate: 0.002 },
    metrics: { validationLossBefore: 3.2, validationLossAfter: 2.5 },
    labels: ['funny'],
    controlCodes: ['<|funny|>'],
  };
}
