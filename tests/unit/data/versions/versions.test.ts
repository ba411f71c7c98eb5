import { describe, expect, it } from 'vitest';
import { ingestFile } from '../../../../src/data/ingest/index.ts';
import {
  VersionError,
  applyChange,
  applyFix,
  createImportVersion,
  diffVersions,
  fixRequestOf,
  lineageOf,
  remapVersion,
  type DatasetVersion,
  type VersionClock,
} from '../../../../src/data/versions.ts';
import { fixtureBytes } from '../ingest/fixtures.ts';

function testClock(): VersionClock {
  let n = 0;
  return {
    newId: () => `v${++n}`,
    now: () => Date.UTC(2026, 11, 3, 12, 0, n),
  };
}

async function importMessy(clock: VersionClock): Promise<DatasetVersion> {
  const result = await ingestFile(fixtureBytes('messy-en.csv'), { fileName: 'messy-en.csv' });
  return createImportVersion(result, 'messy-en.csv', clock);
}

describe('dataset versions', () => {
  it('starts a lineage from an import, recording the source', async () => {
    const v1 = await importMessy(testClock());
    expect(v1).toMatchObject({ id: 'v1', datasetId: 'v1', parentId: null, name: 'messy-en.csv', number: 1 });
    expect(v1.rows).toHaveLength(6);
    expect(v1.change).toMatchObject({
      kind: 'import',
      source: { fileName: 'messy-en.csv', format: 'csv', encoding: 'utf-8', delimiter: ',' },
    });
    expect(Object.isFrozen(v1.rows)).toBe(true);
    expect(Object.isFrozen(v1.rows[0])).toBe(true);
  });

  it('applies a fix as a new version and leaves the parent untouched', async () => {
    const clock = testClock();
    const v1 = await importMessy(clock);
    const before = JSON.stringify(v1);
    const v2 = applyFix(
      v1,
      {
        fix: 'drop-and-relabel',
        reason: 'reviewed by hand',
        remove: [{ id: 3, why: 'not a joke' }],
        relabel: [{ id: 2, to: 'yes' }],
        editText: [{ id: 5, to: 'Parallel lines have so much in common.' }],
      },
      clock,
    );
    expect(JSON.stringify(v1)).toBe(before);
    expect(v2).toMatchObject({ id: 'v2', datasetId: 'v1', parentId: 'v1', number: 2 });
    expect(v2.rows.map((r) => r.id)).toEqual([0, 1, 2, 4, 5]);
    expect(v2.rows.find((r) => r.id === 2)?.label).toBe('yes');
    expect(v2.rows[0]).toBe(v1.rows[0]);
    expect(v2.change).toEqual({
      kind: 'fix',
      at: Date.UTC(2026, 11, 3, 12, 0, 1),
      fix: 'drop-and-relabel',
      reason: 'reviewed by hand',
      removed: [{ id: 3, why: 'not a joke' }],
      relabelled: [{ id: 2, from: 'no', to: 'yes' }],
      edited: [
        {
          id: 5,
          from: 'Parallel lines have so much in common. It is a shame they will never meet.',
          to: 'Parallel lines have so much in common.',
        },
      ],
    });
    expect(() => (v2.rows as unknown as unknown[]).push(1)).toThrow(TypeError);
  });

  it('replays a stored change record to the same rows', async () => {
    const clock = testClock();
    const v1 = await importMessy(clock);
    const v2 = applyFix(v1, { fix: 'drop', reason: 'dup', remove: [{ id: 0 }, { id: 1 }] }, clock);
    const replayed = applyChange(v1, JSON.parse(JSON.stringify(v2.change)), v2.id);
    expect(replayed).toEqual(v2);
  });

  it('refuses fixes that name unknown rows, repeat rows, contradict themselves or change nothing', async () => {
    const v1 = await importMessy(testClock());
    expect(() => applyFix(v1, { fix: 'x', reason: 'r', remove: [{ id: 99 }] })).toThrow(/no such row/);
    expect(() => applyFix(v1, { fix: 'x', reason: 'r', remove: [{ id: 1 }, { id: 1 }] })).toThrow(/twice/);
    expect(() =>
      applyFix(v1, { fix: 'x', reason: 'r', remove: [{ id: 1 }], relabel: [{ id: 1, to: 'no' }] }),
    ).toThrow(VersionError);
    expect(() => applyFix(v1, { fix: 'x', reason: 'r' })).toThrow(/changes nothing/);
  });

  it('takes an audit fix outcome as a fix request', async () => {
    const clock = testClock();
    const v1 = await importMessy(clock);
    const outcome = {
      fix: 'drop-exact-duplicates',
      description: 'Dropped 1 exact duplicate.',
      findingIds: ['dup-1'],
      removed: [{ id: 1, line: 4, reason: 'same text as row 0', findingId: 'dup-1' }],
      relabelled: [
        { id: 2, line: 5, reason: 'classifier disagrees', findingId: 'noise-1', from: 'no', to: 'yes' },
      ],
    };
    const v2 = applyFix(v1, fixRequestOf(outcome), clock);
    expect(v2.change).toMatchObject({
      fix: 'drop-exact-duplicates',
      reason: 'Dropped 1 exact duplicate.',
      removed: [{ id: 1, why: 'same text as row 0' }],
      relabelled: [{ id: 2, from: 'no', to: 'yes', why: 'classifier disagrees' }],
    });
  });

  it('recomputes the label scheme after relabelling', async () => {
    const clock = testClock();
    const v1 = await importMessy(clock);
    const relabel = v1.rows.map((r, i) => ({ id: r.id, to: i % 2 ? 'pun' : 'dad' }));
    const v2 = applyFix(v1, { fix: 'categorise', reason: 'new labels', relabel }, clock);
    expect(v2.labelScheme).toEqual({ kind: 'categorical', categories: ['dad', 'pun'] });
  });

  it('remaps columns without losing any cell', async () => {
    const clock = testClock();
    const v1 = await importMessy(clock);
    const v2 = remapVersion(v1, { text: 'joke', label: 'source', extra: ['id', 'is_funny'] }, clock);
    expect(v2.rows[0]).toMatchObject({ label: 'hand', extra: { id: '1', is_funny: 'yes' } });
    const v3 = remapVersion(v2, v1.mapping, clock);
    expect(v3.rows).toEqual(v1.rows);
    expect(() => remapVersion(v1, { text: 'nope', label: null, extra: [] })).toThrow(/no column "nope"/);
  });

  it('walks the lineage and diffs versions by row id', async () => {
    const clock = testClock();
    const v1 = await importMessy(clock);
    const v2 = applyFix(v1, { fix: 'drop', reason: 'dup', remove: [{ id: 4 }] }, clock);
    const v3 = applyFix(v2, { fix: 'relabel', reason: 'noise', relabel: [{ id: 0, to: 'no' }] }, clock);
    expect(lineageOf([v3, v1, v2], 'v3').map((v) => v.id)).toEqual(['v1', 'v2', 'v3']);
    expect(diffVersions(v1, v3)).toEqual({
      removed: [4],
      added: [],
      relabelled: [{ id: 0, from: 'yes', to: 'no' }],
      edited: [],
    });
    expect(() => lineageOf([v1], 'v9')).toThrow(VersionError);
  });
});
