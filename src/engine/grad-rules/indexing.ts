import { type GradRuleTable, NON_DIFFERENTIABLE, ifNeeded } from '../autodiff/grad-rule.ts';
import { zerosLike } from '../autodiff/shape-grad.ts';
import { GraphBuildError, formatShape, normalizeAxis } from '../types.ts';

export const indexingGradRules: GradRuleTable<
  'Gather' | 'GatherElements' | 'ScatterND' | 'ScatterElements' | 'ArangeOfDim'
> = {
  // Embedding gradient: rows of dy added into a zero table at the looked-up ids (ScatterND, reduction add).
  Gather: (c) => {
    const { g } = c;
    const [data, indices] = [c.x[0]!, c.x[1]!];
    if (normalizeAxis('Gather', c.node.attrs.axis, data.rank, data.shape) !== 0) {
      throw new GraphBuildError(
        'Gather (gradient)',
        `only axis 0 is differentiable, data ${formatShape(data.shape)}`,
      );
    }
    return [
      ifNeeded(c, 0, () => {
        // Unsqueeze before the Cast: the WebGPU EP has Cast int32 -> int64 but no int64 Unsqueeze.
        const ids = g.cast(g.unsqueeze(indices, [-1]), 'int64');
        return g.scatterND(zerosLike(g, data), ids, c.dy, 'add');
      }),
      null,
    ];
  },
  GatherElements: (c) => {
    const [data, indices] = [c.x[0]!, c.x[1]!];
    const axis = c.node.attrs.axis;
    return [
      ifNeeded(c, 0, () => c.g.scatterElements(zerosLike(c.g, data), indices, c.dy, axis, 'add')),
      null,
    ];
  },
  ScatterND: (c) => {
    const { g, dy } = c;
    const [indices, updates] = [c.x[1]!, c.x[2]!];
    const k = indices.shape[indices.rank - 1];
    const add = c.node.attrs.reduction === 'add';
    return [
      ifNeeded(c, 0, () => (add ? dy : g.scatterND(dy, indices, zerosLike(g, updates)))),
      null,
      ifNeeded(c, 2, () => {
        if (k !== 1) {
          throw new GraphBuildError(
            'ScatterND (gradient)',
            `updates need indices [..., 1], got ${formatShape(indices.shape)}`,
          );
        }
        // Gather with the [N, 1] ids as they are, then drop the float axis (no int64 Squeeze on WebGPU).
        return g.squeeze(g.gather(dy, indices, 0), [indices.rank - 1]);
      }),
    ];
  },
  ScatterElements: (c) => {
    const { g, dy } = c;
    const [indices, updates] = [c.x[1]!, c.x[2]!];
    const axis = c.node.attrs.axis;
    const add = c.node.attrs.reduction === 'add';
    return [
      ifNeeded(c, 0, () => (add ? dy : g.scatterElements(dy, indices, zerosLike(g, updates), axis))),
      null,
      ifNeeded(c, 2, () => g.gatherElements(dy, indices, axis)),
    ];
  },
  ArangeOfDim: NON_DIFFERENTIABLE,
};
