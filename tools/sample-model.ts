/**
 * Writes the model card's samples: ten per language from the model folder's weights, with the fixed
 * prompts, seeds and settings of src/eval/samples.ts, to <model>/samples.json (tests/unit/model checks
 * that the committed weights still produce them).
 *
 *   npx tsx tools/sample-model.ts [--model public/models/punchline-tiny] [--out FILE]
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDecoder } from '../src/eval/decoder.ts';
import { drawSample, SAMPLE_PROMPTS, SAMPLE_SETTINGS } from '../src/eval/samples.ts';
import { nodeRuntime } from '../src/runtime/ort-node.ts';
import { loadTokenizerFromDirectory } from '../src/tokenizer/load-node.ts';
import { loadModelFolder, parseArgs } from './engine-io.ts';

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const modelDir = args.get('model') ?? 'public/models/punchline-tiny';
  const out = args.get('out') ?? join(modelDir, 'samples.json');
  const tokenizer = loadTokenizerFromDirectory(modelDir);
  const { config, weights } = loadModelFolder(modelDir);
  // One thread: the same float summation order as the unit test that regenerates a sample.
  const decoder = await createDecoder(nodeRuntime, config, weights, 'cpu', { intraOpNumThreads: 1 });
  const samples = [];
  for (const prompt of SAMPLE_PROMPTS) {
    const sample = await drawSample(decoder, tokenizer, prompt);
    console.log(`[${sample.language} seed ${sample.seed}] ${sample.text}`);
    samples.push(sample);
  }
  await decoder.dispose();
  const report = {
    modelSafetensorsSha256: createHash('sha256')
      .update(readFileSync(join(modelDir, 'model.safetensors')))
      .digest('hex'),
    settings: SAMPLE_SETTINGS,
    runtime: 'onnxruntime-node (cpu, 1 thread), engine decode graph with KV cache',
    samples,
  };
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`wrote ${out}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
