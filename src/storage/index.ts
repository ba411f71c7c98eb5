/** The storage layer's public API. Only worker code calls it; the UI asks the worker. */
export { openDatabase, defaultDatabaseName, type OpenOptions } from './database.ts';
export { currentSchemaVersion, type PunchlineDb } from './schema.ts';
export { StorageQuotaError, StorageIntegrityError, formatBytes } from './errors.ts';
export { storageStatus, type StorageStatus } from './quota.ts';
export { sha256Hex } from './hash.ts';
export {
  putModel,
  getModel,
  listModels,
  readModelFile,
  deleteModel,
  verifyModel,
  defaultChunkBytes,
  type ModelFileInput,
  type NewModel,
  type ChunkCheck,
} from './models.ts';
export { addDatasetVersion, getDatasetVersion, listDatasetVersions, datasetLineage } from './datasets.ts';
export { putAdapter, getAdapter, listAdapters, deleteAdapter } from './adapters.ts';
export { putRun, getRun, listRuns, putCheckpoint, listCheckpoints, deleteRun } from './runs.ts';
export { addHistory, recentHistory, clearHistory } from './history.ts';
export { getSettings, saveSettings } from './settings.ts';
export type * from './records.ts';
export { defaultSettings } from './records.ts';
