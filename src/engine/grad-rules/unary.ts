import { type GradRuleTable, NON_DIFFERENTIABLE, ifNeeded } from '../autodiff/grad-rule.ts';

type Unary =
  | 'Neg'
  | 'Abs'
  | 'Sqrt'
  | 'Reciprocal'
  | 'Exp'
  | 'Log'
  | 'Tanh'
  | 'Sigmoid'
  | 'Erf'
  | 'Relu'
  | 'Gelu'
  | 'Pow'
  | 'Clip'
  | 'Cast';

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
const GELU_TANH_COEFF = 0.044715;

export const unaryGradRules: GradRuleTable<Unary> = {
  Neg: (c) => [ifNeeded(c, 0, () => c.g.neg(c.dy))],
  Abs: (c) => [ifNeeded(c, 0, () => c.g.where(c.g.less(c.x[0]!, 0), c.g.neg(c.dy), c.dy))],
  // d sqrt(x) = 0.5 / sqrt(x)
  Sqrt: (c) => [ifNeeded(c, 0, () => c.g.div(c.g.mul(c.dy, 0.5), c.y[0]!))],
  // d (1/x) = -1/x² = -y²
  Reciprocal: (c) => [ifNeeded(c, 0, () => c.g.neg(c.g.mul(c.dy, c.g.mul(c.y[0]!, c.y[0]!))))],
  Exp: (c) => [ifNeeded(c, 0, () => c.g.mul(c.dy, c.y[0]!))],
  Log: (c) => [ifNeeded(c, 0, () => c.g.div(c.dy, c.x[0]!))],
  Tanh: (c) => [ifNeeded(c, 0, () => c.g.mul(c.dy, c.g.sub(1, c.g.mul(c.y[0]!, c.y[0]!))))],
  Sigmoid: (c) => [ifNeeded(c, 0, () => c.g.mul(c.dy, c.g.mul(c.y[0]!, c.g.sub(1, c.y[0]!))))],
  Erf: (c) => {
    const { g } = c;
    const x = c.x[0]!;
    return [ifNeeded(c, 0, () => g.mul(c.dy, g.mul(g.exp(g.neg(g.mul(x, x))), TWO_OVER_SQRT_PI)))];
  },
  Relu: (c) => [ifNeeded(c, 0, () => c.g.where(c.g.greater(c.x[0]!, 0), c.dy, 0))],
  Gelu: (c) => {
    const { g } = c;
    const x = c.x[0]!;
    return [
      ifNeeded(c, 0, () => {
        if (c.node.attrs.approximate === 'tanh') {
          // y = 0.5 x (1 + tanh(u)), u = √(2/π)(x + 0.044715x³)
          const x2 = g.mul(x, x);
          const t = g.tanh(g.mul(g.mul(x, g.add(g.mul(x2, GELU_TANH_COEFF), 1)), SQRT_2_OVER_PI));
          const du = g.mul(g.add(g.mul(x2, 3 * GELU_TANH_COEFF), 1), SQRT_2_OVER_PI);
          const dsech = g.mul(g.mul(g.sub(1, g.mul(t, t)), du), g.mul(x, 0.5));
          return g.mul(c.dy, g.add(g.mul(g.add(t, 1), 0.5), dsech));
        }
        // y = x Φ(x): dy/dx = Φ(x) + x φ(x)
        const cdf = g.mul(g.add(g.erf(g.mul(x, Math.SQRT1_2)), 1), 0.5);
        const pdf = g.mul(g.exp(g.mul(g.mul(x, x), -0.5)), INV_SQRT_2PI);
        return g.mul(c.dy, g.add(cdf, g.mul(x, pdf)));
      }),
    ];
  },
  Pow: (c) => {
    const p = c.node.attrs.exponent;
    const x = c.x[0]!;
    return [
      ifNeeded(c, 0, () =>
        c.g.mul(c.dy, p === 1 ? 1 : p === 2 ? c.g.mul(x, 2) : c.g.mul(c.g.pow(x, p - 1), p)),
      ),
    ];
  },
  Clip: (c) => {
    const { g } = c;
    const x = c.x[0]!;
    const inside = g.and(g.greaterOrEqual(x, c.node.attrs.min), g.lessOrEqual(x, c.node.attrs.max));
    return [ifNeeded(c, 0, () => g.where(inside, c.dy, 0))];
  },
  // float32 is the only float dtype, so a Cast always crosses to or from an integer/bool type.
  Cast: NON_DIFFERENTIABLE,
};
