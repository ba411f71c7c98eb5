/**
 * Dataset versions as the storage layer keeps them. The datasets store holds the storage record (id, parent,
 * rows, a short change summary); the data layer's fuller version (columns, mapping, label scheme, the complete
 * change record) and, for an import, the whole ingest report travel in the same record as extra fields, so one
 * put writes everything and a version can never be half stored.
 */
import type { ChangeRecord, DatasetVersion } from '../../data/versions.ts';
import type { EncodingChoice, FlaggedRow, RejectedRow } from '../../data/ingest/types.ts';
import {
  addDatasetVersion,
  getDatasetVersion,
  listDatasetVersions,
  type DatasetChange,
  type DatasetVersion as StoredVersion,
  type PunchlineDb,
} from '../../storage/index.ts';
import { WorkerError } from '../errors.ts';

/** What an import keeps beyond its rows: every flagged and rejected row, and the file-level warnings. */
export interface IngestDetail {
  encoding: EncodingChoice;
  flagged: FlaggedRow[];
  rejected: RejectedRow[];
  warnings: string[];
}

interface DataVersionRecord extends StoredVersion {
  version: Omit<DatasetVersion, 'rows'>;
  ingest: IngestDetail | null;
}

export interface LoadedVersion {
  version: DatasetVersion;
  ingest: IngestDetail | null;
}

function isDataRecord(record: StoredVersion): record is DataVersionRecord {
  return 'version' in record && typeof (record as { version?: unknown }).version === 'object';
}

/** The storage layer's own change summary, so tools that read only its fields still see what happened. */
function storageChange(change: ChangeRecord, fileName: string): DatasetChange {
  switch (change.kind) {
    case 'import':
      return { kind: 'import', fileName: change.source.fileName ?? fileName };
    case 'fix':
      return {
        kind: 'fix',
        summary: change.reason,
        removedRowIds: change.removed.map((r) => r.id),
        relabeled: change.relabelled.map((r) => ({ rowId: r.id, label: r.to })),
      };
    case 'remap':
      return {
        kind: 'fix',
        summary: `Columns re-mapped: text "${change.to.text}", label ${change.to.label === null ? 'none' : `"${change.to.label}"`}.`,
        removedRowIds: [],
        relabeled: [],
      };
  }
}

export async function storeVersion(
  db: PunchlineDb,
  version: DatasetVersion,
  ingest: IngestDetail | null,
): Promise<void> {
  const { rows, ...rest } = version;
  const record: DataVersionRecord = {
    id: version.id,
    name: version.name,
    parentId: version.parentId,
    createdAt: version.createdAt,
    change: storageChange(version.change, version.name),
    rows: [...rows],
    version: rest,
    ingest,
  };
  await addDatasetVersion(db, record);
}

function loaded(record: DataVersionRecord): LoadedVersion {
  return { version: { ...record.version, rows: record.rows }, ingest: record.ingest };
}

export async function loadVersion(db: PunchlineDb, id: string): Promise<LoadedVersion> {
  const record = await getDatasetVersion(db, id);
  if (!record) {
    throw new WorkerError(
      'DatasetNotFound',
      `Dataset version "${id}" is not stored; it may have been deleted.`,
      {
        id,
      },
    );
  }
  if (!isDataRecord(record)) {
    throw new WorkerError(
      'DatasetNotReadable',
      `Dataset version "${record.name}" was stored without columns or mapping, so the Data area cannot open it.`,
      { id },
    );
  }
  return loaded(record);
}

/** Every version the Data area wrote; records without the data layer's fields are not datasets it can open. */
export async function loadAllVersions(db: PunchlineDb): Promise<LoadedVersion[]> {
  return (await listDatasetVersions(db)).filter(isDataRecord).map(loaded);
}
