/** The worker's Data area: every dataset request runs here, so parsing and auditing never touch the UI thread. */
import { runAudit, type FullAuditReport } from '../../data/audit/run.ts';
import { exportCsv, exportJsonl, exportRejectedCsv, encodeUtf8 } from '../../data/export.ts';
import { IngestError, ingestFile, labelClassifier } from '../../data/ingest/index.ts';
import type { DatasetRow } from '../../data/types.ts';
import {
  applyFix,
  createImportVersion,
  remapVersion,
  systemClock,
  type DatasetVersion,
  type VersionClock,
} from '../../data/versions.ts';
import type { PunchlineDb } from '../../storage/index.ts';
import { WorkerError } from '../errors.ts';
import type { Job } from '../handler.ts';
import type { Payload, Result } from '../protocol.ts';
import { fixRequestFor } from './fixes.ts';
import { loadAllVersions, loadVersion, storeVersion, type LoadedVersion } from './records.ts';
import type { AuditProgress, ExportedFile } from './requests.ts';
import { throttle } from './throttle.ts';
import { auditViewOf, findingPage, summarize, viewOf } from './views.ts';

const PROGRESS_INTERVAL_MS = 100;
const VERSIONS_KEPT = 4;

interface Audited {
  report: FullAuditReport;
  rowsById: Map<number, DatasetRow>;
}

/** A few recent entries, oldest evicted first: versions and reports are large, the UI works on one at a time. */
class Recent<V> {
  private readonly entries = new Map<string, V>();
  constructor(private readonly capacity: number) {}
  get(key: string): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }
  set(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.capacity) break;
      this.entries.delete(oldest);
    }
  }
}

function baseName(name: string): string {
  return name.replace(/\.(csv|tsv|txt|jsonl|json|gz)$/i, '') || 'dataset';
}

function ownBuffer(bytes: Uint8Array): ArrayBuffer {
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  return (whole ? bytes.buffer : bytes.slice().buffer) as ArrayBuffer;
}

export class DataService {
  private readonly versions = new Recent<LoadedVersion>(VERSIONS_KEPT);
  private readonly audits = new Recent<Audited>(3);

  constructor(
    private readonly database: () => Promise<PunchlineDb>,
    private readonly clock: VersionClock = systemClock,
  ) {}

  async ingest(
    payload: Payload<'ingestDataset'>,
    job: Job<'ingestDataset'>,
  ): Promise<Result<'ingestDataset'>> {
    const progress = throttle(job.progress, PROGRESS_INTERVAL_MS, (p) => p.fraction >= 1);
    let result;
    try {
      result = await ingestFile(
        new Uint8Array(payload.bytes),
        {
          fileName: payload.fileName,
          ...(payload.encoding ? { encoding: payload.encoding } : {}),
          ...(payload.mapping ? { mapping: payload.mapping } : {}),
        },
        progress,
        job.signal,
      );
    } catch (error) {
      if (!(error instanceof IngestError)) throw error;
      throw new WorkerError('IngestError', error.message, {
        code: error.code,
        rejected: error.rejected.length,
      });
    }
    const version = createImportVersion(result, payload.fileName, this.clock);
    const loaded: LoadedVersion = {
      version,
      ingest: {
        encoding: result.encoding,
        flagged: result.flagged,
        rejected: result.rejected,
        warnings: result.warnings,
      },
    };
    await storeVersion(await this.database(), version, loaded.ingest);
    this.versions.set(version.id, loaded);
    return viewOf(version, loaded);
  }

  async list(): Promise<Result<'listDatasets'>> {
    const all = (await loadAllVersions(await this.database())).sort(
      (a, b) => b.version.createdAt - a.version.createdAt || b.version.number - a.version.number,
    );
    // The UI opens the newest version next: keep the newest ones, already read, instead of reading them again.
    for (const loaded of all.slice(0, VERSIONS_KEPT).reverse()) this.versions.set(loaded.version.id, loaded);
    return all.map(({ version }) => summarize(version));
  }

  async view(versionId: string): Promise<Result<'loadDatasetVersion'>> {
    const loaded = await this.load(versionId);
    return viewOf(loaded.version, await this.origin(loaded.version));
  }

  async remap({ versionId, mapping }: Payload<'remapDataset'>): Promise<Result<'remapDataset'>> {
    const { version } = await this.load(versionId);
    return this.store(remapVersion(version, mapping, this.clock));
  }

  async audit(
    { versionId }: Payload<'auditDataset'>,
    job: Job<'auditDataset'>,
  ): Promise<Result<'auditDataset'>> {
    const { report } = await this.audited(versionId, job, false);
    return auditViewOf(versionId, report);
  }

  async findings(query: Payload<'datasetFindings'>): Promise<Result<'datasetFindings'>> {
    const audited = this.audits.get(query.versionId);
    if (!audited) {
      throw new WorkerError('AuditMissing', 'This version has not been audited yet: run the audit first.', {
        versionId: query.versionId,
      });
    }
    return findingPage(audited.report, audited.rowsById, query);
  }

  async fix(
    { versionId, fix }: Payload<'fixDataset'>,
    job: Job<'fixDataset'>,
  ): Promise<Result<'fixDataset'>> {
    const { version } = await this.load(versionId);
    const { report } = await this.audited(versionId, job, true);
    return this.store(applyFix(version, fixRequestFor(version.rows, report, fix), this.clock));
  }

  async export(
    { versionId, format }: Payload<'exportDataset'>,
    job: Job<'exportDataset'>,
  ): Promise<ExportedFile> {
    const { version } = await this.load(versionId);
    const name = baseName(version.name);
    let file: { fileName: string; mimeType: string; text: string };
    if (format === 'rejected') {
      const origin = await this.origin(version);
      file = {
        fileName: `${name}-rejected.csv`,
        mimeType: 'text/csv',
        text: exportRejectedCsv(origin.ingest?.rejected ?? []),
      };
    } else if (format === 'jsonl') {
      file = {
        fileName: `${name}-v${version.number}.jsonl`,
        mimeType: 'application/jsonl',
        text: exportJsonl(version.rows, version.mapping),
      };
    } else {
      file = {
        fileName: `${name}-v${version.number}.csv`,
        mimeType: 'text/csv',
        text: exportCsv(version.rows, version.mapping),
      };
    }
    const bytes = ownBuffer(encodeUtf8(file.text));
    job.transferResult(bytes);
    return { fileName: file.fileName, mimeType: file.mimeType, bytes };
  }

  private async store(version: DatasetVersion): Promise<Result<'fixDataset'>> {
    await storeVersion(await this.database(), version, null);
    const loaded: LoadedVersion = { version, ingest: null };
    this.versions.set(version.id, loaded);
    return viewOf(version, await this.origin(version));
  }

  private async load(versionId: string): Promise<LoadedVersion> {
    const cached = this.versions.get(versionId);
    if (cached) return cached;
    const loaded = await loadVersion(await this.database(), versionId);
    this.versions.set(versionId, loaded);
    return loaded;
  }

  /** The import the version descends from; it holds the ingest report. */
  private origin(version: DatasetVersion): Promise<LoadedVersion> {
    return this.load(version.datasetId);
  }

  private async audited(
    versionId: string,
    job: Job<'auditDataset'> | Job<'fixDataset'>,
    reuse: boolean,
  ): Promise<Audited> {
    const cached = reuse ? this.audits.get(versionId) : undefined;
    if (cached) return cached;
    const { version } = await this.load(versionId);
    const progress = throttle<AuditProgress>(
      (p) => job.progress(p),
      PROGRESS_INTERVAL_MS,
      (p) => p.fraction >= 1,
    );
    const report = await runAudit(
      version.rows,
      { labelSpec: labelClassifier(version.labelScheme) },
      progress,
      job.signal,
    );
    const audited = { report, rowsById: new Map(version.rows.map((row) => [row.id, row])) };
    this.audits.set(versionId, audited);
    return audited;
  }
}
