import { describe, expect, it } from 'vitest';
import {
  adamwStateFromSafetensors,
  adamwStateToSafetensors,
  AdamW,
  clipGradNorm,
  TORCH_ADAMW_DEFAULTS,
} from '../../../src/train/optimizer.ts';
import { Rng } from '../../../src/runtime/rng.ts';

const config = { ...TORCH_ADAMW_DEFAULTS, weightDecay: 0.01 };

describe('AdamW', () => {
  it('first step: decays, then moves by lr·sign(g) (bias-corrected m/√v = ±1)', () => {
    const params = { w: new Float32Array([1, -2]) };
    new AdamW(config).update(params, { w: new Float32Array([0.5, -3]) }, 0.1);
    // 1·(1 − 0.1·0.01) − 0.1 = 0.899;  −2·0.999 + 0.1 = −1.898
    expect(params.w[0]).toBeCloseTo(0.899, 6);
    expect(params.w[1]).toBeCloseTo(-1.898, 6);
  });

  it('second step matches the worked torch formula', () => {
    const params = { w: new Float32Array([1]) };
    const opt = new AdamW(config);
    opt.update(params, { w: new Float32Array([0.5]) }, 0.1);
    opt.update(params, { w: new Float32Array([-1]) }, 0.1);
    // m = 0.9·0.05 − 0.1 = −0.055; v = 0.999·0.00025 + 0.001 = 0.00124975
    // p = 0.899·0.999 + (0.1 / 0.19) · 0.055 / (√0.00124975 / √0.001999 + 1e-8)
    const expected =
      0.899 * 0.999 + ((0.1 / 0.19) * 0.055) / (Math.sqrt(0.00124975) / Math.sqrt(1 - 0.999 ** 2) + 1e-8);
    expect(params.w[0]).toBeCloseTo(expected, 5);
    expect(opt.step).toBe(2);
    expect(opt.exportState().expAvg.w?.[0]).toBeCloseTo(-0.055, 7);
    expect(opt.exportState().expAvgSq.w?.[0]).toBeCloseTo(0.00124975, 9);
  });

  it('weight decay is decoupled: with zero gradient the parameter only shrinks by lr·wd', () => {
    const params = { w: new Float32Array([4]), norm: new Float32Array([4]) };
    const opt = new AdamW({ ...config, weightDecay: 0.5, noWeightDecay: ['norm'] });
    opt.update(params, { w: new Float32Array([0]), norm: new Float32Array([0]) }, 0.2);
    expect(params.w[0]).toBeCloseTo(4 * (1 - 0.2 * 0.5), 6);
    expect(params.norm[0]).toBe(4);
  });

  it('resumes exactly from exported state and from its safetensors form', () => {
    const rng = Rng.seeded(9);
    const grads = () => ({
      a: Float32Array.from({ length: 6 }, () => rng.nextFloat() - 0.5),
      b: Float32Array.from({ length: 3 }, () => rng.nextFloat()),
    });
    const init = () => ({ a: new Float32Array(6).fill(0.3), b: new Float32Array(3).fill(-1) });
    const steps = Array.from({ length: 6 }, grads);

    const straight = init();
    const opt = new AdamW(config);
    steps.forEach((g) => opt.update(straight, g, 0.01));

    const resumed = init();
    const first = new AdamW(config);
    steps.slice(0, 3).forEach((g) => first.update(resumed, g, 0.01));
    const restored = AdamW.fromState(
      adamwStateFromSafetensors(adamwStateToSafetensors(first.exportState()), 'adamw.safetensors'),
    );
    expect(restored.step).toBe(3);
    steps.slice(3).forEach((g) => restored.update(resumed, g, 0.01));
    expect(resumed).toEqual(straight);
  });

  it('names the parameter when a gradient does not fit', () => {
    const opt = new AdamW(config);
    expect(() => opt.update({ w: new Float32Array(2) }, { w: new Float32Array(3) }, 0.1)).toThrow(
      /"w" has 3 elements; the parameter has 2/,
    );
    expect(() => opt.update({ w: new Float32Array(2) }, { v: new Float32Array(2) }, 0.1)).toThrow(
      /"v", which is not among/,
    );
    expect(() => new AdamW({ ...config, beta1: 1 })).toThrow(/betas/);
    expect(opt.step).toBe(0);
  });

  it('rejects a state file of another kind', () => {
    const bytes = adamwStateToSafetensors({ ...new AdamW(config).exportState(), step: 1 });
    const corrupted = bytes.slice();
    const at = new TextDecoder().decode(corrupted).indexOf('punchline-adamw-1');
    corrupted[at] = 'q'.charCodeAt(0);
    expect(() => adamwStateFromSafetensors(corrupted, 'opt.safetensors')).toThrow(
      /opt\.safetensors: metadata "format"/,
    );
  });
});

describe('clipGradNorm', () => {
  it('scales gradients to the max norm and returns the original norm', () => {
    const grads = { a: new Float32Array([3, 0]), b: new Float32Array([4]) };
    expect(clipGradNorm(grads, 1)).toBeCloseTo(5, 6);
    expect(Array.from(grads.a).map((x) => +x.toFixed(6))).toEqual([0.6, 0]);
    expect(grads.b[0]).toBeCloseTo(0.8, 6);
  });

  it('leaves small gradients alone', () => {
    const grads = { a: new Float32Array([0.3, 0.4]) };
    expect(clipGradNorm(grads, 1)).toBeCloseTo(0.5, 6);
    expect(Array.from(grads.a)).toEqual([Math.fround(0.3), Math.fround(0.4)]);
  });

  it('reports a non-finite gradient by name', () => {
    expect(() => clipGradNorm({ ok: new Float32Array([1]), bad: new Float32Array([NaN]) }, 1)).toThrow(
      /"bad" contains NaN/,
    );
  });
});
