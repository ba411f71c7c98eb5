import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IngestError, ingestFile, type IngestResult } from '../../../../src/data/ingest/index.ts';

/** Per input; the files are at most a few KB, so anything slower is a hang. */
const TIME_LIMIT_MS = 2000;

async function ingestOrRefuse(bytes: Uint8Array): Promise<IngestResult | IngestError> {
  const started = performance.now();
  try {
    return await ingestFile(bytes, { chunkRows: 7 });
  } catch (error) {
    if (error instanceof IngestError) {
      expect(error.message.length).toBeGreaterThan(20);
      return error;
    }
    throw error;
  } finally {
    expect(performance.now() - started).toBeLessThan(TIME_LIMIT_MS);
  }
}

function expectAccountedFor(result: IngestResult): void {
  const { counts, rows, flagged, rejected } = result;
  expect(counts.records).toBe(rows.length + rejected.length);
  expect(counts.accepted + counts.flagged).toBe(rows.length);
  expect(rows.map((r) => r.id)).toEqual(rows.map((_, i) => i));
  for (let i = 1; i < rows.length; i++) expect(rows[i]!.line).toBeGreaterThan(rows[i - 1]!.line);
  for (const f of flagged) expect(f.reasons.length).toBeGreaterThan(0);
  for (const r of rejected) {
    expect(r.line).toBeGreaterThanOrEqual(1);
    expect(r.reasons[0]?.message).toBeTruthy();
  }
}

/** Characters that stress CSV parsing and encoding detection. */
const tricky = fc.constantFrom(
  ',',
  ';',
  '\t',
  '|',
  '"',
  "'",
  '\n',
  '\r',
  '\r\n',
  '{',
  '}',
  '[',
  ']',
  ':',
  '=',
  '-',
  ' ',
  'a',
  'Z',
  '7',
  '中',
  '文',
  'é',
  '😀',
  '\uFEFF',
  '\u0000',
);

const csvLike = fc.string({
  unit: fc.oneof(tricky, fc.string({ unit: 'grapheme', maxLength: 1 })),
  maxLength: 300,
});

function encodeAs(text: string, encoding: 'utf-8' | 'utf-16le-bom'): Uint8Array {
  if (encoding === 'utf-8') return new TextEncoder().encode(text);
  const bytes = new Uint8Array(2 + text.length * 2);
  bytes.set([0xff, 0xfe]);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < text.length; i++) view.setUint16(2 + 2 * i, text.charCodeAt(i), true);
  return bytes;
}

describe('any input is parsed or refused with a message, in bounded time', () => {
  it('random bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2048 }), async (bytes) => {
        const outcome = await ingestOrRefuse(bytes);
        if (!(outcome instanceof IngestError)) expectAccountedFor(outcome);
      }),
      { numRuns: 300 },
    );
  });

  it('random bytes behind real file signatures', async () => {
    const prefix = fc.constantFrom(
      [0x1f, 0x8b],
      [0x50, 0x4b, 0x03, 0x04],
      [0xff, 0xfe],
      [0xfe, 0xff],
      [0xef, 0xbb, 0xbf],
      [0x89, 0x50, 0x4e, 0x47],
    );
    await fc.assert(
      fc.asyncProperty(prefix, fc.uint8Array({ maxLength: 512 }), async (head, tail) => {
        await ingestOrRefuse(new Uint8Array([...head, ...tail]));
      }),
      { numRuns: 200 },
    );
  });

  it('CSV-like text in UTF-8 and UTF-16, every record accounted for', async () => {
    await fc.assert(
      fc.asyncProperty(
        csvLike,
        fc.constantFrom('utf-8', 'utf-16le-bom') as fc.Arbitrary<'utf-8' | 'utf-16le-bom'>,
        async (text, encoding) => {
          const outcome = await ingestOrRefuse(encodeAs(text, encoding));
          if (!(outcome instanceof IngestError)) expectAccountedFor(outcome);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a pretty-printed JSON array of objects gives one row per object, on increasing lines', async () => {
    const joke = fc.string({
      unit: fc.oneof(tricky, fc.string({ unit: 'grapheme', maxLength: 1 })),
      maxLength: 40,
    });
    const item = fc.oneof(
      fc.record({ text: joke.filter((t) => t.trim() !== ''), label: fc.constantFrom('1', '0') }),
      fc.record({ text: joke.filter((t) => t.trim() !== ''), nested: fc.array(joke, { maxLength: 3 }) }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(item, { minLength: 1, maxLength: 20 }),
        fc.boolean(),
        async (items, wrapped) => {
          const document = wrapped ? { meta: { n: items.length }, jokes: items } : items;
          const result = await ingestFile(new TextEncoder().encode(JSON.stringify(document, null, 2)));
          expect(result.format).toBe('json');
          expect(result.rows.map((r) => r.text)).toEqual(items.map((i) => i.text));
          expectAccountedFor(result);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('without quotes, every non-blank line is the header, a row or a rejected row', async () => {
    const cell = fc.string({ unit: fc.constantFrom('a', 'b', '中', ' ', '7', '-'), maxLength: 6 });
    const line = fc.array(cell, { minLength: 1, maxLength: 4 }).map((cells) => cells.join(','));
    await fc.assert(
      fc.asyncProperty(fc.array(line, { minLength: 1, maxLength: 30 }), async (lines) => {
        const outcome = await ingestOrRefuse(new TextEncoder().encode(lines.join('\r\n')));
        if (outcome instanceof IngestError) return;
        const nonBlank = lines.filter((l) => l.trim() !== '').length;
        expect((outcome.hasHeader ? 1 : 0) + outcome.counts.records).toBe(nonBlank);
      }),
      { numRuns: 200 },
    );
  });
});
