import type { HistoryEntry } from './records.ts';
import type { PunchlineDb } from './schema.ts';

export async function addHistory(db: PunchlineDb, entry: Omit<HistoryEntry, 'id'>): Promise<number> {
  return db.add('history', entry);
}

/** The most recent generations, newest first. */
export async function recentHistory(db: PunchlineDb, limit: number): Promise<HistoryEntry[]> {
  const out: HistoryEntry[] = [];
  let cursor = await db.transaction('history').store.index('byCreatedAt').openCursor(null, 'prev');
  while (cursor && out.length < limit) {
    out.push(cursor.value);
    cursor = await cursor.continue();
  }
  return out;
}

export async function clearHistory(db: PunchlineDb): Promise<void> {
  await db.clear('history');
}
