import { describe, expect, it } from 'vitest';
import { IngestError, ingestFile, type IngestProgress } from '../../../../src/data/ingest/index.ts';
import { utf8 } from './fixtures.ts';

function jokesCsv(rows: number): string {
  const lines = ['id,text,label'];
  for (let i = 0; i < rows; i++) lines.push(`${i},"Joke number ${i}, with a comma",${i % 2}`);
  return `${lines.join('\n')}\n`;
}

describe('line numbers and row accounting', () => {
  it('counts lines through multi-line quoted fields and old Mac line breaks', async () => {
    const text = 'text,label\r"one\rtwo",1\rthree,0\r';
    const result = await ingestFile(utf8(text));
    expect(result.rows.map((r) => [r.line, r.text])).toEqual([
      [2, 'one\rtwo'],
      [4, 'three'],
    ]);
  });

  it('rejects only the line of an unterminated quote and keeps reading after it', async () => {
    const text = 'text,label\n"ok\nstill ok",1\n"broken,0\nafter,1\n';
    const result = await ingestFile(utf8(text));
    expect(result.rows.map((r) => [r.line, r.text])).toEqual([
      [2, 'ok\nstill ok'],
      [5, 'after'],
    ]);
    expect(result.rejected).toEqual([
      { line: 4, raw: '"broken,0', reasons: [expect.objectContaining({ code: 'unterminated-quote' })] },
    ]);
  });

  it('after many unterminated quotes reads quotes as plain text, so the work stays linear and rows are kept', async () => {
    const lines = [
      'text,label',
      'fine,1',
      ...Array.from({ length: 250 }, (_, i) => `"open ${i},1`),
      'last,0',
    ];
    const result = await ingestFile(utf8(lines.join('\n')));
    expect(result.rejected.map((r) => r.line)).toEqual(Array.from({ length: 10 }, (_, i) => i + 3));
    expect(result.rejected[0]).toMatchObject({ raw: '"open 0,1', reasons: [{ code: 'unterminated-quote' }] });
    expect(result.rows).toHaveLength(1 + 240 + 1);
    expect(result.rows[1]).toMatchObject({ line: 13, text: '"open 10', label: '1' });
    expect(result.flagged[0]?.reasons[0]?.message).toMatch(/read as ordinary characters/);
    expect(result.rows.at(-1)).toMatchObject({ line: 253, text: 'last', label: '0' });
    expect(result.counts).toMatchObject({ records: 252, flagged: 240, rejected: 10 });
  });

  it('flags rows with undecodable bytes, missing labels and labels outside a binary scheme', async () => {
    const bytes = [
      ...utf8('text,label\nnormal joke,yes\n'),
      ...utf8('bad '),
      0xff,
      ...utf8(' byte,no\nunlabelled,\n'),
      ...Array.from({ length: 30 }, (_, i) => [...utf8(`joke ${i},${i % 2 ? 'yes' : 'no'}\n`)]).flat(),
      ...utf8('typo,yess\n'),
      ...utf8('中文笑话,yes\n'),
    ];
    const result = await ingestFile(new Uint8Array(bytes));
    const flags = Object.fromEntries(result.flagged.map((f) => [f.line, f.reasons.map((r) => r.code)]));
    expect(flags).toEqual({ 3: ['undecodable-bytes'], 4: ['missing-label'], 35: ['unrecognised-label'] });
    expect(result.rows[1]?.text).toBe('bad \uFFFD byte');
    expect(result.counts).toMatchObject({ records: 35, flagged: 3, accepted: 32, rejected: 0 });
  });

  it('reads a header-less file with generated column names and content-based mapping', async () => {
    const lines = Array.from(
      { length: 12 },
      (_, i) => `${i}\tThis is joke number ${i} and it is long\t${i % 2 ? 'pun' : 'dad'}`,
    );
    const result = await ingestFile(utf8(lines.join('\n')));
    expect(result.hasHeader).toBe(false);
    expect(result.columns).toEqual(['column1', 'column2', 'column3']);
    expect(result.mapping).toEqual({ text: 'column2', label: 'column3', extra: ['column1'] });
    expect(result.rows[0]?.line).toBe(1);
  });

  it('reads a plain list of jokes line by line, quotes and all, with a header only when it names the column', async () => {
    const list =
      'Puns!\nI "borrowed" a joke, then gave it back; it was not funny.\r\nAnother one, with a comma.\n';
    const plain = await ingestFile(utf8(list));
    expect(plain).toMatchObject({ format: 'lines', hasHeader: false });
    expect(plain.rows.map((r) => [r.line, r.text])).toEqual([
      [1, 'Puns!'],
      [2, 'I "borrowed" a joke, then gave it back; it was not funny.'],
      [3, 'Another one, with a comma.'],
    ]);
    const headed = await ingestFile(utf8(`笑话\n${list}`));
    expect(headed).toMatchObject({ hasHeader: true, mapping: { text: '笑话' } });
    expect(headed.rows).toHaveLength(3);
  });

  it('follows caller overrides of header and mapping', async () => {
    const result = await ingestFile(utf8('a,b\nc,d\n'), {
      hasHeader: false,
      mapping: { text: 'column2', label: null },
    });
    expect(result.rows.map((r) => [r.text, r.extra])).toEqual([
      ['b', { column1: 'a' }],
      ['d', { column1: 'c' }],
    ]);
  });
});

describe('whole-file failures', () => {
  it('says an empty or blank file is empty', async () => {
    await expect(ingestFile(new Uint8Array())).rejects.toMatchObject({ code: 'empty-file' });
    await expect(ingestFile(utf8('\n\r\n  \n'))).rejects.toMatchObject({ code: 'empty-file' });
  });

  it('says a file with only a header, an empty array or empty objects has nothing to read', async () => {
    await expect(ingestFile(utf8('text,label\r\n'))).rejects.toThrow(/only a header line and no rows/);
    await expect(ingestFile(utf8('[ ]'))).rejects.toThrow(/holds no rows/);
    await expect(ingestFile(utf8('{}\n{}\n'))).rejects.toThrow(/no fields/);
  });

  it('says which columns exist when none can hold text', async () => {
    await expect(ingestFile(utf8('1,2\n3,4\n'), { fileName: 'n.csv' })).rejects.toMatchObject({
      code: 'no-text-column',
      message: /"n.csv" has no column that looks like joke text \(columns: "column1", "column2"/,
    });
  });

  it('refuses bytes that decode to control characters', async () => {
    const bytes = new Uint8Array(400).map((_, i) => (i % 3 === 0 ? 0x01 : 0x41));
    await expect(ingestFile(bytes, { fileName: 'blob.csv' })).rejects.toMatchObject({
      code: 'binary-file',
      message: /"blob.csv" does not look like text/,
    });
  });

  it('refuses a file whose rows are all rejected, handing the rejected rows over', async () => {
    const attempt = ingestFile(utf8('text,label\n,1\n,0\n'));
    await expect(attempt).rejects.toBeInstanceOf(IngestError);
    await expect(attempt).rejects.toMatchObject({
      code: 'no-usable-rows',
      rejected: [{ line: 2 }, { line: 3 }],
    });
  });

  it('refuses a damaged gzip file', async () => {
    const bytes = new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3, 4, 5, 0, 0, 0, 0]);
    await expect(ingestFile(bytes)).rejects.toMatchObject({ code: 'compressed-file' });
  });
});

describe('streaming', () => {
  it('reports progress chunk by chunk, rising to 1', async () => {
    const events: IngestProgress[] = [];
    const result = await ingestFile(utf8(jokesCsv(5000)), { chunkRows: 1000 }, (p) => events.push(p));
    expect(result.rows).toHaveLength(5000);
    const parse = events.filter((e) => e.phase === 'parse');
    expect(parse.length).toBeGreaterThanOrEqual(5);
    const fractions = events.map((e) => e.fraction);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    expect(events.at(-1)).toMatchObject({ phase: 'rows', fraction: 1, recordsSoFar: 5000 });
  });

  it('stops between chunks when aborted', async () => {
    const controller = new AbortController();
    let chunks = 0;
    const attempt = ingestFile(
      utf8(jokesCsv(5000)),
      { chunkRows: 500 },
      (p) => {
        if (p.phase === 'parse' && ++chunks === 2) controller.abort();
      },
      controller.signal,
    );
    await expect(attempt).rejects.toMatchObject({ name: 'AbortError' });
    expect(chunks).toBe(2);
  });

  it('does not start when already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(ingestFile(utf8(jokesCsv(3)), {}, undefined, controller.signal)).rejects.toMatchObject({
      name: 'AbortError',
    });
  });
});
