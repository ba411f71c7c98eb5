/**
 * GPT-2 forward pass: learned positions, LayerNorm, tanh-GELU MLP ("gelu_new"), Conv1D weights
 * stored [in, out]. Tensor names follow transformers' GPT2LMHeadModel ("transformer." prefix).
 */
import type { Graph } from '../builder.ts';
import type { Tensor } from '../graph.ts';
import type { Dim } from '../types.ts';
import type { Gpt2Config } from './config.ts';
import { appendPast, attention, linear, mergeHeads, splitHeads } from './layers.ts';
import type { ForwardInputs, ForwardOutputs, KeyValue, LoraLookup, WeightLookup } from './model.ts';
import { GPT2_PREFIX } from './params.ts';

export function gpt2Forward(
  g: Graph,
  config: Gpt2Config,
  w: WeightLookup,
  lora: LoraLookup,
  inputs: ForwardInputs,
): ForwardOutputs {
  const { numHeads: nh, headDim: hs, hiddenSize: C, layerNormEps: eps } = config;
  const [B, T] = inputs.ids.shape as [Dim, Dim];
  const t = GPT2_PREFIX;
  const tokens = g.gather(w(`${t}wte.weight`), inputs.ids); // (B, T, C)
  const positions = g.gather(w(`${t}wpe.weight`), inputs.positions); // (B, T, C) or (T, C)
  let x = g.reshape(g.add(tokens, positions), [-1, C]); // (N, C)
  const rows = x.shape[0] as Dim;

  const present: KeyValue[] = [];
  for (let i = 0; i < config.numLayers; i++) {
    const p = `${t}h.${i}`;
    const conv1d = (h: Tensor, name: string): Tensor =>
      linear(g, h, w(`${p}.${name}.weight`), 'in_out', w(`${p}.${name}.bias`), lora(`${p}.${name}`));
    const norm = (h: Tensor, name: string): Tensor =>
      g.layerNorm(h, w(`${p}.${name}.weight`), w(`${p}.${name}.bias`), eps);

    const qkv = conv1d(norm(x, 'ln_1'), 'attn.c_attn'); // (N, 3C)
    const [q2, k2, v2] = g.split(qkv, -1, [C, C, C]) as [Tensor, Tensor, Tensor];
    const q = splitHeads(g, q2, B, T, nh, hs); // (B, nh, T, hs)
    let k = splitHeads(g, k2, B, T, nh, hs);
    let v = splitHeads(g, v2, B, T, nh, hs);
    k = appendPast(g, inputs.past?.[i]?.key, k, inputs.keyLength); // (B, nh, P+T, hs)
    v = appendPast(g, inputs.past?.[i]?.value, v, inputs.keyLength);
    present.push({ key: k, value: v });
    const attended = attention(g, q, k, v, inputs.attentionBias, config); // (B, nh, T, hs)
    x = g.add(x, conv1d(mergeHeads(g, attended, rows, nh, hs), 'attn.c_proj'));
    x = g.add(x, conv1d(g.gelu(conv1d(norm(x, 'ln_2'), 'mlp.c_fc'), 'tanh'), 'mlp.c_proj'));
  }
  return { hidden: g.layerNorm(x, w(`${t}ln_f.weight`), w(`${t}ln_f.bias`), eps), present };
}
