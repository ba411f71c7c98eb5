import type { DBSchema, IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';
import type {
  AdapterRecord,
  CheckpointRecord,
  DatasetVersion,
  HistoryEntry,
  ModelChunk,
  ModelManifest,
  RunRecord,
} from './records.ts';

export interface PunchlineSchema extends DBSchema {
  settings: { key: string; value: unknown };
  models: { key: string; value: ModelManifest };
  modelChunks: { key: string; value: ModelChunk };
  datasets: { key: string; value: DatasetVersion; indexes: { byParent: string } };
  adapters: { key: string; value: AdapterRecord; indexes: { byBaseModel: string } };
  runs: { key: string; value: RunRecord };
  checkpoints: { key: [string, number]; value: CheckpointRecord; indexes: { byRun: string } };
  history: { key: number; value: HistoryEntry; indexes: { byCreatedAt: number } };
}

export type PunchlineDb = IDBPDatabase<PunchlineSchema>;
type UpgradeTransaction = IDBPTransaction<PunchlineSchema, StoreNames<PunchlineSchema>[], 'versionchange'>;

/**
 * One step per schema version; step i upgrades version i to i + 1. Never edit a released step:
 * append a new one, so every older database on a user's machine has a path to the current shape.
 */
export const upgradeSteps: ((db: PunchlineDb, tx: UpgradeTransaction) => void)[] = [
  (db) => {
    db.createObjectStore('settings');
    db.createObjectStore('models', { keyPath: 'id' });
    db.createObjectStore('modelChunks', { keyPath: 'sha256' });
  },
  (db) => {
    db.createObjectStore('datasets', { keyPath: 'id' }).createIndex('byParent', 'parentId');
    db.createObjectStore('adapters', { keyPath: 'id' }).createIndex('byBaseModel', 'baseModelId');
  },
  (db) => {
    db.createObjectStore('runs', { keyPath: 'id' });
    db.createObjectStore('checkpoints', { keyPath: ['runId', 'step'] }).createIndex('byRun', 'runId');
    db.createObjectStore('history', { keyPath: 'id', autoIncrement: true }).createIndex(
      'byCreatedAt',
      'createdAt',
    );
  },
];

export const currentSchemaVersion = upgradeSteps.length;
