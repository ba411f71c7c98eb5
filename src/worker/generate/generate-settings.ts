/** The Generate area's settings, kept in the settings store under their own key so they survive reloads. */
import type { PunchlineDb } from '../../storage/index.ts';
import type { StoredGenerateSettings } from './types.ts';

const KEY = 'generate';

const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/** The stored settings, keeping only fields of the right kind (an older or damaged record loses the rest). */
export async function readGenerateSettings(db: PunchlineDb): Promise<Partial<StoredGenerateSettings>> {
  const stored = (await db.get('settings', KEY)) as Record<string, unknown> | undefined;
  if (!stored || typeof stored !== 'object') return {};
  const out: Partial<StoredGenerateSettings> = {};
  if (stored.language === 'auto' || stored.language === 'en' || stored.language === 'zh')
    out.language = stored.language;
  if (stored.control === 'funny' || stored.control === 'notFunny') out.control = stored.control;
  if (stored.strictness === 'relaxed' || stored.strictness === 'standard' || stored.strictness === 'strict')
    out.strictness = stored.strictness;
  for (const key of ['maxNewTokens', 'candidates', 'seed'] as const) {
    const value = stored[key];
    if (isNumber(value)) out[key] = value;
  }
  const sampling = stored.sampling as Record<string, unknown> | undefined;
  if (
    sampling &&
    isNumber(sampling.temperature) &&
    isNumber(sampling.topK) &&
    isNumber(sampling.topP) &&
    isNumber(sampling.repetitionPenalty)
  ) {
    out.sampling = {
      temperature: sampling.temperature,
      topK: sampling.topK,
      topP: sampling.topP,
      repetitionPenalty: sampling.repetitionPenalty,
    };
  }
  return out;
}

export async function writeGenerateSettings(
  db: PunchlineDb,
  settings: StoredGenerateSettings,
): Promise<StoredGenerateSettings> {
  await db.put('settings', settings, KEY);
  return settings;
}
