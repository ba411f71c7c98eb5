import { describe, expect, it } from 'vitest';
import { concatInOrder, epochOrder, evaluationWindows, PackedDataset } from '../../../src/train/packing.ts';

const jokes = [
  Int32Array.of(1, 2, 3, 0),
  Int32Array.of(4, 5, 0),
  Int32Array.of(6, 7, 8, 9, 0),
  Int32Array.of(10, 0),
];

describe('epochOrder', () => {
  it('is a permutation that depends on seed and epoch only', () => {
    const order = epochOrder(50, 7, 0);
    expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(epochOrder(50, 7, 0)).toEqual(order);
    expect(epochOrder(50, 7, 1)).not.toEqual(order);
    expect(epochOrder(50, 8, 0)).not.toEqual(order);
  });
});

describe('PackedDataset', () => {
  it('cuts the shuffled stream into windows whose labels are the inputs shifted by one', () => {
    const data = new PackedDataset(jokes, 3, 1);
    const stream = concatInOrder(jokes, epochOrder(jokes.length, 1, 0));
    expect(data.windowsPerEpoch).toBe(Math.floor((stream.length - 1) / 3));
    const { inputIds, labels, next } = data.batch({ epoch: 0, window: 0 }, 2);
    expect([...inputIds]).toEqual([...stream.subarray(0, 6)]);
    expect([...labels]).toEqual([...stream.subarray(1, 7)]);
    expect(next).toEqual({ epoch: 0, window: 2 });
  });

  it('rolls over into the next epoch with a new order', () => {
    const data = new PackedDataset(jokes, 3, 1);
    const last = data.windowsPerEpoch - 1;
    const { inputIds, next } = data.batch({ epoch: 0, window: last }, 2);
    const nextEpoch = concatInOrder(jokes, epochOrder(jokes.length, 1, 1));
    expect([...inputIds.subarray(3)]).toEqual([...nextEpoch.subarray(0, 3)]);
    expect(next).toEqual({ epoch: 1, window: 1 });
  });

  it('reads the same batches whether or not it was restarted in between', () => {
    const a = new PackedDataset(jokes, 2, 3);
    let position = { epoch: 0, window: 0 };
    const straight: number[][] = [];
    for (let i = 0; i < 9; i++) {
      const batch = a.batch(position, 2);
      straight.push([...batch.inputIds]);
      position = batch.next;
    }
    const resumedAt = (() => {
      let p = { epoch: 0, window: 0 };
      for (let i = 0; i < 4; i++) p = a.batch(p, 2).next;
      return p;
    })();
    const b = new PackedDataset(jokes, 2, 3);
    position = resumedAt;
    for (let i = 4; i < 9; i++) {
      const batch = b.batch(position, 2);
      expect([...batch.inputIds]).toEqual(straight[i]);
      position = batch.next;
    }
  });

  it('refuses data shorter than one window', () => {
    expect(() => new PackedDataset([Int32Array.of(1, 2)], 4, 0)).toThrow(/needs 5/);
  });
});

describe('evaluationWindows', () => {
  it('returns consecutive unshuffled windows up to the limit', () => {
    const stream = Int32Array.from({ length: 11 }, (_, i) => i);
    const windows = evaluationWindows(stream, 4, 10);
    expect(windows).toHaveLength(2);
    expect([...(windows[1]?.inputIds ?? [])]).toEqual([4, 5, 6, 7]);
    expect([...(windows[1]?.labels ?? [])]).toEqual([5, 6, 7, 8]);
    expect(evaluationWindows(stream, 4, 1)).toHaveLength(1);
  });
});
