import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadImportedTokenizer } from '../../../src/models/load-tokenizer-node.ts';

// public/models/smollm2-135m-instruct is git-ignored: `npm run models:smollm2` creates it.
const modelDir = join(import.meta.dirname, '../../../public/models/smollm2-135m-instruct');
const present = existsSync(join(modelDir, 'tokenizer.json'));

interface Expected {
  texts: { text: string; ids: number[] }[];
  chat: { messages: { role: 'user'; content: string }[]; text: string; ids: number[] };
}
// Ids from transformers' tokenizer built from the GGUF itself (make_smollm2_tokens.py).
const expected = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../fixtures/models/smollm2-tokens.json'), 'utf8'),
) as Expected;

describe.skipIf(!present)('SmolLM2 tokenizer (converted from the GGUF) versus the GGUF vocabulary', () => {
  const tokenizer = present ? loadImportedTokenizer(modelDir) : null;

  it.each(expected.texts)('encodes $text', ({ text, ids }) => {
    expect(tokenizer?.encode(text)).toEqual(ids);
    expect(tokenizer?.decode(ids)).toBe(text);
  });

  it('formats "Tell me a joke about cats." with the chat template as SmolLM2 was trained', () => {
    expect(tokenizer?.encodeChat(expected.chat.messages)).toEqual(expected.chat.ids);
    expect(tokenizer?.decode(expected.chat.ids)).toBe(expected.chat.text);
  });

  it('ends generation at <|im_end|>', () => {
    expect(tokenizer?.eosTokenIds).toEqual([tokenizer?.specialIds.get('<|im_end|>')]);
    expect(tokenizer?.bosTokenId).toBe(tokenizer?.specialIds.get('<|im_start|>'));
  });
});
