import { fnv1a32, normalisedKey } from './normalise.ts';
import type { MixLanguage } from './mix-policy.ts';
import type { MixRow } from './mix.ts';

export interface LanguageBalance {
  rows: number;
  characters: number;
  /** Characters of the Han script (Chinese) or Latin script (English) only. */
  scriptCharacters: number;
}

export function languageBalance(rows: readonly MixRow[]): Record<MixLanguage, LanguageBalance> {
  const balance: Record<MixLanguage, LanguageBalance> = {
    en: { rows: 0, characters: 0, scriptCharacters: 0 },
    zh: { rows: 0, characters: 0, scriptCharacters: 0 },
  };
  for (const row of rows) {
    const entry = balance[row.language];
    entry.rows += 1;
    entry.characters += row.text.length;
    const script = row.language === 'zh' ? /\p{Script=Han}/gu : /\p{Script=Latin}/gu;
    entry.scriptCharacters += row.text.match(script)?.length ?? 0;
  }
  return balance;
}

/**
 * The training rows in the order pretraining reads them: each row repeated `repeats[language]` times,
 * every copy placed by a hash of (copy number, text), so the order is fixed and copies are spread out.
 */
export function upsampleAndShuffle(rows: readonly MixRow[], repeats: Record<MixLanguage, number>): MixRow[] {
  const placed: { order: number; row: MixRow }[] = [];
  for (const row of rows) {
    const key = normalisedKey(row.text);
    for (let copy = 0; copy < repeats[row.language]; copy += 1)
      placed.push({ order: fnv1a32(`${copy}:${key}`), row });
  }
  placed.sort(
    (a, b) => a.order - b.order || (a.row.text < b.row.text ? -1 : a.row.text > b.row.text ? 1 : 0),
  );
  return placed.map(({ row }) => row);
}
