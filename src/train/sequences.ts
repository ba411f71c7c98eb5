/**
 * Examples -> token ids. A generator sequence is <|lang|><|control|>joke<|endofjoke|>, whose first two
 * tokens are context only (no loss on them); a classifier sequence is <|lang|>joke<|endofjoke|>, scored at
 * its last token.
 */
import type { PunchlineTokenizer } from '../tokenizer/tokenizer.ts';
import type { Example } from './examples.ts';

export type TrainTokenizer = Pick<
  PunchlineTokenizer,
  'encode' | 'specialIds' | 'languageIds' | 'endOfJokeId'
>;

export interface JokeTokens {
  ids: Int32Array;
  /** Leading tokens that are context only: never a loss target. */
  prefix: number;
}

function specialId(tokenizer: TrainTokenizer, token: string): number {
  const id = tokenizer.specialIds.get(token);
  if (id === undefined) throw new Error(`the tokenizer has no special token ${token}`);
  return id;
}

/** The body is cut so the whole sequence fits maxLength tokens (the end-of-joke token is kept). */
export function generatorSequence(
  tokenizer: TrainTokenizer,
  example: Example,
  maxLength: number,
): JokeTokens {
  const body = tokenizer.encode(example.text).slice(0, Math.max(1, maxLength - 3));
  const ids = [
    tokenizer.languageIds[example.language],
    specialId(tokenizer, example.control),
    ...body,
    tokenizer.endOfJokeId,
  ];
  return { ids: Int32Array.from(ids), prefix: 2 };
}

export function classifierSequence(
  tokenizer: TrainTokenizer,
  example: Example,
  maxLength: number,
): Int32Array {
  const body = tokenizer.encode(example.text).slice(0, Math.max(1, maxLength - 2));
  return Int32Array.from([tokenizer.languageIds[example.language], ...body, tokenizer.endOfJokeId]);
}
