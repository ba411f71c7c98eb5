import type { Corpus } from '../corpus.ts';
import { gradeOf, percent, scoreFromShare } from '../score.ts';
import type { CheckResult, Finding } from '../types.ts';

export type Language = 'en' | 'zh' | 'mixed' | 'other';

export interface ScriptCounts {
  han: number;
  latin: number;
  /** Latin letters with diacritics (é, ü, č …), a hint of a non-English Latin-script language. */
  accented: number;
  kana: number;
  hangul: number;
  otherLetters: number;
}

const LETTER = /\p{L}/u;

export function countScripts(text: string): ScriptCounts {
  const counts: ScriptCounts = { han: 0, latin: 0, accented: 0, kana: 0, hangul: 0, otherLetters: 0 };
  for (const ch of text) {
    const c = ch.codePointAt(0) ?? 0;
    if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a)) counts.latin++;
    else if (c < 0x80) continue;
    else if (
      (c >= 0x4e00 && c <= 0x9fff) ||
      (c >= 0x3400 && c <= 0x4dbf) ||
      (c >= 0x20000 && c <= 0x2ebef) ||
      (c >= 0xf900 && c <= 0xfaff)
    )
      counts.han++;
    else if (c >= 0xc0 && c <= 0x24f && c !== 0xd7 && c !== 0xf7) {
      counts.latin++;
      counts.accented++;
    } else if (c >= 0x3040 && c <= 0x30ff) counts.kana++;
    else if ((c >= 0xac00 && c <= 0xd7af) || (c >= 0x1100 && c <= 0x11ff)) counts.hangul++;
    else if (LETTER.test(ch)) counts.otherLetters++;
  }
  return counts;
}

export const ENGLISH_FUNCTION_WORDS = new Set(
  (
    'the a an and is are was were of to in it you i that what do does did my he she his her for on with have has had ' +
    'why how be this not me your they we at as but if so can just no when who there their them then than from about ' +
    'all out up by or one like would could will get got more said says ' +
    "don't i'm it's what's that's there's can't didn't doesn't isn't won't i've you're he's she's let's"
  ).split(' '),
);
// Frequent function words of the Latin-script languages most often mixed into joke data; none is an English word.
const NON_ENGLISH_FUNCTION_WORDS = new Set(
  (
    'der die das und ist nicht ich du ein eine zu mit sie es den auf wie dem auch sich' +
    ' le la les et est un une je tu des du pas que qui il elle pour dans sur avec ce' +
    ' el los las y es una que qué por con para se lo como pero más muy' +
    ' o os um uma é não com para eu você mas' +
    ' il gli è che di non per sono' +
    ' het een en niet ik je dat van' +
    ' je se na to že v s z jsem jak co ale'
  )
    .split(' ')
    .filter((w) => !ENGLISH_FUNCTION_WORDS.has(w)),
);

/**
 * Script counts decide Chinese, English-or-other-Latin, mixed and other; among Latin-script rows,
 * English and non-English function words (and diacritics) tell English from other languages.
 * A Latin word counts as 1.5 Han characters, so one English brand name in a Chinese joke stays Chinese.
 */
export function detectLanguage(text: string, words: readonly string[]): Language {
  const s = countScripts(text);
  if (s.kana + s.hangul + s.otherLetters > 0.3 * (s.han + s.latin + s.kana + s.hangul + s.otherLetters))
    return 'other';
  let latinWords = 0;
  let english = 0;
  let foreign = 0;
  for (const w of words) {
    const c = w.charCodeAt(0);
    if (!((c >= 0x61 && c <= 0x7a) || (c >= 0xc0 && c <= 0x24f))) continue;
    latinWords++;
    if (ENGLISH_FUNCTION_WORDS.has(w)) english++;
    else if (NON_ENGLISH_FUNCTION_WORDS.has(w)) foreign++;
  }
  const latinUnits = latinWords * 1.5;
  const total = latinUnits + s.han;
  if (total === 0) return 'other';
  const hanShare = s.han / total;
  if (hanShare >= 0.3 && hanShare <= 0.7) return 'mixed';
  if (hanShare > 0.7) return 'zh';
  const accentedShare = s.latin ? s.accented / s.latin : 0;
  // One stray foreign-looking word (a name, a quoted title) does not make a row foreign.
  if ((foreign >= 2 && foreign > english) || (accentedShare > 0.03 && foreign >= english)) return 'other';
  return 'en';
}

export function rowLanguages(corpus: Corpus): Language[] {
  return corpus.folded.map((folded, i) => detectLanguage(folded, corpus.tokens(i)));
}

const NAMES: Record<Language, string> = {
  en: 'English',
  zh: 'Chinese',
  mixed: 'mixed English/Chinese',
  other: 'other',
};

export function checkLanguage(corpus: Corpus, languages: Language[] = rowLanguages(corpus)): CheckResult {
  const { rows } = corpus;
  const counts: Record<Language, number> = { en: 0, zh: 0, mixed: 0, other: 0 };
  const findings: Finding[] = [];
  let judged = 0;
  languages.forEach((lang, i) => {
    // Rows with no text are the junk check's business, not a language.
    if (corpus.keys[i] === '') return;
    judged++;
    counts[lang]++;
    if (lang !== 'other') return;
    findings.push({
      id: `language:${findings.length}`,
      check: 'language',
      rowIds: [rows[i]?.id ?? -1],
      severity: 'info',
      reason: `Line ${rows[i]?.line ?? '?'} is neither English nor Chinese.`,
      fix: 'drop-rows',
    });
  });
  const n = judged || 1;
  const en = counts.en + counts.mixed / 2;
  const zh = counts.zh + counts.mixed / 2;
  const minority = Math.min(en, zh) / Math.max(1, en + zh);
  if (en + zh > 0 && minority < 0.1)
    findings.push({
      id: `language:${findings.length}`,
      check: 'language',
      rowIds: [],
      severity: 'info',
      reason: `The data is ${percent(Math.max(en, zh) / n)} ${en >= zh ? 'English' : 'Chinese'}; a bilingual model will see little ${en >= zh ? 'Chinese' : 'English'}.`,
      fix: 'review',
      extra: { minorityShare: minority },
    });
  const otherShare = counts.other / n;
  const score = scoreFromShare(otherShare, 0.3);
  const order: Language[] = ['en', 'zh', 'mixed', 'other'];
  return {
    check: 'language',
    title: 'Language',
    score,
    grade: gradeOf(score),
    summary: order
      .filter((l) => counts[l] > 0)
      .map((l) => `${NAMES[l]} ${percent(counts[l] / n)}`)
      .join(', '),
    findings,
    charts: [
      {
        kind: 'bars',
        id: 'language-split',
        title: 'Rows by language',
        xLabel: 'language',
        yLabel: 'rows',
        categories: order.map((l) => NAMES[l]),
        series: [{ name: 'rows', values: order.map((l) => counts[l]) }],
      },
    ],
    stats: { ...counts, minorityLanguageShare: minority },
  };
}
