/** Element types the engine supports. Token ids stay int32 inside graphs; int64 appears only where ONNX forces it. */
export type DType = 'float32' | 'int32' | 'int64' | 'bool';

/** A dimension: a fixed size, or a symbolic name bound at run time ('batch', 'seq', 'past', 'total'). */
export type Dim = number | string;

export type Shape = readonly Dim[];

export function isFloat(dtype: DType): boolean {
  return dtype === 'float32';
}

/** `[batch, seq, 64]` */
export function formatShape(shape: Shape): string {
  return `[${shape.join(', ')}]`;
}

export function shapesEqual(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Error thrown at graph-build time; the message names the op and the shapes involved. */
export class GraphBuildError extends Error {
  constructor(
    readonly op: string,
    message: string,
  ) {
    super(`${op}: ${message}`);
    this.name = 'GraphBuildError';
  }
}

/** Resolves a possibly negative axis against a rank, throwing a GraphBuildError when out of range. */
export function normalizeAxis(op: string, axis: number, rank: number, shape: Shape): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    throw new GraphBuildError(
      op,
      `axis ${axis} is out of range for rank ${rank} tensor ${formatShape(shape)}`,
    );
  }
  return axis < 0 ? axis + rank : axis;
}

/** numpy/ONNX multidirectional broadcasting, at build time. Differing symbolic dims are an error. */
export function broadcastShapes(op: string, shapes: readonly Shape[]): Dim[] {
  const rank = Math.max(...shapes.map((s) => s.length));
  const out: Dim[] = [];
  for (let i = 0; i < rank; i++) {
    let dim: Dim = 1;
    for (const s of shapes) {
      const d = s[s.length - rank + i];
      if (d === undefined || d === 1) continue;
      if (dim === 1) dim = d;
      else if (dim !== d) {
        throw new GraphBuildError(op, `cannot broadcast ${shapes.map(formatShape).join(' with ')}`);
      }
    }
    out.push(dim);
  }
  return out;
}
