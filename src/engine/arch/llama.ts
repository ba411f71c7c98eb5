/**
 * Llama forward pass (SmolLM2, TinyLlama): RMSNorm, RoPE, grouped-query attention, SwiGLU MLP.
 * Tensor names follow transformers' LlamaForCausalLM.
 */
import type { Graph } from '../builder.ts';
import type { Tensor } from '../graph.ts';
import type { Dim } from '../types.ts';
import type { LlamaConfig } from './config.ts';
import { appendPast, applyRope, attention, linear, mergeHeads, rmsNorm, silu, splitHeads } from './layers.ts';
import type { ForwardInputs, ForwardOutputs, KeyValue, LoraLookup, WeightLookup } from './model.ts';
import { ropeTables } from './rope.ts';

/** cos and sign-folded sin tables as graph constants: [positions, hs]. */
function ropeConstants(g: Graph, config: LlamaConfig): { cos: Tensor; sinSigned: Tensor } {
  const tables = ropeTables(config);
  const d = tables.headDim;
  const sinSigned = Float32Array.from(tables.sin, (s, i) => (i % d < d / 2 ? -s : s));
  return {
    cos: g.initializer('rope.cos', 'float32', [tables.positions, d], tables.cos),
    sinSigned: g.initializer('rope.sin_signed', 'float32', [tables.positions, d], sinSigned),
  };
}

export function llamaForward(
  g: Graph,
  config: LlamaConfig,
  w: WeightLookup,
  lora: LoraLookup,
  inputs: ForwardInputs,
): ForwardOutputs {
  const { numHeads: nh, numKvHeads: kvh, headDim: hs, hiddenSize: C, rmsNormEps: eps } = config;
  const [B, T] = inputs.ids.shape as [Dim, Dim];
  let x = g.reshape(g.gather(w('model.embed_tokens.weight'), inputs.ids), [-1, C]); // (B, T, C) -> (N, C)
  const rows = x.shape[0] as Dim;

  const rope = ropeConstants(g, config);
  // (B, T, hs) -> (B, 1, T, hs); (T, hs) stays as is when the batch shares positions
  const atPositions = (table: Tensor): Tensor => {
    const picked = g.gather(table, inputs.positions);
    return inputs.positions.rank === 2 ? g.unsqueeze(picked, [1]) : picked;
  };
  const cos = atPositions(rope.cos);
  const sinSigned = atPositions(rope.sinSigned);

  const present: KeyValue[] = [];
  for (let i = 0; i < config.numLayers; i++) {
    const p = `model.layers.${i}`;
    const proj = (h: Tensor, name: string): Tensor =>
      linear(g, h, w(`${p}.${name}.weight`), 'out_in', undefined, lora(`${p}.${name}`));

    const h = rmsNorm(g, x, w(`${p}.input_layernorm.weight`), eps);
    const q = applyRope(g, splitHeads(g, proj(h, 'self_attn.q_proj'), B, T, nh, hs), cos, sinSigned, hs);
    let k = applyRope(g, splitHeads(g, proj(h, 'self_attn.k_proj'), B, T, kvh, hs), cos, sinSigned, hs);
    let v = splitHeads(g, proj(h, 'self_attn.v_proj'), B, T, kvh, hs); // (B, kvh, T, hs)
    k = appendPast(g, inputs.past?.[i]?.key, k, inputs.keyLength); // (B, kvh, P+T, hs)
    v = appendPast(g, inputs.past?.[i]?.value, v, inputs.keyLength);
    present.push({ key: k, value: v });
    const attended = attention(g, q, k, v, inputs.attentionBias, config); // (B, nh, T, hs)
    x = g.add(x, proj(mergeHeads(g, attended, rows, nh, hs), 'self_attn.o_proj'));

    const h2 = rmsNorm(g, x, w(`${p}.post_attention_layernorm.weight`), eps);
    const gated = g.mul(silu(g, proj(h2, 'mlp.gate_proj')), proj(h2, 'mlp.up_proj')); // (N, F)
    x = g.add(x, proj(gated, 'mlp.down_proj'));
  }
  return { hidden: rmsNorm(g, x, w('model.norm.weight'), eps), present };
}
