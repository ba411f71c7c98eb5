import { auditRowFilters } from './audit-filters.ts';
import { languageBalance, upsampleAndShuffle, type LanguageBalance } from './balance.ts';
import { buildMix, DEFAULT_LIMITS, type MixRow, type SourceInput, type SourceStats } from './mix.ts';
import {
  HAHACKATHON_OFFENSE_LIMIT,
  joinTaiwanMotivation,
  mixPolicy,
  NOT_FUNNY_KEEP_PER_MILLE,
  type MixLanguage,
} from './mix-policy.ts';
import { readCorpusFile } from './read-node.ts';
import { applyRowFilters } from './row-filters.ts';
import { findSource } from './sources.ts';
import { SPLIT_RULE } from './split.ts';
import type { CorpusRecord, CorpusSource } from './types.ts';

/**
 * Training copies of each row per language. Chinese has more rows than English after cleaning and about
 * 2.3 times as many tokens (English jokes are short and English compresses better), so English is the
 * one repeated: twice brings the token shares to roughly 46% English / 54% Chinese.
 */
export const LANGUAGE_REPEATS: Record<MixLanguage, number> = { en: 2, zh: 1 };

/** Strictness of the audit's lexicon safety filter applied to every row (src/data/audit/safety.ts). */
const SAFETY_STRICTNESS = 'standard';

const LICENCE_ORDER: Record<CorpusSource['licenceClass'], number> = {
  permissive: 0,
  unstated: 1,
  'research-only': 2,
  copyleft: 3,
};

export interface DataManifest {
  name: string;
  createdBy: string;
  format: string;
  sequenceFormat: string;
  split: { rule: string; validationShare: number };
  cleaning: Record<string, string>;
  upsampling: Record<MixLanguage, number>;
  totals: { train: number; trainAfterUpsampling: number; validation: number };
  languageBalance: {
    unique: Record<MixLanguage, LanguageBalance>;
    trainAfterUpsampling: Record<MixLanguage, LanguageBalance>;
    validation: Record<MixLanguage, LanguageBalance>;
  };
  sources: SourceStats[];
}

export interface PreparedData {
  train: MixRow[];
  validation: MixRow[];
  manifest: DataManifest;
}

function readSourceRecords(
  root: string,
  source: CorpusSource,
  files: readonly string[] | undefined,
): CorpusRecord[] {
  const textFiles = source.files.filter(
    (file) => file.role === 'text' && (files === undefined || files.includes(file.path)),
  );
  const records = textFiles.flatMap((file) => readCorpusFile(root, source, file));
  if (source.id !== 'zh-tw-humor-multilabeled') return records;
  const motivation = source.files.find((file) => file.path === 'JokeMotivation.txt');
  if (motivation === undefined)
    throw new Error('zh-tw-humor-multilabeled: JokeMotivation.txt is missing from the source table.');
  return joinTaiwanMotivation(records, readCorpusFile(root, source, motivation));
}

export interface PrepareOptions {
  /** Use only permissively licensed sources (MIT, Apache-2.0, CC BY): a mix whose reuse terms are clear. */
  permissiveOnly: boolean;
}

/** Reads every source under `root` (the shared data folder) and builds the mix, the split and the manifest. */
export function buildPreparedData(
  root: string,
  options: PrepareOptions = { permissiveOnly: false },
): PreparedData {
  const inputs: SourceInput[] = [...mixPolicy]
    .map((policy) => ({ policy, source: findSource(policy.source) }))
    .map(({ policy, source }) =>
      options.permissiveOnly && policy.use && source.licenceClass !== 'permissive'
        ? {
            source,
            policy: { ...policy, use: false, reason: `${policy.reason} Left out: --permissive-only.` },
          }
        : { policy, source },
    )
    .sort((a, b) => LICENCE_ORDER[a.source.licenceClass] - LICENCE_ORDER[b.source.licenceClass])
    .map(({ policy, source }) => ({
      policy,
      source,
      records: readSourceRecords(root, source, policy.files),
    }));
  const mix = buildMix(inputs);
  const stats = mix.stats;
  const rows = applyRowFilters(mix.rows, stats, auditRowFilters(SAFETY_STRICTNESS));
  const trainUnique = rows.filter((row) => row.split === 'train');
  const validation = rows.filter((row) => row.split === 'validation');
  const train = upsampleAndShuffle(trainUnique, LANGUAGE_REPEATS);
  const manifest: DataManifest = {
    name: 'punchline-tiny pretraining mix',
    createdBy: `npx tsx tools/prepare-data.ts --data ../shared/data${options.permissiveOnly ? ' --permissive-only' : ''}`,
    format:
      'runs/data/train.jsonl and runs/data/validation.jsonl: one JSON object per line {"text", "language": "en"|"zh", "control": "<|funny|>"|"<|not_funny|>", "source"}. train.jsonl is already upsampled and shuffled; read it in order.',
    sequenceFormat:
      'language tag + control code + text + <|endofjoke|>, e.g. "<|en|><|funny|>Why ...?<|endofjoke|>" (formatJoke in src/tokenizer/special-tokens.ts)',
    split: { rule: SPLIT_RULE, validationShare: 0.03 },
    cleaning: {
      text: 'CR/LF unified, control and zero-width characters removed, runs of spaces collapsed, at most one blank line, trimmed',
      length: `normalised key at least ${DEFAULT_LIMITS.minKeyLength.en} letters/digits (en) or ${DEFAULT_LIMITS.minKeyLength.zh} (zh); at most ${DEFAULT_LIMITS.maxCharacters.en} (en) or ${DEFAULT_LIMITS.maxCharacters.zh} (zh) characters, so a whole joke fits a 256-token context`,
      junk: 'rows with URLs or @mentions dropped; English rows must be Latin script with no Chinese, Chinese rows at least half Han among letters',
      offensive: `by source labels: HaHackathon offense_rating >= ${HAHACKATHON_OFFENSE_LIMIT}; JokeAPI nsfw/racist/sexist/explicit flags; Taiwan corpus Attack/Taboo motivation flags`,
      toxicLexicon: `the audit's lexicon safety filter (checkSafety, '${SAFETY_STRICTNESS}'): strong profanity, sexual vulgarity, insults, slurs, threats, and insults aimed at identity groups, in English and Chinese`,
      nearDuplicates:
        "the audit's MinHash near-duplicate clusters (character shingles, Jaccard >= 0.7) over all kept rows; the first row of a cluster (permissive sources first) is kept",
      exactDuplicates:
        'same normalised key (NFKC, lower case, letters and digits) as an earlier row; permissive sources are processed first, so they keep the row',
      notFunny: `rows labelled not humorous kept for ${NOT_FUNNY_KEEP_PER_MILLE / 10}% (by hash) as <|not_funny|> contrast`,
      reservedEvaluation:
        'only the staged files are read; the held-back HaHackathon and Taiwan evaluation rows are not in them and nothing is re-imported',
    },
    upsampling: LANGUAGE_REPEATS,
    totals: { train: trainUnique.length, trainAfterUpsampling: train.length, validation: validation.length },
    languageBalance: {
      unique: languageBalance(rows),
      trainAfterUpsampling: languageBalance(train),
      validation: languageBalance(validation),
    },
    sources: stats,
  };
  return { train, validation, manifest };
}
