import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Graph,
  type NdArray,
  type Tensor,
  evaluate,
  exportOnnx,
  grad,
} from '../../../../src/engine/index.ts';
import { forwardCases } from './forward-cases.ts';
import { gradCases } from './grad-cases.ts';
import { closeness, makeRng, randomInput } from './helpers.ts';
import { type WebGpuRunner, hasChromium, startWebGpu } from './webgpu-harness.ts';

interface Built {
  name: string;
  g: Graph;
  feeds: Record<string, NdArray>;
}

function withInputs(
  inputs: Record<string, Parameters<typeof randomInput>[0]>,
  seed: number,
): { g: Graph; x: Record<string, Tensor>; feeds: Record<string, NdArray>; rng: () => number } {
  const g = new Graph();
  const rng = makeRng(seed);
  const x: Record<string, Tensor> = {};
  const feeds: Record<string, NdArray> = {};
  for (const [name, spec] of Object.entries(inputs)) {
    x[name] = g.input(name, spec.dtype, spec.shape);
    feeds[name] = randomInput(spec, rng);
  }
  return { g, x, feeds, rng };
}

const graphs: Built[] = [
  ...forwardCases.map((c) => {
    const { g, x, feeds } = withInputs(c.inputs, 7);
    const built = c.build(g, x);
    (Array.isArray(built) ? built : [built]).forEach((t, i) => g.output(`y${i}`, t));
    return { name: `forward: ${c.name}`, g, feeds };
  }),
  ...gradCases.map((c) => {
    const { g, x, feeds, rng } = withInputs(c.inputs, 1);
    const y = c.build(g, x);
    const r = randomInput({ dtype: 'float32', shape: y.shape as number[] }, rng);
    const all = Array.from({ length: y.rank }, (_, i) => i);
    const loss = g.reduceSum(g.mul(y, g.constant('r', 'float32', y.shape as number[], r.data)), all);
    const wrt = Object.keys(c.inputs).filter((n) => c.inputs[n]!.dtype === 'float32');
    grad(
      g,
      loss,
      wrt.map((n) => x[n]!),
    ).forEach((d, i) => g.output(`grad.${wrt[i]}`, d!));
    return { name: `gradient: ${c.name}`, g, feeds };
  }),
];

describe.skipIf(!hasChromium)(
  'every op and gradient graph runs on the WebGPU EP with CPU fallback disabled',
  () => {
    let gpu: WebGpuRunner;
    beforeAll(async () => {
      gpu = await startWebGpu();
    }, 120_000);
    afterAll(async () => {
      await gpu?.close();
    });

    for (const { name, g, feeds } of graphs) {
      it(name, async () => {
        const result = await gpu.run(exportOnnx(g), feeds);
        expect(result.error).toBeUndefined();
        const expected = evaluate(
          g,
          feeds,
          g.outputs.map((o) => o.tensor),
        );
        g.outputs.forEach((o, i) => {
          const got = result.outputs![o.name]!;
          expect(got.shape).toEqual(expected[i]!.shape);
          expect(closeness(got, expected[i]!, 1e-5, 1e-4), o.name).toBeLessThanOrEqual(1);
        });
      });
    }
  },
);
