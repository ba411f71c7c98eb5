/**
 * Decode graph with KV cache, inputs and outputs named as Hugging Face ONNX exports name them:
 *   input_ids [batch, seq], attention_mask [batch, total], position_ids [batch, seq] (int32),
 *   past_key_values.N.key/value [batch, kv_heads, past, head_dim]
 *   -> logits [batch, seq, vocab], present.N.key/value [batch, kv_heads, total, head_dim]
 * with total = past + seq. The first step feeds past = 0. Left padding is expressed by the
 * attention mask (0 on pads) and position ids that start at 0 on each row's first real token.
 */
import { Graph } from '../builder.ts';
import type { ModelConfig } from '../arch/config.ts';
import { forward, lmHead } from '../arch/forward.ts';
import type { LoraConfig } from '../arch/lora.ts';
import { attentionBias } from '../arch/mask.ts';
import { noLora } from '../arch/model.ts';
import { bindLora, bindWeights, type WeightSource } from './weights.ts';

export interface DecodeGraphOptions {
  weights: WeightSource;
  /** Adapter tensors as extra inputs (PEFT names), for generating with an unmerged LoRA. */
  lora?: LoraConfig;
  /**
   * 'all' (default, as the Hugging Face exports): logits [batch, seq, vocab]. 'last': logits [batch, 1, vocab]
   * for the last position only, which is all sampling needs; it spares the head's seq x vocab product on the prompt.
   */
  logits?: 'all' | 'last';
}

export const pastKeyName = (layer: number): string => `past_key_values.${layer}.key`;
export const pastValueName = (layer: number): string => `past_key_values.${layer}.value`;
export const presentKeyName = (layer: number): string => `present.${layer}.key`;
export const presentValueName = (layer: number): string => `present.${layer}.value`;

export function buildDecodeGraph(config: ModelConfig, options: DecodeGraphOptions): Graph {
  const g = new Graph();
  const { numKvHeads: kvh, headDim: hs } = config;
  const weights = bindWeights(g, config, options.weights);
  const lora = options.lora ? bindLora(g, config, options.lora).lookup : noLora;
  const ids = g.input('input_ids', 'int32', ['batch', 'seq']);
  const mask = g.input('attention_mask', 'int32', ['batch', 'total']);
  const positions = g.input('position_ids', 'int32', ['batch', 'seq']);
  const past = Array.from({ length: config.numLayers }, (_, i) => ({
    key: g.input(pastKeyName(i), 'float32', ['batch', kvh, 'past', hs]),
    value: g.input(pastValueName(i), 'float32', ['batch', kvh, 'past', hs]),
  }));
  const bias = attentionBias(g, ids, mask, config.maxPositions);
  const out = forward(g, config, weights.lookup, lora, {
    ids,
    positions,
    attentionBias: bias,
    past,
    keyLength: 'total',
  });
  if (options.logits === 'last') {
    const rows = g.reshape(out.hidden, ['batch', 'seq', config.hiddenSize]); // (N, C) -> (B, T, C)
    const last = g.reshape(g.slice(rows, 1, -1), ['batch', config.hiddenSize]); // (B, C)
    g.output('logits', g.reshape(lmHead(g, config, weights.lookup, last), ['batch', 1, config.vocabSize]));
  } else {
    const logits = lmHead(g, config, weights.lookup, out.hidden); // (N, V)
    g.output('logits', g.reshape(logits, ['batch', 'seq', config.vocabSize]));
  }
  out.present.forEach((kv, i) => {
    g.output(presentKeyName(i), kv.key);
    g.output(presentValueName(i), kv.value);
  });
  return g;
}
