import { env as webEnv } from 'onnxruntime-web/webgpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeRuntime } from '../../../src/runtime/ort-node.ts';
import { webRuntime } from '../../../src/runtime/ort-web.ts';
import { readFloat32, readIntegers, readScalar } from '../../../src/runtime/tensors.ts';
import type { Runtime } from '../../../src/runtime/types.ts';
import { bindWeights } from '../../../src/runtime/weights.ts';
import { encodeModel } from './onnx-fixture.ts';

// y = x · W + 1, with W fed as an input; ids → ids + 3 (int64).
const model = encodeModel({
  inputs: [
    { name: 'x', elem: 'float32', shape: ['batch', 2] },
    { name: 'W', elem: 'float32', shape: [2, 3] },
    { name: 'ids', elem: 'int64', shape: ['n'] },
  ],
  outputs: [
    { name: 'y', elem: 'float32', shape: ['batch', 3] },
    { name: 'ids_out', elem: 'int64', shape: ['n'] },
  ],
  nodes: [
    { op: 'MatMul', inputs: ['x', 'W'], outputs: ['xw'] },
    { op: 'Add', inputs: ['xw', 'one'], outputs: ['y'] },
    { op: 'Add', inputs: ['ids', 'three'], outputs: ['ids_out'] },
  ],
  initializers: [
    { name: 'one', dims: [], data: new Float32Array([1]) },
    { name: 'three', dims: [], data: new BigInt64Array([3n]) },
  ],
});

async function runOnce(runtime: Runtime, provider: 'cpu' | 'wasm') {
  const session = await runtime.createSession(model, {
    label: 'affine test graph',
    executionProviders: [provider],
  });
  try {
    expect(session.executionProvider).toBe(provider);
    expect(session.inputs.map((i) => [i.name, i.type])).toEqual([
      ['x', 'float32'],
      ['W', 'float32'],
      ['ids', 'int64'],
    ]);
    expect(session.inputs[0]?.shape).toEqual(['batch', 2]);
    const t = runtime.tensors;
    const out = await session.run({
      x: t.float32(new Float32Array([1, 2, -1, 0.5]), [2, 2]),
      W: t.float32(new Float32Array([1, 0, 2, 0, 1, -1]), [2, 3]),
      ids: t.int64([5, -2], [2]),
    });
    expect(out.y?.dims).toEqual([2, 3]);
    return {
      y: Array.from(await readFloat32(out.y!, 'y')),
      ids: await readIntegers(out.ids_out!, 'ids_out'),
    };
  } finally {
    await session.dispose();
  }
}

describe('runtime sessions', () => {
  // In Node, onnxruntime-web's multi-threaded wasm start-up needs node:os, which its browser bundle cannot load;
  // in the app, backend.ts sets up this env.
  beforeAll(() => {
    webEnv.wasm.numThreads = 1;
  });

  // x·W: [1,2]·W = [1, 2, 0]; [-1,0.5]·W = [-1, 0.5, -2.5]; then + 1.
  const expected = { y: [2, 3, 1, 0, 1.5, -1.5], ids: [8, 1] };

  it('onnxruntime-node runs a graph with named feeds', async () => {
    expect(await runOnce(nodeRuntime, 'cpu')).toEqual(expected);
  });

  it('onnxruntime-web (wasm) gives the same numbers', async () => {
    expect(await runOnce(webRuntime, 'wasm')).toEqual(expected);
  });

  it('names the graph and the missing input when a feed is absent', async () => {
    const session = await nodeRuntime.createSession(model, { label: 'affine test graph' });
    const t = nodeRuntime.tensors;
    await expect(session.run({ x: t.float32(new Float32Array(2), [1, 2]) })).rejects.toThrow(
      /^affine test graph: missing inputs: W, ids/,
    );
    await expect(
      session.run({
        x: t.float32(new Float32Array(3), [1, 3]),
        W: t.float32(new Float32Array(6), [2, 3]),
        ids: t.int64([1], [1]),
      }),
    ).rejects.toThrow(/affine test graph: run failed with x: float32\[1, 3\]/);
    await session.dispose();
    await expect(session.run({})).rejects.toThrow(/disposed/);
  });

  it('reports every provider that failed', async () => {
    await expect(nodeRuntime.createSession(new Uint8Array([1, 2, 3]), { label: 'garbage' })).rejects.toThrow(
      /^garbage: could not create a session on any execution provider \(cpu: /,
    );
  });

  it('tries later providers only when CPU fallback is allowed', async () => {
    const garbage = new Uint8Array([1, 2, 3]);
    const failures = async (disableCpuFallback: boolean) => {
      const error = await nodeRuntime
        .createSession(garbage, { executionProviders: ['cpu', 'cpu'], disableCpuFallback })
        .catch((e: unknown) => e as Error);
      return ((error as Error).message.match(/cpu: /g) ?? []).length;
    };
    expect(await failures(false)).toBe(2);
    expect(await failures(true)).toBe(1);
  });

  it('ignores the strict flag on the CPU provider, which is the CPU EP itself', async () => {
    const session = await nodeRuntime.createSession(model, { disableCpuFallback: true, label: 'strict' });
    expect(session.executionProvider).toBe('cpu');
    await session.dispose();
  });

  it('reads tensors back with their type checked', async () => {
    const t = nodeRuntime.tensors;
    expect(await readScalar(t.float32(new Float32Array([2.5]), []), 'loss')).toBe(2.5);
    await expect(readScalar(t.float32(new Float32Array(2), [2]), 'loss')).rejects.toThrow(
      /loss: expected one value, got 2/,
    );
    await expect(readFloat32(t.int32(new Int32Array(1), [1]), 'logits')).rejects.toThrow(
      /logits: expected a float32 tensor, got int32\[1\]/,
    );
    expect(await readIntegers(t.int64([7, -3], [2]), 'ids')).toEqual([7, -3]);
    expect(await readIntegers(t.int32(Int32Array.from([4]), [1]), 'ids')).toEqual([4]);
  });

  it('checks tensor sizes against dims', () => {
    expect(() => nodeRuntime.tensors.float32(new Float32Array(5), [2, 3])).toThrow(
      /5 values do not fill dims \[2, 3\]/,
    );
  });

  it('binds a weight once and feeds it to two sessions', async () => {
    const weights = await bindWeights(
      nodeRuntime,
      { W: { data: new Float32Array([1, 0, 2, 0, 1, -1]), dims: [2, 3] } },
      'cpu',
    );
    const decode = await nodeRuntime.createSession(model, { label: 'first' });
    const train = await nodeRuntime.createSession(model, { label: 'second' });
    const t = nodeRuntime.tensors;
    const feeds = { ...weights, x: t.float32(new Float32Array([1, 2]), [1, 2]), ids: t.int64([0], [1]) };
    const [a, b] = await Promise.all([decode.run(feeds), train.run(feeds)]);
    expect(Array.from(await readFloat32(a.y!, 'y'))).toEqual([2, 3, 1]);
    expect(Array.from(await readFloat32(b.y!, 'y'))).toEqual([2, 3, 1]);
    await Promise.all([decode.dispose(), train.dispose()]);
    await expect(nodeRuntime.weightTensor(new Float32Array(1), [1], 'gpu-buffer')).rejects.toThrow(
      /binds weights on the cpu/,
    );
  });
});
