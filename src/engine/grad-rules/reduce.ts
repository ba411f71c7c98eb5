import { type GradRuleTable, ifNeeded } from '../autodiff/grad-rule.ts';
import { expandReduced, reducedCount } from '../autodiff/shape-grad.ts';
import { normalizeAxes } from '../ops/reduce.ts';

export const reduceGradRules: GradRuleTable<'ReduceSum' | 'ReduceMean' | 'ReduceMax'> = {
  ReduceSum: (c) => {
    const x = c.x[0]!;
    const axes = normalizeAxes('ReduceSum', c.node.attrs.axes, x.rank, x.shape);
    return [ifNeeded(c, 0, () => expandReduced(c.g, c.dy, x, axes, c.node.attrs.keepdims))];
  },
  ReduceMean: (c) => {
    const { g } = c;
    const x = c.x[0]!;
    const axes = normalizeAxes('ReduceMean', c.node.attrs.axes, x.rank, x.shape);
    return [
      ifNeeded(c, 0, () => {
        const count = reducedCount(x.shape, axes);
        const spread = expandReduced(g, c.dy, x, axes, c.node.attrs.keepdims);
        if (count !== null) return g.mul(spread, 1 / count);
        // A symbolic count: divide by the number of ones summed over the same axes.
        const ones = g.expand(g.scalar(1), x.shape, x);
        return g.div(spread, g.reduceSum(ones, axes, true));
      }),
    ];
  },
  // The gradient is shared equally among tied maxima.
  ReduceMax: (c) => {
    const { g } = c;
    const x = c.x[0]!;
    const axes = normalizeAxes('ReduceMax', c.node.attrs.axes, x.rank, x.shape);
    return [
      ifNeeded(c, 0, () => {
        const keptMax = c.node.attrs.keepdims ? c.y[0]! : g.unsqueeze(c.y[0]!, axes);
        const mask = g.cast(g.equal(x, keptMax), x.dtype);
        const count = g.reduceSum(mask, axes, true);
        const dyKept = c.node.attrs.keepdims ? c.dy : g.unsqueeze(c.dy, axes);
        return g.mul(mask, g.div(dyKept, count));
      }),
    ];
  },
};
