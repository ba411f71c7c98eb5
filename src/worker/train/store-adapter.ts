/** Saves a trained adapter into the adapters store in the record shape the Generate and Adapters areas read. */
import {
  ADAPTER_CONFIG_FILE,
  ADAPTER_WEIGHTS_FILE,
  exportPeftFiles,
  punchlineMetaJson,
} from '../../formats/peft/index.ts';
import { putAdapter, type AdapterRecord, type PunchlineDb } from '../../storage/index.ts';
import { toPeftAdapter, type AdapterNaming } from '../../train/adapter-export.ts';
import type { TrainResult } from '../../train/trainer.ts';
import type { StoredBase } from '../adapters/base-model.ts';

export async function storeTrainedAdapter(
  db: PunchlineDb,
  base: StoredBase,
  result: TrainResult,
  naming: Pick<AdapterNaming, 'name' | 'dataset'>,
): Promise<string> {
  const adapter = toPeftAdapter(result, base.config, {
    ...naming,
    baseModel: { name: base.manifest.name, contentHash: base.contentHash },
  });
  const files = exportPeftFiles(adapter, base.info);
  const weights = files[ADAPTER_WEIGHTS_FILE] as Uint8Array;
  const record: AdapterRecord = {
    id: crypto.randomUUID(),
    name: naming.name,
    baseModelId: base.manifest.id,
    createdAt: Date.now(),
    rank: adapter.config.rank,
    alpha: adapter.config.alpha,
    targetModules: [...adapter.config.targetModules],
    weights: weights.slice().buffer,
    config: JSON.parse(new TextDecoder().decode(files[ADAPTER_CONFIG_FILE])) as Record<string, unknown>,
  };
  if (adapter.meta) record.meta = JSON.parse(punchlineMetaJson(adapter.meta)) as Record<string, unknown>;
  await putAdapter(db, record);
  return record.id;
}
