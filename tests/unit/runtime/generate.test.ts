import { describe, expect, it } from 'vitest';
import type { DecodeSpec } from '../../../src/runtime/decode-io.ts';
import {
  generate,
  generateTokens,
  type DecodeSession,
  type GenerateOptions,
} from '../../../src/runtime/generate.ts';
import { nodeRuntime } from '../../../src/runtime/ort-node.ts';
import type { OrtTensor } from '../../../src/runtime/types.ts';

const tensors = nodeRuntime.tensors;
const VOCAB = 10;
const spec: DecodeSpec = { numLayers: 1, numKvHeads: 1, headDim: 1, idType: 'int64', hasPositionIds: true };
const greedy = { temperature: 0, topK: 0, topP: 1, repetitionPenalty: 1 };

interface RecordedStep {
  inputIds: number[][];
  mask: number[][];
  positions: number[][];
  pastLength: number;
}

const rows = (t: OrtTensor): number[][] => {
  const [b = 0, n = 0] = t.dims;
  const flat = Array.from(t.data as BigInt64Array, Number);
  return Array.from({ length: b }, (_, i) => flat.slice(i * n, (i + 1) * n));
};

/**
 * A JS decode graph with the toy semantics of onnx-fixture's toyDecodeModel (cache = the ids seen; the last
 * position's logits peak at Σ unmasked cached ids mod VOCAB), logits for every position [batch, seq, vocab]
 * (earlier positions peak at token 0), and a record of every call's feeds.
 */
class RecordingSession implements DecodeSession {
  readonly label = 'recording decode session';
  readonly calls: RecordedStep[] = [];
  onRun?: (call: number) => void;

  async run(feeds: Readonly<Record<string, OrtTensor>>): Promise<Record<string, OrtTensor>> {
    const ids = rows(feeds.input_ids!);
    const mask = rows(feeds.attention_mask!);
    const past = feeds['past_key_values.0.key']!;
    const [batch = 0, , pastLength = 0] = past.dims;
    this.calls.push({ inputIds: ids, mask, positions: rows(feeds.position_ids!), pastLength });
    this.onRun?.(this.calls.length);
    const seq = ids[0]?.length ?? 0;
    const pastData = past.data as Float32Array;
    const cache = new Float32Array(batch * (pastLength + seq));
    const logits = new Float32Array(batch * seq * VOCAB);
    for (let b = 0; b < batch; b++) {
      const row = [...pastData.subarray(b * pastLength, (b + 1) * pastLength), ...(ids[b] ?? [])];
      cache.set(row, b * row.length);
      const target = row.reduce((sum, id, i) => sum + id * (mask[b]?.[i] ?? 0), 0) % VOCAB;
      for (let s = 0; s < seq; s++) {
        const peak = s === seq - 1 ? target : 0;
        for (let v = 0; v < VOCAB; v++) logits[(b * seq + s) * VOCAB + v] = -((v - peak) ** 2);
      }
    }
    const dims = [batch, 1, pastLength + seq, 1];
    return {
      logits: tensors.float32(logits, [batch, seq, VOCAB]),
      'present.0.key': tensors.float32(cache, dims),
      'present.0.value': tensors.float32(new Float32Array(cache.length), dims),
    };
  }
}

const options = (overrides: Partial<GenerateOptions>): GenerateOptions => ({
  prompts: [[1, 2, 3]],
  maxNewTokens: 5,
  eosTokenIds: [],
  sampling: greedy,
  seed: 0,
  ...overrides,
});

describe('generate loop', () => {
  it('feeds the prompt once, then exactly one token per step with the cache passed back', async () => {
    const session = new RecordingSession();
    const result = await generate(session, tensors, spec, options({}));
    // Σ = 6 → 6; 12 → 2; 14 → 4; 18 → 8; 26 → 6.
    expect(result.sequences).toEqual([[6, 2, 4, 8, 6]]);
    expect(session.calls.map((c) => c.inputIds[0]?.length)).toEqual([3, 1, 1, 1, 1]);
    expect(session.calls.map((c) => c.pastLength)).toEqual([0, 3, 4, 5, 6]);
    expect(session.calls.map((c) => c.mask[0]?.length)).toEqual([3, 4, 5, 6, 7]);
    expect(session.calls.map((c) => c.positions[0])).toEqual([[0, 1, 2], [3], [4], [5], [6]]);
    expect(session.calls.slice(1).map((c) => c.inputIds[0]?.[0])).toEqual([6, 2, 4, 8]);
    expect(result.finishReasons).toEqual(['length']);
    expect(result.steps).toBe(5);
  });

  it('runs a batch with left padding: pads masked, positions counted per row', async () => {
    const session = new RecordingSession();
    const result = await generate(
      session,
      tensors,
      spec,
      options({ prompts: [[1, 2, 3], [4]], maxNewTokens: 4, padTokenId: 9 }),
    );
    // Row 1 (pads masked): 4 → 4; 8 → 8; 16 → 6; 22 → 2.
    expect(result.sequences).toEqual([
      [6, 2, 4, 8],
      [4, 8, 6, 2],
    ]);
    expect(session.calls[0]?.inputIds).toEqual([
      [1, 2, 3],
      [9, 9, 4],
    ]);
    expect(session.calls[0]?.mask).toEqual([
      [1, 1, 1],
      [0, 0, 1],
    ]);
    expect(session.calls[0]?.positions).toEqual([
      [0, 1, 2],
      [0, 0, 0],
    ]);
    expect(session.calls[1]?.positions).toEqual([[3], [1]]);
    expect(session.calls[1]?.mask).toEqual([
      [1, 1, 1, 1],
      [0, 0, 1, 1],
    ]);
  });

  it('stops each candidate at EOS and the loop when all are done', async () => {
    const session = new RecordingSession();
    const steps: number[][] = [];
    const result = await generate(
      session,
      tensors,
      spec,
      options({ prompts: [[1, 2, 3], [4]], maxNewTokens: 20, eosTokenIds: [8] }),
      (s) => steps.push(s.tokens.map((t) => t.token)),
    );
    expect(result.sequences).toEqual([[6, 2, 4], [4]]);
    expect(result.finishReasons).toEqual(['eos', 'eos']);
    expect(steps).toEqual([[6, 4], [2], [4], []]);
    expect(session.calls).toHaveLength(4);
    // The finished row keeps the batch shape by feeding the pad (= first EOS id).
    expect(session.calls[2]?.inputIds[1]).toEqual([8]);
  });

  it('halts within one token when aborted between steps', async () => {
    const controller = new AbortController();
    const session = new RecordingSession();
    const result = await generate(
      session,
      tensors,
      spec,
      options({ maxNewTokens: 50, signal: controller.signal }),
      (s) => {
        if (s.step === 1) controller.abort();
      },
    );
    expect(result.sequences).toEqual([[6, 2]]);
    expect(session.calls).toHaveLength(2);
    expect(result.finishReasons).toEqual(['aborted']);
  });

  it('drops the token of a step that was running when Stop came', async () => {
    const controller = new AbortController();
    const session = new RecordingSession();
    session.onRun = (call) => {
      if (call === 3) controller.abort();
    };
    const result = await generate(
      session,
      tensors,
      spec,
      options({ maxNewTokens: 50, signal: controller.signal }),
    );
    expect(result.sequences).toEqual([[6, 2]]);
    expect(result.finishReasons).toEqual(['aborted']);
  });

  it('stops at the context window', async () => {
    const result = await generate(
      new RecordingSession(),
      tensors,
      { ...spec, maxPositions: 6 },
      options({ maxNewTokens: 50 }),
    );
    expect(result.sequences[0]).toHaveLength(3);
    expect(result.finishReasons).toEqual(['length']);
    await expect(
      generate(new RecordingSession(), tensors, { ...spec, maxPositions: 3 }, options({})),
    ).rejects.toThrow(/no room in the 3-token context/);
  });

  it('gives each candidate its own seeded stream, reproducibly', async () => {
    const sampled = (seed: number) =>
      generate(
        new RecordingSession(),
        tensors,
        spec,
        options({
          prompts: [[1], [1]],
          maxNewTokens: 12,
          seed,
          sampling: { temperature: 1.5, topK: 0, topP: 1, repetitionPenalty: 1 },
        }),
      );
    const a = await sampled(7);
    expect((await sampled(7)).sequences).toEqual(a.sequences);
    expect(a.sequences[0]).not.toEqual(a.sequences[1]);
    expect((await sampled(8)).sequences).not.toEqual(a.sequences);
  });

  it('reports time to first token and decode speed from the clock', async () => {
    let t = 0;
    const result = await generate(new RecordingSession(), tensors, spec, options({ now: () => (t += 10) }));
    // start = 10; tokens at 20, 30, 40, 50, 60; end = 70 → 4 tokens in 50 ms after the first.
    expect(result.timeToFirstTokenMs).toBe(10);
    expect(result.decodeTokensPerSecond).toBeCloseTo(80, 9);
    expect(result.totalMs).toBe(60);
  });

  it('can be consumed as an async iterator and closed early', async () => {
    const session = new RecordingSession();
    const seen: number[] = [];
    for await (const step of generateTokens(session, tensors, spec, options({ maxNewTokens: 50 }))) {
      seen.push(...step.tokens.map((x) => x.token));
      if (seen.length === 3) break;
    }
    expect(seen).toEqual([6, 2, 4]);
    expect(session.calls).toHaveLength(3);
  });

  it('rejects empty prompts and bad limits', async () => {
    await expect(generate(new RecordingSession(), tensors, spec, options({ prompts: [[]] }))).rejects.toThrow(
      /prompt 0 is empty/,
    );
    await expect(
      generate(new RecordingSession(), tensors, spec, options({ maxNewTokens: 0 })),
    ).rejects.toThrow(/maxNewTokens/);
  });
});
