import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelImportError } from '../../../src/worker/models/imported-model.ts';
import {
  importFolder,
  importFromUrl,
  importGguf,
  type ImportProgress,
} from '../../../src/worker/models/model-sources.ts';

// A 2-layer Llama GGUF with a byte-level BPE vocabulary of 316 and a ChatML template (tests/fixtures/gguf/make.py).
const gguf = new Uint8Array(readFileSync(join(import.meta.dirname, '../../fixtures/gguf/tiny-llama.gguf')));
const converted = importGguf(gguf, 'tiny-llama.gguf', () => undefined);
const folderEntries = [...converted.files].map(([name, bytes]) => ({ path: `tiny/${name}`, bytes }));

describe('importGguf', () => {
  it('converts in memory and describes the model', () => {
    const progress: ImportProgress[] = [];
    const model = importGguf(gguf, 'tiny-llama.gguf', (p) => progress.push(p));
    expect(model.card).toMatchObject({
      name: 'tiny-llama',
      architecture: 'llama',
      layers: 2,
      hiddenSize: 32,
      contextLength: 64,
      vocabulary: 316,
      instruct: true,
    });
    expect(model.card.parameters).toBe(
      2 * 316 * 32 + 2 * (2 * 32 + 4 * 32 * 32 - 2 * 16 * 32 + 3 * 64 * 32) + 32,
    );
    expect([...model.files.keys()].sort()).toEqual([
      'README.md',
      'config.json',
      'model.safetensors',
      'tokenizer.json',
      'tokenizer_config.json',
    ]);
    expect(progress.map((p) => p.phase)).toEqual(['convert', 'convert', 'validate']);
  });

  it('refuses a file that is not GGUF, naming it', () => {
    expect(() => importGguf(new Uint8Array(64), 'notes.gguf', () => undefined)).toThrow(/notes.gguf/);
  });
});

describe('importFolder', () => {
  it('accepts the files of a folder by name', () => {
    expect(importFolder(folderEntries, 'tiny').card).toEqual({ ...converted.card, name: 'tiny' });
  });

  it('says which file is missing, or that weights are sharded', () => {
    const noConfig = folderEntries.filter((e) => !e.path.endsWith('tokenizer_config.json'));
    expect(() => importFolder(noConfig, 'tiny')).toThrow(/tiny: missing tokenizer_config.json/);
    const sharded = [
      ...folderEntries,
      { path: 'tiny/model-00001-of-00002.safetensors', bytes: new Uint8Array(8) },
    ];
    expect(() => importFolder(sharded, 'tiny')).toThrow(/sharded/);
  });

  it('refuses weights that do not fit config.json, naming the file', () => {
    const config = JSON.parse(new TextDecoder().decode(converted.files.get('config.json'))) as Record<
      string,
      unknown
    >;
    const wrong = folderEntries.map((e) =>
      e.path.endsWith('config.json') && !e.path.endsWith('tokenizer_config.json')
        ? { ...e, bytes: new TextEncoder().encode(JSON.stringify({ ...config, hidden_size: 64 })) }
        : e,
    );
    expect(() => importFolder(wrong, 'tiny')).toThrow(ModelImportError);
    expect(() => importFolder(wrong, 'tiny')).toThrow(/tiny\/model.safetensors/);
  });

  it('refuses a config.json vocab_size that disagrees with the embedding', () => {
    const config = JSON.parse(new TextDecoder().decode(converted.files.get('config.json'))) as Record<
      string,
      unknown
    >;
    const files = new Map(converted.files);
    files.set('config.json', new TextEncoder().encode(JSON.stringify({ ...config, vocab_size: 300 })));
    expect(() =>
      importFolder(
        [...files].map(([name, bytes]) => ({ path: name, bytes })),
        'tiny',
      ),
    ).toThrow(/tiny\/model.safetensors: .*embed_tokens/);
  });
});

describe('importFromUrl (a local static server)', () => {
  let server: Server;
  let base: string;
  const requested: string[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      const name = (request.url ?? '').replace('/models/tiny/', '');
      requested.push(name);
      const bytes = converted.files.get(name);
      if (bytes === undefined || name === 'README.md') {
        response.writeHead(404).end();
        return;
      }
      response.writeHead(200, { 'content-length': bytes.byteLength }).end(Buffer.from(bytes));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/models/tiny`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('downloads the folder with byte progress; optional files may be absent', async () => {
    const progress: ImportProgress[] = [];
    const model = await importFromUrl(base, { onProgress: (p) => progress.push(p) });
    expect(model.card).toMatchObject({ name: 'tiny', vocabulary: 316, license: null });
    expect(requested).toEqual([
      'config.json',
      'model.safetensors',
      'tokenizer.json',
      'tokenizer_config.json',
      'README.md',
      'generation_config.json',
    ]);
    const weights = progress.filter((p) => p.file === 'model.safetensors');
    expect(weights.at(-1)?.loadedBytes).toBe(converted.files.get('model.safetensors')?.byteLength);
    expect(weights.at(-1)?.totalBytes).toBe(weights.at(-1)?.loadedBytes);
  });

  it('names the URL when a required file is missing', async () => {
    await expect(importFromUrl(`${base}-nothing`, { onProgress: () => undefined })).rejects.toThrow(
      /models\/tiny-nothing\/config.json: HTTP 404/,
    );
    await expect(importFromUrl('ftp://example/x', { onProgress: () => undefined })).rejects.toThrow(
      /use http/,
    );
  });
});
