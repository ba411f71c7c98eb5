import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CountTable } from '../../../../src/data/audit/count-table.ts';
import { LexiconMatcher } from '../../../../src/data/audit/lexicon-matcher.ts';
import { forEachCandidatePair } from '../../../../src/data/audit/lsh.ts';
import {
  defaultMinHashOptions,
  estimatedJaccard,
  jaccard,
  minHashSignatures,
  shingleSets,
} from '../../../../src/data/audit/minhash.ts';
import { UnionFind } from '../../../../src/data/audit/union-find.ts';

describe('MinHash', () => {
  const texts = [
    'the quick brown fox jumps over the lazy dog near the river bank',
    'the quick brown fox jumps over the lazy cat near the river bank',
    'completely different words about cooking pasta with tomato sauce',
    '老婆问我如果我和你妈同时掉进水里你先救谁',
    '老婆问我如果我和你妈同时掉进河里你先救谁',
  ];
  const options = { ...defaultMinHashOptions, numHashes: 256, bands: 64 };
  const sets = shingleSets(texts, options);
  const signatures = minHashSignatures(sets, texts.length, options);

  it('estimates Jaccard similarity within sampling error', () => {
    for (const [a, b] of [
      [0, 1],
      [0, 2],
      [3, 4],
    ] as const) {
      expect(Math.abs(estimatedJaccard(signatures, 256, a, b) - jaccard(sets, a, b))).toBeLessThan(0.1);
    }
    expect(jaccard(sets, 0, 0)).toBe(1);
    expect(jaccard(sets, 0, 2)).toBeLessThan(0.1);
  });

  it('LSH proposes similar pairs and not dissimilar ones', () => {
    const pairs: string[] = [];
    forEachCandidatePair(signatures, texts.length, 256, 64, (a, b) => pairs.push(`${a}-${b}`));
    expect(pairs).toContain('0-1');
    expect(pairs).toContain('3-4');
    expect(pairs).not.toContain('0-2');
  });

  it('rejects band settings that do not divide the signature', () => {
    expect(() => forEachCandidatePair(signatures, texts.length, 256, 3, () => undefined)).toThrow(
      /equal bands/,
    );
  });
});

describe('UnionFind', () => {
  it('agrees with naive connectivity on random unions', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(19), fc.nat(19)), { maxLength: 30 }), (edges) => {
        const uf = new UnionFind(20);
        const label = Array.from({ length: 20 }, (_, i) => i);
        for (const [a, b] of edges) {
          uf.union(a, b);
          const from = label[b];
          const to = label[a];
          for (let i = 0; i < 20; i++) if (label[i] === from) label[i] = to ?? 0;
        }
        for (let i = 0; i < 20; i++)
          for (let j = 0; j < 20; j++) expect(uf.find(i) === uf.find(j)).toBe(label[i] === label[j]);
      }),
      { numRuns: 50 },
    );
  });
});

describe('CountTable', () => {
  it('counts like a Map, through growth', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 0x7fffffff }), { maxLength: 3000 }), (keys) => {
        const table = new CountTable(4);
        const map = new Map<number, number>();
        for (const k of keys) {
          expect(table.increment(k)).toBe((map.get(k) ?? 0) + 1);
          map.set(k, (map.get(k) ?? 0) + 1);
        }
        expect(table.size).toBe(map.size);
        for (const [k, n] of map) expect(table.get(k)).toBe(n);
        expect(table.get(-5)).toBe(0);
      }),
      { numRuns: 30 },
    );
  });
});

describe('LexiconMatcher', () => {
  it('matches whole words with inflections, phrases and patterns, but not inside other words', () => {
    const m = new LexiconMatcher(
      [
        { literal: 'cat', payload: 'cat' },
        { literal: 'old man', payload: 'old man' },
        { pattern: 'd[o0]g+y?', payload: 'dog' },
      ],
      true,
    );
    expect(m.find('cats and an old   man with a d0ggy').map((x) => x.payload)).toEqual([
      'cat',
      'old man',
      'dog',
    ]);
    expect(m.find('concatenate scatter dogma')).toEqual([]);
  });

  it('matches Chinese literals anywhere, longest first', () => {
    const m = new LexiconMatcher(
      [
        { literal: '老婆', payload: 'wife' },
        { literal: '老婆婆', payload: 'old woman' },
      ],
      false,
    );
    expect(m.find('老婆婆和老婆').map((x) => [x.payload, x.index])).toEqual([
      ['old woman', 0],
      ['wife', 4],
    ]);
  });

  it('names the broken entry when a pattern does not compile', () => {
    expect(() => new LexiconMatcher([{ pattern: 'a(b', payload: 1 }], true)).toThrow(/entry 0 \(a\(b\)/);
  });
});
