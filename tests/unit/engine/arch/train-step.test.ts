/**
 * Whole train-step graphs against central finite differences of their own loss, in float64:
 * the gradient outputs must be the derivative of the loss output.
 */
import { describe, expect, it } from 'vitest';
import type { ModelConfig } from '../../../../src/engine/arch/config.ts';
import { loraTable, type LoraConfig } from '../../../../src/engine/arch/lora.ts';
import type { Graph } from '../../../../src/engine/builder.ts';
import { buildClassifierGraph, SCORE_WEIGHT } from '../../../../src/engine/graphs/classifier.ts';
import { buildLmTrainGraph, gradName, nextTokenTargets } from '../../../../src/engine/graphs/train-lm.ts';
import { loraDropoutMasks, loraDropoutName } from '../../../../src/engine/graphs/weights.ts';
import { seededUniform } from '../../../../src/engine/arch/init.ts';
import type { NdArray } from '../../../../src/engine/interpreter/ndarray.ts';
import { TINY_MODELS, f32, i32, randomArray, randomWeights, run } from './tiny.ts';

const B = 2;
const T = 5;
const IDS = Int32Array.from([4, 9, 13, 2, 20, 7, 1, 18, 0, 0]);
const LOSS_MASK = [0, 1, 1, 1, 1, 0, 1, 1, 0, 0]; // row 0: prompt token 0; row 1: two pads at the end

function loraConfig(config: ModelConfig): LoraConfig {
  return {
    rank: 2,
    alpha: 4,
    targets: config.arch === 'gpt2' ? ['c_attn', 'mlp.c_proj'] : ['q', 'v', 'down'],
  };
}

function loraValues(config: ModelConfig, lora: LoraConfig): Map<string, NdArray> {
  const values = new Map<string, NdArray>();
  loraTable(config, lora).forEach((spec, i) => {
    values.set(spec.aName, f32(spec.aShape, randomArray(spec.aShape, 100 + i)));
    values.set(spec.bName, f32(spec.bShape, randomArray(spec.bShape, 200 + i)));
  });
  return values;
}

/**
 * For `probes` coordinates of each trainable tensor: (L(x + h) - L(x - h)) / 2h vs the graph's gradient.
 * Returns the largest |fd - analytic| / max(|analytic| over the tensor).
 */
function worstFiniteDifferenceError(
  graph: Graph,
  fixed: Record<string, NdArray>,
  trainable: Map<string, NdArray>,
  probes = 3,
): number {
  const feeds = (): Record<string, NdArray> => ({ ...fixed, ...Object.fromEntries(trainable) });
  const names = [...trainable.keys()];
  const outputs = run(graph, feeds(), ['loss', ...names.map(gradName)]);
  const loss = (): number => (run(graph, feeds(), ['loss']).get('loss') as NdArray).data[0] as number;
  let worst = 0;
  const h = 1e-5;
  names.forEach((name, n) => {
    const value = trainable.get(name) as NdArray;
    const analytic = (outputs.get(gradName(name)) as NdArray).data;
    const scale = Math.max(...Array.from(analytic, Math.abs));
    expect(scale).toBeGreaterThan(0);
    for (let p = 0; p < probes; p++) {
      const i = (n * 7919 + p * 104729) % value.data.length;
      const saved = value.data[i] as number;
      value.data[i] = saved + h;
      const up = loss();
      value.data[i] = saved - h;
      const down = loss();
      value.data[i] = saved;
      worst = Math.max(worst, Math.abs((up - down) / (2 * h) - (analytic[i] as number)) / scale);
    }
  });
  return worst;
}

function lmFeeds(): Record<string, NdArray> {
  const { labels, mask } = nextTokenTargets(IDS, LOSS_MASK, B, T);
  return { input_ids: i32([B, T], IDS), labels: i32([B, T], labels), loss_mask: f32([B, T], mask) };
}

describe.each(TINY_MODELS)('train steps (%s) against finite differences', (_name, config) => {
  const weights = randomWeights(config, 3);

  it('LoRA causal-LM step: every adapter gradient', () => {
    const lora = loraConfig(config);
    const train = buildLmTrainGraph(config, {
      kind: 'lora',
      lora,
      weights: { kind: 'initializers', data: weights },
    });
    const values = loraValues(config, lora);
    expect(train.trainable).toEqual([...values.keys()]);
    expect(worstFiniteDifferenceError(train.graph, lmFeeds(), values)).toBeLessThan(1e-6);
  });

  it('full-parameter step: every weight gradient', () => {
    const train = buildLmTrainGraph(config, { kind: 'all' });
    const values = new Map<string, NdArray>();
    for (const [name, data] of weights) {
      const shape = train.graph.inputs.find(
        (t) => t.source.kind === 'input' && t.source.name === name,
      )?.shape;
      values.set(name, f32(shape as number[], data));
    }
    expect(worstFiniteDifferenceError(train.graph, lmFeeds(), values, 2)).toBeLessThan(1e-6);
  });

  it.each([
    [1, [1, 0], [0.7, 1.3]],
    [3, [2, 0], [1, 2]],
  ])('classifier step with %i logit(s): head and adapter gradients', (numLabels, labels, sampleWeights) => {
    const lora = loraConfig(config);
    const train = buildClassifierGraph(config, {
      numLabels,
      lora,
      weights: { kind: 'initializers', data: weights },
      train: true,
    });
    const values = new Map([
      [SCORE_WEIGHT, f32([numLabels, config.hiddenSize], randomArray([numLabels, config.hiddenSize], 9, 1))],
      ...loraValues(config, lora),
    ]);
    const fixed = {
      input_ids: i32([B, T], IDS),
      attention_mask: i32([B, T], [1, 1, 1, 1, 1, 1, 1, 1, 0, 0]),
      labels: numLabels === 1 ? f32([B], labels) : i32([B], labels),
      sample_weight: f32([B], sampleWeights),
    };
    expect(worstFiniteDifferenceError(train.graph, fixed, values)).toBeLessThan(1e-6);
  });
});

describe('LoRA dropout', () => {
  const [, config] = TINY_MODELS[1]!;
  const weights = randomWeights(config, 3);
  const lora: LoraConfig = { ...loraConfig(config), dropout: 0.25 };
  const specs = loraTable(config, lora);
  const masksAsFeeds = (masks: Map<string, Float32Array>) =>
    Object.fromEntries(
      specs.map((s) => [
        loraDropoutName(s.module),
        f32([B, T, s.inFeatures], masks.get(loraDropoutName(s.module))!),
      ]),
    );

  it('draws inverted-dropout keep-masks: zeros at rate p, survivors scaled by 1/(1-p)', () => {
    const masks = loraDropoutMasks(specs, 0.25, 8, 16, seededUniform(1));
    const values = [...masks.values()].flatMap((m) => Array.from(m));
    expect(new Set(values)).toEqual(new Set([0, Math.fround(1 / 0.75)]));
    const zeros = values.filter((v) => v === 0).length / values.length;
    expect(zeros).toBeGreaterThan(0.2);
    expect(zeros).toBeLessThan(0.3);
  });

  it('with all-ones masks equals the step without dropout; with random masks its gradients are exact', () => {
    const withDropout = buildLmTrainGraph(config, {
      kind: 'lora',
      lora,
      weights: { kind: 'initializers', data: weights },
    });
    const plain = buildLmTrainGraph(config, {
      kind: 'lora',
      lora: loraConfig(config),
      weights: { kind: 'initializers', data: weights },
    });
    const values = loraValues(config, lora);
    const ones = new Map(
      specs.map((s) => [loraDropoutName(s.module), new Float32Array(B * T * s.inFeatures).fill(1)]),
    );
    const feeds = { ...lmFeeds(), ...Object.fromEntries(values) };
    const names = ['loss', ...withDropout.trainable.map(gradName)];
    const a = run(withDropout.graph, { ...feeds, ...masksAsFeeds(ones) }, names);
    const b = run(plain.graph, feeds, names);
    for (const name of names) expect(Array.from(a.get(name)!.data)).toEqual(Array.from(b.get(name)!.data));

    const random = masksAsFeeds(loraDropoutMasks(specs, 0.25, B, T, seededUniform(2)));
    const dropped = run(withDropout.graph, { ...feeds, ...random }, ['loss']).get('loss')!.data[0];
    expect(dropped).not.toBeCloseTo(b.get('loss')!.data[0] as number, 6);
    expect(worstFiniteDifferenceError(withDropout.graph, { ...lmFeeds(), ...random }, values)).toBeLessThan(
      1e-6,
    );
  });
});
