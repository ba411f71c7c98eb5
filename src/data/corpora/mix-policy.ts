import type { CorpusRecord } from './types.ts';

/** The two languages the default model is trained on. */
export type MixLanguage = 'en' | 'zh';

export interface SourcePolicy {
  source: string;
  use: boolean;
  /** Why the source is or is not in the mix; copied into the manifest. */
  reason: string;
  /** Text files taken from the source (paths as in `CorpusFile.path`); every text file of a used source when omitted. */
  files?: readonly string[];
  /** Returns why the source's own labels mark a record as offensive, or null to keep it. */
  offensiveByLabel?: (record: CorpusRecord) => string | null;
}

/** Rows of the Taiwan corpus whose motivation flags say the joke attacks someone or is taboo. */
const TAIWAN_FLAGS = ['Attack', 'Taboo'] as const;

/** HaHackathon offense ratings are means over raters on a 0–5 scale; 2 or more means most raters found it offensive. */
export const HAHACKATHON_OFFENSE_LIMIT = 2;

/** Share of rows labelled not humorous that are kept (by hash), so they teach <|not_funny|> without crowding out jokes. */
export const NOT_FUNNY_KEEP_PER_MILLE = 250;

const jokeApiOffensiveFlags = ['nsfw', 'racist', 'sexist', 'explicit'] as const;

const chineseNeedsUnstated =
  'Licence not stated. Used deliberately: the only permissively licensed Chinese jokes (zh-tw-humor-multilabeled, MIT) are 2.7k Traditional-Chinese rows, too few for a Simplified-Chinese model or for a tokenizer that keeps common characters whole. See DATA.md for what this means for reuse.';

export const mixPolicy: readonly SourcePolicy[] = [
  {
    source: 'en-hahackathon',
    use: true,
    reason: `Apache-2.0 repository. Humorous rows are jokes (<|funny|>), non-humorous rows are tweets (<|not_funny|>, sampled). Rows with offense_rating >= ${HAHACKATHON_OFFENSE_LIMIT} are dropped.`,
    offensiveByLabel: (record) => {
      const rating = Number(record.extra['offense_rating'] ?? '0');
      return rating >= HAHACKATHON_OFFENSE_LIMIT
        ? `offense_rating ${rating} >= ${HAHACKATHON_OFFENSE_LIMIT}`
        : null;
    },
  },
  {
    source: 'en-colbert-humor',
    use: true,
    reason:
      'MIT. Humor=True rows are short jokes (<|funny|>); humor=False rows are news headlines (<|not_funny|>, sampled). Upstream, the jokes come from the Kaggle Short Jokes scrape, so MIT is the licence of this redistribution, not a statement by the joke authors.',
  },
  {
    source: 'en-short-jokes',
    use: false,
    reason:
      'GPL-2.0. Not used: whether model weights trained on GPL data must be GPL is unsettled, and the permissive English sources already give about 25k jokes. 3,473 of its texts are in en-colbert-humor anyway.',
  },
  {
    source: 'en-taivop-jokes',
    use: false,
    reason:
      'Research-purposes statement that recommends against commercial use. Not used: permissive English sources suffice.',
  },
  {
    source: 'en-puns-reddit-humor-detection',
    use: true,
    reason:
      'MIT. Puns (label 1) are <|funny|>, non-puns (label -1) are <|not_funny|> (sampled). The text is partly lower-cased with apostrophes stripped.',
  },
  {
    source: 'en-humicroedit',
    use: false,
    reason:
      'Licence not stated, and one-word edits of news headlines are not stand-alone jokes. Not used: permissive English sources suffice.',
  },
  {
    source: 'en-cleancomedy',
    use: true,
    reason:
      'CC BY 4.0 (attribution: Vikhorev et al., CleanComedy, gorovuha/CleanComedy). All rows are jokes, pre-filtered by the authors for toxicity.',
  },
  {
    source: 'en-jokeapi',
    use: true,
    files: ['jokes-en.json'],
    reason:
      'MIT. English file only (the model is English + Chinese). Jokes flagged nsfw, racist, sexist or explicit are dropped.',
    offensiveByLabel: (record) => {
      const flags = jokeApiOffensiveFlags.filter((flag) => record.extra[flag] === 'true');
      return flags.length > 0 ? `JokeAPI flags: ${flags.join(', ')}` : null;
    },
  },
  { source: 'zh-ccl2019-humor', use: true, reason: chineseNeedsUnstated },
  {
    source: 'zh-chinese-humor-sentiment',
    use: true,
    reason: `${chineseNeedsUnstated} Its two files share many texts; duplicates are removed.`,
  },
  {
    source: 'zh-tw-humor-multilabeled',
    use: true,
    files: ['JokeHumorLevel.txt'],
    reason:
      'MIT. Traditional Chinese. Jokes whose motivation flags include Attack or Taboo (from JokeMotivation.txt, row-aligned) are dropped.',
    offensiveByLabel: (record) => {
      const flags = TAIWAN_FLAGS.filter((flag) => record.extra[`motivation.${flag}`] === '1');
      return flags.length > 0 ? `motivation flags: ${flags.join(', ')}` : null;
    },
  },
  { source: 'zh-ruozhiba', use: true, reason: chineseNeedsUnstated },
  {
    source: 'zh-en-pun2pun',
    use: true,
    files: ['zh/phonic.json', 'zh/graphic.json'],
    reason: `Chinese sentences only. ${chineseNeedsUnstated} The English sentences (largely SemEval-2017 Task 7 items) are not used: permissive English sources suffice.`,
  },
  {
    source: 'zh-cold-offensive',
    use: false,
    reason:
      'Apache-2.0, but these are offensive-language comments, not jokes; kept for the bias and toxicity audit only.',
  },
];

/** Copies the row-aligned JokeMotivation flags onto the JokeHumorLevel records as `motivation.<flag>`. */
export function joinTaiwanMotivation(texts: CorpusRecord[], motivation: CorpusRecord[]): CorpusRecord[] {
  if (texts.length !== motivation.length) {
    throw new Error(
      `zh-tw-humor-multilabeled: JokeHumorLevel.txt has ${texts.length} rows but JokeMotivation.txt has ${motivation.length}; the files must be row-aligned.`,
    );
  }
  return texts.map((record, index) => {
    const flags = motivation[index];
    if (flags === undefined || flags.text !== record.text) {
      throw new Error(
        `zh-tw-humor-multilabeled: row ${index + 1} of JokeMotivation.txt does not hold the same joke as JokeHumorLevel.txt.`,
      );
    }
    const extra = { ...record.extra };
    for (const flag of TAIWAN_FLAGS) extra[`motivation.${flag}`] = flags.extra[flag] ?? '';
    return { ...record, extra };
  });
}
