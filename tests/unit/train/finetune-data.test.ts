import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { buildMix } from '../../../src/data/corpora/mix.ts';
import { mixPolicy } from '../../../src/data/corpora/mix-policy.ts';
import { makeRecord } from '../../../src/data/corpora/record.ts';
import { findSource } from '../../../src/data/corpora/sources.ts';
import { describeLabels, heldOutInPretraining, readFinetuneRows } from '../../../tools/finetune-data.ts';

const jokes = Array.from(
  { length: 600 },
  (_, i) =>
    `Joke\u200B number ${i}:  why did the ${i % 7 === 0 ? 'HEN' : 'hen'} cross\r\nthe road ${i * 13}?`,
);

describe('heldOutInPretraining', () => {
  it('agrees with the split buildMix gives every row it keeps', () => {
    const source = findSource('en-hahackathon');
    const policy = mixPolicy.find((entry) => entry.source === source.id)!;
    const records = jokes.map((text, i) =>
      makeRecord({ source: source.id, file: 'train.csv', language: 'en' }, i, i + 2, text, '1', true),
    );
    const { rows } = buildMix([{ source, policy, records }]);
    expect(rows).toHaveLength(jokes.length);
    const byLine = new Map(rows.map((row) => [row.line, row.split]));
    const heldOut = records.filter((r) => heldOutInPretraining(r.text));
    expect(heldOut.length).toBeGreaterThan(5);
    for (const record of records)
      expect(byLine.get(record.line)).toBe(heldOutInPretraining(record.text) ? 'validation' : 'train');
  });
});

describe('readFinetuneRows', () => {
  const root = mkdtempSync(join(tmpdir(), 'finetune-data-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const folder = join(root, 'en-hahackathon');
  mkdirSync(folder);
  const csv = (texts: string[], offset: number) =>
    gzipSync(
      [
        'id,text,is_humor,humor_rating,humor_controversy,offense_rating',
        ...texts.map((t, i) => `${i},"${t}",${(i + offset) % 2},,,0`),
      ].join('\n'),
    );
  writeFileSync(join(folder, 'train.csv.gz'), csv(jokes.slice(0, 400), 0));
  writeFileSync(join(folder, 'dev.csv.gz'), csv(jokes.slice(400), 1));
  const options = { data: root, source: 'en-hahackathon', holdout: 'pretraining', seed: 1 } as const;

  it('validates on the held-out rows of every chosen file and samples training rows from the others', () => {
    const all = readFinetuneRows({ ...options, file: 'train.csv,dev.csv' });
    expect(all.origin).toBe('en-hahackathon/train.csv+dev.csv');
    const expectedHeldOut = jokes.filter(heldOutInPretraining);
    expect(all.validationRows!.map((r) => r.text)).toEqual(expectedHeldOut);
    expect(all.rows).toHaveLength(jokes.length - expectedHeldOut.length);
    expect(all.rows.some((r) => heldOutInPretraining(r.text))).toBe(false);

    const sampled = readFinetuneRows({ ...options, file: 'train.csv,dev.csv', rows: 50 });
    expect(sampled.rows).toHaveLength(50);
    expect(sampled.validationRows).toEqual(all.validationRows);
    expect(readFinetuneRows({ ...options, file: 'dev.csv' }).validationRows!.map((r) => r.text)).toEqual(
      jokes.slice(400).filter(heldOutInPretraining),
    );
  });

  it('reads the humour label so that 1 is the funny class, or --positive decides', () => {
    const { rows, validationRows } = readFinetuneRows({ ...options, file: 'train.csv' });
    const all = [...rows, ...validationRows!];
    expect(describeLabels(all).mapping).toBe('0 → not funny, 1 → funny');
    const counts = describeLabels(validationRows!, all).counts;
    expect((counts['funny'] ?? 0) + (counts['not funny'] ?? 0)).toBe(validationRows!.length);
    const flipped = readFinetuneRows({ ...options, file: 'train.csv', positive: '0' });
    expect(flipped.rows[0]!.label).toBe(rows[0]!.label === '0' ? 'funny' : 'not funny');
  });

  it('names the text files it knows and refuses --csv with a pretraining hold-out', () => {
    expect(() => readFinetuneRows({ ...options, file: 'train.csv,test.csv' })).toThrow(
      /--file test\.csv: not a text file of en-hahackathon \(its text files: train\.csv, dev\.csv, gold-test-27446\.csv\)/,
    );
    expect(() => readFinetuneRows({ ...options, csv: 'x.csv' })).toThrow(/needs --source/);
  });
});
