import { describe, expect, it } from 'vitest';
import { parseModelConfigText } from '../../../src/engine/arch/config.ts';
import { readFileSync } from 'node:fs';
import { BucketedRows } from '../../../src/train/classifier-batches.ts';
import { resolveTrainConfig } from '../../../src/train/config.ts';
import { planLabels, splitExamples, toExamples } from '../../../src/train/examples.ts';
import { checkFeasibility } from '../../../src/train/feasibility.ts';
import { PackedJokes } from '../../../src/train/lm-batches.ts';
import { classifierMetrics, rocAuc } from '../../../src/train/metrics.ts';
import { generatorSequence } from '../../../src/train/sequences.ts';
import { fixtureRows, tinyModel, tokenizer } from './helpers.ts';

describe('labels to control codes', () => {
  it('maps categories to style slots in sorted label order', () => {
    const rows = ['pun', 'dad', 'pun', 'knock'].map((label, i) => ({ text: `joke ${i}`, label }));
    const plan = planLabels(rows, 'generator', false);
    expect(plan.controlCodes).toEqual({ dad: '<|style_0|>', knock: '<|style_1|>', pun: '<|style_2|>' });
    expect(toExamples(rows, plan, 'generator').map((e) => e.control)).toEqual([
      '<|style_2|>',
      '<|style_0|>',
      '<|style_2|>',
      '<|style_1|>',
    ]);
  });

  it('refuses a classifier without labels and a generator with more labels than style slots', () => {
    expect(() => planLabels([{ text: 'a', label: null }], 'classifier', false)).toThrow(/no labels/);
    const many = Array.from({ length: 9 }, (_, i) => ({ text: `t${i}`, label: `c${i}` }));
    expect(() => planLabels(many, 'generator', false)).toThrow(/8 style slots/);
  });

  it('splits with a seed: same seed same split, every row once', () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    const a = splitExamples(items, 0.2, 3);
    expect(splitExamples(items, 0.2, 3)).toEqual(a);
    expect(a.validation).toHaveLength(10);
    expect([...a.train, ...a.validation].sort((x, y) => x - y)).toEqual(items);
    expect(splitExamples(items, 0.2, 4).validation).not.toEqual(a.validation);
  });
});

describe('batches', () => {
  it('puts the loss on joke tokens only: never on a <|lang|> or control-code target', () => {
    const rows = fixtureRows();
    const plan = planLabels(rows, 'generator', false);
    const jokes = toExamples(rows, plan, 'generator').map((e) => generatorSequence(tokenizer, e, 32));
    const prefixIds = new Set([
      ...Object.values(tokenizer.languageIds),
      tokenizer.controlIds.funny,
      tokenizer.controlIds.notFunny,
    ]);
    const packed = new PackedJokes(jokes, 16, 1);
    let masked = 0;
    let position = { epoch: 0, window: 0 };
    for (let i = 0; i < packed.windowsPerEpoch; i += 4) {
      const batch = packed.batch(position, 4);
      batch.labels.forEach((label, k) => {
        if (prefixIds.has(label)) expect(batch.lossMask[k]).toBe(0);
        else expect(batch.lossMask[k]).toBe(1);
        if (batch.lossMask[k] === 0) masked++;
      });
      position = batch.next;
    }
    expect(masked).toBeGreaterThan(0);
  });

  it('buckets classifier rows by length and pads each batch to its longest row', () => {
    const items = Array.from({ length: 40 }, (_, i) => ({
      ids: new Int32Array(1 + (i % 13)),
      classIndex: i % 2,
    }));
    const rows = new BucketedRows(items, 4, 1);
    const batch = rows.batch({ epoch: 0, window: 0 });
    expect(batch.rows).toBe(4);
    const lengths = Array.from({ length: 4 }, (_, r) =>
      batch.attentionMask.slice(r * batch.seq, (r + 1) * batch.seq).reduce((a, b) => a + b, 0),
    );
    expect(Math.max(...lengths)).toBe(batch.seq);
    expect(lengths).toEqual([...lengths].sort((a, b) => a - b));
    expect(rows.batch({ epoch: 0, window: 10 }).next).toEqual({ epoch: 1, window: 1 });
  });
});

describe('metrics', () => {
  it('computes ROC-AUC with ties counted half', () => {
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], [false, false, true, true])).toBeCloseTo(0.75, 12);
    expect(rocAuc([0.5, 0.5], [false, true])).toBe(0.5);
    expect(rocAuc([0.2, 0.3], [true, true])).toBeNull();
  });

  it('gives accuracy, F1 of the positive class and the confusion matrix', () => {
    // predicted: 1, 0, 1, 1 ; actual: 1, 1, 0, 1
    const m = classifierMetrics([0.2, 0.8, 0.6, 0.4, 0.3, 0.7, 0.1, 0.9], [1, 1, 0, 1], 2);
    expect(m.accuracy).toBe(0.5);
    expect(m.confusion).toEqual([
      [0, 1],
      [1, 2],
    ]);
    expect(m.f1).toBeCloseTo(2 / 3, 12);
  });
});

describe('configuration checks', () => {
  it('names the field at fault', () => {
    expect(() => resolveTrainConfig({ rank: 0 })).toThrow(/"rank": must be an integer >= 1/);
    expect(() => resolveTrainConfig({ validationShare: 0 })).toThrow(/validationShare/);
  });

  it('refuses a configuration whose logits exceed the WebGPU buffer limits, with a suggestion', () => {
    const smol = parseModelConfigText(
      JSON.stringify({
        model_type: 'llama',
        vocab_size: 49152,
        hidden_size: 576,
        intermediate_size: 1536,
        num_hidden_layers: 30,
        num_attention_heads: 9,
        num_key_value_heads: 3,
        max_position_embeddings: 2048,
        tie_word_embeddings: true,
      }),
    );
    const limits = {
      maxBufferSize: 256 * 2 ** 20,
      maxStorageBufferBindingSize: 128 * 2 ** 20,
      memoryBudget: 4 * 2 ** 30,
    };
    const config = resolveTrainConfig({ batchSize: 8, maxSeqLength: 256 });
    const verdict = checkFeasibility(smol, config, limits);
    expect(verdict.ok).toBe(false);
    expect(verdict.reason).toMatch(
      /logits .* needs 384 MiB in one buffer; this WebGPU adapter allows 128 MiB/,
    );
    expect(verdict.suggestion).toBe('use batch size 2 with gradient accumulation 4 (same effective batch)');
    const tiny = parseModelConfigText(readFileSync('public/models/punchline-tiny/config.json', 'utf8'));
    expect(checkFeasibility(tiny, resolveTrainConfig({}), limits).ok).toBe(true);
    expect(checkFeasibility(tinyModel.config, config, { ...limits, memoryBudget: 1000 }).reason).toMatch(
      /budget/,
    );
  });
});
