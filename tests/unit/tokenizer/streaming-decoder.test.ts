import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StreamingDecoder } from '../../../src/tokenizer/streaming-decoder.ts';
import { shippedTokenizer as tokenizer } from './shipped-tokenizer.ts';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/u;

function streamPieces(ids: readonly number[], options?: { skipSpecialTokens?: boolean }): string[] {
  const decoder = new StreamingDecoder(tokenizer, options);
  return [...ids.map((id) => decoder.push(id)), decoder.finish()];
}

function expectCleanStream(text: string): void {
  const ids = tokenizer.encode(text);
  const pieces = streamPieces(ids);
  for (const piece of pieces) {
    expect(piece).not.toContain('\uFFFD');
    expect(piece).not.toMatch(LONE_SURROGATE);
  }
  expect(pieces.join('')).toBe(tokenizer.decode(ids));
  expect(pieces.join('')).toBe(text);
}

describe('StreamingDecoder', () => {
  it('holds back the bytes of a character split across tokens until it is complete', () => {
    // A rare CJK Extension B character and a skin-tone emoji are not in the vocabulary as whole tokens.
    for (const text of ['𠀋', '👍🏽']) {
      const ids = tokenizer.encode(text);
      expect(ids.length).toBeGreaterThan(1);
      const pieces = streamPieces(ids);
      expect(pieces.slice(0, -1).join('')).toBe(text);
      expect(pieces.slice(0, -1)).toContain('');
      expect(pieces.filter((piece) => piece !== '').every((piece) => !piece.includes('\uFFFD'))).toBe(true);
    }
  });

  it.each([
    ['Chinese', '老师问小明：你为什么上课睡觉？'],
    ['emoji', 'Family 👨‍👩‍👧‍👦 and 😂👍🏽'],
    ['mixed with special tokens', '<|zh|><|funny|>我很开心 😂<|endofjoke|>'],
  ])('streams %s without broken characters', (_name, text) => {
    expectCleanStream(text);
  });

  it('never emits U+FFFD or a lone surrogate for random Unicode text', () => {
    const text = fc.string({ unit: 'binary', maxLength: 40 }).filter((value) => !value.includes('\uFFFD'));
    fc.assert(fc.property(text, expectCleanStream), { numRuns: 300 });
  });

  it('matches the full decode for arbitrary id sequences, broken bytes included', () => {
    const ids = fc.array(fc.integer({ min: 0, max: tokenizer.vocabSize - 1 }), { maxLength: 30 });
    fc.assert(
      fc.property(ids, (sequence) => {
        expect(streamPieces(sequence).join('')).toBe(tokenizer.decode(sequence));
      }),
      { numRuns: 300 },
    );
  });

  it('can leave special tokens out of the text', () => {
    const ids = tokenizer.encode('<|en|><|funny|>Knock knock.<|endofjoke|>');
    expect(streamPieces(ids, { skipSpecialTokens: true }).join('')).toBe('Knock knock.');
  });
});
