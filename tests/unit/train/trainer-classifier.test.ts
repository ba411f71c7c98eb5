import { describe, expect, it } from 'vitest';
import { nodeRuntime } from '../../../src/runtime/ort-node.ts';
import { toPeftAdapter } from '../../../src/train/adapter-export.ts';
import { train } from '../../../src/train/trainer.ts';
import { separableRows, session, tinyBase, tinyModel, tokenizer } from './helpers.ts';

describe('classifier LoRA training', () => {
  it('reaches validation accuracy >= 0.9 on a separable toy set', async () => {
    const result = await train({
      runtime: nodeRuntime,
      model: tinyModel,
      base: await tinyBase(),
      tokenizer,
      rows: separableRows(80),
      session,
      config: {
        task: 'classifier',
        steps: 30,
        batchSize: 8,
        maxSeqLength: 32,
        learningRate: 1e-2,
        evalEvery: 10,
        validationShare: 0.25,
      },
    });
    const best = result.state.best!;
    expect(best.metrics!.accuracy).toBeGreaterThanOrEqual(0.9);
    expect(best.metrics!.count).toBe(20);
    expect(best.metrics!.confusion.flat().reduce((a, b) => a + b, 0)).toBe(20);
    expect(best.loss).toBeLessThan(result.initial.loss);
    const adapter = toPeftAdapter(result, tinyModel.config, {
      name: 'toy',
      baseModel: { name: 'tiny', contentHash: 'x' },
      dataset: null,
    });
    expect(adapter.config.taskType).toBe('SEQ_CLS');
    expect(adapter.tensors.get('score.weight')?.shape).toEqual([1, 32]);
    expect(adapter.meta?.labels).toEqual(['cats', 'math']);
  });

  it('uses softmax cross-entropy and macro-F1 for three categories', async () => {
    const rows = separableRows(60).map((row, i) =>
      i % 3 === 2 ? { text: `the sea is blue and wide ${i}`, label: 'sea' } : row,
    );
    const result = await train({
      runtime: nodeRuntime,
      model: tinyModel,
      base: await tinyBase(),
      tokenizer,
      rows,
      session,
      config: {
        task: 'classifier',
        steps: 4,
        batchSize: 8,
        maxSeqLength: 32,
        evalEvery: 4,
        validationShare: 0.3,
      },
    });
    expect(result.plan.classes).toEqual(['cats', 'math', 'sea']);
    expect(result.shapes.get('score.weight')).toEqual([3, 32]);
    const metrics = result.state.validation.at(-1)!.metrics!;
    expect(metrics.confusion).toHaveLength(3);
    expect(metrics.rocAuc).toBeNull();
    expect(metrics.f1).toBe(metrics.macroF1);
  });
});
