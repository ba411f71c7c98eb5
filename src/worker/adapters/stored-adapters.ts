/**
 * The library's entry points for other worker modules: the trainer stores the adapter it trained, and
 * generation loads the active adapter's LoRA tensors (validated against the base) to bind them as decode-graph
 * inputs (buildDecodeGraph's `lora` option).
 */
import type { LoraConfig } from '../../engine/arch/lora.ts';
import type { AdapterTensor, PeftAdapter } from '../../formats/peft/index.ts';
import { putAdapter, type PunchlineDb } from '../../storage/index.ts';
import { WorkerError } from '../errors.ts';
import { readBase } from './base-model.ts';
import { adapterOf, recordFromAdapter, storedAdapter, summaryOf } from './library.ts';
import type { AdapterSummary } from './types.ts';

/** Validates a trained adapter against the stored base model and stores it; `meta.name` names it. */
export async function saveTrainedAdapter(
  db: PunchlineDb,
  modelId: string,
  adapter: PeftAdapter,
  id: string = crypto.randomUUID(),
): Promise<AdapterSummary> {
  const base = await readBase(db, modelId);
  const record = recordFromAdapter(adapter, base, adapter.meta?.name ?? 'trained adapter', id, Date.now());
  await putAdapter(db, record);
  return summaryOf(record);
}

export interface GenerationAdapter {
  lora: LoraConfig;
  /** PEFT tensor name -> data, the decode graph's LoRA input names. */
  tensors: Map<string, AdapterTensor>;
}

/** The stored adapter as decode-graph inputs, after checking it belongs to `modelId` and generates text. */
export async function loadGenerationAdapter(
  db: PunchlineDb,
  adapterId: string,
  modelId: string,
): Promise<GenerationAdapter> {
  const record = await storedAdapter(db, adapterId);
  if (record.baseModelId !== modelId)
    throw new WorkerError(
      'AdapterBaseMismatch',
      `Adapter "${record.name}" was made for base model "${record.baseModelId}", not "${modelId}".`,
    );
  const adapter = adapterOf(record, await readBase(db, modelId));
  if (adapter.config.taskType !== 'CAUSAL_LM')
    throw new WorkerError(
      'InvalidRequest',
      `Adapter "${record.name}" is a classifier; it does not generate text.`,
    );
  const { rank, alpha, targetModules } = adapter.config;
  return { lora: { rank, alpha, targets: targetModules }, tensors: adapter.tensors };
}
