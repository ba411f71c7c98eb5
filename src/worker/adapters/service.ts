/**
 * The worker side of the Adapters library: list, rename, delete, details, PEFT export and import (validated
 * against the stored base model), merged-model export, the GPU handoff bundle and side-by-side comparison.
 */
import { mergedModelFiles, mergeLora } from '../../formats/peft/merge.ts';
import { exportPeftZip, type PeftAdapter } from '../../formats/peft/index.ts';
import { writeZip } from '../../formats/peft/zip.ts';
import type { BackendReport } from '../../runtime/backend.ts';
import type { Runtime } from '../../runtime/types.ts';
import {
  deleteAdapter,
  getDatasetVersion,
  listAdapters,
  putAdapter,
  type PunchlineDb,
} from '../../storage/index.ts';
import { readTokenizer } from '../generate/decoder-model.ts';
import { WorkerError } from '../errors.ts';
import { readBase, readBaseFiles, type StoredBase } from './base-model.ts';
import { compareGenerations } from './compare.ts';
import { handoffZip } from './handoff-job.ts';
import { adapterOf, detailsOf, recordFromUpload, storedAdapter, summaryOf } from './library.ts';
import type {
  AdapterDetails,
  AdapterImportSource,
  AdapterSummary,
  ComparePayload,
  CompareResult,
  DownloadFile,
  HandoffPayload,
} from './types.ts';

export interface AdapterJob<P> {
  readonly signal: AbortSignal;
  checkpoint(): Promise<void>;
  progress(event: P): void;
  transferResult(...buffers: Transferable[]): void;
}

const fileSafe = (name: string): string =>
  name.replace(/[^\p{L}\p{N}._-]+/gu, '-').replace(/^-+|-+$/g, '') || 'adapter';

function download(
  job: AdapterJob<never>,
  fileName: string,
  mimeType: string,
  bytes: Uint8Array,
): DownloadFile {
  const buffer =
    bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
      ? (bytes.buffer as ArrayBuffer)
      : (bytes.slice().buffer as ArrayBuffer);
  job.transferResult(buffer);
  return { fileName, mimeType, bytes: buffer };
}

export class AdapterService {
  constructor(
    private readonly database: () => Promise<PunchlineDb>,
    private readonly backend: () => Promise<BackendReport>,
    private readonly runtime: Runtime,
    private readonly newId: () => string = () => crypto.randomUUID(),
  ) {}

  async list(modelId: string | null): Promise<AdapterSummary[]> {
    const records = await listAdapters(await this.database(), modelId ?? undefined);
    return records.map(summaryOf).sort((a, b) => b.createdAt - a.createdAt);
  }

  async details(id: string): Promise<AdapterDetails> {
    const { record, adapter } = await this.open(id);
    return detailsOf(record, adapter);
  }

  async rename(id: string, name: string): Promise<AdapterSummary> {
    const trimmed = name.trim();
    if (trimmed === '') throw new WorkerError('InvalidRequest', 'An adapter name cannot be empty.');
    const db = await this.database();
    const record = await storedAdapter(db, id);
    const renamed = { ...record, name: trimmed };
    if (renamed.meta) renamed.meta = { ...renamed.meta, name: trimmed };
    await putAdapter(db, renamed);
    return summaryOf(renamed);
  }

  async remove(id: string): Promise<{ id: string }> {
    const db = await this.database();
    await storedAdapter(db, id);
    await deleteAdapter(db, id);
    return { id };
  }

  async importAdapter(
    modelId: string,
    name: string | null,
    source: AdapterImportSource,
  ): Promise<AdapterSummary> {
    const db = await this.database();
    const base = await readBase(db, modelId);
    const record = recordFromUpload(source, base, name, this.newId(), Date.now());
    await putAdapter(db, record);
    return summaryOf(record);
  }

  async exportAdapter(id: string, job: AdapterJob<never>): Promise<DownloadFile> {
    const { record, adapter, base } = await this.open(id);
    return download(
      job,
      `${fileSafe(record.name)}.zip`,
      'application/zip',
      exportPeftZip(adapter, base.info),
    );
  }

  async exportMerged(id: string, job: AdapterJob<never>): Promise<DownloadFile> {
    const db = await this.database();
    const { record, adapter, base } = await this.open(id);
    const { files, weights } = await readBaseFiles(db, base);
    await job.checkpoint();
    const merged = mergeLora(base.config, weights, adapter);
    const card = `# ${record.name} (merged)\n\nThe base model "${base.manifest.name}" (model.safetensors sha256 ${base.contentHash}) with the LoRA adapter "${record.name}" (r=${record.rank}, alpha=${record.alpha}, ${record.targetModules.join(', ')}) folded in: W' = W + (alpha/r)·B·A. Load it with transformers' AutoModelForCausalLM.from_pretrained(folder).\n`;
    const zip = writeZip(mergedModelFiles(base.config, files, merged, card), ['model.safetensors']);
    return download(job, `${fileSafe(record.name)}-merged.zip`, 'application/zip', zip);
  }

  async exportHandoff(payload: HandoffPayload, job: AdapterJob<never>): Promise<DownloadFile> {
    const db = await this.database();
    const base = await readBase(db, payload.modelId);
    const version = await getDatasetVersion(db, payload.datasetVersionId);
    if (!version)
      throw new WorkerError(
        'DatasetNotFound',
        `No stored dataset version has the id "${payload.datasetVersionId}".`,
      );
    const zip = handoffZip(payload, base, version);
    return download(job, `${fileSafe(payload.jobName || version.name)}-gpu-job.zip`, 'application/zip', zip);
  }

  async compare(
    payload: ComparePayload,
    job: AdapterJob<{ done: number; total: number }>,
  ): Promise<CompareResult> {
    const db = await this.database();
    const base = await readBase(db, payload.modelId);
    const side = async (id: string | null): Promise<PeftAdapter | null> => {
      if (id === null) return null;
      const opened = await this.open(id);
      if (opened.record.baseModelId !== payload.modelId)
        throw new WorkerError(
          'AdapterBaseMismatch',
          `Adapter "${opened.record.name}" belongs to base model "${opened.record.baseModelId}", not "${payload.modelId}".`,
        );
      return opened.adapter;
    };
    const adapters = { a: await side(payload.adapterA), b: await side(payload.adapterB) };
    const { files, weights } = await readBaseFiles(db, base);
    const buffers = new Map([...files].map(([name, bytes]) => [name, bytes.slice().buffer as ArrayBuffer]));
    const tokenizer = readTokenizer(payload.modelId, buffers);
    const report = await this.backend();
    // onnxruntime-node (tests, tools) has only the CPU provider.
    const provider = this.runtime.name === 'onnxruntime-node' ? 'cpu' : report.backend;
    const rows = await compareGenerations(
      this.runtime,
      provider,
      { config: base.config, weights, tokenizer },
      adapters,
      payload,
      {
        signal: job.signal,
        checkpoint: () => job.checkpoint(),
        onPrompt: (done, total) => job.progress({ done, total }),
      },
    );
    return { rows, backend: report.label };
  }

  private async open(
    id: string,
  ): Promise<{ record: Awaited<ReturnType<typeof storedAdapter>>; adapter: PeftAdapter; base: StoredBase }> {
    const db = await this.database();
    const record = await storedAdapter(db, id);
    const base = await readBase(db, record.baseModelId);
    return { record, adapter: adapterOf(record, base), base };
  }
}
