import { addDims, divideDims, multiplyDims } from '../dims.ts';
import { type ShapeEntry, attr } from '../onnx/emit-context.ts';
import { type Dim, GraphBuildError, broadcastShapes, formatShape, normalizeAxis } from '../types.ts';
import { type OpDefTable, emitAs, expectArity, expectSameDType } from './op-def.ts';
import { normalizeAxes } from './reduce.ts';

/** Slice end meaning "to the end of the axis". */
export const SLICE_END = Number.MAX_SAFE_INTEGER;

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

/** Resolves a reshape target: -1 becomes the (possibly symbolic) remaining size. */
function reshapeTarget(op: string, from: readonly Dim[], target: readonly Dim[]): Dim[] {
  const inferred = target.filter((d) => d === -1).length;
  if (inferred > 1) throw new GraphBuildError(op, `more than one -1 in target ${formatShape(target)}`);
  for (const d of target) {
    if (typeof d === 'number' && d !== -1 && !(Number.isInteger(d) && d >= 1)) {
      throw new GraphBuildError(op, `invalid target dim ${d} in ${formatShape(target)}`);
    }
  }
  const total = multiplyDims(from);
  const known = multiplyDims(target.filter((d) => d !== -1));
  if (inferred === 1) {
    const rest = divideDims(total, known);
    if (rest === null) {
      throw new GraphBuildError(
        op,
        `cannot reshape ${formatShape(from)} to ${formatShape(target)}: sizes do not divide`,
      );
    }
    return target.map((d) => (d === -1 ? rest : d));
  }
  if (total !== known) {
    throw new GraphBuildError(
      op,
      `cannot reshape ${formatShape(from)} (${total}) to ${formatShape(target)} (${known})`,
    );
  }
  return [...target];
}

/**
 * Reshape and Expand take the data and optionally a second "carrier" tensor: it is not read, but a
 * symbolic target dim it carries is taken from its shape at run time (Shape op) when needed.
 */
function expectCarrier(op: string, inputs: readonly unknown[]): void {
  if (inputs.length !== 1 && inputs.length !== 2) {
    throw new GraphBuildError(
      op,
      `expects the data and an optional shape carrier, got ${inputs.length} inputs`,
    );
  }
}

function checkPermutation(op: string, perm: readonly number[], rank: number, shape: readonly Dim[]): void {
  const sorted = [...perm].sort((a, b) => a - b);
  if (perm.length !== rank || sorted.some((p, i) => p !== i)) {
    throw new GraphBuildError(op, `perm [${perm.join(', ')}] is not a permutation for ${formatShape(shape)}`);
  }
}

/** Output dim of a step-1 slice [start, end) on an axis of size `dim` (symbolic dims assume enough length). */
function sliceDim(op: string, dim: Dim, start: number, end: number, shape: readonly Dim[]): Dim {
  if (typeof dim === 'number') {
    const clamp = (v: number) => Math.min(Math.max(v < 0 ? v + dim : v, 0), dim);
    return Math.max(clamp(end) - clamp(start), 0);
  }
  // Symbolic dims are assumed long enough for the literal bounds.
  if (end === SLICE_END) return start >= 0 ? addDims([dim, -start]) : -start;
  if (start >= 0 && end >= start) return end - start;
  if (start >= 0 && end < 0) return addDims([dim, end - start]);
  if (start < 0 && end < 0 && end >= start) return end - start;
  throw new GraphBuildError(
    op,
    `cannot slice [${start}, ${end}) of symbolic dim '${dim}' in ${formatShape(shape)}`,
  );
}

export const layoutOps: OpDefTable<Layout> = {
  StopGradient: {
    infer: (inputs, _attrs, op) => {
      expectArity(op, inputs, 1);
      return [{ dtype: inputs[0]!.dtype, shape: inputs[0]!.shape }];
    },
    emit: (node, ctx) =>
      ctx.add('Identity', [ctx.valueName(node.inputs[0]!)], [ctx.valueName(node.outputs[0]!)], {}),
  },
  Identity: {
    infer: (inputs, attrs, op) => {
      expectArity(op, inputs, 1);
      const x = inputs[0]!;
      const ok =
        attrs.shape.length === x.rank &&
        attrs.shape.every(
          (d, i) => typeof d === 'string' || typeof x.shape[i] === 'string' || d === x.shape[i],
        );
      if (!ok)
        throw new GraphBuildError(op, `cannot view ${formatShape(x.shape)} as ${formatShape(attrs.shape)}`);
      return [{ dtype: x.dtype, shape: [...attrs.shape] }];
    },
    emit: emitAs(),
  },
  Reshape: {
    infer: (inputs, attrs, op) => {
      expectCarrier(op, inputs);
      const x = inputs[0]!;
      return [{ dtype: x.dtype, shape: reshapeTarget(op, x.shape, attrs.shape) }];
    },
    emit: (node, ctx) => {
      const x = node.inputs[0]!;
      const out = node.outputs[0]!;
      // Literal dims stay literal, a dim equal to the input's at the same index becomes 0 (copy),
      // one leftover becomes -1, and any further leftovers are read at run time.
      const entries: ShapeEntry[] = out.shape.map((d, i) =>
        typeof d === 'number' ? d : x.shape[i] === d ? 0 : { runtime: d },
      );
      const unresolved = entries.flatMap((e, i) => (typeof e === 'number' ? [] : [i]));
      const last = unresolved[unresolved.length - 1];
      if (last !== undefined) entries[last] = -1;
      const shape = ctx.shapeOperand(entries, out.shape, node.inputs);
      ctx.add('Reshape', [ctx.valueName(x), shape], [ctx.valueName(out)], {});
    },
  },
  Transpose: {
    infer: (inputs, attrs, op) => {
      expectArity(op, inputs, 1);
      const x = inputs[0]!;
      checkPermutation(op, attrs.perm, x.rank, x.shape);
      return [{ dtype: x.dtype, shape: attrs.perm.map((p) => x.shape[p]!) }];
    },
    emit: emitAs<'Transpose'>((a) => ({ perm: attr.ints(a.perm) })),
  },
  Unsqueeze: {
    infer: (inputs, attrs, op) => {
      expectArity(op, inputs, 1);
      const x = inputs[0]!;
      const rank = x.rank + attrs.axes.length;
      const axes = normalizeAxes(op, attrs.axes, rank, x.shape);
      const rest = [...x.shape];
      const shape: Dim[] = [];
      for (let i = 0; i < rank; i++) shape.push(axes.includes(i) ? 1 : rest.shift()!);
      return [{ dtype: x.dtype, shape }];
    },
    emit: (node, ctx) => {
      const axes = ctx.int64Const(node.attrs.axes);
      ctx.add('Unsqueeze', [ctx.valueName(node.inputs[0]!), axes], [ctx.valueName(node.outputs[0]!)], {});
    },
  },
  Squeeze: {
    infer: (inputs, attrs, op) => {
      expectArity(op, inputs, 1);
      const x = inputs[0]!;
      const axes = normalizeAxes(op, attrs.axes, x.rank, x.shape);
      for (const a of axes) {
        if (x.shape[a] !== 1) throw new GraphBuildError(op, `axis ${a} of ${formatShape(x.shape)} is not 1`);
      }
      return [{ dtype: x.dtype, shape: x.shape.filter((_, i) => !axes.includes(i)) }];
    },
    emit: (node, ctx) => {
      const axes = ctx.int64Const(node.attrs.axes);
      ctx.add('Squeeze', [ctx.valueName(node.inputs[0]!), axes], [ctx.valueName(node.outputs[0]!)], {});
    },
  },
  Concat: {
    infer: (inputs, attrs, op) => {
      if (inputs.length < 1) throw new GraphBuildError(op, 'needs at least one input');
      const dtype = expectSameDType(op, inputs);
      const first = inputs[0]!;
      const axis = normalizeAxis(op, attrs.axis, first.rank, first.shape);
      for (const t of inputs) {
        const ok = t.rank === first.rank && t.shape.every((d, i) => i === axis || d === first.shape[i]);
        if (!ok) {
          throw new GraphBuildError(
            op,
            `shapes differ off axis ${axis}: ${inputs.map((x) => formatShape(x.shape)).join(', ')}`,
          );
        }
      }
      const shape = [...first.shape];
      shape[axis] = addDims(inputs.map((t) => t.shape[axis]!));
      return [{ dtype, shape }];
    },
    emit: emitAs<'Concat'>((a) => ({ axis: attr.int(a.axis) })),
  },
  Slice: {
    infer: (inputs, attrs, op) => {
      expectArity(op, inputs, 1);
      const x = inputs[0]!;
      const axis = normalizeAxis(op, attrs.axis, x.rank, x.shape);
      const shape = [...x.shape];
      shape[axis] = sliceDim(op, x.shape[axis]!, attrs.start, attrs.end, x.shape);
      return [{ dtype: x.dtype, shape }];
    },
    emit: (node, ctx) => {
      const { axis, start, end } = node.attrs;
      const inputs = [
        ctx.valueName(node.inputs[0]!),
        ctx.int64Const([start]),
        ctx.int64Const([end]),
        ctx.int64Const([axis]),
      ];
      ctx.add('Slice', inputs, [ctx.valueName(node.outputs[0]!)], {});
    },
  },
  Split: {
    infer: (inputs, attrs, op) => {
      expectArity(op, inputs, 1);
      const x = inputs[0]!;
      const axis = normalizeAxis(op, attrs.axis, x.rank, x.shape);
      const total = attrs.sizes.reduce((a, b) => a + b, 0);
      if (x.shape[axis] !== total || attrs.sizes.some((s) => !(Number.isInteger(s) && s > 0))) {
        throw new GraphBuildError(
          op,
          `sizes [${attrs.sizes.join(', ')}] do not split axis ${axis} of ${formatShape(x.shape)}`,
        );
      }
      return attrs.sizes.map((s) => {
        const shape = [...x.shape];
        shape[axis] = s;
        return { dtype: x.dtype, shape };
      });
    },
    emit: (node, ctx) => {
      const inputs = [ctx.valueName(node.inputs[0]!), ctx.int64Const(node.attrs.sizes)];
      ctx.add(
        'Split',
        inputs,
        node.outputs.map((t) => ctx.valueName(t)),
        { axis: attr.int(node.attrs.axis) },
      );
    },
  },
  Expand: {
    infer: (inputs, attrs, op) => {
      expectCarrier(op, inputs);
      const x = inputs[0]!;
      return [{ dtype: x.dtype, shape: broadcastShapes(op, [x.shape, attrs.shape]) }];
    },
    emit: (node, ctx) => {
      const x = node.inputs[0]!;
      const target = node.attrs.shape;
      // A target dim the input already has (right-aligned) is written as 1: broadcasting keeps it.
      const entries: ShapeEntry[] = target.map((d, i) => {
        if (typeof d === 'number') return d;
        const j = i - (target.length - x.rank);
        return j >= 0 && x.shape[j] === d ? 1 : { runtime: d };
      });
      ctx.add(
        'Expand',
        [ctx.valueName(x), ctx.shapeOperand(entries, node.outputs[0]!.shape, node.inputs)],
        [ctx.valueName(node.outputs[0]!)],
        {},
      );
    },
  },
};
