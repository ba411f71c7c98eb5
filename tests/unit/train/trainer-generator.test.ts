import { describe, expect, it } from 'vitest';
import { nodeRuntime } from '../../../src/runtime/ort-node.ts';
import { MemoryCheckpointStore } from '../../../src/train/checkpoint.ts';
import { TrainSignals } from '../../../src/train/signals.ts';
import { train, type TrainJob } from '../../../src/train/trainer.ts';
import { fixtureRows, session, tinyBase, tinyModel, tokenizer } from './helpers.ts';

const config = {
  steps: 16,
  batchSize: 4,
  maxSeqLength: 32,
  learningRate: 2e-2,
  warmupSteps: 2,
  evalEvery: 4,
  checkpointEvery: 4,
  validationShare: 0.2,
  patience: 0,
};

async function job(extra: Partial<TrainJob> = {}, overrides: object = {}): Promise<TrainJob> {
  return {
    runtime: nodeRuntime,
    model: tinyModel,
    base: await tinyBase(),
    tokenizer,
    rows: fixtureRows(),
    session,
    config: { ...config, ...overrides },
    ...extra,
  };
}

describe('generator LoRA training on a tiny random Llama', () => {
  it('lowers the validation loss below its starting value and keeps the best adapter', async () => {
    const result = await train(await job());
    expect(result.status).toBe('finished');
    expect(result.plan.controlCodes).toEqual({ funny: '<|funny|>' });
    expect(result.state.losses).toHaveLength(16);
    const best = result.state.best;
    expect(best).not.toBeNull();
    expect(best!.loss).toBeLessThan(result.initial.loss - 0.05);
    expect(result.state.validation.map((v) => v.step)).toEqual([0, 4, 8, 12, 16]);
    const bIsZero = Object.entries(result.best)
      .filter(([name]) => name.includes('lora_B'))
      .every(([, data]) => data.every((v) => v === 0));
    expect(bIsZero).toBe(false);
  });

  it('gives identical adapter weights for two runs with the same seed, different ones for another seed', async () => {
    const a = await train(await job({}, { steps: 6, evalEvery: 6 }));
    const b = await train(await job({}, { steps: 6, evalEvery: 6 }));
    const c = await train(await job({}, { steps: 6, evalEvery: 6, seed: 2 }));
    for (const [name, data] of Object.entries(a.last)) expect(b.last[name]).toEqual(data);
    const name = Object.keys(a.last).find((n) => n.includes('lora_B')) as string;
    expect(c.last[name]).not.toEqual(a.last[name]);
  });

  it('resumes after an interruption with the same loss curve as an uninterrupted run (dropout on)', async () => {
    const overrides = { dropout: 0.1 };
    const whole = await train(await job({}, overrides));
    const store = new MemoryCheckpointStore();
    const signals = new TrainSignals();
    const first = await train(
      await job(
        {
          store,
          signals,
          onProgress: (p) => {
            if (p.kind === 'step' && p.step === 6) signals.cancel();
          },
        },
        overrides,
      ),
    );
    expect(first.status).toBe('cancelled');
    expect(first.state.step).toBe(6);
    const resumed = await train(await job({ resume: store.latest as Uint8Array }, overrides));
    expect(resumed.status).toBe('finished');
    expect(resumed.state.losses).toEqual(whole.state.losses);
    expect(resumed.state.validation.map((v) => v.loss)).toEqual(whole.state.validation.map((v) => v.loss));
    for (const [name, data] of Object.entries(whole.last)) expect(resumed.last[name]).toEqual(data);
  });

  it('pauses between updates, checkpoints while paused, and continues on resume', async () => {
    const store = new MemoryCheckpointStore();
    const signals = new TrainSignals();
    const kinds: string[] = [];
    const result = await train(
      await job(
        {
          store,
          signals,
          onProgress: (p) => {
            kinds.push(`${p.kind}@${p.step}`);
            if (p.kind === 'step' && p.step === 3) signals.pause();
            if (p.kind === 'paused') setTimeout(() => signals.resume(), 10);
          },
        },
        { steps: 5, evalEvery: 5 },
      ),
    );
    expect(result.status).toBe('finished');
    expect(kinds).toContain('paused@3');
    expect(store.saved.map((s) => s.step)).toEqual([3, 4, 5]);
  });

  it('refuses to resume from a checkpoint of a run with other settings', async () => {
    const store = new MemoryCheckpointStore();
    await train(await job({ store }, { steps: 4, evalEvery: 4 }));
    await expect(
      train(await job({ resume: store.latest as Uint8Array }, { steps: 4, rank: 4 })),
    ).rejects.toThrow(/other settings/);
  });

  it('trains on the funny rows only by default and says so; with funnyOnly off, both classes under their codes', async () => {
    const funny = await train(await job({}, { steps: 2, evalEvery: 2 }));
    expect(funny.plan.controlCodes).toEqual({ funny: '<|funny|>' });
    expect(funny.plan.note).toMatch(/funny rows only/);
    expect(funny.trainCount + funny.validationCount).toBe(22);
    const both = await train(await job({}, { steps: 2, evalEvery: 2, funnyOnly: false }));
    expect(both.plan.controlCodes).toEqual({ funny: '<|funny|>', 'not funny': '<|not_funny|>' });
    expect(both.plan.note).toMatch(/not funny rows under <\|not_funny\|>/);
    expect(both.trainCount + both.validationCount).toBeGreaterThan(22);
  });
});
