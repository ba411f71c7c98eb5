import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { putModel } from '../../../src/storage/index.ts';
import { CancelledError, WorkerCrashedError, WorkerError } from '../../../src/worker/errors.ts';
import type { FromWorker, Progress } from '../../../src/worker/protocol.ts';
import { wire, type Wired } from './wiring.ts';

let w: Wired;
beforeEach(async () => {
  w = await wire();
});
afterEach(() => w.close());

function bytesOf(text: string): ArrayBuffer {
  return new TextEncoder().encode(text).buffer as ArrayBuffer;
}

/** A model whose file spans `chunks` chunks of 64 bytes, stored directly so the worker has something to verify. */
async function seedModel(id: string, chunks: number) {
  const bytes = new Uint8Array(64 * chunks).map((_, i) => (i * 31 + chunks) % 251);
  return putModel(w.db, { id, name: id, source: 'test' }, [{ name: 'weights.bin', bytes: bytes.buffer }], 64);
}

describe('request and response', () => {
  test('settings round-trip through the worker', async () => {
    expect(await w.client.request('getSettings', {})).toEqual({ backendPreference: 'wasm' });
    expect(await w.client.request('saveSettings', { backendPreference: 'auto' })).toEqual({
      backendPreference: 'auto',
    });
    expect(await w.client.request('getSettings', {})).toEqual({ backendPreference: 'auto' });
  });

  test('model files are transferred in, stored, listed and transferred back out', async () => {
    const config = bytesOf('{"model_type":"gpt2"}');
    const weights = new Uint8Array(3000).map((_, i) => i % 256).buffer;
    const manifest = await w.client.request(
      'storeModel',
      {
        id: 'm1',
        name: 'tiny',
        source: 'test',
        files: [
          { name: 'config.json', bytes: config },
          { name: 'w.bin', bytes: weights },
        ],
      },
      { transfer: [config, weights] },
    );
    // Transferred buffers are detached on the sending side.
    expect(config.byteLength).toBe(0);
    expect(weights.byteLength).toBe(0);
    expect(manifest.totalBytes).toBe(21 + 3000);
    expect((await w.client.request('listModels', {})).map((m) => m.id)).toEqual(['m1']);
    const back = await w.client.request('readModelFile', { id: 'm1', name: 'w.bin' });
    expect(Array.from(new Uint8Array(back).slice(250, 260))).toEqual([
      250, 251, 252, 253, 254, 255, 0, 1, 2, 3,
    ]);
  });

  test('the backend probe really runs a model and says why WebGPU was not used', async () => {
    const report = await w.client.request('probeBackend', {});
    expect(report.backend).toBe('wasm');
    expect(report.reason).toBe('WASM was chosen in settings.');
    expect(report.checkMs).toBeGreaterThan(0);
  });
});

describe('progress and cancellation', () => {
  test('a long job streams one progress event per step, in order, before its result', async () => {
    await seedModel('m', 12);
    const events: Progress<'verifyModel'>[] = [];
    const result = await w.client.request('verifyModel', { id: 'm' }, { onProgress: (p) => events.push(p) });
    expect(result).toEqual({ chunks: 12, bad: 0, bytes: 12 * 64 });
    expect(events.map((e) => e.done)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(events.every((e) => e.total === 12 && e.ok)).toBe(true);
  });

  test('cancelling stops the job early and rejects with CancelledError', async () => {
    await seedModel('big', 400);
    const control = new AbortController();
    const events: number[] = [];
    const job = w.client.request(
      'verifyModel',
      { id: 'big' },
      {
        signal: control.signal,
        onProgress: (p) => {
          events.push(p.done);
          if (p.done === 3) control.abort();
        },
      },
    );
    await expect(job).rejects.toBeInstanceOf(CancelledError);
    expect(events.length).toBeGreaterThanOrEqual(3);
    expect(events.length).toBeLessThan(400);
    expect(w.client.state).toEqual({ kind: 'ready', running: 0 });
    // The worker keeps serving after a cancel.
    expect(await w.client.request('listModels', {})).toHaveLength(1);
  });

  test('the benchmark streams timed steps on the real backend and can be cancelled', async () => {
    const steps: number[] = [];
    const result = await w.client.request(
      'benchmarkBackend',
      { size: 16, steps: 4 },
      { onProgress: (s) => steps.push(s.step) },
    );
    expect(steps).toEqual([1, 2, 3, 4]);
    expect(result.backend).toBe('WASM, 1 thread');
    expect(result.medianGflops).toBeGreaterThan(0);

    const control = new AbortController();
    const cancelled = w.client.request(
      'benchmarkBackend',
      { size: 16, steps: 10_000 },
      {
        signal: control.signal,
        onProgress: (s) => s.step === 2 && control.abort(),
      },
    );
    await expect(cancelled).rejects.toBeInstanceOf(CancelledError);
  });

  test('overlapping jobs each get their own progress and result', async () => {
    await seedModel('a', 5);
    await seedModel('b', 9);
    const seen = { a: 0, b: 0 };
    const [a, b, settings] = await Promise.all([
      w.client.request('verifyModel', { id: 'a' }, { onProgress: (p) => void (seen.a = p.done) }),
      w.client.request('verifyModel', { id: 'b' }, { onProgress: (p) => void (seen.b = p.done) }),
      w.client.request('getSettings', {}),
    ]);
    expect([a.chunks, b.chunks, seen.a, seen.b]).toEqual([5, 9, 5, 9]);
    expect(settings.backendPreference).toBe('wasm');
  });

  test('an already-aborted signal never reaches the worker', async () => {
    const control = new AbortController();
    control.abort();
    await expect(w.client.request('listModels', {}, { signal: control.signal })).rejects.toBeInstanceOf(
      CancelledError,
    );
  });
});

describe('errors cross as data', () => {
  test('a storage failure arrives as a typed, readable error with details', async () => {
    const error = await w.client
      .request('readModelFile', { id: 'nope', name: 'w.bin' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkerError);
    expect(error).toMatchObject({
      name: 'StorageIntegrityError',
      message: 'Model "nope" has no stored file "w.bin".',
      details: { modelId: 'nope', fileName: 'w.bin' },
    });
  });

  test('a bad payload is rejected with the reason', async () => {
    await expect(w.client.request('benchmarkBackend', { size: 0, steps: 3 })).rejects.toMatchObject({
      name: 'InvalidRequest',
      message: expect.stringContaining('got size 0'),
    });
  });

  test('an unknown request kind gets an error reply, not silence', async () => {
    const reply = new Promise<FromWorker>((resolve) =>
      w.clientPort.addEventListener('message', (e: MessageEvent<FromWorker>) => resolve(e.data), {
        once: true,
      }),
    );
    w.clientPort.postMessage({ type: 'request', id: 'x1', kind: 'makeCoffee', payload: {} });
    expect(await reply).toMatchObject({ type: 'error', id: 'x1', error: { name: 'UnknownRequest' } });
  });

  test('a crashed worker fails pending and later requests', async () => {
    await seedModel('slow', 400);
    const pending = w.client.request('verifyModel', { id: 'slow' });
    w.client.fail('out of memory');
    await expect(pending).rejects.toBeInstanceOf(WorkerCrashedError);
    await expect(w.client.request('getSettings', {})).rejects.toThrow(
      /background worker stopped: out of memory/,
    );
    expect(w.client.state.kind).toBe('crashed');
  });
});
