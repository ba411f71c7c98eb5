import { guardQuota } from './quota.ts';
import { commitWrites } from './transaction.ts';
import type { AdapterRecord } from './records.ts';
import type { PunchlineDb } from './schema.ts';

export async function putAdapter(db: PunchlineDb, adapter: AdapterRecord): Promise<void> {
  await guardQuota(`adapter "${adapter.name}"`, adapter.weights.byteLength, async () => {
    const tx = db.transaction('adapters', 'readwrite');
    await commitWrites(tx, () => [tx.store.put(adapter)]);
  });
}

export async function getAdapter(db: PunchlineDb, id: string): Promise<AdapterRecord | undefined> {
  return db.get('adapters', id);
}

export async function listAdapters(db: PunchlineDb, baseModelId?: string): Promise<AdapterRecord[]> {
  return baseModelId === undefined
    ? db.getAll('adapters')
    : db.getAllFromIndex('adapters', 'byBaseModel', baseModelId);
}

export async function deleteAdapter(db: PunchlineDb, id: string): Promise<void> {
  await db.delete('adapters', id);
}
