import type { JokeLanguage } from '../../../worker/generate/types.ts';

const HAN = /\p{Script=Han}/gu;
const LATIN = /\p{Script=Latin}/gu;

/** The language tag a prompt asks for: Chinese when Han characters are at least as many as Latin letters. */
export function detectLanguage(prompt: string): JokeLanguage {
  const han = prompt.match(HAN)?.length ?? 0;
  const latin = prompt.match(LATIN)?.length ?? 0;
  return han > 0 && han >= latin ? 'zh' : 'en';
}

export type LanguageChoice = 'auto' | JokeLanguage;

export function effectiveLanguage(prompt: string, choice: LanguageChoice): JokeLanguage {
  return choice === 'auto' ? detectLanguage(prompt) : choice;
}
