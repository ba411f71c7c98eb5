/**
 * Generated outputs kept in the storage layer's history store, one record per candidate. A record carries the
 * generation's settings, its safety verdict and the user's thumbs up/down; rated records are labeled data,
 * so clearing the history keeps them until the user clears ratings too.
 */
import { exportCsv, exportJsonl } from '../../data/export.ts';
import type { DatasetRow } from '../../data/types.ts';
import { addHistory, recentHistory, type HistoryEntry, type PunchlineDb } from '../../storage/index.ts';
import { WorkerError } from '../errors.ts';
import type { GeneratePayload, HistoryItem, JokeLanguage, Rating } from './types.ts';

/** A history record written by the Generate area: the storage layer's entry plus what the area needs. */
export interface GenerationRecord extends HistoryEntry {
  language: JokeLanguage;
  seed: number;
  candidate: number;
  safety: { ok: boolean; reasons: string[] };
  rating: Rating | null;
}

function isGenerationRecord(entry: HistoryEntry): entry is GenerationRecord {
  return 'candidate' in entry && 'safety' in entry;
}

function toItem(entry: HistoryEntry): HistoryItem {
  const extra = isGenerationRecord(entry) ? entry : null;
  return {
    id: entry.id ?? -1,
    createdAt: entry.createdAt,
    modelId: entry.modelId,
    adapterId: entry.adapterId,
    prompt: entry.prompt,
    output: entry.output,
    language: extra?.language ?? null,
    seed: extra?.seed ?? null,
    candidate: extra?.candidate ?? null,
    safety: extra?.safety ?? null,
    rating: extra?.rating ?? null,
  };
}

export async function recordOutput(
  db: PunchlineDb,
  payload: GeneratePayload,
  candidate: { index: number; text: string; safety: { ok: boolean; reasons: string[] } },
): Promise<number> {
  const record: Omit<GenerationRecord, 'id'> = {
    createdAt: Date.now(),
    modelId: payload.modelId,
    adapterId: payload.adapterId,
    prompt: payload.prompt,
    output: candidate.text,
    language: payload.language,
    seed: payload.seed,
    candidate: candidate.index,
    safety: candidate.safety,
    rating: null,
  };
  return addHistory(db, record);
}

export async function listHistory(db: PunchlineDb, limit: number): Promise<HistoryItem[]> {
  return (await recentHistory(db, limit)).map(toItem);
}

/** Sets or clears the rating of one output; the record must be one the Generate area wrote. */
export async function rateOutput(db: PunchlineDb, id: number, rating: Rating | null): Promise<HistoryItem> {
  const tx = db.transaction('history', 'readwrite');
  const entry = await tx.store.get(id);
  if (!entry) throw new WorkerError('NotFound', `No stored output with id ${id}; it may have been cleared.`);
  const next: GenerationRecord = isGenerationRecord(entry)
    ? { ...entry, rating }
    : { ...entry, language: 'en', seed: 0, candidate: 0, safety: { ok: true, reasons: [] }, rating };
  await tx.store.put(next);
  await tx.done;
  return toItem(next);
}

/** Deletes unrated outputs, or every output when `includeRated`; returns how many were removed and kept. */
export async function clearOutputs(
  db: PunchlineDb,
  includeRated: boolean,
): Promise<{ removed: number; kept: number }> {
  const tx = db.transaction('history', 'readwrite');
  let removed = 0;
  let kept = 0;
  let cursor = await tx.store.openCursor();
  while (cursor) {
    const rated = isGenerationRecord(cursor.value) && cursor.value.rating !== null;
    if (rated && !includeRated) kept++;
    else {
      await cursor.delete();
      removed++;
    }
    cursor = await cursor.continue();
  }
  await tx.done;
  return { removed, kept };
}

/** Rated outputs as a labeled dataset: thumbs up = funny, thumbs down = not_funny. */
export async function exportRated(
  db: PunchlineDb,
  format: 'csv' | 'jsonl',
): Promise<{ fileName: string; text: string; rows: number }> {
  const rated = (await db.getAll('history')).filter(
    (entry): entry is GenerationRecord => isGenerationRecord(entry) && entry.rating !== null,
  );
  const rows: DatasetRow[] = rated.map((entry, i) => ({
    id: i,
    line: i + 2,
    text: entry.output,
    label: entry.rating === 'up' ? 'funny' : 'not_funny',
    extra: {
      language: entry.language,
      prompt: entry.prompt,
      model: entry.modelId,
      seed: String(entry.seed),
    },
  }));
  const mapping = { text: 'text', label: 'label', extra: ['language', 'prompt', 'model', 'seed'] };
  const text = format === 'csv' ? exportCsv(rows, mapping) : exportJsonl(rows, mapping);
  return { fileName: `punchline-ratings.${format}`, text, rows: rows.length };
}
