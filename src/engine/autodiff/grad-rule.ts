import type { Graph } from '../builder.ts';
import type { Node, Tensor } from '../graph.ts';
import type { OpType } from '../op-types.ts';

export interface GradContext<K extends OpType> {
  g: Graph;
  node: Node<K>;
  /** The node's inputs and outputs (forward values the rule may reuse). */
  x: readonly Tensor[];
  y: readonly Tensor[];
  /** Gradient of the first output (always present when the rule runs for a single-output op). */
  dy: Tensor;
  /** Gradient of every output; null for an output that does not reach the loss. */
  dys: readonly (Tensor | null)[];
  /** Which inputs need a gradient; a rule emits nothing for the others. */
  needs: readonly boolean[];
}

/** One gradient per input (null where not needed or not differentiable), each shaped like its input. */
export type GradRule<K extends OpType> = (c: GradContext<K>) => readonly (Tensor | null)[];

/** Marks an op whose outputs carry no gradient (comparisons, integer results, constants). */
export const NON_DIFFERENTIABLE = 'non-differentiable' as const;

export type GradRuleTable<K extends OpType> = { [P in K]: GradRule<P> | typeof NON_DIFFERENTIABLE };

/** `make()` when input i needs a gradient, else null (so unneeded branches emit no nodes). */
export function ifNeeded<K extends OpType>(c: GradContext<K>, i: number, make: () => Tensor): Tensor | null {
  return c.needs[i] ? make() : null;
}
