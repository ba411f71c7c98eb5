import type { Dim } from './types.ts';

/**
 * Symbolic dimension arithmetic. A derived dim is a canonical string: a product 'batch*seq' or a sum
 * 'past+seq'. Products are kept as a numeric coefficient times sorted symbol factors so that
 * reshapes like [batch, seq, 64] -> [-1, 64] -> [batch, seq, 64] check exactly at build time.
 */
type Product = { coefficient: number; symbols: string[] };

function factor(d: Dim): Product {
  if (typeof d === 'number') return { coefficient: d, symbols: [] };
  if (d.includes('+')) return { coefficient: 1, symbols: [`(${d})`] };
  const symbols: string[] = [];
  let coefficient = 1;
  for (const part of d.split('*')) {
    const n = Number(part);
    if (part !== '' && Number.isInteger(n)) coefficient *= n;
    else symbols.push(part);
  }
  return { coefficient, symbols };
}

function productToDim(p: Product): Dim {
  if (p.symbols.length === 0) return p.coefficient;
  const symbols = [...p.symbols].sort();
  if (p.coefficient === 1 && symbols.length === 1) {
    const only = symbols[0]!;
    return only.startsWith('(') && only.endsWith(')') ? only.slice(1, -1) : only;
  }
  return (p.coefficient === 1 ? symbols : [String(p.coefficient), ...symbols]).join('*');
}

export function multiplyDims(dims: readonly Dim[]): Dim {
  const out: Product = { coefficient: 1, symbols: [] };
  for (const d of dims) {
    const f = factor(d);
    out.coefficient *= f.coefficient;
    out.symbols.push(...f.symbols);
  }
  return productToDim(out);
}

/** numerator / denominator when it divides exactly (symbol multisets and coefficients), else null. */
export function divideDims(numerator: Dim, denominator: Dim): Dim | null {
  const n = factor(numerator);
  const d = factor(denominator);
  if (d.coefficient === 0 || n.coefficient % d.coefficient !== 0) return null;
  const rest = [...n.symbols];
  for (const s of d.symbols) {
    const i = rest.indexOf(s);
    if (i < 0) return null;
    rest.splice(i, 1);
  }
  return productToDim({ coefficient: n.coefficient / d.coefficient, symbols: rest });
}

/** Sum of dims along a concatenation axis: numbers add up, symbols join as 'past+seq'. */
export function addDims(dims: readonly Dim[]): Dim {
  let constant = 0;
  const symbols: string[] = [];
  for (const d of dims) {
    if (typeof d === 'number') constant += d;
    else symbols.push(d);
  }
  if (symbols.length === 0) return constant;
  const terms = constant === 0 ? symbols : [...symbols, String(constant)];
  return terms.join('+');
}
