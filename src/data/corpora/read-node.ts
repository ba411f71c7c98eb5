import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { CorpusFile, CorpusRecord, CorpusSource } from './types.ts';

/** Reads one gzip-compressed corpus file (`<root>/<source>/<path>.gz`) in Node and parses it. */
export function readCorpusFile(root: string, source: CorpusSource, file: CorpusFile): CorpusRecord[] {
  const path = join(root, source.id, `${file.path}.gz`);
  if (!existsSync(path)) {
    throw new Error(
      `${path}: corpus file not found. Point --data at the shared data folder (the one holding SOURCES.md).`,
    );
  }
  const text = new TextDecoder('utf-8', { fatal: true }).decode(gunzipSync(readFileSync(path)));
  return file.parse(text, { source: source.id, file: file.path, language: file.language });
}
