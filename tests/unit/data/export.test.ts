import fc from 'fast-check';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { encodeUtf8, exportCsv, exportJsonl, exportRejectedCsv } from '../../../src/data/export.ts';
import {
  escapeFormula,
  ingestFile,
  unescapeFormula,
  type ColumnMapping,
} from '../../../src/data/ingest/index.ts';
import type { DatasetRow } from '../../../src/data/types.ts';

const MAPPING: ColumnMapping = { text: 'text', label: 'label', extra: ['source', 'note'] };

function row(id: number, text: string, label: string | null, source = '', note = ''): DatasetRow {
  return { id, line: id + 2, text, label, extra: { source, note } };
}

function contentOf(rows: readonly DatasetRow[]): Array<Pick<DatasetRow, 'text' | 'label' | 'extra'>> {
  return rows.map(({ text, label, extra }) => ({ text, label, extra }));
}

/** Printable graphemes plus everything CSV and spreadsheets treat specially; no C0 controls besides tab, CR, LF. */
const special = fc.constantFrom(
  ',',
  ';',
  '\t',
  '|',
  '"',
  "'",
  '\n',
  '\r',
  '\r\n',
  '=',
  '+',
  '-',
  '@',
  ' ',
  '中文',
  '笑话',
  '😀',
  '👍🏽',
  'é',
  '\uFEFF',
  '\uFFFD',
  '1',
  '.',
);
const cellUnit = fc.oneof(special, fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }));
const cell = fc.string({ unit: cellUnit, maxLength: 24 });
const text = cell.filter((t) => t.trim() !== '');
const label = fc.option(
  cell.map((l) => l.trim()).filter((l) => l !== ''),
  { nil: null },
);
const rows = fc
  .array(fc.tuple(text, label, cell, cell), { minLength: 1, maxLength: 25 })
  .map((tuples) => tuples.map(([t, l, s, n], i) => row(i, t, l, s, n)));

describe('formula escape', () => {
  it.each([
    ['=SUM(A1:A2)', "'=SUM(A1:A2)"],
    ['+1+1', "'+1+1"],
    ['-2+3', "'-2+3"],
    ['@cmd', "'@cmd"],
    ['\tx', "'\tx"],
    ['\rx', "'\rx"],
    ["'=already", "''=already"],
    ['-1', '-1'],
    ['+3.5', '+3.5'],
    ['plain', 'plain'],
    ["it's", "it's"],
  ])('escapes %j as %j and undoes it', (cell, escaped) => {
    expect(escapeFormula(cell)).toBe(escaped);
    expect(unescapeFormula(escaped)).toBe(cell);
  });

  it('is undone exactly for every string', () => {
    fc.assert(
      fc.property(cell, (value) => unescapeFormula(escapeFormula(value)) === value),
      { numRuns: 1000 },
    );
  });
});

describe('exportCsv', () => {
  it('writes a BOM, CRLF, quotes where needed and escapes formulas', () => {
    const csv = exportCsv([row(0, 'He said "hi", then left', 'funny', '=HYPERLINK("x")', ' pad')], MAPPING);
    expect(csv).toBe(
      '\uFEFFtext,label,source,note\r\n"He said ""hi"", then left",funny,"\'=HYPERLINK(""x"")"," pad"\r\n',
    );
  });

  it('writes no cell that a spreadsheet would run as a formula', () => {
    fc.assert(
      fc.property(rows, (data) => {
        const parsed = Papa.parse<string[]>(exportCsv(data, MAPPING, { bom: false }), {
          delimiter: ',',
          newline: '\r\n',
        });
        for (const cells of parsed.data) {
          for (const value of cells) {
            expect(/^[=+\-@\t\r]/.test(value) && !/^[-+]?[\d.]+$/.test(value)).toBe(false);
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('reads back identically through ingestFile, for arbitrary text, labels and extras', async () => {
    await fc.assert(
      fc.asyncProperty(rows, fc.constantFrom<',' | ';' | '\t'>(',', ';', '\t'), async (data, delimiter) => {
        const bytes = encodeUtf8(exportCsv(data, MAPPING, { delimiter }));
        const result = await ingestFile(bytes, { fileName: 'export.csv' });
        expect(result.delimiter).toBe(delimiter);
        expect(result.mapping).toEqual(MAPPING);
        expect(result.rejected).toEqual([]);
        expect(contentOf(result.rows)).toEqual(contentOf(data));
      }),
      { numRuns: 150 },
    );
  });

  it('reads back a text-only export (one column) identically', async () => {
    const mapping: ColumnMapping = { text: 'joke', label: null, extra: [] };
    await fc.assert(
      fc.asyncProperty(fc.array(text, { minLength: 1, maxLength: 20 }), async (texts) => {
        const data = texts.map((t, i) => ({ id: i, line: i + 2, text: t, label: null, extra: {} }));
        const result = await ingestFile(encodeUtf8(exportCsv(data, mapping)));
        expect(result.rows.map((r) => r.text)).toEqual(texts);
      }),
      { numRuns: 100 },
    );
  });
});

describe('exportJsonl', () => {
  it('reads back identically through ingestFile', async () => {
    await fc.assert(
      fc.asyncProperty(rows, async (data) => {
        const result = await ingestFile(encodeUtf8(exportJsonl(data, MAPPING)));
        expect(result.format).toBe('jsonl');
        expect(contentOf(result.rows)).toEqual(contentOf(data));
      }),
      { numRuns: 100 },
    );
  });
});

describe('exportRejectedCsv', () => {
  it('lists line, reason and raw text of each rejected row, formula-safe', async () => {
    const result = await ingestFile(encodeUtf8('text,label\nfine,1\n,0\n"=open,1\n'));
    const csv = exportRejectedCsv(result.rejected, { bom: false, lineEnding: '\n' });
    expect(csv.split('\n')[0]).toBe('line,reason,raw');
    const back = Papa.parse<string[]>(csv, { delimiter: ',', newline: '\n', skipEmptyLines: true }).data;
    expect(back.slice(1).map((cells) => [cells[0], cells[2]])).toEqual([
      ['3', ',0'],
      ['4', '"=open,1'],
    ]);
  });
});
