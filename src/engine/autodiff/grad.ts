import type { Graph } from '../builder.ts';
import type { Node, Tensor } from '../graph.ts';
import { gradRules } from '../grad-rules/registry.ts';
import type { OpType } from '../op-types.ts';
import { GraphBuildError, formatShape, isFloat, shapesEqual } from '../types.ts';
import { type GradContext, type GradRule, NON_DIFFERENTIABLE } from './grad-rule.ts';

/**
 * Reverse-mode autodiff. Appends the backward pass to `g` and returns d(loss)/d(t) for each t in
 * `wrt` (inputs, initializers or intermediate tensors), or null where t does not reach the loss.
 * `loss` must be a float scalar unless `seed` (its upstream gradient, same shape) is given.
 * Only nodes on a path from some `wrt` tensor to the loss get gradient work; gradients of tensors
 * used more than once are summed with Add.
 */
export function grad(g: Graph, loss: Tensor, wrt: readonly Tensor[], seed?: Tensor): (Tensor | null)[] {
  if (!isFloat(loss.dtype)) throw new GraphBuildError('grad', `loss must be float, got ${loss.toString()}`);
  if (seed) {
    if (!shapesEqual(seed.shape, loss.shape) || seed.dtype !== loss.dtype) {
      throw new GraphBuildError('grad', `seed ${seed.toString()} does not match loss ${loss.toString()}`);
    }
  } else if (loss.rank !== 0) {
    throw new GraphBuildError(
      'grad',
      `loss must be a scalar, got ${formatShape(loss.shape)}; pass a seed or reduce it`,
    );
  }
  for (const t of wrt) {
    if (!isFloat(t.dtype))
      throw new GraphBuildError('grad', `cannot differentiate with respect to ${t.toString()}`);
  }

  // Tensors that depend on some wrt tensor through float values.
  const active = new Set<Tensor>(wrt);
  const lossAncestors = ancestorNodes(loss);
  const nodes = g.nodes.filter((n) => lossAncestors.has(n));
  for (const node of nodes) {
    if (node.inputs.some((t) => active.has(t)) && gradRules[node.op] !== NON_DIFFERENTIABLE) {
      for (const t of node.outputs) if (isFloat(t.dtype)) active.add(t);
    }
  }

  const grads = new Map<Tensor, Tensor>();
  const accumulate = (t: Tensor, d: Tensor, op: string) => {
    if (!shapesEqual(d.shape, t.shape) || d.dtype !== t.dtype) {
      throw new GraphBuildError(
        `${op} (gradient)`,
        `rule produced ${d.dtype}${formatShape(d.shape)} for input ${t.toString()}`,
      );
    }
    const prev = grads.get(t);
    grads.set(t, prev ? g.add(prev, d) : d);
  };
  if (active.has(loss)) grads.set(loss, seed ?? g.scalar(1, loss.dtype));

  for (let i = nodes.length - 1; i >= 0; i--) {
    const node = nodes[i]!;
    const rule = gradRules[node.op];
    if (rule === NON_DIFFERENTIABLE) continue;
    const dys = node.outputs.map((t) => grads.get(t) ?? null);
    const first = dys.find((d) => d !== null);
    if (!first) continue;
    const needs = node.inputs.map((t) => active.has(t));
    if (!needs.some(Boolean)) continue;
    const context: GradContext<OpType> = {
      g,
      node: node as Node<OpType>,
      x: node.inputs,
      y: node.outputs,
      dy: dys[0] ?? first,
      dys,
      needs,
    };
    const dxs = (rule as GradRule<OpType>)(context);
    node.inputs.forEach((t, k) => {
      const d = dxs[k];
      if (needs[k] && d) accumulate(t, d, node.op);
    });
  }
  return wrt.map((t) => grads.get(t) ?? null);
}

function ancestorNodes(t: Tensor): Set<Node> {
  const seen = new Set<Node>();
  const stack = [t];
  while (stack.length > 0) {
    const cur = stack.pop()!;
    if (cur.source.kind !== 'node' || seen.has(cur.source.node)) continue;
    seen.add(cur.source.node);
    stack.push(...cur.source.node.inputs);
  }
  return seen;
}
