import { describe, expect, it } from 'vitest';
import {
  parseDelimited,
  parseJsonLines,
  parseLines,
  parseTabSeparated,
} from '../../../src/data/corpora/parse.ts';

describe('parseDelimited', () => {
  it('keeps quoted line breaks inside a field and reports the line where each row starts', () => {
    const text = 'id,text\n1,"first line\nsecond line"\n2,plain\n3,"say ""hi"""\n';
    expect(parseDelimited(text, 'a.csv', ',')).toEqual([
      { line: 2, cells: { id: '1', text: 'first line\nsecond line' } },
      { line: 4, cells: { id: '2', text: 'plain' } },
      { line: 5, cells: { id: '3', text: 'say "hi"' } },
    ]);
  });

  it('trims header names and drops a byte-order mark, leaving an empty first cell name', () => {
    const rows = parseDelimited('\uFEFF,split,label, TEXT\n0,dev,1,你好\n', 'cold.csv', ',');
    expect(rows[0]?.cells).toEqual({ '': '0', split: 'dev', label: '1', TEXT: '你好' });
  });

  it('parses semicolon-separated files with quoted semicolons', () => {
    const rows = parseDelimited('text;score\n"a; b";2.5\n', 'clean.csv', ';');
    expect(rows[0]?.cells).toEqual({ text: 'a; b', score: '2.5' });
  });

  it('names the file and line of a row with the wrong number of fields', () => {
    expect(() => parseDelimited('a,b\n1,2\n3\n', 'short.csv', ',')).toThrow(
      'short.csv: line 3: expected 2 comma-separated fields (a, b), found 1',
    );
  });
});

describe('line-oriented formats', () => {
  it('parseLines skips blank lines and strips carriage returns, keeping line numbers', () => {
    expect(parseLines('one\r\n\ntwo')).toEqual([
      { line: 1, text: 'one' },
      { line: 3, text: 'two' },
    ]);
  });

  it('parseTabSeparated names the line with a missing column', () => {
    expect(() => parseTabSeparated('ID\tContent\nL1\tjoke\nL2\n', 'tw.txt')).toThrow(
      'tw.txt: line 3: expected 2 tab-separated fields (ID, Content), found 1',
    );
  });

  it('parseJsonLines names the line that is not JSON', () => {
    expect(() => parseJsonLines('{"index": 1}\n{index: 2}\n', 'p.jsonl')).toThrow(
      /^p\.jsonl: line 2: not valid JSON/,
    );
  });
});
