import type { Graph } from '../builder.ts';
import type { Tensor } from '../graph.ts';
import type { Dim, Shape } from '../types.ts';

/**
 * Sums a broadcast gradient back to `target` (the input's shape): leading extra axes and axes where
 * the input had 1 are reduced in one ReduceSum; nothing is emitted when the shapes already agree.
 */
export function unbroadcast(g: Graph, grad: Tensor, target: Shape): Tensor {
  const lead = grad.rank - target.length;
  const axes: number[] = [];
  grad.shape.forEach((d, i) => {
    if (i < lead) axes.push(i);
    else if (target[i - lead] === 1 && d !== 1) axes.push(i);
  });
  if (axes.length === 0) return grad;
  if (axes.every((a) => a < lead)) return g.reduceSum(grad, axes, false);
  const summed = g.reduceSum(grad, axes, true);
  if (lead === 0) return summed;
  return g.squeeze(
    summed,
    Array.from({ length: lead }, (_, i) => i),
  );
}

/** A zero tensor shaped like `like` (a scalar broadcast: no large constant in the model). */
export function zerosLike(g: Graph, like: Tensor): Tensor {
  return g.expand(g.scalar(0, like.dtype), like.shape, like);
}

/** Broadcasts a reduced gradient (keepdims or not) back over the reduced axes of `x`. */
export function expandReduced(
  g: Graph,
  dy: Tensor,
  x: Tensor,
  axes: readonly number[],
  keepdims: boolean,
): Tensor {
  const kept = keepdims ? dy : g.unsqueeze(dy, axes);
  return g.expand(kept, x.shape, x);
}

/** Product of the dims on `axes`, as a number when static. */
export function reducedCount(shape: Shape, axes: readonly number[]): number | null {
  let n = 1;
  for (const a of axes) {
    const d: Dim = shape[a]!;
    if (typeof d !== 'number') return null;
    n *= d;
  }
  return n;
}
