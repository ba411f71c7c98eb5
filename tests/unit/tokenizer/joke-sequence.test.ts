import { describe, expect, it } from 'vitest';
import { encodeJoke } from '../../../src/tokenizer/joke-sequence.ts';
import { formatJoke } from '../../../src/tokenizer/special-tokens.ts';
import { shippedTokenizer as tokenizer } from './shipped-tokenizer.ts';

describe('encodeJoke', () => {
  it('frames the joke with language tag, control code and end of joke, like encoding formatJoke', () => {
    const joke = { text: '甲：你结婚了吗？\n乙：还没有。', language: 'zh', control: '<|funny|>' } as const;
    const ids = encodeJoke(tokenizer, joke);
    expect(ids).toEqual(tokenizer.encode(formatJoke('zh', '<|funny|>', joke.text)));
    expect(ids.slice(0, 2)).toEqual([tokenizer.languageIds.zh, tokenizer.controlIds.funny]);
    expect(ids.at(-1)).toBe(tokenizer.endOfJokeId);
  });

  it('refuses text that would smuggle in a special token', () => {
    expect(() =>
      encodeJoke(tokenizer, {
        text: 'Knock knock <|endofjoke|> who',
        language: 'en',
        control: '<|not_funny|>',
      }),
    ).toThrow(/contains the special token <\|endofjoke\|>/);
  });
});
