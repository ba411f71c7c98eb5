import { describe, expect, it } from 'vitest';
import { nodeRuntime } from '../../../src/runtime/ort-node.ts';
import { readIntegers } from '../../../src/runtime/tensors.ts';
import type { ModelSession, Runtime } from '../../../src/runtime/types.ts';
import { splitRows, type LabeledText } from '../../../src/train/examples.ts';
import { classifierSequence } from '../../../src/train/sequences.ts';
import { train } from '../../../src/train/trainer.ts';
import { separableRows, session, tinyBase, tinyModel, tokenizer } from './helpers.ts';

const config = { task: 'classifier', funnyOnly: false, validationShare: 0.25, seed: 1 } as const;

function heldOutRows(count: number): LabeledText[] {
  return Array.from({ length: count }, (_, i) =>
    i % 3 === 0
      ? { text: `  a held out cat story ${i}  `, label: 'cats' }
      : { text: `held out sum ${i} plus ${i}`, label: 'math' },
  );
}

describe('splitRows with explicit validation rows', () => {
  it('validates on exactly those rows and trains on every other row', () => {
    const rows = separableRows(20);
    const validationRows = heldOutRows(6);
    const split = splitRows(rows, config, validationRows);
    expect(split.validation.map((e) => e.text)).toEqual(validationRows.map((r) => r.text.trim()));
    expect(split.train.map((e) => e.text)).toEqual(rows.map((r) => r.text));
    expect(split.validation.map((e) => split.plan.classes[e.classIndex])).toEqual(
      validationRows.map((r) => r.label),
    );
  });

  it('plans labels over both sides, so a class seen only in validation keeps its index', () => {
    const rows = [
      { text: 'one good joke', label: '1' },
      { text: 'another good joke', label: '1' },
    ];
    const split = splitRows(rows, config, [{ text: 'a plain sentence', label: '0' }]);
    expect(split.plan.kind).toBe('binary');
    expect(split.plan.classes).toEqual(['not funny', 'funny']);
    expect(split.train.map((e) => e.classIndex)).toEqual([1, 1]);
    expect(split.validation.map((e) => e.classIndex)).toEqual([0]);
  });

  it('refuses a validation set with no usable row', () => {
    expect(() => splitRows(separableRows(4), config, [{ text: '   ', label: 'cats' }])).toThrow(
      /0 to validate on/,
    );
  });

  it('without them keeps the seeded share split', () => {
    const rows = separableRows(20);
    const split = splitRows(rows, config);
    expect(split.validation).toHaveLength(5);
    expect(split.train).toHaveLength(15);
  });
});

/** The real node runtime, recording the token rows each session is fed, by session label. */
function recordingRuntime(fed: Map<string, string[][]>): Runtime {
  return {
    ...nodeRuntime,
    async createSession(model, sessionConfig) {
      const inner = await nodeRuntime.createSession(model, sessionConfig);
      const calls = fed.get(inner.label) ?? [];
      fed.set(inner.label, calls);
      const recorded: ModelSession = {
        label: inner.label,
        executionProvider: inner.executionProvider,
        inputs: inner.inputs,
        outputs: inner.outputs,
        async run(feeds, fetches) {
          const ids = feeds['input_ids'];
          const mask = feeds['attention_mask'];
          if (ids && mask) {
            const [rows, seq] = ids.dims as [number, number];
            const values = await readIntegers(ids, 'input_ids');
            const keep = await readIntegers(mask, 'attention_mask');
            calls.push(
              Array.from({ length: rows }, (_, r) =>
                values
                  .slice(r * seq, (r + 1) * seq)
                  .filter((_, t) => keep[r * seq + t] === 1)
                  .join(' '),
              ),
            );
          }
          return inner.run(feeds, fetches);
        },
        dispose: () => inner.dispose(),
      };
      return recorded;
    },
  };
}

describe('trainer with explicit validation rows', () => {
  it('evaluates exactly the validation rows at every pass and never trains on them', async () => {
    const rows = separableRows(40);
    const validationRows = heldOutRows(9);
    const fed = new Map<string, string[][]>();
    const maxSeqLength = 32;
    const result = await train({
      runtime: recordingRuntime(fed),
      model: tinyModel,
      base: await tinyBase(),
      tokenizer,
      rows,
      validationRows,
      session,
      config: {
        task: 'classifier',
        steps: 6,
        batchSize: 8,
        maxSeqLength,
        evalEvery: 3,
        validationShare: 0.5,
      },
    });
    const split = splitRows(rows, { ...config, validationShare: 0.5 }, validationRows);
    const sequence = (e: (typeof split.train)[number]) =>
      Array.from(classifierSequence(tokenizer, e, maxSeqLength)).join(' ');
    const expectedValidation = split.validation.map(sequence).sort();
    const trainSet = new Set(split.train.map(sequence));

    expect(result.trainCount).toBe(40);
    expect(result.validationCount).toBe(9);
    const passes = fed.get('classifier validation') ?? [];
    // Step 0, 3 and 6; each pass is its batches in order, 9 rows with batch size 8.
    expect(passes).toHaveLength(6);
    for (let pass = 0; pass < 3; pass++)
      expect([...passes[2 * pass]!, ...passes[2 * pass + 1]!].sort()).toEqual(expectedValidation);
    expect(result.state.validation.map((point) => point.metrics?.count)).toEqual([9, 9, 9]);
    const trained = (fed.get('classifier train step') ?? []).flat();
    expect(trained).toHaveLength(6 * 8);
    for (const row of trained) {
      expect(trainSet.has(row)).toBe(true);
      expect(expectedValidation).not.toContain(row);
    }
  });
});
