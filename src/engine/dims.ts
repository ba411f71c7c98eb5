import type { Dim } from './types.ts';

/**
 * Symbolic dimension arithmetic. A derived dim is a canonical string: a product 'batch*seq' or a sum
 * 'past+seq'. Products are kept as a numeric coefficient times sorted symbol factors so that
 * reshapes like [batch, seq, 64] -> [-1, 64] -> [batch, seq, 64] check exactly at build time.
 */
type Product = { coefficient: number; symbols: string[] };

function factor(d: Dim): Product {
  if (typeof d === 'number') return { coefficient: d, symbols: [] };
  if (signedTerms(d).length > 1) return { coefficient: 1, symbols: [`(${d})`] };
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

/**
 * Splits a derived dim on '+' / '-' outside parentheses into signed terms: 'past+seq-1' ->
 * [+past, +seq, -1]. Shared with the interpreter, which evaluates the same strings.
 */
export function signedTerms(d: string): { sign: 1 | -1; term: string }[] {
  const terms: { sign: 1 | -1; term: string }[] = [];
  let depth = 0;
  let start = 0;
  let sign: 1 | -1 = 1;
  for (let i = 0; i < d.length; i++) {
    const c = d[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if ((c === '+' || c === '-') && depth === 0 && i > start) {
      terms.push({ sign, term: d.slice(start, i) });
      sign = c === '+' ? 1 : -1;
      start = i + 1;
    }
  }
  terms.push({ sign, term: d.slice(start) });
  return terms;
}

/** Sum of dims (a concatenation axis, a slice's length): numbers add up, symbols join as 'past+seq-1'. */
export function addDims(dims: readonly Dim[]): Dim {
  let constant = 0;
  const symbols: string[] = [];
  for (const d of dims) {
    if (typeof d === 'number') {
      constant += d;
      continue;
    }
    for (const { sign, term } of signedTerms(d)) {
      if (/^\d+$/.test(term)) constant += sign * Number(term);
      else if (sign === 1) symbols.push(term);
      else {
        const i = symbols.indexOf(term);
        if (i < 0) throw new Error(`dims: cannot subtract '${term}' from ${dims.join(' + ')}`);
        symbols.splice(i, 1);
      }
    }
  }
  if (symbols.length === 0) return constant;
  const sum = symbols.join('+');
  return constant === 0 ? sum : constant > 0 ? `${sum}+${constant}` : `${sum}${constant}`;
}
