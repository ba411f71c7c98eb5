import { createStore, type StoreApi } from 'zustand/vanilla';
import { CancelledError, WorkerError } from '../../../worker/errors.ts';
import type {
  AuditView,
  CheckId,
  ColumnMapping,
  DatasetVersionSummary,
  DatasetVersionView,
  ExportFormat,
  FindingPage,
  FixChoice,
  TextEncodingName,
} from '../../../worker/data/requests.ts';
import type { WorkerClient } from '../../client/workerClient.ts';
import { saveFile } from './download.ts';

export type EncodingOverride = 'auto' | TextEncodingName;

export type IngestState =
  | { status: 'idle' }
  | { status: 'reading'; fileName: string; fraction: number; rows: number }
  | { status: 'failed'; fileName: string; message: string };

export type AuditState =
  | { status: 'idle' }
  | { status: 'running'; versionId: string; fraction: number; step: string }
  | { status: 'ready'; view: AuditView }
  | { status: 'failed'; versionId: string; message: string };

export const FINDINGS_PER_PAGE = 25;

export interface DataState {
  versions: DatasetVersionSummary[];
  current: DatasetVersionView | null;
  encoding: EncodingOverride;
  /** The file last read, kept so it can be read again with another encoding. */
  lastFile: File | null;
  ingest: IngestState;
  audit: AuditState;
  findings: { check: CheckId | null; page: FindingPage | null };
  /** What a short action (fix, re-map, export) is doing; null when idle. */
  busy: string | null;
  /** The last error an action here produced, in words. */
  message: string | null;
  actions: {
    /** Lists the stored versions and opens the newest; later calls do nothing, the list is kept current here. */
    start(): Promise<void>;
    setEncoding(encoding: EncodingOverride): void;
    readFile(file: File): Promise<void>;
    rereadFile(): Promise<void>;
    cancelIngest(): void;
    openVersion(versionId: string): Promise<void>;
    remap(mapping: ColumnMapping): Promise<void>;
    runAudit(): Promise<void>;
    cancelAudit(): void;
    showFindings(check: CheckId | null, offset: number): Promise<void>;
    applyFix(fix: FixChoice, what: string): Promise<void>;
    exportVersion(versionId: string, format: ExportFormat): Promise<void>;
  };
}

export type DataStore = StoreApi<DataState>;

function describe(error: unknown): string {
  return error instanceof WorkerError || error instanceof Error ? error.message : 'Unknown error.';
}

/** The Data area's state; its actions are the only code here that calls the worker client. */
export function createDataStore(client: WorkerClient): DataStore {
  let ingestControl: AbortController | null = null;
  let auditControl: AbortController | null = null;
  let started = false;

  return createStore<DataState>()((set, get) => {
    const refresh = async () => {
      try {
        set({ versions: await client.request('listDatasets', {}) });
      } catch (error) {
        set({ message: describe(error) });
      }
    };

    /** Shows a version; the audit and findings shown belong to it or are cleared. */
    const show = (view: DatasetVersionView) => {
      const audit = get().audit;
      // A report on another version would be shown under this one: stop it and clear what was shown.
      if (audit.status === 'running' && audit.versionId !== view.id) auditControl?.abort();
      const sameVersion = audit.status === 'ready' && audit.view.versionId === view.id;
      set({
        current: view,
        message: null,
        ...(sameVersion ? {} : { audit: { status: 'idle' }, findings: { check: null, page: null } }),
      });
    };

    /** A version the worker just stored: shown, and listed without reading every stored version again. */
    const added = (view: DatasetVersionView) => {
      show(view);
      const { id, datasetId, parentId, name, number, createdAt, rowCount, change } = view;
      const summary = { id, datasetId, parentId, name, number, createdAt, rowCount, change };
      set({ versions: [summary, ...get().versions.filter((v) => v.id !== id)] });
    };

    const busyWith = async (label: string, work: () => Promise<void>) => {
      if (get().busy) return;
      set({ busy: label, message: null });
      try {
        await work();
      } catch (error) {
        if (!(error instanceof CancelledError)) set({ message: describe(error) });
      } finally {
        set({ busy: null });
      }
    };

    const read = async (file: File) => {
      if (get().ingest.status === 'reading') return;
      ingestControl = new AbortController();
      set({
        lastFile: file,
        message: null,
        ingest: { status: 'reading', fileName: file.name, fraction: 0, rows: 0 },
      });
      try {
        const bytes = await file.arrayBuffer();
        const encoding = get().encoding;
        const view = await client.request(
          'ingestDataset',
          { fileName: file.name, bytes, encoding: encoding === 'auto' ? null : encoding, mapping: null },
          {
            transfer: [bytes],
            signal: ingestControl.signal,
            onProgress: (p) =>
              set({
                ingest: {
                  status: 'reading',
                  fileName: file.name,
                  fraction: p.fraction,
                  rows: p.recordsSoFar,
                },
              }),
          },
        );
        set({ ingest: { status: 'idle' } });
        added(view);
      } catch (error) {
        set({
          ingest:
            error instanceof CancelledError
              ? { status: 'idle' }
              : { status: 'failed', fileName: file.name, message: describe(error) },
        });
      } finally {
        ingestControl = null;
      }
    };

    return {
      versions: [],
      current: null,
      encoding: 'auto',
      lastFile: null,
      ingest: { status: 'idle' },
      audit: { status: 'idle' },
      findings: { check: null, page: null },
      busy: null,
      message: null,
      actions: {
        async start() {
          if (started) return;
          started = true;
          await refresh();
          const newest = get().versions[0];
          if (!get().current && newest) await get().actions.openVersion(newest.id);
        },
        setEncoding(encoding) {
          set({ encoding });
        },
        readFile: read,
        async rereadFile() {
          const file = get().lastFile;
          if (file) await read(file);
        },
        cancelIngest() {
          ingestControl?.abort();
        },
        async openVersion(versionId) {
          await busyWith('Opening version…', async () => {
            show(await client.request('loadDatasetVersion', { versionId }));
          });
        },
        async remap(mapping) {
          const current = get().current;
          if (!current) return;
          await busyWith('Re-mapping columns…', async () => {
            added(await client.request('remapDataset', { versionId: current.id, mapping }));
          });
        },
        async runAudit() {
          const current = get().current;
          if (!current || get().audit.status === 'running') return;
          const control = new AbortController();
          auditControl = control;
          const versionId = current.id;
          const stillShown = () => get().current?.id === versionId;
          set({ audit: { status: 'running', versionId, fraction: 0, step: 'prepare' }, message: null });
          try {
            const view = await client.request(
              'auditDataset',
              { versionId },
              {
                signal: control.signal,
                onProgress: (p) => {
                  if (stillShown()) {
                    set({ audit: { status: 'running', versionId, fraction: p.fraction, step: p.step } });
                  }
                },
              },
            );
            if (!stillShown()) return;
            set({ audit: { status: 'ready', view } });
            await get().actions.showFindings(null, 0);
          } catch (error) {
            if (!stillShown()) return;
            set({
              audit:
                error instanceof CancelledError
                  ? { status: 'idle' }
                  : { status: 'failed', versionId, message: describe(error) },
            });
          } finally {
            if (auditControl === control) auditControl = null;
          }
        },
        cancelAudit() {
          auditControl?.abort();
        },
        async showFindings(check, offset) {
          const audit = get().audit;
          if (audit.status !== 'ready') return;
          try {
            const page = await client.request('datasetFindings', {
              versionId: audit.view.versionId,
              check,
              offset,
              limit: FINDINGS_PER_PAGE,
            });
            set({ findings: { check, page } });
          } catch (error) {
            set({ message: describe(error) });
          }
        },
        async applyFix(fix, what) {
          const current = get().current;
          if (!current) return;
          await busyWith(`${what}…`, async () => {
            added(await client.request('fixDataset', { versionId: current.id, fix }));
          });
        },
        async exportVersion(versionId, format) {
          await busyWith('Preparing the download…', async () => {
            saveFile(await client.request('exportDataset', { versionId, format }));
          });
        },
      },
    };
  });
}
