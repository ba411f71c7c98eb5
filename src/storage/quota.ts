import { StorageQuotaError, isQuotaExceeded } from './errors.ts';

export interface StorageStatus {
  usage: number | null;
  quota: number | null;
  /** Whether the browser promised not to evict our data; null where the API is missing. */
  persisted: boolean | null;
}

export async function storageStatus(): Promise<StorageStatus> {
  const manager = globalThis.navigator?.storage;
  if (!manager?.estimate) return { usage: null, quota: null, persisted: null };
  const { usage, quota } = await manager.estimate();
  const persisted = manager.persisted ? await manager.persisted() : null;
  return { usage: usage ?? null, quota: quota ?? null, persisted };
}

/** Runs a write and turns the browser's QuotaExceededError into a message that says what did not fit. */
export async function guardQuota<T>(what: string, bytesNeeded: number, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (!isQuotaExceeded(error)) throw error;
    const { usage, quota } = await storageStatus().catch(() => ({ usage: null, quota: null }));
    throw new StorageQuotaError(what, bytesNeeded, usage, quota);
  }
}
