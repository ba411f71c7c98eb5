import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseModelConfig } from '../../../src/engine/arch/config.ts';
import { initParameters } from '../../../src/engine/arch/init.ts';
import { createDecoder, nextTokenProbabilities } from '../../../src/eval/decoder.ts';
import {
  chatJokeBatch,
  runChatLoraSteps,
  trainTokensPerSecond,
} from '../../../src/models/chat-lora-steps.ts';
import { createImportedTokenizer } from '../../../src/models/imported-tokenizer.ts';
import { nodeRuntime } from '../../../src/runtime/ort-node.ts';

const dir = join(import.meta.dirname, '../../fixtures/models/tiny-chat');
const tokenizer = createImportedTokenizer(
  JSON.parse(readFileSync(join(dir, 'tokenizer.json'), 'utf8')) as Record<string, unknown>,
  JSON.parse(readFileSync(join(dir, 'tokenizer_config.json'), 'utf8')) as Record<string, unknown>,
  'tiny-chat/tokenizer.json',
);
const EOS = 2;
const prompt = tokenizer.encodeChat([{ role: 'user', content: 'a cat' }]);

describe('chatJokeBatch', () => {
  it('puts the joke and one EOS after the chat prompt; only those are targets; pads with EOS', () => {
    const joke = tokenizer.encode('cat 12');
    const seq = prompt.length + joke.length + 3;
    const batch = chatJokeBatch(tokenizer, 'a cat', ['cat 12'], seq);
    const ids = [...prompt, ...joke, EOS, EOS, EOS, EOS];
    expect(Array.from(batch.inputIds)).toEqual(ids.slice(0, seq));
    expect(Array.from(batch.labels)).toEqual(ids.slice(1, seq + 1));
    // Targets: the label at t is a joke token or the answer's EOS, i.e. t from prompt.length - 1 on.
    const mask = Array.from({ length: seq }, (_, t) =>
      t >= prompt.length - 1 && t < prompt.length + joke.length ? 1 : 0,
    );
    expect(Array.from(batch.lossMask)).toEqual(mask);
    expect(batch.targets).toBe(joke.length + 1);
  });

  it('cuts a long answer at seq tokens, one row per joke', () => {
    const seq = prompt.length + 2;
    const batch = chatJokeBatch(tokenizer, 'a cat', ['cat cat cat cat', 'a'], seq);
    expect(batch.batch).toBe(2);
    expect(batch.inputIds).toHaveLength(2 * seq);
    expect(Array.from(batch.lossMask.subarray(0, seq)).reduce((a, b) => a + b, 0)).toBe(3);
  });

  it('refuses a seq that leaves no room after the prompt, and an empty joke list', () => {
    expect(() => chatJokeBatch(tokenizer, 'a cat', ['cat'], prompt.length)).toThrow(
      `the chat prompt alone is ${prompt.length} tokens`,
    );
    expect(() => chatJokeBatch(tokenizer, 'a cat', [], 64)).toThrow('at least one joke');
  });
});

describe('runChatLoraSteps (onnxruntime-node, tiny Llama over the tiny-chat vocabulary)', () => {
  const config = parseModelConfig({
    model_type: 'llama',
    vocab_size: tokenizer.vocabSize,
    hidden_size: 32,
    intermediate_size: 48,
    num_hidden_layers: 2,
    num_attention_heads: 4,
    num_key_value_heads: 2,
    max_position_embeddings: 64,
    tie_word_embeddings: true,
  });
  const weights = initParameters(config, 3, 0.2);
  const batch = chatJokeBatch(tokenizer, 'a cat', ['cat 12 cat', 'a cat a cat'], prompt.length + 12);
  const settings = { lora: { rank: 4, alpha: 8, targets: ['q', 'v'] }, steps: 12, lr: 0.02, seed: 7 };

  it('starts at the base model loss over the answer tokens, lowers it, and repeats exactly', async () => {
    const decoder = await createDecoder(nodeRuntime, config, weights, 'cpu');
    try {
      // Reference: mean -log p(label) over the targets, one prompt pass per target position.
      let nll = 0;
      for (let b = 0; b < batch.batch; b++)
        for (let t = 0; t < batch.seq; t++) {
          if (batch.lossMask[b * batch.seq + t] === 0) continue;
          const prefix = Array.from(batch.inputIds.subarray(b * batch.seq, b * batch.seq + t + 1));
          const probs = await nextTokenProbabilities(decoder, prefix);
          nll -= Math.log(probs[batch.labels[b * batch.seq + t] as number] as number);
        }
      const first = await runChatLoraSteps(nodeRuntime, config, decoder.weights, batch, settings);
      expect(first.losses[0]).toBeCloseTo(nll / batch.targets, 4);
      expect(first.losses).toHaveLength(settings.steps);
      expect(first.losses.at(-1)).toBeLessThan(0.7 * (first.losses[0] as number));
      expect(first.executionProvider).toBe('cpu');
      const again = await runChatLoraSteps(nodeRuntime, config, decoder.weights, batch, settings);
      expect(again.losses).toEqual(first.losses);
      expect(trainTokensPerSecond(first, batch)).toBeGreaterThan(0);
    } finally {
      await decoder.dispose();
    }
  });

  it('trainTokensPerSecond takes the median step after the first', () => {
    expect(trainTokensPerSecond({ stepMs: [900, 100, 300, 200] }, { batch: 2, seq: 50 })).toBe(500);
    expect(trainTokensPerSecond({ stepMs: [900, 100, 300] }, { batch: 2, seq: 50 })).toBe(500);
  });
});
