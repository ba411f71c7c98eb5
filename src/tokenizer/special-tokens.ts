/**
 * Special tokens of the punchline-tiny tokenizer, in id order (ids 0..12). tools/train-tokenizer.py
 * writes the same list; a unit test checks the committed tokenizer.json against it.
 */
export const END_OF_JOKE = '<|endofjoke|>';

export const LANGUAGE_TAGS = { en: '<|en|>', zh: '<|zh|>' } as const;

export const CONTROL_CODES = { funny: '<|funny|>', notFunny: '<|not_funny|>' } as const;

/** Reserved for fine-tuning: a LoRA adapter can give each of these a style of its own. */
export const STYLE_SLOTS = Array.from({ length: 8 }, (_, index) => `<|style_${index}|>`);

export const SPECIAL_TOKENS: readonly string[] = [
  END_OF_JOKE,
  LANGUAGE_TAGS.en,
  LANGUAGE_TAGS.zh,
  CONTROL_CODES.funny,
  CONTROL_CODES.notFunny,
  ...STYLE_SLOTS,
];

export type Language = keyof typeof LANGUAGE_TAGS;
export type ControlCode = (typeof CONTROL_CODES)[keyof typeof CONTROL_CODES];

/**
 * One training sequence: language tag, control code, the joke, end of joke. Generation starts from the
 * same prefix (`<|en|><|funny|>` plus an optional opening) and stops at <|endofjoke|>.
 */
export function formatJoke(language: Language, control: ControlCode, text: string): string {
  return `${LANGUAGE_TAGS[language]}${control}${text}${END_OF_JOKE}`;
}
