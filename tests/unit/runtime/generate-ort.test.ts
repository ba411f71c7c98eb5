import { env as webEnv } from 'onnxruntime-web/webgpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeSpecFromSession, kvCacheOnGpu } from '../../../src/runtime/decode-io.ts';
import { generate } from '../../../src/runtime/generate.ts';
import { nodeRuntime } from '../../../src/runtime/ort-node.ts';
import { webRuntime } from '../../../src/runtime/ort-web.ts';
import type { Runtime } from '../../../src/runtime/types.ts';
import { encodeModel, toyDecodeModel } from './onnx-fixture.ts';

const VOCAB = 10;
const greedy = { temperature: 0, topK: 0, topP: 1, repetitionPenalty: 1 };

async function runToy(runtime: Runtime, provider: 'cpu' | 'wasm') {
  const session = await runtime.createSession(toyDecodeModel(VOCAB), {
    label: 'toy decode graph',
    executionProviders: [provider],
  });
  try {
    const spec = decodeSpecFromSession(session, 64);
    expect(spec).toEqual({
      numLayers: 1,
      numKvHeads: 1,
      headDim: 1,
      idType: 'int64',
      hasPositionIds: true,
      maxPositions: 64,
    });
    return await generate(session, runtime.tensors, spec, {
      prompts: [[1, 2, 3], [4]],
      maxNewTokens: 5,
      eosTokenIds: [],
      padTokenId: 0,
      sampling: greedy,
      seed: 0,
    });
  } finally {
    await session.dispose();
  }
}

describe('generate on a real ONNX decode graph', () => {
  beforeAll(() => {
    webEnv.wasm.numThreads = 1;
  });

  // Greedy tokens are Σ(cache) mod 10, worked by hand: row 0 from 1+2+3, row 1 from 4.
  const expected = [
    [6, 2, 4, 8, 6],
    [4, 8, 6, 2, 4],
  ];

  it('onnxruntime-node: the cache carries the whole sequence', async () => {
    const result = await runToy(nodeRuntime, 'cpu');
    expect(result.sequences).toEqual(expected);
    expect(result.steps).toBe(5);
  });

  it('onnxruntime-web wasm: same tokens', async () => {
    expect((await runToy(webRuntime, 'wasm')).sequences).toEqual(expected);
  });

  it('asks for GPU-resident cache outputs by name', () => {
    expect(kvCacheOnGpu(2)).toEqual({
      logits: 'cpu',
      'present.0.key': 'gpu-buffer',
      'present.0.value': 'gpu-buffer',
      'present.1.key': 'gpu-buffer',
      'present.1.value': 'gpu-buffer',
    });
  });

  it('explains what a graph without Hugging Face decode names lacks', async () => {
    const session = await nodeRuntime.createSession(
      encodeModel({
        inputs: [{ name: 'input_ids', elem: 'int64', shape: ['b', 's'] }],
        outputs: [{ name: 'logits', elem: 'int64', shape: ['b', 's'] }],
        nodes: [{ op: 'Identity', inputs: ['input_ids'], outputs: ['logits'] }],
      }),
      { label: 'not-a-decoder' },
    );
    expect(() => decodeSpecFromSession(session)).toThrow(
      /^not-a-decoder: not a decode graph with Hugging Face names: no input "attention_mask"/,
    );
    await session.dispose();
  });
});
