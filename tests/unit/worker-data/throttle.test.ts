import { expect, test } from 'vitest';
import { throttle } from '../../../src/worker/data/throttle.ts';

test('throttle passes the first event, at most one per interval after it, and every final event', () => {
  let clock = 0;
  const sent: number[] = [];
  const send = throttle<number>(
    (n) => sent.push(n),
    100,
    (n) => n === 1,
    () => clock,
  );
  for (const [time, value] of [
    [0, 0.1],
    [50, 0.2],
    [99, 0.3],
    [100, 0.4],
    [150, 0.5],
    [160, 1],
  ] as const) {
    clock = time;
    send(value);
  }
  expect(sent).toEqual([0.1, 0.4, 1]);
});
