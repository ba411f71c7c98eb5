import { describe, expect, it } from 'vitest';
import { languageTagFor } from '../../../src/tokenizer/language-tag.ts';

describe('languageTagFor', () => {
  it('tags Chinese when Han characters are at least as many as Latin letters', () => {
    expect(languageTagFor('为什么程序员')).toBe('zh');
    expect(languageTagFor('Why did the programmer')).toBe('en');
    expect(languageTagFor('AI 笑话')).toBe('zh');
    expect(languageTagFor('AI笑')).toBe('en');
    expect(languageTagFor('The AI 笑')).toBe('en');
  });

  it('tags English when there is no Han at all, whatever else the text holds', () => {
    expect(languageTagFor('')).toBe('en');
    expect(languageTagFor('😂 123 !?')).toBe('en');
    expect(languageTagFor('ジョーク')).toBe('en');
  });
});
