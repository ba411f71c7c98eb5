import { describe, expect, it } from 'vitest';
import { shippedTokenizer as tokenizer } from './shipped-tokenizer.ts';

// The most frequent characters of written Simplified Chinese (general frequency lists), plus common
// Traditional forms from the Taiwan corpus' register.
const FREQUENT_SIMPLIFIED =
  '的一是不了人我在有他这为之大来以个中上们到说国和地也子时道出而要于就下得可你年生自会那后能对着事其里所去行过家十用发天如然作方成者多日都三小军二无同么经法当起与好看学进种将还分此心前面又定见只主没公从知' +
  '老师问明为什么课睡觉因梦习妈爸儿女朋友吃饭钱买卖笑话今很开快乐想最怎样吗呢吧啊哈谁给让被把点头手眼';
const FREQUENT_TRADITIONAL = '們說國來個時會對過學這還們麼後從當與問題讓點師媽錢買賣開樂話';

function characters(text: string): string[] {
  return [...new Set(text)];
}

describe('Chinese coverage', () => {
  it.each([
    ['Simplified', FREQUENT_SIMPLIFIED],
    ['Traditional', FREQUENT_TRADITIONAL],
  ])('each frequent %s character is one token', (_name, text) => {
    const split = characters(text).filter((char) => tokenizer.encode(char).length !== 1);
    expect(split).toEqual([]);
  });

  it('never cuts a frequent character in running text: every token decodes to whole characters', () => {
    const sentence = '老师问明：你为什么上课睡觉？他说：因为我在梦里学习，妈妈说今天很开心。';
    const ids = tokenizer.encode(sentence);
    const pieces = ids.map((id) => tokenizer.decode([id]));
    expect(pieces.join('')).toBe(sentence);
    expect(pieces.filter((piece) => piece.includes('\uFFFD'))).toEqual([]);
  });

  it('encodes Chinese more compactly than UTF-8 bytes', () => {
    const text = characters(FREQUENT_SIMPLIFIED).join('');
    // 3 bytes per character; one token per character at worst.
    expect(tokenizer.encode(text).length).toBeLessThanOrEqual([...text].length);
  });
});
