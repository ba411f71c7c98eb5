import { beforeAll, describe, expect, it } from 'vitest';
import { nodeRuntime } from '../../../src/runtime/ort-node.ts';
import {
  asOwnModel,
  createDecoderModel,
  type DecoderModel,
} from '../../../src/worker/generate/decoder-model.ts';
import { promptIds, runGeneration, type JobHooks } from '../../../src/worker/generate/generation-job.ts';
import type { GeneratePayload, GenerateProgress } from '../../../src/worker/generate/types.ts';
import { tinyModelFiles } from './tiny-model.ts';

let model: DecoderModel;

beforeAll(async () => {
  model = await createDecoderModel('tiny', tinyModelFiles(), nodeRuntime, 'cpu');
});

const payload = (patch: Partial<GeneratePayload> = {}): GeneratePayload => ({
  modelId: 'tiny',
  prompt: 'Why did the chicken',
  language: 'en',
  control: 'funny',
  sampling: { temperature: 1, topK: 0, topP: 1, repetitionPenalty: 1 },
  maxNewTokens: 12,
  candidates: 3,
  seed: 5,
  adapterId: null,
  strictness: 'standard',
  ...patch,
});

function hooks(onStep?: (p: GenerateProgress, controller: AbortController) => void) {
  const controller = new AbortController();
  const events: GenerateProgress[] = [];
  const value: JobHooks = {
    signal: controller.signal,
    checkpoint: async () => {
      await new Promise((resolve) => setTimeout(resolve, 0));
      controller.signal.throwIfAborted();
    },
    onProgress: (p) => {
      events.push(p);
      onStep?.(p, controller);
    },
  };
  return { value, events };
}

describe('generation job', () => {
  it('frames the opening with the language tag and control code', () => {
    const ids = promptIds(model, payload({ language: 'zh', control: 'notFunny', prompt: '程序员' }));
    const { tokenizer } = asOwnModel(model);
    expect(ids.slice(0, 2)).toEqual([tokenizer.languageIds.zh, tokenizer.controlIds.notFunny]);
    expect(tokenizer.decode(ids.slice(2))).toBe('程序员');
    expect(() => promptIds(model, payload({ prompt: 'a <|endofjoke|> b' }))).toThrow(/control token/);
  });

  it('streams complete text that adds up to each final candidate, one step per event', async () => {
    const { value, events } = hooks();
    const outcome = await runGeneration(model, payload(), value);
    expect(outcome.stopped).toBe(false);
    expect(outcome.candidates).toHaveLength(3);
    expect(events.map((e) => e.step)).toEqual(events.map((_, i) => i));
    for (const candidate of outcome.candidates) {
      const updates = events.flatMap((e) => e.updates.filter((u) => u.candidate === candidate.index));
      expect(updates.length).toBe(candidate.tokens);
      expect(candidate.tokens).toBeGreaterThan(0);
      expect(candidate.tokens).toBeLessThanOrEqual(12);
      expect(candidate.text).toBe(`Why did the chicken${candidate.continuation}`);
      if (candidate.safety.ok) {
        // The streamed pieces are the decoded text minus what `finish` flushed at the end.
        const streamed = updates.map((u) => u.text).join('');
        expect(candidate.continuation.startsWith(streamed)).toBe(true);
      }
      expect(candidate.finish === 'eos' || candidate.finish === 'length').toBe(true);
    }
    expect(outcome.timeToFirstTokenMs).not.toBeNull();
  });

  it('gives the same candidates for the same seed and different ones for another seed', async () => {
    const texts = async (seed: number) =>
      (await runGeneration(model, payload({ seed }), hooks().value)).candidates.map((c) => c.continuation);
    const first = await texts(11);
    expect(await texts(11)).toEqual(first);
    expect(await texts(12)).not.toEqual(first);
  });

  it('stops within one step of a cancel and reports what was written', async () => {
    const { value, events } = hooks((_, controller) => controller.abort());
    const outcome = await runGeneration(model, payload({ maxNewTokens: 40, candidates: 2 }), value);
    expect(events).toHaveLength(1);
    expect(outcome.stopped).toBe(true);
    for (const c of outcome.candidates) {
      expect(c.tokens).toBeLessThanOrEqual(1);
      expect(c.finish === 'stopped' || c.finish === 'eos').toBe(true);
    }
  });

  it('holds back a candidate whose text fails the safety check, with the reason', async () => {
    const { value, events } = hooks();
    const outcome = await runGeneration(
      model,
      payload({ prompt: 'What the fuck is wrong with', candidates: 2 }),
      value,
    );
    for (const c of outcome.candidates) {
      expect(c.safety.ok).toBe(false);
      expect(c.safety.reasons.join(' ')).toMatch(/profanity/i);
    }
    const streamedText = events.flatMap((e) => e.updates.map((u) => u.text)).join('');
    expect(streamedText).toBe('');
    expect(events.some((e) => e.updates.some((u) => u.heldReasons && u.heldReasons.length > 0))).toBe(true);
    const relaxed = await runGeneration(
      model,
      payload({ prompt: 'What the fuck is wrong with', strictness: 'relaxed', candidates: 1 }),
      hooks().value,
    );
    expect(relaxed.candidates[0]?.safety.ok).toBe(true);
  });

  it('refuses settings outside their ranges with a message that names them', async () => {
    await expect(runGeneration(model, payload({ candidates: 9 }), hooks().value)).rejects.toThrow(/1 to 8/);
    await expect(runGeneration(model, payload({ maxNewTokens: 64 }), hooks().value)).rejects.toThrow(
      /Max new tokens/,
    );
  });
});
