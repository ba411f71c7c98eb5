import { CONTROL_CODES, SPECIAL_TOKENS, type ControlCode } from '../../tokenizer/special-tokens.ts';
import { cleanText, fnv1a32, normalisedKey, scriptCounts } from './normalise.ts';
import type { MixLanguage, SourcePolicy } from './mix-policy.ts';
import { NOT_FUNNY_KEEP_PER_MILLE } from './mix-policy.ts';
import { splitOf } from './split.ts';
import type { CorpusRecord, CorpusSource } from './types.ts';

export interface MixRow {
  text: string;
  language: MixLanguage;
  control: ControlCode;
  source: string;
  file: string;
  line: number;
  split: 'train' | 'validation';
}

export type DropReason =
  | 'empty'
  | 'too short'
  | 'too long'
  | 'url or mention'
  | 'contains a special token'
  | 'wrong language or script'
  | 'offensive by source label'
  | 'exact duplicate'
  | 'near duplicate'
  | 'toxic (lexicon)'
  | 'not-funny sample';

export interface SourceStats {
  source: string;
  licence: string;
  licenceClass: CorpusSource['licenceClass'];
  used: boolean;
  reason: string;
  filesRead: string[];
  rowsRead: number;
  rowsKept: number;
  dropped: Partial<Record<DropReason, number>>;
  kept: { funny: number; notFunny: number; train: number; validation: number; characters: number };
}

export interface MixLimits {
  /** Minimum length of the normalised key (letters and digits), per language. */
  minKeyLength: Record<MixLanguage, number>;
  /** Maximum characters after clean-up, per language; longer jokes would not fit a 256-token context whole. */
  maxCharacters: Record<MixLanguage, number>;
}

export const DEFAULT_LIMITS: MixLimits = {
  minKeyLength: { en: 12, zh: 6 },
  maxCharacters: { en: 600, zh: 300 },
};

const URL_OR_MENTION = /https?:\/\/|www\.|(?:^|\s)@\w/iu;

/** Returns why a cleaned text is unfit for the mix, or null when it passes the length, junk and language checks. */
export function junkReason(text: string, language: MixLanguage, limits: MixLimits): DropReason | null {
  if (text === '') return 'empty';
  if (normalisedKey(text).length < limits.minKeyLength[language]) return 'too short';
  if (text.length > limits.maxCharacters[language]) return 'too long';
  if (URL_OR_MENTION.test(text)) return 'url or mention';
  if (SPECIAL_TOKENS.some((token) => text.includes(token))) return 'contains a special token';
  const letters = text.match(/\p{L}/gu)?.length ?? 0;
  const { han, latin } = scriptCounts(text);
  const fits = language === 'en' ? han === 0 && latin >= 0.9 * letters : han >= 0.5 * letters;
  return fits ? null : 'wrong language or script';
}

export interface SourceInput {
  source: CorpusSource;
  policy: SourcePolicy;
  /** Records of the files the policy takes, already joined with any annotation files. */
  records: CorpusRecord[];
}

/**
 * Filters, de-duplicates and splits the used sources, in the order given (earlier sources win exact
 * duplicates, so pass permissively licensed sources first). Unused sources only get their row counts.
 */
export function buildMix(
  inputs: readonly SourceInput[],
  limits: MixLimits = DEFAULT_LIMITS,
): { rows: MixRow[]; stats: SourceStats[] } {
  const seen = new Set<string>();
  const rows: MixRow[] = [];
  const stats = inputs.map(({ source, policy, records }) => {
    const entry: SourceStats = {
      source: source.id,
      licence: source.licence,
      licenceClass: source.licenceClass,
      used: policy.use,
      reason: policy.reason,
      filesRead: [...new Set(records.map((record) => record.file))],
      rowsRead: records.length,
      rowsKept: 0,
      dropped: {},
      kept: { funny: 0, notFunny: 0, train: 0, validation: 0, characters: 0 },
    };
    if (!policy.use) return entry;
    const drop = (reason: DropReason): void => {
      entry.dropped[reason] = (entry.dropped[reason] ?? 0) + 1;
    };
    for (const record of records) {
      if (record.language !== 'en' && record.language !== 'zh')
        throw new Error(
          `${source.id}/${record.file}: language ${record.language} is not in the mix; restrict the policy's files.`,
        );
      const text = cleanText(record.text);
      const junk = junkReason(text, record.language, limits);
      if (junk !== null) {
        drop(junk);
        continue;
      }
      if (policy.offensiveByLabel?.(record) != null) {
        drop('offensive by source label');
        continue;
      }
      const key = normalisedKey(text);
      if (seen.has(key)) {
        drop('exact duplicate');
        continue;
      }
      seen.add(key);
      if (record.humor === false && fnv1a32(`not-funny:${key}`) % 1000 >= NOT_FUNNY_KEEP_PER_MILLE) {
        drop('not-funny sample');
        continue;
      }
      const row: MixRow = {
        text,
        language: record.language,
        control: record.humor === false ? CONTROL_CODES.notFunny : CONTROL_CODES.funny,
        source: source.id,
        file: record.file,
        line: record.line,
        split: splitOf(text),
      };
      rows.push(row);
      entry.rowsKept += 1;
      entry.kept[row.control === CONTROL_CODES.funny ? 'funny' : 'notFunny'] += 1;
      entry.kept[row.split] += 1;
      entry.kept.characters += text.length;
    }
    return entry;
  });
  return { rows, stats };
}
