import type { ControlCode, Language } from './special-tokens.ts';
import type { PunchlineTokenizer } from './tokenizer.ts';

export interface Joke {
  text: string;
  language: Language;
  control: ControlCode;
}

/**
 * Token ids of one training sequence: language tag, control code, the joke, <|endofjoke|>. The text is
 * encoded on its own, so a literal "<|...|>" inside it cannot pass for framing; if it would become a
 * special token, this fails instead.
 */
export function encodeJoke(tokenizer: PunchlineTokenizer, joke: Joke): number[] {
  const body = tokenizer.encode(joke.text);
  const specialIds = new Set(tokenizer.specialIds.values());
  const injected = body.find((id) => specialIds.has(id));
  if (injected !== undefined) {
    throw new Error(
      `joke text contains the special token ${tokenizer.decode([injected])}: ${JSON.stringify(joke.text.slice(0, 80))}; remove it from the data`,
    );
  }
  const control = tokenizer.specialIds.get(joke.control);
  if (control === undefined) throw new Error(`unknown control code ${joke.control}`);
  return [tokenizer.languageIds[joke.language], control, ...body, tokenizer.endOfJokeId];
}
