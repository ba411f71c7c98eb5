import { describe, expect, it } from 'vitest';
import { detectDialect } from '../../../../src/data/ingest/dialect.ts';
import { IngestError } from '../../../../src/data/ingest/errors.ts';
import { detectHeader, guessMapping, normaliseHeader } from '../../../../src/data/ingest/mapping.ts';

describe('detectDialect', () => {
  it('picks the delimiter that splits every row the same way', () => {
    expect(detectDialect('a,b,c\n1,2,3\n4,5,6\n', {}).delimiter).toBe(',');
    expect(detectDialect('a;b\n"x, y";2\n"z, w";3\n', {}).delimiter).toBe(';');
    expect(detectDialect('a\tb\nx, y\t1\nz; w\t2\n', {}).delimiter).toBe('\t');
    expect(detectDialect('a|b\nx|1\ny|2\n', {}).delimiter).toBe('|');
  });

  it('trusts a header naming the text column even when unquoted commas make most rows ragged', () => {
    const text = 'id,joke,label\n1,Well, well, well,1\n2,Yes, no, maybe,0\n3,Plain,1\n';
    expect(detectDialect(text, {})).toMatchObject({ format: 'csv', delimiter: ',' });
  });

  it('uses \\r as the line break only for old Mac files without \\n', () => {
    expect(detectDialect('a,b\r1,2\r', {}).newline).toBe('\r');
    expect(detectDialect('a,b\r\n1,2\r\n', {}).newline).toBe('\n');
  });

  it('treats a list without a consistent delimiter as one joke per line', () => {
    const text = 'Why, oh why?\nI told a joke; nobody laughed.\nNo punctuation here\n';
    expect(detectDialect(text, {})).toMatchObject({ format: 'lines', delimiter: null });
  });

  it('treats a single column under a known header as CSV so quoted fields are honoured', () => {
    expect(detectDialect('joke\n"one, with comma"\nplain\n', {})).toMatchObject({
      format: 'csv',
      delimiter: null,
    });
  });

  it('tells JSON Lines from a pretty-printed JSON document', () => {
    expect(detectDialect('{"text":"a"}\n{"text":"b"}\n', {}).format).toBe('jsonl');
    expect(detectDialect('[\n {"text": "a"},\n {"text": "b"}\n]\n', {}).format).toBe('json');
    expect(detectDialect('[id],[text]\n1,a joke\n', {}).format).toBe('csv');
  });

  it('follows the caller', () => {
    expect(detectDialect('a,b\n1,2\n', { delimiter: ';' })).toMatchObject({ format: 'csv', delimiter: ';' });
    expect(detectDialect('a,b\n1,2\n', { format: 'lines' }).format).toBe('lines');
  });
});

describe('headers and column mapping', () => {
  it('normalises header spellings', () => {
    expect(normaliseHeader('\uFEFFIs_Funny ')).toBe('isfunny');
    expect(normaliseHeader('笑话 (内容)')).toBe('笑话内容');
  });

  it('sees a header by known names or by names over data', () => {
    expect(detectHeader(['Joke', 'Funny?'], [['x', '1']])).toBe(true);
    expect(detectHeader(['id', 'words'], [['1', 'a long sentence that is a joke']])).toBe(true);
    expect(detectHeader(['1', 'a long sentence that is a joke'], [['2', 'another long sentence here']])).toBe(
      false,
    );
  });

  it('maps by header names in priority order, in English and Chinese', () => {
    const rows = [{ id: '1', content: 'x', title: 'y', is_humor: '1', 类别: 'a' }];
    expect(
      guessMapping(['id', 'title', 'content', 'is_humor', '类别'], rows, true, undefined, 'f.csv'),
    ).toEqual({
      text: 'content',
      label: 'is_humor',
      extra: ['id', 'title', '类别'],
    });
  });

  it('maps by content when there is no header: longest text, few-valued label, never the id', () => {
    const rows = Array.from({ length: 30 }, (_, i) => ({
      column1: String(i),
      column2: `joke number ${i} is a long enough sentence`,
      column3: i % 3 === 0 ? 'pun' : 'dad',
    }));
    expect(guessMapping(['column1', 'column2', 'column3'], rows, false, undefined, undefined)).toEqual({
      text: 'column2',
      label: 'column3',
      extra: ['column1'],
    });
  });

  it('lets the caller override, and refuses unknown column names', () => {
    const rows = [{ a: 'x', b: 'y' }];
    expect(guessMapping(['a', 'b'], rows, true, { text: 'b', label: null }, undefined)).toEqual({
      text: 'b',
      label: null,
      extra: ['a'],
    });
    expect(() => guessMapping(['a', 'b'], rows, true, { text: 'c' }, 'f.csv')).toThrow(/no column named "c"/);
  });

  it('says so when no column can hold text', () => {
    const rows = [{ a: '1', b: '2' }];
    expect(() => guessMapping(['a', 'b'], rows, false, undefined, 'n.csv')).toThrow(IngestError);
  });
});
