import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { ingestFile } from '../../../src/data/ingest/index.ts';
import { CancelledError, WorkerError } from '../../../src/worker/errors.ts';
import type { IngestProgress } from '../../../src/worker/data/requests.ts';
import { fixtureBytes, textBytes, wireData, type DataWiring } from './wiring.ts';

let w: DataWiring;
beforeEach(async () => {
  w = await wireData();
});
afterEach(() => w.close());

/** Three copies of one joke, two near copies of another, one unlabeled row and plain rows. */
const DUPLICATES_CSV = [
  'joke,funny,source',
  'Why did the chicken cross the road? To get to the other side.,1,a',
  'I told a chemistry joke but got no reaction.,1,a',
  'why did the chicken cross the road?  To get to the other side!,1,b',
  'The meeting moved to Thursday afternoon at three.,0,c',
  'WHY DID THE CHICKEN CROSS THE ROAD? TO GET TO THE OTHER SIDE.,0,d',
  'Parallel lines have so much in common; a shame they never meet.,1,a',
  'I used to be a banker but I lost interest.,1,a',
  'Please return the forms by Friday.,0,c',
].join('\n');

async function ingest(name: string, bytes: ArrayBuffer, encoding: 'gb18030' | null = null) {
  return w.client.request(
    'ingestDataset',
    { fileName: name, bytes, encoding, mapping: null },
    { transfer: [bytes] },
  );
}

describe('ingestion through the worker', () => {
  test('a messy CSV is read as the ingester reads it, stored as version 1, with every rejected row downloadable', async () => {
    const direct = await ingestFile(new Uint8Array(fixtureBytes('messy-en.csv')), {
      fileName: 'messy-en.csv',
    });
    const bytes = fixtureBytes('messy-en.csv');
    const progress: IngestProgress[] = [];
    const view = await w.client.request(
      'ingestDataset',
      { fileName: 'messy-en.csv', bytes, encoding: null, mapping: null },
      { transfer: [bytes], onProgress: (p) => progress.push(p) },
    );
    expect(bytes.byteLength).toBe(0);
    expect(progress.at(-1)?.fraction).toBe(1);
    expect(view.number).toBe(1);
    expect(view.parentId).toBeNull();
    expect(view.rowCount).toBe(direct.rows.length);
    expect(view.importReport.counts).toEqual(direct.counts);
    expect(view.importReport.rejected.map((r) => r.line)).toEqual(direct.rejected.map((r) => r.line));
    expect(view.mapping).toEqual(direct.mapping);
    expect(view.preview[0]?.[view.mapping.text]).toBe(direct.rows[0]?.text);
    expect(view.change.description).toMatch(/^Imported messy-en\.csv \(utf-8\)/);

    const list = await w.client.request('listDatasets', {});
    expect(list.map((v) => v.id)).toEqual([view.id]);

    const rejected = await w.client.request('exportDataset', { versionId: view.id, format: 'rejected' });
    const text = new TextDecoder().decode(rejected.bytes);
    expect(rejected.fileName).toBe('messy-en-rejected.csv');
    expect(direct.rejected.length).toBeGreaterThan(0);
    for (const row of direct.rejected) expect(text).toContain(`\r\n${row.line},`);
  });

  test('a GBK file is detected as GB18030 and its Chinese text and labels come through', async () => {
    const view = await ingest('gbk-zh.csv', fixtureBytes('gbk-zh.csv'));
    expect(view.importReport.encoding.name).toBe('gb18030');
    expect(view.mapping).toMatchObject({ text: '内容', label: '标签' });
    expect(view.preview[1]).toEqual({ 内容: '今天天气很好。', 标签: '否' });
    expect(view.labelScheme.kind).toBe('binary');
  });

  test('an unreadable file gets one IngestError that says what to do, and nothing is stored', async () => {
    const error = await ingest('pixel.png', fixtureBytes('pixel.png')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkerError);
    expect((error as WorkerError).name).toBe('IngestError');
    expect((error as WorkerError).message).toMatch(/pixel\.png/);
    expect(await w.client.request('listDatasets', {})).toEqual([]);
  });

  test('cancelling a large ingest stops it with CancelledError and stores nothing', async () => {
    const rows = Array.from({ length: 300_000 }, (_, i) => `joke number ${i} walks into a bar,${i % 2}`);
    const control = new AbortController();
    const pending = w.client.request(
      'ingestDataset',
      {
        fileName: 'big.csv',
        bytes: textBytes(`text,label\n${rows.join('\n')}`),
        encoding: null,
        mapping: null,
      },
      { signal: control.signal, onProgress: (p) => p.phase === 'parse' && control.abort() },
    );
    await expect(pending).rejects.toBeInstanceOf(CancelledError);
    expect(await w.client.request('listDatasets', {})).toEqual([]);
  });
});

describe('audit, fixes and versions through the worker', () => {
  test('dropping exact duplicates makes version 2; version 1 keeps every row; exported CSV reads back', async () => {
    const v1 = await ingest('dupes.csv', textBytes(DUPLICATES_CSV));
    expect(v1.rowCount).toBe(8);
    const audit = await w.client.request('auditDataset', { versionId: v1.id });
    expect(audit.rowCount).toBe(8);
    expect(audit.checks.map((c) => c.check)).toContain('exact-duplicates');
    expect(audit.oneClick.exactDuplicates).toBe(2);

    const page = await w.client.request('datasetFindings', {
      versionId: v1.id,
      check: 'exact-duplicates',
      offset: 0,
      limit: 10,
    });
    expect(page.total).toBe(1);
    expect(page.items[0]?.rows.map((r) => r.line)).toEqual([2, 4, 6]);
    expect(page.items[0]?.droppable).toBe(false);

    const v2 = await w.client.request('fixDataset', {
      versionId: v1.id,
      fix: { kind: 'drop-exact-duplicates' },
    });
    expect(v2).toMatchObject({ number: 2, parentId: v1.id, datasetId: v1.id, rowCount: 6 });
    expect(v2.change).toMatchObject({ kind: 'fix', removed: 2, relabelled: 0 });
    expect(v2.importReport.fileName).toBe('dupes.csv');

    expect((await w.client.request('loadDatasetVersion', { versionId: v1.id })).rowCount).toBe(8);
    const list = await w.client.request('listDatasets', {});
    expect(list.map((v) => v.number)).toEqual([2, 1]);

    const exported = await w.client.request('exportDataset', { versionId: v2.id, format: 'csv' });
    expect(exported.fileName).toBe('dupes-v2.csv');
    const back = await ingestFile(new Uint8Array(exported.bytes), { fileName: exported.fileName });
    expect(back.rows.map((r) => r.text)).toHaveLength(6);
    expect(back.rows.filter((r) => /chicken/i.test(r.text))).toHaveLength(1);

    const again = await w.client
      .request('fixDataset', { versionId: v2.id, fix: { kind: 'drop-exact-duplicates' } })
      .catch((e: unknown) => e);
    expect((again as WorkerError).message).toMatch(/changes nothing/);
  });

  test('relabelling a label conflict and dropping toxic rows each make a version with what changed', async () => {
    const csv = [
      'joke,label',
      'The cat sat on the mat and told a joke about fish.,1',
      'The cat sat on the mat and told a joke about fish.,1',
      'the cat sat on the mat and told a joke about fish!,0',
      'What the fuck is this joke about pigeons?,1',
      'A plain sentence about the weather today.,0',
    ].join('\n');
    const v1 = await ingest('labels.csv', textBytes(csv));
    const audit = await w.client.request('auditDataset', { versionId: v1.id });
    expect(audit.checks.find((c) => c.check === 'label-conflicts')?.relabelable).toBe(1);
    expect(audit.oneClick.toxic).toBe(1);

    const v2 = await w.client.request('fixDataset', {
      versionId: v1.id,
      fix: { kind: 'relabel-flagged', check: 'label-conflicts' },
    });
    expect(v2.change).toMatchObject({ kind: 'fix', removed: 0, relabelled: 1 });
    expect(v2.preview.map((cells) => cells.label)).toEqual(['1', '1', '1', '1', '0']);

    const v3 = await w.client.request('fixDataset', {
      versionId: v2.id,
      fix: { kind: 'drop-toxic-rows', minSeverity: 2 },
    });
    expect(v3).toMatchObject({ number: 3, parentId: v2.id, rowCount: 4 });
    expect(v3.preview.map((cells) => cells.joke)).not.toContain('What the fuck is this joke about pigeons?');
    const jsonl = await w.client.request('exportDataset', { versionId: v3.id, format: 'jsonl' });
    expect(jsonl.fileName).toBe('labels-v3.jsonl');
    expect(new TextDecoder().decode(jsonl.bytes).trim().split('\n')).toHaveLength(4);
  });

  test('re-mapping makes a new version that reads another column as the text', async () => {
    const v1 = await ingest('dupes.csv', textBytes(DUPLICATES_CSV));
    const v2 = await w.client.request('remapDataset', {
      versionId: v1.id,
      mapping: { text: 'source', label: 'funny', extra: ['joke'] },
    });
    expect(v2).toMatchObject({ number: 2, parentId: v1.id });
    expect(v2.change.kind).toBe('remap');
    expect(v2.preview[0]).toMatchObject({ source: 'a', funny: '1' });
    const bad = await w.client
      .request('remapDataset', { versionId: v1.id, mapping: { text: 'nope', label: null, extra: [] } })
      .catch((e: unknown) => e);
    expect((bad as WorkerError).message).toMatch(/no column "nope"/);
  });

  test('findings need an audit first, and a fix on an unaudited version audits it itself', async () => {
    const v1 = await ingest('dupes.csv', textBytes(DUPLICATES_CSV));
    const missing = await w.client
      .request('datasetFindings', { versionId: v1.id, check: null, offset: 0, limit: 5 })
      .catch((e: unknown) => e);
    expect((missing as WorkerError).name).toBe('AuditMissing');
    const steps: string[] = [];
    const v2 = await w.client
      .request(
        'fixDataset',
        { versionId: v1.id, fix: { kind: 'drop-flagged', check: 'exact-duplicates', findingIds: [] } },
        { onProgress: (p) => steps.push(p.step) },
      )
      .catch((e: unknown) => e);
    expect(steps).toContain('prepare');
    expect((v2 as WorkerError).message).toMatch(/changes nothing/);
  });
});
