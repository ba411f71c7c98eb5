import type { JokeLanguage } from '../../../worker/generate/types.ts';

import { languageTagFor } from '../../../tokenizer/language-tag.ts';

export type LanguageChoice = 'auto' | JokeLanguage;

export function effectiveLanguage(prompt: string, choice: LanguageChoice): JokeLanguage {
  return choice === 'auto' ? languageTagFor(prompt) : choice;
}
