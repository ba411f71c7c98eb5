/**
 * Quantised versus float32 decoding of an imported model (default: SmolLM2-135M-Instruct) on onnxruntime-node:
 * perplexity on held-out jokes, weight bytes held by the session, load time, and greedy chat speed and text.
 * One variant per run, so peak memory can be read per variant (e.g. with /usr/bin/time -v):
 *
 *   npx tsx tools/models-quant-eval.ts --variant f32|q8|q4|q4-float-zp|q4-head4|q4-head8 [--model DIR] [--data runs/data/validation.jsonl]
 *       [--jokes 60] [--threads 1]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createDecoder, type Decoder } from '../src/eval/decoder.ts';
import { perplexityOf } from '../src/eval/perplexity.ts';
import { greedyChat } from '../src/models/greedy-chat.ts';
import { loadImportedTokenizer } from '../src/models/load-tokenizer-node.ts';
import { createQuantizedDecoder } from '../src/models/quantized-decoder.ts';
import { emptyPast, idTensor } from '../src/runtime/decode-io.ts';
import { nodeRuntime } from '../src/runtime/ort-node.ts';
import { readFloat32 } from '../src/runtime/tensors.ts';
import type { OrtTensor } from '../src/runtime/types.ts';
import { loadModelFolder } from './engine-io.ts';

const VARIANTS = {
  f32: null,
  q8: { bits: 8, blockSize: 32 },
  q4: { bits: 4, blockSize: 32 },
  'q4-float-zp': { bits: 4, blockSize: 32, zeroPoints: 'float' },
  'q4-head4': { bits: 4, blockSize: 32, head: 4 },
  'q4-head8': { bits: 4, blockSize: 32, head: 8 },
} as const;

const { values } = parseArgs({
  options: {
    variant: { type: 'string', default: 'f32' },
    model: { type: 'string', default: 'public/models/smollm2-135m-instruct' },
    data: { type: 'string', default: 'runs/data/validation.jsonl' },
    jokes: { type: 'string', default: '60' },
    threads: { type: 'string', default: '1' },
  },
});
if (!(values.variant in VARIANTS))
  throw new Error(`--variant must be one of ${Object.keys(VARIANTS).join(', ')}, got ${values.variant}`);
const variant = VARIANTS[values.variant as keyof typeof VARIANTS];

/** -log p(token t | tokens < t) for t = 1..T-1 of one text, from one pass over it. */
async function logProbabilities(decoder: Decoder, ids: readonly number[]): Promise<Float64Array> {
  const { runtime, spec, session } = decoder;
  const T = ids.length;
  const feeds: Record<string, OrtTensor> = {
    ...decoder.weights,
    ...emptyPast(runtime.tensors, spec, 1),
    input_ids: idTensor(runtime.tensors, spec, ids, [1, T]),
    attention_mask: idTensor(runtime.tensors, spec, new Array<number>(T).fill(1), [1, T]),
  };
  if (spec.hasPositionIds)
    feeds['position_ids'] = idTensor(
      runtime.tensors,
      spec,
      Array.from({ length: T }, (_, i) => i),
      [1, T],
    );
  const logits = await readFloat32((await session.run(feeds))['logits'] as OrtTensor, 'logits');
  const V = decoder.config.vocabSize;
  const out = new Float64Array(T - 1);
  for (let t = 0; t < T - 1; t++) {
    const row = logits.subarray(t * V, (t + 1) * V);
    let max = -Infinity;
    for (const v of row) max = Math.max(max, v);
    let sum = 0;
    for (const v of row) sum += Math.exp(v - max);
    out[t] = (row[ids[t + 1] as number] as number) - max - Math.log(sum);
  }
  return out;
}

const jokes = readFileSync(values.data, 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as { text: string; language: string })
  .filter((row) => row.language === 'en')
  .slice(0, Number(values.jokes));
const tokenizer = loadImportedTokenizer(values.model);
const { config, weights } = loadModelFolder(values.model);
const sessionConfig = { intraOpNumThreads: Number(values.threads) };
const started = performance.now();
const decoder =
  variant === null
    ? await createDecoder(nodeRuntime, config, weights, 'cpu', sessionConfig)
    : await createQuantizedDecoder(nodeRuntime, config, weights, 'cpu', variant, sessionConfig);
const sessionMs = performance.now() - started;
// Float32 weights still bound as inputs (embedding, norms, any weight not quantised) plus the quantised blocks.
const boundBytes = Object.values(decoder.weights).reduce(
  (sum, t) => sum + 4 * t.dims.reduce((a, b) => a * b, 1),
  0,
);
const weightBytes =
  boundBytes +
  ('quantization' in decoder ? (decoder.quantization as { quantizedBytes: number }).quantizedBytes : 0);
// Release the float32 arrays that the session no longer needs, so RSS shows what the variant holds.
weights.clear();
try {
  const scores: Float64Array[] = [];
  for (const joke of jokes) {
    const ids = tokenizer.encode(joke.text);
    if (ids.length >= 2) scores.push(await logProbabilities(decoder, ids));
  }
  const ppl = perplexityOf(scores);
  const answer = await greedyChat(
    decoder,
    tokenizer,
    [{ role: 'user', content: 'Tell me a joke about cats.' }],
    20,
  );
  console.log(
    JSON.stringify({
      variant: values.variant,
      jokes: scores.length,
      tokens: ppl.tokens,
      perplexity: ppl.perplexity,
      nll: ppl.nll,
      weightMiB: weightBytes / 2 ** 20,
      sessionMs: Math.round(sessionMs),
      decodeTokensPerSecond: answer.decodeTokensPerSecond,
      rssMiB: process.memoryUsage().rss / 2 ** 20,
      ids: answer.ids,
      text: answer.text,
    }),
  );
} finally {
  await decoder.dispose();
}
