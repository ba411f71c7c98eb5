import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { shippedTokenizer as tokenizer } from './shipped-tokenizer.ts';

// Written by tools/train-tokenizer.py with the Python `tokenizers` library that trained the vocabulary.
const cases = JSON.parse(
  readFileSync(new URL('../../fixtures/tokenizer/python-encodings.json', import.meta.url), 'utf8'),
) as { text: string; ids: number[] }[];

describe('@huggingface/tokenizers encodes like the Python tokenizers library', () => {
  it('has parity cases to check', () => {
    expect(cases.length).toBeGreaterThan(10);
  });

  it.each(cases.map((entry) => [JSON.stringify(entry.text).slice(0, 50), entry] as const))(
    '%s',
    (_label, entry) => {
      expect(tokenizer.encode(entry.text)).toEqual(entry.ids);
    },
  );
});
