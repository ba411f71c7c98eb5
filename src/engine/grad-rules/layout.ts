import { type GradRuleTable, ifNeeded } from '../autodiff/grad-rule.ts';
import { unbroadcast, zerosLike } from '../autodiff/shape-grad.ts';
import type { Tensor } from '../graph.ts';
import { SLICE_END } from '../ops/layout.ts';
import { type Dim, GraphBuildError, formatShape, normalizeAxis } from '../types.ts';

type Layout =
  | 'StopGradient'
  | 'Identity'
  | 'Reshape'
  | 'Transpose'
  | 'Unsqueeze'
  | 'Squeeze'
  | 'Concat'
  | 'Slice'
  | 'Split'
  | 'Expand';

/** Elements cut before and after a step-1 slice [start, end) of an axis; null where symbolic. */
function padding(dim: Dim, start: number, end: number): { before: number | null; after: number | null } {
  if (typeof dim === 'number') {
    const clamp = (v: number) => Math.min(Math.max(v < 0 ? v + dim : v, 0), dim);
    const first = clamp(start);
    return { before: first, after: dim - Math.max(clamp(end), first) };
  }
  const before = start >= 0 ? start : null;
  const after = end === SLICE_END ? 0 : end < 0 ? -end : null;
  return { before, after };
}

export const layoutGradRules: GradRuleTable<Layout> = {
  StopGradient: () => [null],
  Identity: (c) => [ifNeeded(c, 0, () => c.g.view(c.dy, c.x[0]!.shape))],
  Reshape: (c) => [ifNeeded(c, 0, () => c.g.reshape(c.dy, c.x[0]!.shape, c.x[0]!)), null],
  Transpose: (c) => {
    const inverse: number[] = [];
    c.node.attrs.perm.forEach((p, i) => (inverse[p] = i));
    return [ifNeeded(c, 0, () => c.g.transpose(c.dy, inverse))];
  },
  Unsqueeze: (c) => [ifNeeded(c, 0, () => c.g.squeeze(c.dy, c.node.attrs.axes))],
  Squeeze: (c) => [ifNeeded(c, 0, () => c.g.unsqueeze(c.dy, c.node.attrs.axes))],
  Concat: (c) => {
    const first = c.x[0]!;
    const axis = normalizeAxis('Concat', c.node.attrs.axis, first.rank, first.shape);
    const sizes = c.x.map((t) => t.shape[axis]!);
    if (sizes.some((s) => typeof s !== 'number')) {
      throw new GraphBuildError(
        'Concat (gradient)',
        `needs fixed sizes on axis ${axis}, got ${c.x.map((t) => formatShape(t.shape)).join(', ')}`,
      );
    }
    if (c.x.length === 1) return [ifNeeded(c, 0, () => c.dy)];
    const parts = c.g.split(c.dy, axis, sizes as number[]);
    return c.x.map((_, i) => (c.needs[i] ? parts[i]! : null));
  },
  // Pads the gradient back with zero blocks before and after the slice (their sizes must be literal).
  Slice: (c) => {
    const { g, dy } = c;
    const x = c.x[0]!;
    const { start, end } = c.node.attrs;
    const axis = normalizeAxis('Slice', c.node.attrs.axis, x.rank, x.shape);
    const dim = x.shape[axis]!;
    const { before, after } = padding(dim, start, end);
    if (before === null || after === null) {
      throw new GraphBuildError(
        'Slice (gradient)',
        `[${start}, ${end}) on axis ${axis} of ${formatShape(x.shape)} leaves a symbolic amount outside the slice`,
      );
    }
    return [
      ifNeeded(c, 0, () => {
        const block = (size: number): Tensor => {
          const shape = [...x.shape];
          shape[axis] = size;
          return g.expand(g.scalar(0, x.dtype), shape, x);
        };
        const parts = [...(before > 0 ? [block(before)] : []), dy, ...(after > 0 ? [block(after)] : [])];
        return parts.length === 1 ? dy : g.concat(parts, axis);
      }),
    ];
  },
  Split: (c) => {
    const parts = c.dys.map((d, i) => d ?? zerosLike(c.g, c.y[i]!));
    return [ifNeeded(c, 0, () => c.g.concat(parts, c.node.attrs.axis))];
  },
  Expand: (c) => [ifNeeded(c, 0, () => unbroadcast(c.g, c.dy, c.x[0]!.shape)), null],
};
