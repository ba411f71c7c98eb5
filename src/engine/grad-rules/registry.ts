import type { GradRuleTable } from '../autodiff/grad-rule.ts';
import type { OpType } from '../op-types.ts';
import { arithmeticGradRules } from './elementwise.ts';
import { indexingGradRules } from './indexing.ts';
import { layoutGradRules } from './layout.ts';
import { linalgGradRules } from './linalg.ts';
import { reduceGradRules } from './reduce.ts';
import { unaryGradRules } from './unary.ts';

/** One gradient rule per op (or an explicit NON_DIFFERENTIABLE); a missing op is a compile error. */
export const gradRules: GradRuleTable<OpType> = {
  ...arithmeticGradRules,
  ...unaryGradRules,
  ...reduceGradRules,
  ...linalgGradRules,
  ...layoutGradRules,
  ...indexingGradRules,
};
