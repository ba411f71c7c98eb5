import { describe, expect, it } from 'vitest';
import {
  dropExactDuplicates,
  dropFlaggedRows,
  dropToxicRows,
  keepOnePerNearDuplicateCluster,
  relabelFlaggedRows,
} from '../../../../src/data/audit/fixes.ts';
import { runAudit, type AuditProgress } from '../../../../src/data/audit/run.ts';
import type { CheckId } from '../../../../src/data/audit/types.ts';
import { loadFixture, toRows } from './fixtures.ts';

const rows = toRows([...loadFixture('duplicates'), ...loadFixture('safety')]);

describe('runAudit', () => {
  it('runs every check, reports monotonic progress and leaves the rows untouched', async () => {
    const before = JSON.stringify(rows);
    const progress: AuditProgress[] = [];
    const report = await runAudit(rows, {}, (p) => progress.push(p));
    const all: CheckId[] = [
      'exact-duplicates',
      'near-duplicates',
      'label-conflicts',
      'label-noise',
      'toxicity',
      'identity-terms',
      'language',
      'junk',
      'label-balance',
      'diversity',
      'sentiment',
    ];
    expect(report.checks.map((c) => c.check)).toEqual(all);
    expect(report.timings.map((t) => t.check)).toEqual(['prepare', ...all]);
    expect(report.rowCount).toBe(rows.length);
    expect(report.perRow.language).toHaveLength(rows.length);
    const fractions = progress.map((p) => p.fraction);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    expect(fractions.at(-1)).toBe(1);
    expect(JSON.stringify(rows)).toBe(before);
    const ids = report.checks.flatMap((c) => c.findings.map((f) => f.id));
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of report.checks) {
      expect(c.score).toBeGreaterThanOrEqual(0);
      expect(c.score).toBeLessThanOrEqual(100);
    }
  });

  it('handles an empty dataset and one of blank rows without crashing, skipping what cannot run', async () => {
    const empty = await runAudit([]);
    expect(empty.overallScore).toBe(100);
    expect(empty.checks.find((c) => c.check === 'label-noise')?.skipped).toBeDefined();
    const blank = await runAudit(toRows([{ text: '' }, { text: '   ', label: '1' }]));
    expect(blank.checks.find((c) => c.check === 'junk')?.findings).toHaveLength(2);
    expect(blank.checks.find((c) => c.check === 'language')?.score).toBe(100);
    expect(blank.checks.find((c) => c.check === 'diversity')?.skipped).toBeDefined();
  });

  it('stops with the abort reason when cancelled', async () => {
    const controller = new AbortController();
    const run = runAudit(
      rows,
      {},
      (p) => {
        if (p.step === 'toxicity') controller.abort(new Error('user cancelled'));
      },
      controller.signal,
    );
    await expect(run).rejects.toThrow('user cancelled');
  });
});

describe('fixes', () => {
  it('drop exact duplicates keeps the first copy and records why each row went', async () => {
    const report = await runAudit(rows);
    const { rows: out, changeRecord } = dropExactDuplicates(rows, report);
    expect(changeRecord.removed.map((r) => r.id)).toEqual([101, 102, 105, 110]);
    expect(out).toHaveLength(rows.length - 4);
    expect(out.map((r) => r.id)).toContain(100);
    expect(changeRecord.removed[0]?.reason).toMatch(/same text/);
    expect(changeRecord.rowsAfter).toBe(out.length);
  });

  it('keep one per near-duplicate cluster drops all but the representative', async () => {
    const report = await runAudit(rows);
    const { changeRecord } = keepOnePerNearDuplicateCluster(rows, report);
    expect(changeRecord.removed.map((r) => r.id).sort()).toEqual([113, 115]);
  });

  it('relabels the minority of a label conflict to the majority label, in the dataset’s spelling', async () => {
    const report = await runAudit(rows);
    const conflict = report.checks
      .find((c) => c.check === 'label-conflicts')
      ?.findings.find((f) => f.severity === 'error');
    if (!conflict) throw new Error('expected an exact label conflict');
    const { rows: out, changeRecord } = relabelFlaggedRows(rows, report, [conflict.id]);
    expect(changeRecord.relabelled).toEqual([expect.objectContaining({ id: 102, from: '0', to: '1' })]);
    expect(out.find((r) => r.id === 102)?.label).toBe('1');
    expect(rows.find((r) => r.id === 102)?.label).toBe('0');
  });

  it('drops flagged rows by finding id and rejects ids not in the report', async () => {
    const report = await runAudit(rows);
    const junk = report.checks.find((c) => c.check === 'toxicity')?.findings[0];
    if (!junk) throw new Error('expected a toxicity finding');
    const { rows: out } = dropFlaggedRows(rows, report, [junk.id]);
    expect(out).toHaveLength(rows.length - 1);
    expect(() => dropFlaggedRows(rows, report, ['nope:1'])).toThrow(/not in this audit report/);
    expect(() => relabelFlaggedRows(rows, report, [junk.id])).toThrow(/no suggested label/);
  });

  it('drop toxic rows removes strong and slur rows, or only slurs at severity 3', async () => {
    const report = await runAudit(rows);
    const strong = dropToxicRows(rows, report);
    const slursOnly = dropToxicRows(rows, report, 3);
    // safety.json rows start at id 118: severity ≥ 2 at its rows 1, 3, 4, 6, 7, 8; severity 3 at 4 and 8.
    expect(strong.changeRecord.removed.map((r) => r.id)).toEqual([119, 121, 122, 124, 125, 126]);
    expect(slursOnly.changeRecord.removed.map((r) => r.id)).toEqual([122, 126]);
  });
});
