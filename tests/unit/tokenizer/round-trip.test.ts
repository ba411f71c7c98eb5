import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shippedTokenizer as tokenizer } from './shipped-tokenizer.ts';

const han = fc.integer({ min: 0x4e00, max: 0x9fff }).map((codePoint) => String.fromCodePoint(codePoint));

describe('decode(encode(x)) == x', () => {
  it.each([
    ['English', 'Why did the chicken cross the road? To get to the other side.'],
    ['contractions', "I'm sure they'll say we've done it, you'd think he's right."],
    ['Simplified Chinese', '老师问小明：你为什么上课睡觉？小明说：因为我在梦里学习。'],
    ['Traditional Chinese', '老師：「小新，你怎麼偷同學的橡皮擦？」'],
    ['emoji', '😂👍🏽 👨‍👩‍👧‍👦 🇨🇳🇬🇧'],
    ['mixed', '我今天很开心 because the joke was funny 😂, 对吧？'],
    ['whitespace and newlines', '  two leading spaces\n\n\tA tab, CRLF\r\nand trailing   '],
    ['rare characters outside the basic plane', '𠀋𪚥 and U+FEFF \uFEFF inside'],
  ])('%s', (_name, text) => {
    expect(tokenizer.decode(tokenizer.encode(text))).toBe(text);
  });

  it('holds for the empty string', () => {
    expect(tokenizer.encode('')).toEqual([]);
    expect(tokenizer.decode([])).toBe('');
  });

  it('holds for random Unicode strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (text) => {
        expect(tokenizer.decode(tokenizer.encode(text))).toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  it('holds for random grapheme strings (emoji sequences, combining marks)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 30 }), (text) => {
        expect(tokenizer.decode(tokenizer.encode(text))).toBe(text);
      }),
      { numRuns: 200 },
    );
  });

  it('holds for random Chinese text mixed with ASCII', () => {
    const chunk = fc.oneof(
      fc.string({ unit: han, maxLength: 12 }),
      fc.string({ unit: 'grapheme-ascii', maxLength: 12 }),
    );
    fc.assert(
      fc.property(fc.array(chunk, { maxLength: 6 }), (chunks) => {
        const text = chunks.join('');
        expect(tokenizer.decode(tokenizer.encode(text))).toBe(text);
      }),
      { numRuns: 200 },
    );
  });

  it('rejects ids outside the vocabulary with a clear error', () => {
    expect(() => tokenizer.decode([tokenizer.vocabSize])).toThrow(/outside the vocabulary/);
    expect(() => tokenizer.decode([-1])).toThrow(/outside the vocabulary/);
  });
});
