/**
 * The samples in the model card come from the committed weights: regenerate the first English and the
 * first Chinese sample of public/models/punchline-tiny/samples.json in Node and compare them exactly.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDecoder } from '../../../src/eval/decoder.ts';
import { drawSample, SAMPLE_PROMPTS, SAMPLE_SETTINGS, type Sample } from '../../../src/eval/samples.ts';
import { nodeRuntime } from '../../../src/runtime/ort-node.ts';
import { loadTokenizerFromDirectory } from '../../../src/tokenizer/load-node.ts';
import { loadModelFolder } from '../../../tools/engine-io.ts';

const MODEL_DIR = 'public/models/punchline-tiny';
const WEIGHTS = join(MODEL_DIR, 'model.safetensors');

interface SamplesFile {
  modelSafetensorsSha256: string;
  settings: typeof SAMPLE_SETTINGS;
  samples: Sample[];
}

describe('model card samples (public/models/punchline-tiny/samples.json)', () => {
  const samplesPath = join(MODEL_DIR, 'samples.json');
  if (!existsSync(samplesPath))
    throw new Error(`${samplesPath} is missing next to the weights: run npx tsx tools/sample-model.ts`);
  const file = JSON.parse(readFileSync(samplesPath, 'utf8')) as SamplesFile;

  it('were written for these weights, with the prompts and settings of src/eval/samples.ts', () => {
    const sha = createHash('sha256').update(readFileSync(WEIGHTS)).digest('hex');
    expect(file.modelSafetensorsSha256, 'samples.json is stale: run npx tsx tools/sample-model.ts').toBe(sha);
    expect(file.settings).toEqual(SAMPLE_SETTINGS);
    expect(file.samples.map(({ language, opening, seed }) => ({ language, opening, seed }))).toEqual(
      SAMPLE_PROMPTS,
    );
    expect(file.samples.filter((s) => s.language === 'en')).toHaveLength(10);
    expect(file.samples.filter((s) => s.language === 'zh')).toHaveLength(10);
  });

  it('regenerate exactly from the committed weights (first English and first Chinese sample)', async () => {
    const tokenizer = loadTokenizerFromDirectory(MODEL_DIR);
    const { config, weights } = loadModelFolder(MODEL_DIR);
    const decoder = await createDecoder(nodeRuntime, config, weights, 'cpu', { intraOpNumThreads: 1 });
    try {
      for (const language of ['en', 'zh'] as const) {
        const committed = file.samples.find((s) => s.language === language) as Sample;
        const again = await drawSample(decoder, tokenizer, committed);
        expect(again.generatedIds).toEqual(committed.generatedIds);
        expect(again.text).toBe(committed.text);
        expect(again.finishReason).toBe(committed.finishReason);
      }
    } finally {
      await decoder.dispose();
    }
  }, 120_000);
});
