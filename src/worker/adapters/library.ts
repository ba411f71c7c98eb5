/**
 * Stored adapters <-> PEFT adapters: every adapter read back from IndexedDB is validated against its base
 * model again, so a record that no longer fits is reported, not run.
 */
import {
  ADAPTER_CONFIG_FILE,
  ADAPTER_WEIGHTS_FILE,
  exportPeftFiles,
  importPeftAdapter,
  parsePunchlineMeta,
  punchlineMetaJson,
  type AdapterSource,
  type PeftAdapter,
} from '../../formats/peft/index.ts';
import { getAdapter, type AdapterRecord, type PunchlineDb } from '../../storage/index.ts';
import { WorkerError } from '../errors.ts';
import type { StoredBase } from './base-model.ts';
import type { AdapterDetails, AdapterImportSource, AdapterSummary } from './types.ts';

const decoder = new TextDecoder();

export async function storedAdapter(db: PunchlineDb, id: string): Promise<AdapterRecord> {
  const record = await getAdapter(db, id);
  if (!record) throw new WorkerError('AdapterNotFound', `No stored adapter has the id "${id}".`);
  return record;
}

function taskTypeOf(record: AdapterRecord): AdapterSummary['taskType'] {
  return record.config['task_type'] === 'SEQ_CLS' ? 'SEQ_CLS' : 'CAUSAL_LM';
}

export function summaryOf(record: AdapterRecord): AdapterSummary {
  return {
    id: record.id,
    name: record.name,
    baseModelId: record.baseModelId,
    createdAt: record.createdAt,
    taskType: taskTypeOf(record),
    rank: record.rank,
    alpha: record.alpha,
    targetModules: [...record.targetModules],
    bytes: record.weights.byteLength,
  };
}

export function metaOf(record: AdapterRecord): PeftAdapter['meta'] {
  return record.meta === undefined ? null : parsePunchlineMeta(JSON.stringify(record.meta));
}

/** The record as a PEFT adapter, checked against the base it is stored under. */
export function adapterOf(record: AdapterRecord, base: StoredBase): PeftAdapter {
  const meta = record.meta === undefined ? undefined : JSON.stringify(record.meta);
  return importPeftAdapter(
    {
      kind: 'files',
      config: JSON.stringify(record.config),
      weights: new Uint8Array(record.weights),
      ...(meta === undefined ? {} : { meta }),
    },
    base.info,
  );
}

export function detailsOf(record: AdapterRecord, adapter: PeftAdapter): AdapterDetails {
  const meta = adapter.meta;
  return {
    ...summaryOf(record),
    lineage:
      meta === null
        ? null
        : {
            baseModelName: meta.baseModel.name,
            baseModelHash: meta.baseModel.contentHash,
            datasetVersion: meta.dataset?.version ?? null,
            hyperparameters: meta.hyperparameters,
            metrics: meta.metrics,
            controlCodes: meta.controlCodes,
            labels: meta.labels,
          },
    tensors: [...adapter.tensors].map(([name, t]) => ({ name, shape: [...t.shape] })),
  };
}

function sourceOf(source: AdapterImportSource): AdapterSource {
  if (source.kind === 'zip')
    return { kind: 'zip', bytes: new Uint8Array(source.bytes), label: source.fileName };
  return {
    kind: 'files',
    config: new Uint8Array(source.config),
    weights: new Uint8Array(source.weights),
    ...(source.meta === undefined ? {} : { meta: new Uint8Array(source.meta) }),
  };
}

function importName(requested: string | null, adapter: PeftAdapter, source: AdapterImportSource): string {
  const given = requested?.trim();
  if (given) return given;
  if (adapter.meta) return adapter.meta.name;
  return source.kind === 'zip' ? source.fileName.replace(/\.zip$/i, '') : 'imported adapter';
}

/** The record to store for an adapter already checked against `base` (PEFT files normalised by our export). */
export function recordFromAdapter(
  adapter: PeftAdapter,
  base: StoredBase,
  name: string,
  id: string,
  now: number,
): AdapterRecord {
  const files = exportPeftFiles(adapter, base.info);
  const weights = files[ADAPTER_WEIGHTS_FILE] as Uint8Array;
  const record: AdapterRecord = {
    id,
    name,
    baseModelId: base.manifest.id,
    createdAt: now,
    rank: adapter.config.rank,
    alpha: adapter.config.alpha,
    targetModules: [...adapter.config.targetModules],
    weights: weights.slice().buffer,
    config: JSON.parse(decoder.decode(files[ADAPTER_CONFIG_FILE])) as Record<string, unknown>,
  };
  if (adapter.meta) record.meta = JSON.parse(punchlineMetaJson(adapter.meta)) as Record<string, unknown>;
  return record;
}

/** Parses and validates an upload against the base; returns the record to store. */
export function recordFromUpload(
  source: AdapterImportSource,
  base: StoredBase,
  name: string | null,
  id: string,
  now: number,
): AdapterRecord {
  const adapter = importPeftAdapter(sourceOf(source), base.info);
  return recordFromAdapter(adapter, base, importName(name, adapter, source), id, now);
}
