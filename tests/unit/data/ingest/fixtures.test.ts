import { describe, expect, it } from 'vitest';
import { IngestError, ingestFile, type IngestResult } from '../../../../src/data/ingest/index.ts';
import { fixtureBytes } from './fixtures.ts';

async function ingestFixture(name: string): Promise<IngestResult> {
  return ingestFile(fixtureBytes(name), { fileName: name });
}

function codesOf(result: IngestResult): Record<number, string[]> {
  const codes: Record<number, string[]> = {};
  for (const f of result.flagged) codes[f.line] = f.reasons.map((r) => r.code);
  for (const r of result.rejected) codes[r.line] = r.reasons.map((x) => x.code);
  return codes;
}

describe('messy English CSV (BOM, CRLF, multi-line quotes, ragged rows)', () => {
  it('accounts for every record with its line number', async () => {
    const result = await ingestFixture('messy-en.csv');
    expect(result).toMatchObject({ format: 'csv', delimiter: ',', hasHeader: true });
    expect(result.encoding).toMatchObject({ name: 'utf-8', evidence: 'byte-order-mark' });
    expect(result.mapping).toEqual({ text: 'joke', label: 'is_funny', extra: ['id', 'source'] });
    expect(result.counts).toEqual({ records: 8, accepted: 4, flagged: 2, rejected: 2, blankLines: 2 });
    expect(result.rows.map((r) => [r.id, r.line, r.extra.id])).toEqual([
      [0, 2, '1'],
      [1, 4, '2'],
      [2, 5, '3'],
      [3, 6, '4'],
      [4, 9, '7'],
      [5, 10, '8'],
    ]);
    expect(codesOf(result)).toEqual({
      5: ['too-many-fields'],
      6: ['too-few-fields'],
      7: ['empty-text'],
      8: ['unterminated-quote'],
    });
  });

  it('keeps quoted line breaks and doubled quotes verbatim, and rejoins an unquoted comma', async () => {
    const { rows } = await ingestFixture('messy-en.csv');
    expect(rows[0]?.text).toBe(
      'Why did the scarecrow win an award?\r\nBecause he was outstanding in his field.',
    );
    expect(rows[1]?.text).toBe(
      `She said "I'm on a seafood diet" and I asked why. "I see food and I eat it."`,
    );
    expect(rows[2]?.text).toBe('I told my wife she draws her eyebrows too high, she looked surprised.');
    expect(rows[2]?.label).toBe('no');
    expect(rows[3]).toMatchObject({ label: 'no', extra: { id: '4', source: '' } });
  });

  it('keeps the raw text of rejected rows and undoes the exporter formula escape', async () => {
    const result = await ingestFixture('messy-en.csv');
    expect(result.rejected.map((r) => r.raw)).toEqual(['5,,yes,hand', '6,"This quote never ends,yes,hand']);
    expect(result.rows[4]?.text).toBe('=1+1 is my favourite formula');
  });

  it('reads yes/Yes/YES and no as one binary label pair', async () => {
    const { labelScheme } = await ingestFixture('messy-en.csv');
    expect(labelScheme).toEqual({ kind: 'binary', positive: ['yes', 'Yes', 'YES'], negative: ['no'] });
  });
});

describe('other dialects', () => {
  it('detects semicolons, keeping decimal commas inside fields', async () => {
    const result = await ingestFixture('semicolon-eu.csv');
    expect(result.delimiter).toBe(';');
    expect(result.mapping).toEqual({ text: 'text', label: 'category', extra: ['rating'] });
    expect(result.rows.map((r) => r.extra.rating)).toEqual(['3,5', '4', '2,0', '1,5']);
    expect(result.rows[2]?.text).toBe('Knock knock; who is there; a semicolon');
    expect(result.labelScheme).toEqual({ kind: 'categorical', categories: ['pun', 'dad', 'knock-knock'] });
  });

  it('detects tabs and keeps a tab inside a quoted field', async () => {
    const result = await ingestFixture('jokes.tsv');
    expect(result.delimiter).toBe('\t');
    expect(result.mapping).toEqual({ text: 'sentence', label: 'label', extra: ['lang'] });
    expect(result.labelScheme).toEqual({ kind: 'binary', positive: ['humor'], negative: ['non-humor'] });
    expect(result.rows[3]?.text).toBe('A tab\tinside quotes stays in the text');
    expect(result.counts.rejected + result.counts.flagged).toBe(0);
  });

  it('reads JSON Lines, rejecting broken lines and objects without the text key', async () => {
    const result = await ingestFixture('jokes.jsonl');
    expect(result.format).toBe('jsonl');
    expect(result.mapping.text).toBe('text');
    expect(result.rows.map((r) => r.line)).toEqual([1, 2, 7]);
    expect(result.rows[2]?.extra).toEqual({ id: '3', meta: '{"src":"hand"}' });
    expect(result.rejected.map((r) => [r.line, r.reasons[0]?.code])).toEqual([
      [4, 'invalid-json'],
      [5, 'not-an-object'],
      [6, 'empty-text'],
    ]);
    expect(result.counts.blankLines).toBe(1);
  });

  it('reads the array of objects in a JSON document, with the line each element starts on', async () => {
    const result = await ingestFixture('jokeapi-style.json');
    expect(result.format).toBe('json');
    expect(result.mapping).toEqual({
      text: 'joke',
      label: 'category',
      extra: ['flags', 'setup', 'delivery'],
    });
    expect(result.rows.map((r) => [r.line, r.label])).toEqual([
      [4, 'Programming'],
      [10, 'Pun'],
    ]);
    expect(result.rows[1]?.text).toBe('I wondered why the ball kept getting bigger.\nThen it hit me.');
    expect(result.rows[0]?.extra).toEqual({ flags: '{"nsfw":false}' });
    expect(result.rejected.map((r) => [r.line, r.reasons[0]?.code, r.raw.slice(0, 10)])).toEqual([
      [9, 'not-an-object', '"a stray s'],
      [15, 'empty-text', '{\n        '],
    ]);
  });

  it('refuses a JSON document that holds no array of objects', async () => {
    await expect(
      ingestFile(new TextEncoder().encode('{\n  "a": 1,\n  "b": [1, 2]\n}\n')),
    ).rejects.toMatchObject({
      code: 'json-document',
    });
  });

  it('unpacks a gzip-compressed CSV and says so', async () => {
    const result = await ingestFixture('semicolon-eu.csv.gz');
    expect(result.rows).toHaveLength(4);
    expect(result.warnings.some((w) => w.includes('gzip'))).toBe(true);
  });
});

describe('Chinese encodings', () => {
  it('detects a GBK export from Chinese Excel and maps 内容/标签', async () => {
    const result = await ingestFixture('gbk-zh.csv');
    expect(result.encoding).toMatchObject({
      name: 'gb18030',
      evidence: 'chinese-double-byte',
      replacementCount: 0,
    });
    expect(result.mapping).toEqual({ text: '内容', label: '标签', extra: [] });
    expect(result.labelScheme).toEqual({ kind: 'binary', positive: ['是'], negative: ['否'] });
    expect(result.rows[0]?.text).toBe('我问同事为什么总是迟到，他说路上有个牌子写着"学校，慢行"。');
    expect(result.rows[2]?.text).toBe('医生说我需要多运动，所以我把遥控器放远了一点。');
  });

  it('reads Excel "Unicode text" (UTF-16 LE, BOM, tabs, CRLF)', async () => {
    const result = await ingestFixture('utf16le-excel.txt');
    expect(result.encoding).toMatchObject({ name: 'utf-16le', evidence: 'byte-order-mark' });
    expect(result.delimiter).toBe('\t');
    expect(result.mapping).toEqual({ text: '笑话', label: '类别', extra: ['note'] });
    expect(result.rows.map((r) => r.label)).toEqual(['冷笑话', 'pun', '冷笑话']);
    expect(result.rows[2]).toMatchObject({ text: '我的钱包像洋葱，打开就让我流泪。', extra: { note: '' } });
    expect(result.labelScheme.kind).toBe('categorical');
  });

  it('detects Big5 and maps 內容/標籤', async () => {
    const result = await ingestFixture('big5-zh.csv');
    expect(result.encoding.name).toBe('big5');
    expect(result.mapping.text).toBe('內容');
    expect(result.rows[1]?.text).toBe('今天會下雨。');
  });

  it('falls back to Windows-1252 for a Western file that is not UTF-8, with a warning', async () => {
    const result = await ingestFixture('windows-1252.csv');
    expect(result.encoding).toMatchObject({ name: 'windows-1252', evidence: 'single-byte-fallback' });
    expect(result.rows[0]?.text).toBe("Le café était si fort qu'il a réveillé les voisins.");
    expect(result.warnings[0]).toContain('Windows-1252');
  });

  it('refuses a GBK file forced to UTF-8 with one message naming the right encoding', async () => {
    const attempt = ingestFile(fixtureBytes('gbk-zh.csv'), { fileName: 'gbk-zh.csv', encoding: 'utf-8' });
    await expect(attempt).rejects.toThrow(IngestError);
    await expect(attempt).rejects.toThrow(/does not decode as UTF-8.*GB18030/);
  });
});

describe('files that cannot be read', () => {
  it('names a PNG image', async () => {
    await expect(ingestFixture('pixel.png')).rejects.toMatchObject({
      code: 'binary-file',
      message: /PNG image/,
    });
  });

  it('tells how to save an .xlsx workbook as CSV', async () => {
    await expect(ingestFixture('workbook.xlsx')).rejects.toMatchObject({
      code: 'spreadsheet-workbook',
      message: /Excel \.xlsx workbook.*Save As › CSV UTF-8/,
    });
  });
});
