import identityEn from '../lexicons/identity-en.json';
import identityZh from '../lexicons/identity-zh.json';
import sentimentEn from '../lexicons/sentiment-en.json';
import sentimentZh from '../lexicons/sentiment-zh.json';
import toxicityEn from '../lexicons/toxicity-en.json';
import toxicityZh from '../lexicons/toxicity-zh.json';
import { LexiconMatcher, type LexiconItem, type LexiconMatch } from './lexicon-matcher.ts';

export type ToxicCategory = 'profanity' | 'insult' | 'sexual' | 'violence' | 'threat' | 'slur';
export type ToxicSeverity = 1 | 2 | 3;

export interface ToxicTerm {
  /** What a report shows: the word itself for mild terms, a description for slurs. */
  label: string;
  category: ToxicCategory;
  severity: ToxicSeverity;
  language: 'en' | 'zh';
}

export interface IdentityTerm {
  group: string;
  subgroup: string;
  term: string;
}

interface ToxicEntryJson {
  word?: string;
  text?: string;
  pattern?: string;
  label?: string;
  category: string;
  severity: number;
}

const CATEGORIES = new Set<string>(['profanity', 'insult', 'sexual', 'violence', 'threat', 'slur']);

function toxicItems(entries: ToxicEntryJson[], language: 'en' | 'zh'): LexiconItem<ToxicTerm>[] {
  return entries.map((e, i) => {
    const literal = e.word ?? e.text;
    if (!CATEGORIES.has(e.category))
      throw new Error(`toxicity-${language}.json entry ${i}: unknown category "${e.category}".`);
    if (e.severity !== 1 && e.severity !== 2 && e.severity !== 3)
      throw new Error(`toxicity-${language}.json entry ${i}: severity must be 1, 2 or 3.`);
    const payload: ToxicTerm = {
      label: e.label ?? literal ?? '',
      category: e.category as ToxicCategory,
      severity: e.severity,
      language,
    };
    return e.pattern !== undefined ? { pattern: e.pattern, payload } : { literal: literal ?? '', payload };
  });
}

function identityItems(groups: { group: string; subgroup: string; words?: string[]; texts?: string[] }[]) {
  return groups.flatMap((g) =>
    (g.words ?? g.texts ?? []).map((term): LexiconItem<IdentityTerm> => ({
      literal: term,
      payload: { group: g.group, subgroup: g.subgroup, term },
    })),
  );
}

let toxicMatchers: LexiconMatcher<ToxicTerm>[] | null = null;
let identityMatchers: LexiconMatcher<IdentityTerm>[] | null = null;

/** Toxic terms in folded text, English (whole words) and Chinese (anywhere). */
export function findToxicTerms(folded: string, tokens?: readonly string[]): LexiconMatch<ToxicTerm>[] {
  toxicMatchers ??= [
    new LexiconMatcher(toxicItems(toxicityEn.entries, 'en'), true),
    new LexiconMatcher(toxicItems(toxicityZh.entries, 'zh'), false),
  ];
  return toxicMatchers.flatMap((m) => m.find(folded, tokens));
}

export function findIdentityTerms(folded: string, tokens?: readonly string[]): LexiconMatch<IdentityTerm>[] {
  identityMatchers ??= [
    new LexiconMatcher(identityItems(identityEn.groups), true),
    new LexiconMatcher(identityItems(identityZh.groups), false),
  ];
  return identityMatchers.flatMap((m) => m.find(folded, tokens));
}

/** Every identity subgroup in lexicon order, so tables list groups that never occur too. */
export function identitySubgroups(): { group: string; subgroup: string }[] {
  const seen = new Set<string>();
  const out: { group: string; subgroup: string }[] = [];
  for (const g of [...identityEn.groups, ...identityZh.groups]) {
    if (seen.has(g.subgroup)) continue;
    seen.add(g.subgroup);
    out.push({ group: g.group, subgroup: g.subgroup });
  }
  return out;
}

export interface SentimentLexicon {
  words: Map<string, number>;
  negators: Set<string>;
  intensifiers: Map<string, number>;
  /** Longest entry in characters (for Chinese longest-match scanning). */
  maxLength: number;
}

function sentimentLexicon(json: {
  words: Record<string, number>;
  negators: string[];
  intensifiers: Record<string, number>;
}): SentimentLexicon {
  const words = new Map(Object.entries(json.words));
  const intensifiers = new Map(Object.entries(json.intensifiers));
  const negators = new Set(json.negators);
  const maxLength = Math.max(...[...words.keys(), ...negators, ...intensifiers.keys()].map((w) => w.length));
  return { words, negators, intensifiers, maxLength };
}

let sentiment: { en: SentimentLexicon; zh: SentimentLexicon } | null = null;

export function sentimentLexicons(): { en: SentimentLexicon; zh: SentimentLexicon } {
  sentiment ??= { en: sentimentLexicon(sentimentEn), zh: sentimentLexicon(sentimentZh) };
  return sentiment;
}
