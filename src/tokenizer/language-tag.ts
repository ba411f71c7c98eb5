/** Which language tag (<|en|> or <|zh|>) a text gets: Chinese when its Han characters are at least as many as its Latin letters. */
const HAN = /\p{Script=Han}/gu;
const LATIN = /\p{Script=Latin}/gu;

export type LanguageTag = 'en' | 'zh';

export function languageTagFor(text: string): LanguageTag {
  const han = text.match(HAN)?.length ?? 0;
  const latin = text.match(LATIN)?.length ?? 0;
  return han > 0 && han >= latin ? 'zh' : 'en';
}
