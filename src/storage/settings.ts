import { defaultSettings, type Settings } from './records.ts';
import type { PunchlineDb } from './schema.ts';

const settingsKey = 'app';

export async function getSettings(db: PunchlineDb): Promise<Settings> {
  const stored = (await db.get('settings', settingsKey)) as Partial<Settings> | undefined;
  return { ...defaultSettings, ...stored };
}

export async function saveSettings(db: PunchlineDb, changes: Partial<Settings>): Promise<Settings> {
  const tx = db.transaction('settings', 'readwrite');
  const stored = (await tx.store.get(settingsKey)) as Partial<Settings> | undefined;
  const next: Settings = { ...defaultSettings, ...stored, ...changes };
  await tx.store.put(next, settingsKey);
  await tx.done;
  return next;
}
