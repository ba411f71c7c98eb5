/**
 * The tiny Llama of tests/fixtures/gguf/tiny-llama.gguf as the Models picker stores it: converted by importGguf
 * into a Hugging Face folder (byte-level BPE tokenizer.json with 316 tokens, tokenizer_config.json with a ChatML
 * chat template and eos_token <|im_end|>), plus variants: without the template (a base model), with other
 * config.json fields, and with weights that make it write a chosen token sequence.
 */
import { readFileSync } from 'node:fs';
import { parseModelConfigText } from '../../../src/engine/arch/config.ts';
import { embeddingName, headName, parameterTable } from '../../../src/engine/arch/params.ts';
import { loadWeights } from '../../../src/engine/arch/weights.ts';
import { parseSafetensors } from '../../../src/formats/safetensors.ts';
import { writeSafetensors } from '../../../src/formats/safetensors-write.ts';
import { importGguf } from '../../../src/worker/models/model-sources.ts';

const GGUF = new URL('../../fixtures/gguf/tiny-llama.gguf', import.meta.url);

const toBuffer = (bytes: Uint8Array): ArrayBuffer =>
  bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
const jsonBuffer = (value: unknown) => toBuffer(new TextEncoder().encode(JSON.stringify(value)));
const readJson = (files: ReadonlyMap<string, ArrayBuffer>, name: string) =>
  JSON.parse(new TextDecoder().decode(files.get(name))) as Record<string, unknown>;

export function importedTinyFiles(): Map<string, ArrayBuffer> {
  const imported = importGguf(new Uint8Array(readFileSync(GGUF)), 'tiny-llama.gguf', () => undefined);
  return new Map([...imported.files].map(([name, bytes]) => [name, toBuffer(bytes)]));
}

/** The same model as a base model: tokenizer_config.json without chat_template. */
export function withoutChatTemplate(files: ReadonlyMap<string, ArrayBuffer>): Map<string, ArrayBuffer> {
  const { chat_template: _dropped, ...config } = readJson(files, 'tokenizer_config.json');
  return new Map([...files, ['tokenizer_config.json', jsonBuffer(config)]]);
}

export function withConfig(
  files: ReadonlyMap<string, ArrayBuffer>,
  patch: Record<string, unknown>,
): Map<string, ArrayBuffer> {
  return new Map([...files, ['config.json', jsonBuffer({ ...readJson(files, 'config.json'), ...patch })]]);
}

/**
 * Weights after which the model, whose last token is `sequence[i]`, writes `sequence[i + 1]` whatever came
 * before: o_proj and down_proj are zero, so the last hidden state is the last token's embedding; those
 * embeddings are one-hot (dimension i), and the head column i is zero except a logit of 10·√hidden for the
 * successor. Every token but the last must be distinct, and there may be at most `hidden_size` of them.
 */
export function writingSequence(
  files: ReadonlyMap<string, ArrayBuffer>,
  sequence: readonly number[],
): Map<string, ArrayBuffer> {
  const config = parseModelConfigText(new TextDecoder().decode(files.get('config.json')));
  const D = config.hiddenSize;
  const from = sequence.slice(0, -1);
  if (new Set(from).size !== from.length || from.length > D)
    throw new Error(
      `writingSequence: need at most ${D} distinct tokens before the last, got ${from.join(',')}`,
    );
  const bytes = new Uint8Array(files.get('model.safetensors') as ArrayBuffer);
  const weights = loadWeights(config, parseSafetensors(bytes, 'tiny-llama model.safetensors'));
  for (const [name, data] of weights) {
    if (/\.(o_proj|down_proj)\.weight$/.test(name)) data.fill(0);
    if (name === 'model.norm.weight') data.fill(1);
  }
  if (headName(config) === embeddingName(config))
    throw new Error('writingSequence: needs a head of its own (tie_word_embeddings: false)');
  const embedding = weights.get(embeddingName(config)) as Float32Array; // (V, D)
  const head = weights.get(headName(config)) as Float32Array; // (V, D)
  from.forEach((token, i) => {
    embedding.fill(0, token * D, (token + 1) * D);
    embedding[token * D + i] = 1;
    for (let v = 0; v < config.vocabSize; v++) head[v * D + i] = 0;
    head[(sequence[i + 1] as number) * D + i] = 10;
  });
  const safetensors = writeSafetensors(
    parameterTable(config).map((spec) => ({
      name: spec.name,
      shape: [...spec.shape],
      dtype: 'F32' as const,
      data: weights.get(spec.name) as Float32Array,
    })),
    { label: 'tiny-llama (writing a sequence)' },
  );
  return new Map([...files, ['model.safetensors', toBuffer(safetensors)]]);
}
