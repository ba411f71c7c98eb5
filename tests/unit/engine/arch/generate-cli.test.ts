import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parameterTable } from '../../../../src/engine/arch/params.ts';
import { buildDecodeGraph, pastKeyName, pastValueName } from '../../../../src/engine/graphs/decode.ts';
import type { NdArray } from '../../../../src/engine/interpreter/ndarray.ts';
import { writeSafetensors } from '../../../../src/formats/safetensors-write.ts';
import { VOCAB, f32, i32, randomWeights, run, tinyLlama } from './tiny.ts';

const dir = mkdtempSync(join(tmpdir(), 'generate-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const config = tinyLlama({ kvHeads: 2, tied: true });
const weights = randomWeights(config, 11);

/** Greedy decoding by recomputing the whole sequence each step in the float64 interpreter (no cache). */
function greedyReference(prompt: number[], steps: number): number[] {
  const graph = buildDecodeGraph(config, { weights: { kind: 'initializers', data: weights } });
  const ids = [...prompt];
  for (let s = 0; s < steps; s++) {
    const n = ids.length;
    const past: Record<string, NdArray> = {};
    for (let i = 0; i < config.numLayers; i++) {
      past[pastKeyName(i)] = f32([1, config.numKvHeads, 0, config.headDim], []);
      past[pastValueName(i)] = f32([1, config.numKvHeads, 0, config.headDim], []);
    }
    const feeds = {
      input_ids: i32([1, n], ids),
      attention_mask: i32([1, n], new Array<number>(n).fill(1)),
      position_ids: i32(
        [1, n],
        ids.map((_, i) => i),
      ),
      ...past,
    };
    const logits = (run(graph, feeds, ['logits']).get('logits') as NdArray).data.subarray((n - 1) * VOCAB);
    ids.push(logits.indexOf(Math.max(...logits)));
  }
  return ids.slice(prompt.length);
}

/** A model folder the CLI can load: config.json + model.safetensors written by our own writer. */
beforeAll(() => {
  writeFileSync(
    join(dir, 'config.json'),
    JSON.stringify({
      model_type: 'llama',
      vocab_size: VOCAB,
      hidden_size: 8,
      intermediate_size: 12,
      num_hidden_layers: 2,
      num_attention_heads: 4,
      num_key_value_heads: 2,
      max_position_embeddings: 16,
      rms_norm_eps: 1e-5,
      tie_word_embeddings: true,
    }),
  );
  const tensors = parameterTable(config).map((s) => ({
    name: s.name,
    dtype: 'F32' as const,
    shape: s.shape,
    data: weights.get(s.name) as Float32Array,
  }));
  writeFileSync(join(dir, 'model.safetensors'), writeSafetensors(tensors));
});

describe('tools/generate.ts', () => {
  it('greedy decoding through the KV cache equals recomputing the sequence at every step', () => {
    const stdout = execFileSync(
      'npx',
      ['tsx', 'tools/generate.ts', '--model', dir, '--ids', '3,14,15', '--max-new-tokens', '6'].concat([
        '--temperature',
        '0',
        '--repetition-penalty',
        '1',
        '--candidates',
        '2',
      ]),
      { encoding: 'utf8', timeout: 60_000 },
    );
    const expected = greedyReference([3, 14, 15], 6).join(' ');
    expect(stdout).toContain(`[0] 3 14 15 | ${expected}`);
    expect(stdout).toContain(`[1] 3 14 15 | ${expected}`);
  });

  it('rejects token ids outside the vocabulary', () => {
    expect(() =>
      execFileSync('npx', ['tsx', 'tools/generate.ts', '--model', dir, '--ids', '3,99'], {
        encoding: 'utf8',
        stdio: 'pipe',
        timeout: 60_000,
      }),
    ).toThrow(/--ids: "99" is not a token id in \[0, 23\)/);
  });
});
