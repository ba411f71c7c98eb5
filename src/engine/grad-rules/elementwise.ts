import { type GradRuleTable, NON_DIFFERENTIABLE, ifNeeded } from '../autodiff/grad-rule.ts';
import { unbroadcast } from '../autodiff/shape-grad.ts';

type Arithmetic = 'Add' | 'Sub' | 'Mul' | 'Div' | 'Max' | 'Min' | 'Where';
type Logic = 'Less' | 'LessOrEqual' | 'Greater' | 'GreaterOrEqual' | 'Equal' | 'And' | 'Or' | 'Not';

export const arithmeticGradRules: GradRuleTable<Arithmetic | Logic> = {
  Add: (c) => [
    ifNeeded(c, 0, () => unbroadcast(c.g, c.dy, c.x[0]!.shape)),
    ifNeeded(c, 1, () => unbroadcast(c.g, c.dy, c.x[1]!.shape)),
  ],
  Sub: (c) => [
    ifNeeded(c, 0, () => unbroadcast(c.g, c.dy, c.x[0]!.shape)),
    ifNeeded(c, 1, () => unbroadcast(c.g, c.g.neg(c.dy), c.x[1]!.shape)),
  ],
  Mul: (c) => {
    const { g, dy } = c;
    const [a, b] = [c.x[0]!, c.x[1]!];
    return [
      ifNeeded(c, 0, () => unbroadcast(g, g.mul(dy, b), a.shape)),
      ifNeeded(c, 1, () => unbroadcast(g, g.mul(dy, a), b.shape)),
    ];
  },
  // d(a/b)/db = -a/b² = -y/b
  Div: (c) => {
    const { g, dy } = c;
    const [a, b] = [c.x[0]!, c.x[1]!];
    return [
      ifNeeded(c, 0, () => unbroadcast(g, g.div(dy, b), a.shape)),
      ifNeeded(c, 1, () => unbroadcast(g, g.neg(g.div(g.mul(dy, c.y[0]!), b)), b.shape)),
    ];
  },
  // Ties send the whole gradient to the first operand.
  Max: (c) => {
    const { g, dy } = c;
    const [a, b] = [c.x[0]!, c.x[1]!];
    const takeA = g.greaterOrEqual(a, b);
    return [
      ifNeeded(c, 0, () => unbroadcast(g, g.where(takeA, dy, 0), a.shape)),
      ifNeeded(c, 1, () => unbroadcast(g, g.where(takeA, 0, dy), b.shape)),
    ];
  },
  Min: (c) => {
    const { g, dy } = c;
    const [a, b] = [c.x[0]!, c.x[1]!];
    const takeA = g.lessOrEqual(a, b);
    return [
      ifNeeded(c, 0, () => unbroadcast(g, g.where(takeA, dy, 0), a.shape)),
      ifNeeded(c, 1, () => unbroadcast(g, g.where(takeA, 0, dy), b.shape)),
    ];
  },
  Where: (c) => {
    const { g, dy } = c;
    const [cond, a, b] = [c.x[0]!, c.x[1]!, c.x[2]!];
    return [
      null,
      ifNeeded(c, 1, () => unbroadcast(g, g.where(cond, dy, 0), a.shape)),
      ifNeeded(c, 2, () => unbroadcast(g, g.where(cond, 0, dy), b.shape)),
    ];
  },
  Less: NON_DIFFERENTIABLE,
  LessOrEqual: NON_DIFFERENTIABLE,
  Greater: NON_DIFFERENTIABLE,
  GreaterOrEqual: NON_DIFFERENTIABLE,
  Equal: NON_DIFFERENTIABLE,
  And: NON_DIFFERENTIABLE,
  Or: NON_DIFFERENTIABLE,
  Not: NON_DIFFERENTIABLE,
};
