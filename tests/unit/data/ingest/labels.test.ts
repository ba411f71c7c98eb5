import { describe, expect, it } from 'vitest';
import {
  binaryValue,
  canonicalLabel,
  classifyLabels,
  labelClassifier,
} from '../../../../src/data/ingest/labels.ts';

describe('classifyLabels', () => {
  it.each([
    [['1', '0', '1'], ['1'], ['0']],
    [['1', '-1'], ['1'], ['-1']],
    [['True', 'False'], ['True'], ['False']],
    [['yes', 'No'], ['yes'], ['No']],
    [['funny', 'not funny'], ['funny'], ['not funny']],
    [['humor', 'non-humor'], ['humor'], ['non-humor']],
    [['是', '否'], ['是'], ['否']],
  ])('reads %j as binary', (values, positive, negative) => {
    expect(classifyLabels(values)).toEqual({ kind: 'binary', positive, negative });
  });

  it('reads ratings as numeric and words as categories, most frequent first', () => {
    expect(classifyLabels(['1', '3', '5', '2.5', null])).toEqual({ kind: 'numeric', min: 1, max: 5 });
    expect(classifyLabels(['dad', 'pun', 'knock-knock', 'pun', '科幻'])).toEqual({
      kind: 'categorical',
      categories: ['pun', 'dad', 'knock-knock', '科幻'],
    });
  });

  it('stays binary with a rare stray value, which then does not fit the scheme', () => {
    const values = [...Array(40).fill('yes'), ...Array(40).fill('no'), 'yess'];
    const scheme = classifyLabels(values);
    expect(scheme.kind).toBe('binary');
    expect(binaryValue(scheme, 'yess')).toBeNull();
    expect(classifyLabels(['yes', 'no', 'maybe', 'maybe']).kind).toBe('categorical');
  });

  it('has no scheme without labels', () => {
    expect(classifyLabels([null, null])).toEqual({ kind: 'none' });
  });

  it('normalises binary labels to a canonical pair, case-insensitively', () => {
    const scheme = classifyLabels(['Yes', 'no']);
    expect(canonicalLabel(scheme, 'YES')).toBe('funny');
    expect(canonicalLabel(scheme, 'no')).toBe('not funny');
    expect(canonicalLabel({ kind: 'categorical', categories: ['pun'] }, 'pun')).toBe('pun');
  });

  it("gives the audit a classifier built from the dataset's own scheme", () => {
    const puns = labelClassifier(classifyLabels(['1', '-1', '1']));
    expect([puns.toClass('1'), puns.toClass(' -1 '), puns.toClass(null), puns.toClass('')]).toEqual([
      'funny',
      'not funny',
      null,
      null,
    ]);
    expect(puns.positiveClass).toBe('funny');
    const categories = labelClassifier(classifyLabels(['pun', 'dad']));
    expect([categories.toClass('pun'), categories.positiveClass]).toEqual(['pun', null]);
  });
});
