import { describe, expect, it } from 'vitest';
import { fnv1a32, normalisedKey } from '../../../src/data/corpora/normalise.ts';
import { splitOf, VALIDATION_PER_MILLE } from '../../../src/data/corpora/split.ts';

describe('train/validation split', () => {
  it('depends only on the normalised text', () => {
    for (let index = 0; index < 200; index += 1) {
      const text = `Joke number ${index}: why did it happen?`;
      expect(splitOf(`  JOKE number ${index} — why did it happen!!`)).toBe(splitOf(text));
    }
  });

  it('puts about 3% of texts into validation', () => {
    const count = 20_000;
    let validation = 0;
    for (let index = 0; index < count; index += 1)
      if (splitOf(`synthetic row ${index}`) === 'validation') validation += 1;
    const expected = (count * VALIDATION_PER_MILLE) / 1000;
    expect(Math.abs(validation - expected)).toBeLessThan(expected * 0.15);
  });

  it('uses FNV-1a over UTF-8 bytes (reference values of the published algorithm)', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });

  it('normalises with NFKC, lower case, letters and digits only', () => {
    expect(normalisedKey('Ｈｅｌｌｏ, World! ２０２６')).toBe('helloworld2026');
    expect(normalisedKey('你好，世界！')).toBe('你好世界');
  });
});
