import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatJoke, SPECIAL_TOKENS } from '../../../src/tokenizer/special-tokens.ts';
import { MODEL_DIRECTORY, shippedTokenizer as tokenizer } from './shipped-tokenizer.ts';

describe('special tokens', () => {
  it('are the added tokens of tokenizer.json, in the order of SPECIAL_TOKENS', () => {
    const json = JSON.parse(readFileSync(join(MODEL_DIRECTORY, 'tokenizer.json'), 'utf8')) as {
      added_tokens: { id: number; content: string; special: boolean }[];
    };
    expect(json.added_tokens.map((token) => [token.id, token.content, token.special])).toEqual(
      SPECIAL_TOKENS.map((token, id) => [id, token, true]),
    );
  });

  it.each(SPECIAL_TOKENS.map((token, id) => [token, id] as const))(
    '%s encodes to the single id %i',
    (token, id) => {
      expect(tokenizer.encode(token)).toEqual([id]);
      expect(tokenizer.encode(`text ${token} text`)).toContain(id);
      expect(tokenizer.decode([id])).toBe(token);
    },
  );

  it('exposes the ids the model and fine-tuning use', () => {
    expect(tokenizer.encode('<|endofjoke|>')).toEqual([tokenizer.endOfJokeId]);
    expect(tokenizer.encode('<|en|><|zh|>')).toEqual([tokenizer.languageIds.en, tokenizer.languageIds.zh]);
    expect(tokenizer.encode('<|funny|><|not_funny|>')).toEqual([
      tokenizer.controlIds.funny,
      tokenizer.controlIds.notFunny,
    ]);
    expect(tokenizer.styleIds).toHaveLength(8);
    expect(new Set([tokenizer.endOfJokeId, ...tokenizer.styleIds]).size).toBe(9);
  });

  it('frames a training sequence with the language tag, control code and end of joke', () => {
    const ids = tokenizer.encode(formatJoke('zh', '<|funny|>', '为什么？因为。'));
    expect(ids.slice(0, 2)).toEqual([tokenizer.languageIds.zh, tokenizer.controlIds.funny]);
    expect(ids.at(-1)).toBe(tokenizer.endOfJokeId);
    expect(tokenizer.decode(ids.slice(2, -1))).toBe('为什么？因为。');
  });

  it('tokenizer_config.json names <|endofjoke|> as eos, bos and pad and lists the control codes', () => {
    const config = JSON.parse(readFileSync(join(MODEL_DIRECTORY, 'tokenizer_config.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect([config['eos_token'], config['bos_token'], config['pad_token']]).toEqual([
      '<|endofjoke|>',
      '<|endofjoke|>',
      '<|endofjoke|>',
    ]);
    expect(config['additional_special_tokens']).toEqual(SPECIAL_TOKENS.slice(1));
    expect(config['clean_up_tokenization_spaces']).toBe(false);
  });
});
