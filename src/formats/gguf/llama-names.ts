/**
 * llama.cpp tensor names → Hugging Face Llama names, and the inverse of the row permutation llama.cpp's
 * HF→GGUF converter applies to q_proj/k_proj: within each head it reorders rows from
 * (half, pair index) to (pair index, half), so its RoPE can rotate adjacent elements.
 */

const GLOBAL_NAMES: Record<string, string> = {
  'token_embd.weight': 'model.embed_tokens.weight',
  'output_norm.weight': 'model.norm.weight',
  'output.weight': 'lm_head.weight',
};

const BLOCK_NAMES: Record<string, string> = {
  attn_norm: 'input_layernorm',
  attn_q: 'self_attn.q_proj',
  attn_k: 'self_attn.k_proj',
  attn_v: 'self_attn.v_proj',
  attn_output: 'self_attn.o_proj',
  ffn_norm: 'post_attention_layernorm',
  ffn_gate: 'mlp.gate_proj',
  ffn_up: 'mlp.up_proj',
  ffn_down: 'mlp.down_proj',
};

const BLOCK_PATTERN = /^blk\.(\d+)\.([a-z_]+)\.weight$/;

/** The Hugging Face name, or null for a tensor llama.cpp writes that has no HF counterpart. */
export function hfLlamaName(ggufName: string): string | null {
  const global = GLOBAL_NAMES[ggufName];
  if (global !== undefined) return global;
  const match = BLOCK_PATTERN.exec(ggufName);
  if (match === null) return null;
  const part = BLOCK_NAMES[match[2] ?? ''];
  return part === undefined ? null : `model.layers.${Number(match[1])}.${part}.weight`;
}

/** Which permutation, if any, a tensor went through: q uses the query heads, k the key/value heads. */
export function permutedHeads(ggufName: string, heads: number, kvHeads: number): number | null {
  if (/^blk\.\d+\.attn_q\.weight$/.test(ggufName)) return heads;
  if (/^blk\.\d+\.attn_k\.weight$/.test(ggufName)) return kvHeads;
  return null;
}

/**
 * Undoes the converter's permutation of a [rows, cols] row-major matrix with `heads` heads of
 * rows / heads rows each: GGUF row h*D + 2i + p holds HF row h*D + p*D/2 + i.
 */
export function unpermuteRows(data: Float32Array, rows: number, cols: number, heads: number): Float32Array {
  const headRows = rows / heads;
  if (!Number.isInteger(headRows) || headRows % 2 !== 0) {
    throw new Error(`cannot un-permute ${rows} rows into ${heads} heads of an even size`);
  }
  const half = headRows / 2;
  const out = new Float32Array(data.length);
  for (let h = 0; h < heads; h++) {
    for (let i = 0; i < half; i++) {
      for (let p = 0; p < 2; p++) {
        const from = (h * headRows + 2 * i + p) * cols;
        const to = (h * headRows + p * half + i) * cols;
        out.set(data.subarray(from, from + cols), to);
      }
    }
  }
  return out;
}
