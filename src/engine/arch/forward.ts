/** Architecture dispatch and the language-model head. */
import type { Graph } from '../builder.ts';
import type { Tensor } from '../graph.ts';
import type { ModelConfig } from './config.ts';
import { gpt2Forward } from './gpt2.ts';
import { linear } from './layers.ts';
import { llamaForward } from './llama.ts';
import type { ForwardInputs, ForwardOutputs, LoraLookup, WeightLookup } from './model.ts';
import { headName } from './params.ts';

export function forward(
  g: Graph,
  config: ModelConfig,
  w: WeightLookup,
  lora: LoraLookup,
  inputs: ForwardInputs,
): ForwardOutputs {
  return config.arch === 'gpt2'
    ? gpt2Forward(g, config, w, lora, inputs)
    : llamaForward(g, config, w, lora, inputs);
}

/** (N, C) -> (N, V) through lm_head.weight, or the token embedding when tied. */
export function lmHead(g: Graph, config: ModelConfig, w: WeightLookup, hidden: Tensor): Tensor {
  return linear(g, hidden, w(headName(config)), 'out_in');
}
