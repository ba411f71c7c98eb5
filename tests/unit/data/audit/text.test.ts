import { describe, expect, it } from 'vitest';
import { duplicateKey, foldText, tokenize } from '../../../../src/data/audit/text.ts';

describe('duplicateKey', () => {
  it('ignores case, full-width forms, punctuation and repeated whitespace in English', () => {
    expect(duplicateKey('Ｈｅｌｌｏ,   WORLD!!')).toBe('hello world');
    expect(duplicateKey("It's  a\tpun…")).toBe('it s a pun');
  });

  it('strips Chinese punctuation and the spaces between Chinese characters', () => {
    expect(duplicateKey('你好，世界！「笑话」')).toBe('你好世界笑话');
    expect(duplicateKey('你 好 世 界')).toBe('你好世界');
    expect(duplicateKey('我用 iPhone 打电话')).toBe('我用iphone打电话');
    expect(duplicateKey('𠀀 好, ok 𠀀')).toBe('𠀀好ok𠀀');
    expect(duplicateKey('ok ok，好')).toBe('ok ok好');
  });

  it('keeps emoji, which carry meaning, and drops zero-width characters', () => {
    expect(duplicateKey('ha\u200bha 😂')).toBe('haha 😂');
  });
});

describe('tokenize', () => {
  it('gives words for English and single characters for Chinese', () => {
    expect(tokenize(foldText("Don't panic: 不要慌 OK"))).toEqual(["don't", 'panic', '不', '要', '慌', 'ok']);
  });
});
