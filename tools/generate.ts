/**
 * Generates text from a Hugging Face model folder (config.json, model.safetensors, tokenizer.json)
 * with the engine's decode graph on onnxruntime-node, streaming tokens as they are sampled.
 *
 *   npm run generate -- --prompt "Why did the chicken"     (the embedded default, public/models/punchline-tiny)
 *   npx tsx tools/generate.ts --model DIR --prompt "Why did the chicken" [--max-new-tokens 40]
 *   npx tsx tools/generate.ts --model DIR --ids 1,42,7        (token ids; no tokenizer needed)
 *
 * With a Punchline tokenizer a plain prompt gets the joke prefix the model was trained on (<|en|> or <|zh|>
 * by the prompt's script, then <|funny|>); --raw sends the prompt as it is.
 * Sampling: --temperature 0.8 --top-k 50 --top-p 0.95 --repetition-penalty 1.1 --seed 0 --candidates 1
 */
import { bindModelWeights } from '../src/models/bind-weights.ts';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { buildDecodeGraph } from '../src/engine/graphs/decode.ts';
import { exportOnnx } from '../src/engine/onnx/serialize.ts';
import { decodeSpecFromSession } from '../src/runtime/decode-io.ts';
import { generate } from '../src/runtime/generate.ts';
import { nodeRuntime } from '../src/runtime/ort-node.ts';
import { DEFAULT_SAMPLING } from '../src/runtime/sampling.ts';
import { loadTokenizerFromDirectory } from '../src/tokenizer/load-node.ts';
import { CONTROL_CODES, LANGUAGE_TAGS } from '../src/tokenizer/special-tokens.ts';
import { StreamingDecoder } from '../src/tokenizer/streaming-decoder.ts';
import { languageTagFor } from '../src/tokenizer/language-tag.ts';
import { loadModelFolder, parseArgs } from './engine-io.ts';

const USAGE =
  'usage: npx tsx tools/generate.ts [--model DIR] (--prompt TEXT [--raw] | --ids 1,2,3) [--max-new-tokens 40]\n' +
  '       [--temperature 0.8] [--top-k 50] [--top-p 0.95] [--repetition-penalty 1.1] [--seed 0] [--candidates 1]';

const DEFAULT_MODEL = 'public/models/punchline-tiny';

function jokePrompt(prompt: string): string {
  if (prompt.startsWith(LANGUAGE_TAGS.en) || prompt.startsWith(LANGUAGE_TAGS.zh)) return prompt;
  return `${LANGUAGE_TAGS[languageTagFor(prompt)]}${CONTROL_CODES.funny}${prompt}`;
}

function numberArg(args: Map<string, string>, name: string, fallback: number): number {
  const raw = args.get(name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new Error(`--${name} must be a number, got "${raw}"`);
  return value;
}

function parseIds(raw: string, vocabSize: number): number[] {
  return raw.split(',').map((part) => {
    const id = Number(part.trim());
    if (!Number.isInteger(id) || id < 0 || id >= vocabSize) {
      throw new Error(`--ids: "${part}" is not a token id in [0, ${vocabSize})`);
    }
    return id;
  });
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const dir = args.get('model') ?? DEFAULT_MODEL;
  const { config, weights } = loadModelFolder(dir);
  const hasTokenizer = existsSync(join(dir, 'tokenizer.json'));
  const tokenizer = hasTokenizer ? loadTokenizerFromDirectory(dir) : null;
  const rawIds = args.get('ids');
  const prompt = args.get('prompt');
  let promptIds: number[];
  if (rawIds !== undefined) promptIds = parseIds(rawIds, config.vocabSize);
  else if (prompt !== undefined) {
    if (!tokenizer)
      throw new Error(`${dir} has no tokenizer.json; pass token ids with --ids instead of --prompt`);
    promptIds = tokenizer.encode(args.has('raw') ? prompt : jokePrompt(prompt));
  } else throw new Error(`give --prompt or --ids\n${USAGE}`);

  const graph = buildDecodeGraph(config, { weights: { kind: 'inputs' }, logits: 'last' });
  const session = await nodeRuntime.createSession(exportOnnx(graph), { label: `decode graph (${dir})` });
  const bound = await bindModelWeights(nodeRuntime, { config, weights }, 'cpu');
  const candidates = numberArg(args, 'candidates', 1);
  // One candidate with a tokenizer streams text; otherwise each candidate is printed when done.
  const stream = candidates === 1 && tokenizer ? new StreamingDecoder(tokenizer) : null;
  if (stream && tokenizer) process.stdout.write(tokenizer.decode(promptIds));
  const result = await generate(
    session,
    nodeRuntime.tensors,
    decodeSpecFromSession(session, config.maxPositions),
    {
      prompts: Array.from({ length: candidates }, () => promptIds),
      maxNewTokens: numberArg(args, 'max-new-tokens', 40),
      eosTokenIds: config.eosTokenIds,
      sampling: {
        temperature: numberArg(args, 'temperature', DEFAULT_SAMPLING.temperature),
        topK: numberArg(args, 'top-k', DEFAULT_SAMPLING.topK),
        topP: numberArg(args, 'top-p', DEFAULT_SAMPLING.topP),
        repetitionPenalty: numberArg(args, 'repetition-penalty', DEFAULT_SAMPLING.repetitionPenalty),
      },
      seed: numberArg(args, 'seed', 0),
      boundInputs: bound,
    },
    (step) => {
      for (const { token } of step.tokens) if (stream) process.stdout.write(stream.push(token));
    },
  );
  if (stream) process.stdout.write(`${stream.finish()}\n`);
  else {
    result.sequences.forEach((ids, i) => {
      const text = tokenizer
        ? tokenizer.decode([...promptIds, ...ids])
        : `${promptIds.join(' ')} | ${ids.join(' ')}`;
      console.log(`[${i}] ${text}`);
    });
  }
  const rate = result.decodeTokensPerSecond;
  console.error(
    `${result.generatedTokens} tokens in ${result.totalMs.toFixed(0)} ms` +
      (rate === null ? '' : `, ${rate.toFixed(1)} tokens/s after the prompt`),
  );
  await session.dispose();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
