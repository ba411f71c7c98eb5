import { erf } from './erf.ts';
import { type Kernel, type KernelTable, arg } from './kernel.ts';
import { castValue, mapBroadcast } from './ndarray.ts';

type Elementwise =
  | 'Add'
  | 'Sub'
  | 'Mul'
  | 'Div'
  | 'Max'
  | 'Min'
  | 'Less'
  | 'LessOrEqual'
  | 'Greater'
  | 'GreaterOrEqual'
  | 'Equal'
  | 'And'
  | 'Or'
  | 'Not'
  | 'Where'
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

function same(fn: (...v: number[]) => number): Kernel<Elementwise> {
  return (inputs) => [mapBroadcast(inputs, arg(inputs, 0).dtype, fn)];
}

function compare(fn: (a: number, b: number) => boolean): Kernel<Elementwise> {
  return (inputs) => [mapBroadcast(inputs, 'bool', (a, b) => (fn(a!, b!) ? 1 : 0))];
}

function intDiv(a: number, b: number): number {
  return Math.trunc(a / b);
}

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

export function gelu(x: number, approximate: 'none' | 'tanh'): number {
  if (approximate === 'tanh') return 0.5 * x * (1 + Math.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x * x * x)));
  return 0.5 * x * (1 + erf(x / Math.SQRT2));
}

export const elementwiseKernels: KernelTable<Elementwise> = {
  Add: same((a, b) => a! + b!),
  Sub: same((a, b) => a! - b!),
  Mul: same((a, b) => a! * b!),
  Div: (inputs) => {
    const dtype = arg(inputs, 0).dtype;
    return [mapBroadcast(inputs, dtype, dtype === 'float32' ? (a, b) => a! / b! : (a, b) => intDiv(a!, b!))];
  },
  Max: same((a, b) => Math.max(a!, b!)),
  Min: same((a, b) => Math.min(a!, b!)),
  Less: compare((a, b) => a < b),
  LessOrEqual: compare((a, b) => a <= b),
  Greater: compare((a, b) => a > b),
  GreaterOrEqual: compare((a, b) => a >= b),
  Equal: compare((a, b) => a === b),
  And: compare((a, b) => a !== 0 && b !== 0),
  Or: compare((a, b) => a !== 0 || b !== 0),
  Not: (inputs) => [mapBroadcast(inputs, 'bool', (a) => (a === 0 ? 1 : 0))],
  Where: (inputs) => [mapBroadcast(inputs, arg(inputs, 1).dtype, (c, a, b) => (c !== 0 ? a! : b!))],
  Neg: same((a) => -a!),
  Abs: same((a) => Math.abs(a!)),
  Sqrt: same((a) => Math.sqrt(a!)),
  Reciprocal: same((a) => 1 / a!),
  Exp: same((a) => Math.exp(a!)),
  Log: same((a) => Math.log(a!)),
  Tanh: same((a) => Math.tanh(a!)),
  Sigmoid: same((a) => 1 / (1 + Math.exp(-a!))),
  Erf: same((a) => erf(a!)),
  Relu: same((a) => Math.max(a!, 0)),
  Gelu: (inputs, attrs) => [mapBroadcast(inputs, 'float32', (a) => gelu(a!, attrs.approximate))],
  Pow: (inputs, attrs) => [mapBroadcast(inputs, 'float32', (a) => Math.pow(a!, attrs.exponent))],
  Clip: (inputs, attrs) => [
    mapBroadcast(inputs, 'float32', (a) => Math.min(Math.max(a!, attrs.min), attrs.max)),
  ],
  Cast: (inputs, attrs) => [mapBroadcast(inputs, attrs.to, (a) => castValue(a!, attrs.to))],
};
