/** A tiny random Llama over the real punchline-tiny tokenizer, and the labeled fixture rows. */
import { bindModelWeights } from '../../../src/models/bind-weights.ts';
import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { parseModelConfig } from '../../../src/engine/arch/config.ts';
import { initParameters } from '../../../src/engine/arch/init.ts';
import { nodeRuntime } from '../../../src/runtime/ort-node.ts';
import { loadTokenizerFromDirectory } from '../../../src/tokenizer/load-node.ts';
import type { LabeledText } from '../../../src/train/examples.ts';
import type { BaseModel } from '../../../src/train/prepare.ts';

export const tokenizer = loadTokenizerFromDirectory('public/models/punchline-tiny');

export const tinyModel: BaseModel = (() => {
  const config = parseModelConfig({
    model_type: 'llama',
    vocab_size: tokenizer.vocabSize,
    hidden_size: 32,
    intermediate_size: 64,
    num_hidden_layers: 2,
    num_attention_heads: 4,
    num_key_value_heads: 2,
    max_position_embeddings: 64,
    tie_word_embeddings: true,
  });
  return { config, weights: initParameters(config, 7, 0.1) };
})();

export const session = { intraOpNumThreads: 1 } as const;

export async function tinyBase() {
  return bindModelWeights(nodeRuntime, tinyModel, 'cpu');
}

export function fixtureRows(): LabeledText[] {
  const text = readFileSync('tests/fixtures/train/labeled-jokes.csv', 'utf8');
  const parsed = Papa.parse<{ text: string; label: string }>(text, { header: true, skipEmptyLines: true });
  return parsed.data.map((row) => ({ text: row.text, label: row.label }));
}

/** Two classes told apart by their words alone. */
export function separableRows(count: number): LabeledText[] {
  const cats = ['cats purr softly', 'a kitten naps', 'the cat meows loudly', 'kittens chase yarn'];
  const sums = [
    'seven plus two is nine',
    'ten minus four is six',
    'three times three is nine',
    'eight plus one',
  ];
  return Array.from({ length: count }, (_, i) =>
    i % 2 === 0
      ? { text: `${cats[i % 4]} ${i}`, label: 'cats' }
      : { text: `${sums[i % 4]} ${i}`, label: 'math' },
  );
}
