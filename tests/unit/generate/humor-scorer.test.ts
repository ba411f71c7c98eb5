import { beforeAll, describe, expect, it } from 'vitest';
import { parseModelConfig } from '../../../src/engine/arch/config.ts';
import { initLora } from '../../../src/engine/arch/init.ts';
import { loraTable } from '../../../src/engine/arch/lora.ts';
import { exportPeftFiles } from '../../../src/formats/peft/adapter-io.ts';
import type { PeftAdapter } from '../../../src/formats/peft/types.ts';
import { emptyPast, idTensor } from '../../../src/runtime/decode-io.ts';
import { nodeRuntime } from '../../../src/runtime/ort-node.ts';
import { readFloat32 } from '../../../src/runtime/tensors.ts';
import type { OrtTensor } from '../../../src/runtime/types.ts';
import type { AdapterRecord } from '../../../src/storage/index.ts';
import type { PunchlineTokenizer } from '../../../src/tokenizer/index.ts';
import { createDecoderModel, type DecoderModel } from '../../../src/worker/generate/decoder-model.ts';
import {
  createAdapterScorer,
  createStyleCodeScorer,
  type ScoringModel,
} from '../../../src/worker/generate/humor-scorer.ts';
import { tinyConfigJson, tinyModelFiles } from './tiny-model.ts';

const config = parseModelConfig(tinyConfigJson);
let model: DecoderModel;
let tokenizer: PunchlineTokenizer;
let scoring: ScoringModel;

beforeAll(async () => {
  model = await createDecoderModel('tiny', tinyModelFiles(), nodeRuntime, 'cpu');
  if (model.kind !== 'own') throw new Error('the tiny model carries the punchline tokenizer');
  tokenizer = model.tokenizer;
  scoring = {
    id: 'tiny',
    config: model.config,
    tokenizer,
    runtime: nodeRuntime,
    weights: model.weights,
    provider: 'cpu',
  };
});

const texts = ['Why did the chicken cross the road?', '程序员为什么分不清万圣节和圣诞节？', 'Knock knock.'];

/** -log p(ids[1..] | ids[..t]) summed from position `from`, from the decode graph's logits in float64. */
async function referenceNll(ids: number[], from: number): Promise<number> {
  const t = nodeRuntime.tensors;
  const n = ids.length;
  const out = await model.session.run({
    ...model.weights,
    ...emptyPast(t, model.spec, 1),
    input_ids: idTensor(t, model.spec, ids, [1, n]),
    attention_mask: idTensor(t, model.spec, new Array<number>(n).fill(1), [1, n]),
    position_ids: idTensor(
      t,
      model.spec,
      ids.map((_, i) => i),
      [1, n],
    ),
  });
  const logits = await readFloat32(out['logits'] as OrtTensor, 'logits');
  const V = config.vocabSize;
  let nll = 0;
  for (let pos = from; pos < n - 1; pos++) {
    const row = logits.subarray(pos * V, (pos + 1) * V);
    let max = -Infinity;
    for (const v of row) max = Math.max(max, v);
    let sum = 0;
    for (const v of row) sum += Math.exp(v - max);
    nll -= (row[ids[pos + 1] as number] as number) - max - Math.log(sum);
  }
  return nll;
}

function classifierRecord(headSign: number): AdapterRecord {
  const lora = { rank: 2, alpha: 4, targets: ['q_proj', 'v_proj'] };
  const specs = loraTable(config, lora);
  const tensors = initLora(specs, 3);
  for (const spec of specs) {
    const b = tensors.get(spec.bName) as Float32Array;
    b.forEach((_, i) => (b[i] = 0.3 * Math.cos(i)));
  }
  const head = Float32Array.from({ length: config.hiddenSize }, (_, i) => headSign * Math.sin(i + 2));
  const adapter: PeftAdapter = {
    config: {
      taskType: 'SEQ_CLS',
      rank: 2,
      alpha: 4,
      dropout: 0,
      targetModules: ['q_proj', 'v_proj'],
      baseModelNameOrPath: null,
      fanInFanOut: false,
    },
    tensors: new Map([
      ...specs.flatMap((s) => [
        [s.aName, { shape: s.aShape, data: tensors.get(s.aName) as Float32Array }] as const,
        [s.bName, { shape: s.bShape, data: tensors.get(s.bName) as Float32Array }] as const,
      ]),
      ['score.weight', { shape: [1, config.hiddenSize], data: head }] as const,
    ]),
    meta: null,
  };
  const files = exportPeftFiles(adapter, { config });
  return {
    id: `cls-${headSign}`,
    name: 'humor classifier',
    baseModelId: 'tiny',
    createdAt: 0,
    rank: 2,
    alpha: 4,
    targetModules: ['q_proj', 'v_proj'],
    weights: (files['adapter_model.safetensors'] as Uint8Array).slice().buffer,
    config: JSON.parse(new TextDecoder().decode(files['adapter_config.json'])) as Record<string, unknown>,
    meta: { labels: ['not funny', 'funny'] },
  };
}

describe('style-code scorer', () => {
  it('is the log-likelihood ratio of the text under <|funny|> and <|not_funny|>', async () => {
    const scorer = await createStyleCodeScorer(scoring);
    const scores = await scorer.score(texts, 'en');
    for (const [i, text] of texts.entries()) {
      const body = [...tokenizer.encode(text), tokenizer.endOfJokeId];
      const lang = tokenizer.languageIds.en;
      const funny = await referenceNll([lang, tokenizer.controlIds.funny, ...body], 1);
      const notFunny = await referenceNll([lang, tokenizer.controlIds.notFunny, ...body], 1);
      const score = scores[i];
      expect(score?.label).toBe('funny');
      expect(score?.logOdds).toBeCloseTo(notFunny - funny, 3);
      expect(score?.probability).toBeCloseTo(1 / (1 + Math.exp(funny - notFunny)), 5);
    }
    await scorer.dispose();
  });

  it('gives each text the same score alone as in a padded batch', async () => {
    const scorer = await createStyleCodeScorer(scoring);
    const together = await scorer.score(texts, 'zh');
    for (const [i, text] of texts.entries()) {
      const [alone] = await scorer.score([text], 'zh');
      expect(alone?.logOdds).toBeCloseTo(together[i]?.logOdds as number, 4);
    }
    await scorer.dispose();
  });
});

describe('classifier-adapter scorer', () => {
  it('scores the probability of the second label, the same alone as in a padded batch', async () => {
    const scorer = await createAdapterScorer(scoring, classifierRecord(1));
    const together = await scorer.score(texts, 'en');
    expect(together.map((s) => s.label)).toEqual(['funny', 'funny', 'funny']);
    for (const [i, text] of texts.entries()) {
      const [alone] = await scorer.score([text], 'en');
      expect(alone?.probability).toBeCloseTo(together[i]?.probability as number, 5);
      const p = together[i]?.probability as number;
      expect(together[i]?.logOdds).toBeCloseTo(Math.log(p / (1 - p)), 4);
    }
    expect(new Set(together.map((s) => s.probability.toFixed(4))).size).toBe(texts.length);
    await scorer.dispose();
  });

  it('reverses its order when the head is negated, and scores the other label on request', async () => {
    const plus = await createAdapterScorer(scoring, classifierRecord(1));
    const minus = await createAdapterScorer(scoring, classifierRecord(-1));
    const asked = await createAdapterScorer(scoring, classifierRecord(1), 'not funny');
    const a = await plus.score(texts, 'en');
    const b = await minus.score(texts, 'en');
    const c = await asked.score(texts, 'en');
    for (const i of texts.keys()) {
      expect((a[i]?.probability as number) + (b[i]?.probability as number)).toBeCloseTo(1, 5);
      expect(c[i]?.probability).toBeCloseTo(b[i]?.probability as number, 5);
      expect(c[i]?.label).toBe('not funny');
    }
    await Promise.all([plus.dispose(), minus.dispose(), asked.dispose()]);
  });

  it('refuses a generator adapter and a label the classifier does not have', async () => {
    const generator = classifierRecord(1);
    generator.config = { ...generator.config, task_type: 'CAUSAL_LM' };
    await expect(createAdapterScorer(scoring, generator)).rejects.toThrow(/only a classifier adapter/);
    await expect(createAdapterScorer(scoring, classifierRecord(1), 'meh')).rejects.toThrow(
      /has no label "meh"; its labels are not funny, funny/,
    );
  });
});
