import { describe, expect, it } from 'vitest';
import { auditRowFilters } from '../../../src/data/corpora/audit-filters.ts';

describe('auditRowFilters (the project audit checks as mix filters)', () => {
  const filters = auditRowFilters('standard');
  const texts = [
    'There are 10 types of people in the world: those who understand binary and those who do not.',
    'A horse walks into a bar and the bartender asks why the long face.',
    'There are 10 types of people in the world... those who understand binary, and those who dont.',
    'Oh stfu, nobody asked you about the weather.',
    '老师问小明为什么迟到，小明说因为路上有个牌子写着学校慢行。',
  ];

  it('groups near-duplicate texts by row index, first row first', () => {
    expect(filters.nearDuplicateGroups?.(texts)).toEqual([[0, 2]]);
  });

  it('gives a reason for rows the safety lexicon blocks and null for the rest', () => {
    const reasons = filters.toxicity?.(texts) ?? [];
    expect(reasons.map((reason) => reason !== null)).toEqual([false, false, false, true, false]);
    expect(reasons[3]).toMatch(/profanity/);
  });
});
