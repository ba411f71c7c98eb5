import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type PunchlineDb } from '../../../src/storage/index.ts';
import {
  clearOutputs,
  exportRated,
  listHistory,
  rateOutput,
  recordOutput,
} from '../../../src/worker/generate/generation-history.ts';
import {
  readGenerateSettings,
  writeGenerateSettings,
} from '../../../src/worker/generate/generate-settings.ts';
import { readmeFacts } from '../../../src/worker/generate/model-card.ts';
import { obtainModelFiles } from '../../../src/worker/generate/model-files.ts';
import type { GeneratePayload, LoadProgress } from '../../../src/worker/generate/types.ts';
import { limitStoredBytes } from '../storage/quota-injection.ts';
import { tinyModelFiles } from './tiny-model.ts';

let db: PunchlineDb;
beforeEach(async () => {
  db = await openDatabase({ name: `generate-${crypto.randomUUID()}` });
});
afterEach(() => db.close());

/** Serves a model folder from memory over the fetch interface, counting requests. */
function folderServer(files: Map<string, ArrayBuffer>) {
  const requested: string[] = [];
  const fetchImpl = (async (input: string | URL | Request) => {
    const url = String(input);
    requested.push(url);
    const bytes = files.get(url.slice(url.lastIndexOf('/') + 1));
    return bytes
      ? new Response(bytes.slice(0), { headers: { 'content-length': String(bytes.byteLength) } })
      : new Response('not found', { status: 404 });
  }) as typeof fetch;
  return { fetchImpl, requested };
}

const options = (fetchImpl: typeof fetch, events: LoadProgress[], refresh = false) => ({
  refresh,
  signal: new AbortController().signal,
  onProgress: (p: LoadProgress) => events.push(p),
  fetchImpl,
});

describe('model files', () => {
  it('downloads once with byte progress, then reads the same bytes from IndexedDB without the network', async () => {
    const files = tinyModelFiles('---\nlicense: mit\nlanguage:\n- en\n- zh\n---\n# tiny\n');
    const server = folderServer(files);
    const events: LoadProgress[] = [];
    const first = await obtainModelFiles(
      db,
      'tiny',
      'http://127.0.0.1/models/tiny/',
      options(server.fetchImpl, events),
    );
    expect(first.source).toBe('network');
    const total = [...files.values()].reduce((sum, b) => sum + b.byteLength, 0);
    const downloads = events.filter((e) => e.phase === 'download');
    expect(downloads.at(-1)).toMatchObject({ loadedBytes: total, totalBytes: total });
    expect(downloads.map((e) => e.loadedBytes)).toEqual(
      [...downloads.map((e) => e.loadedBytes)].sort((a, b) => a - b),
    );
    expect(first.manifest.totalBytes).toBe(total);

    const offline = folderServer(new Map());
    const second = await obtainModelFiles(
      db,
      'tiny',
      'http://127.0.0.1/models/tiny/',
      options(offline.fetchImpl, []),
    );
    expect(second.source).toBe('storage');
    expect(offline.requested).toEqual([]);
    for (const [name, bytes] of files)
      expect(new Uint8Array(second.files.get(name) as ArrayBuffer)).toEqual(new Uint8Array(bytes));
  });

  it('still returns the files when the quota has no room for them, and says why they were not kept', async () => {
    const files = tinyModelFiles();
    const restore = limitStoredBytes(1000);
    try {
      const result = await obtainModelFiles(
        db,
        'tiny',
        'http://127.0.0.1/models/tiny/',
        options(folderServer(files).fetchImpl, []),
      );
      expect(result.source).toBe('network');
      expect(result.storeError).toMatch(/tiny/);
      expect(result.manifest.files.map((f) => f.name).sort()).toEqual([...files.keys()].sort());
      expect(new Uint8Array(result.files.get('config.json') as ArrayBuffer)).toEqual(
        new Uint8Array(files.get('config.json') as ArrayBuffer),
      );
    } finally {
      restore();
    }
    expect(await db.getAll('models')).toEqual([]);
  });

  it('says which file is missing from the folder and stores nothing', async () => {
    const files = tinyModelFiles();
    files.delete('model.safetensors');
    const server = folderServer(files);
    await expect(
      obtainModelFiles(db, 'tiny', 'http://127.0.0.1/models/tiny/', options(server.fetchImpl, [])),
    ).rejects.toThrow(/model\.safetensors answered HTTP 404.*pretrain\.ts --export/s);
    expect(await db.getAll('models')).toEqual([]);
  });

  it('reads license and languages from the model card front matter', () => {
    expect(readmeFacts('---\nlicense: "apache-2.0"\nlanguage: [en, zh]\n---\ntext')).toEqual({
      license: 'apache-2.0',
      languages: ['en', 'zh'],
    });
    expect(readmeFacts('# no front matter\nlicense: mit')).toEqual({ license: null, languages: [] });
    expect(readmeFacts('---\nlicense: other\nlicense_name: research-only\nlanguage: en\n---\n')).toEqual({
      license: 'research-only',
      languages: ['en'],
    });
    expect(readmeFacts(null)).toEqual({ license: null, languages: [] });
  });
});

describe('generation history', () => {
  const payload: GeneratePayload = {
    modelId: 'tiny',
    prompt: 'Why',
    language: 'en',
    control: 'funny',
    sampling: { temperature: 1, topK: 0, topP: 1, repetitionPenalty: 1 },
    maxNewTokens: 5,
    candidates: 2,
    seed: 3,
    adapterId: null,
    strictness: 'standard',
  };
  const ok = { ok: true, reasons: [] };

  it('keeps rated outputs when the history is cleared and exports them as labeled data', async () => {
    const a = await recordOutput(db, payload, { index: 0, text: 'Why, "a", joke', safety: ok });
    const b = await recordOutput(db, payload, { index: 1, text: '为什么 不', safety: ok });
    await recordOutput(db, payload, { index: 2, text: 'Why not', safety: ok });
    await rateOutput(db, a, 'up');
    await rateOutput(db, b, 'down');
    expect((await listHistory(db, 10)).map((h) => h.rating).sort()).toEqual(['down', 'up', null].sort());

    expect(await clearOutputs(db, false)).toEqual({ removed: 1, kept: 2 });
    const csv = await exportRated(db, 'csv');
    expect(csv.rows).toBe(2);
    expect(csv.text).toBe(
      '\uFEFFtext,label,language,prompt,model,seed\r\n"Why, ""a"", joke",funny,en,Why,tiny,3\r\n为什么 不,not_funny,en,Why,tiny,3\r\n',
    );
    const jsonl = (await exportRated(db, 'jsonl')).text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as unknown);
    expect(jsonl[1]).toMatchObject({ text: '为什么 不', label: 'not_funny' });

    expect(await clearOutputs(db, true)).toEqual({ removed: 2, kept: 0 });
    await expect(rateOutput(db, a, 'up')).rejects.toThrow(/No stored output with id/);
  });
});

describe('generate settings', () => {
  it('round-trip through the settings store, and a damaged record keeps only well-typed fields', async () => {
    expect(await readGenerateSettings(db)).toEqual({});
    const settings = {
      language: 'zh' as const,
      control: 'notFunny' as const,
      sampling: { temperature: 0.5, topK: 10, topP: 0.9, repetitionPenalty: 1.2 },
      maxNewTokens: 30,
      candidates: 4,
      seed: 9,
      strictness: 'strict' as const,
    };
    await writeGenerateSettings(db, settings);
    expect(await readGenerateSettings(db)).toEqual(settings);
    await db.put(
      'settings',
      { language: 'fr', seed: 'x', candidates: 2, sampling: { temperature: 1 } },
      'generate',
    );
    expect(await readGenerateSettings(db)).toEqual({ candidates: 2 });
  });
});
