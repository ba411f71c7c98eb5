import { signedTerms } from '../dims.ts';
import type { GraphCore, Node, Tensor, TensorData } from '../graph.ts';
import { reachableNodes } from '../onnx/serialize.ts';
import type { OpType } from '../op-types.ts';
import { type Dim, formatShape } from '../types.ts';
import type { Kernel, KernelEnv, KernelTable } from './kernel.ts';
import { elementwiseKernels } from './kernels-elementwise.ts';
import { indexingKernels } from './kernels-indexing.ts';
import { layoutKernels } from './kernels-layout.ts';
import { nnKernels } from './kernels-nn.ts';
import { type NdArray, castValue } from './ndarray.ts';

/** The float64 reference kernel of every op; a missing op is a compile error. */
export const kernels: KernelTable<OpType> = {
  ...elementwiseKernels,
  ...nnKernels,
  ...layoutKernels,
  ...indexingKernels,
};

function decode(t: Tensor, data: TensorData): NdArray {
  let values: Float64Array;
  if (data instanceof BigInt64Array) values = Float64Array.from(data, (v) => Number(v));
  else if (data instanceof Uint8Array && t.dtype !== 'bool') {
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    const n = data.byteLength / (t.dtype === 'int64' ? 8 : 4);
    values = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      if (t.dtype === 'float32') values[i] = view.getFloat32(i * 4, true);
      else if (t.dtype === 'int32') values[i] = view.getInt32(i * 4, true);
      else values[i] = Number(view.getBigInt64(i * 8, true));
    }
  } else values = Float64Array.from(data as ArrayLike<number>);
  return { dtype: t.dtype, shape: t.shape as number[], data: values };
}

/** Splits a derived dim like 'batch*(past+seq)' on '*' outside parentheses. */
function splitProduct(d: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < d.length; i++) {
    const c = d[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '*' && depth === 0) {
      parts.push(d.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(d.slice(start));
  return parts;
}

class Bindings implements KernelEnv {
  private readonly values = new Map<string, number>();

  dim(d: Dim): number {
    if (typeof d === 'number') return d;
    const bound = this.values.get(d);
    if (bound !== undefined) return bound;
    const term = (p: string): number => (/^\d+$/.test(p) ? Number(p) : this.dim(p));
    if (d.startsWith('(') && d.endsWith(')')) return this.dim(d.slice(1, -1));
    const sum = signedTerms(d);
    if (sum.length > 1) return sum.reduce((acc, p) => acc + p.sign * term(p.term), 0);
    const product = splitProduct(d);
    if (product.length > 1) return product.reduce((acc, p) => acc * term(p), 1);
    throw new Error(`interpreter: symbolic dim '${d}' is not bound by any input`);
  }

  /** Binds the symbolic dims of `expected` to `actual`, throwing when a fixed or bound dim differs. */
  match(what: string, expected: readonly Dim[], actual: readonly number[]): void {
    const fail = () => {
      throw new Error(
        `interpreter: ${what} has shape [${actual.join(', ')}], expected ${formatShape(expected)}`,
      );
    };
    if (expected.length !== actual.length) fail();
    expected.forEach((d, i) => {
      const a = actual[i]!;
      if (typeof d === 'number') {
        if (d !== a) fail();
      } else if (this.values.has(d) || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(d)) {
        if (this.dim(d) !== a) fail();
      } else this.values.set(d, a);
    });
  }
}

/**
 * Runs the graph in float64 and returns the values of `outputs`. `feeds` maps each graph input name
 * to a concrete array (values are stored exactly; float32 inputs are not rounded).
 */
export function evaluate(
  graph: GraphCore,
  feeds: Record<string, NdArray>,
  outputs: readonly Tensor[],
): NdArray[] {
  const env = new Bindings();
  const values = new Map<Tensor, NdArray>();
  for (const t of graph.inputs) {
    const name = t.source.kind === 'input' ? t.source.name : '';
    const fed = feeds[name];
    if (!fed) continue;
    if (fed.dtype !== t.dtype)
      throw new Error(`interpreter: input '${name}' is ${fed.dtype}, expected ${t.dtype}`);
    env.match(`input '${name}'`, t.shape, fed.shape);
    values.set(t, { dtype: t.dtype, shape: fed.shape, data: fed.data.map((v) => castValue(v, t.dtype)) });
  }
  for (const t of graph.initializers) {
    if (t.source.kind === 'initializer') values.set(t, decode(t, t.source.data));
  }
  const valueOf = (t: Tensor): NdArray => {
    const v = values.get(t);
    if (!v) throw new Error(`interpreter: no value for ${t.toString()} (missing feed?)`);
    return v;
  };
  for (const node of reachableNodes(graph, outputs)) {
    const kernel = kernels[node.op] as Kernel<OpType>;
    const results = kernel(node.inputs.map(valueOf), (node as Node).attrs, env);
    node.outputs.forEach((t, i) => {
      const r = results[i]!;
      env.match(`${node.op} output ${t.toString()}`, t.shape, r.shape);
      values.set(t, r);
    });
  }
  return outputs.map(valueOf);
}
