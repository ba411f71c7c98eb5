import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { readCorpusFile } from '../../../src/data/corpora/read-node.ts';
import { findSource } from '../../../src/data/corpora/sources.ts';

describe('readCorpusFile', () => {
  const root = mkdtempSync(join(tmpdir(), 'corpora-'));
  afterEach(() => rmSync(join(root, 'zh-ruozhiba'), { recursive: true, force: true }));

  it('gunzips and parses a file under <root>/<source>/<path>.gz', () => {
    const source = findSource('zh-ruozhiba');
    mkdirSync(join(root, source.id));
    writeFileSync(join(root, source.id, 'ruozhiba-title-good.txt.gz'), gzipSync('第一条。\n第二条。\n'));
    const records = readCorpusFile(root, source, source.files[0]!);
    expect(records.map((record) => [record.text, record.line, record.source])).toEqual([
      ['第一条。', 1, 'zh-ruozhiba'],
      ['第二条。', 2, 'zh-ruozhiba'],
    ]);
  });

  it('says which file is missing and what to pass', () => {
    const source = findSource('zh-ruozhiba');
    expect(() => readCorpusFile(root, source, source.files[0]!)).toThrow(
      /ruozhiba-title-good\.txt\.gz: corpus file not found\. Point --data/,
    );
  });
});
