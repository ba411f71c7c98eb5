import { IDBObjectStore as FakeObjectStore } from 'fake-indexeddb';

/**
 * fake-indexeddb has no storage quota. This mimics what a browser does when a transaction's writes exceed it: the
 * write that goes over the budget aborts the whole transaction with a QuotaExceededError. Returns a restore function.
 */
export function limitStoredBytes(budget: number): () => void {
  const original = FakeObjectStore.prototype.put;
  let used = 0;
  FakeObjectStore.prototype.put = function put(this: IDBObjectStore, value: unknown, key?: IDBValidKey) {
    const request = original.call(this, value, key);
    used += sizeOf(value);
    if (used > budget) {
      const tx = this.transaction as unknown as { _abort(name: string): void };
      request.addEventListener('success', () => tx._abort('QuotaExceededError'));
    }
    return request;
  };
  return () => {
    FakeObjectStore.prototype.put = original;
  };
}

function sizeOf(value: unknown): number {
  if (value instanceof ArrayBuffer) return value.byteLength;
  if (value && typeof value === 'object')
    return Object.values(value).reduce((sum: number, v) => sum + sizeOf(v), 0);
  return typeof value === 'string' ? value.length * 2 : 8;
}
