/**
 * Generating with an imported model (the tiny GGUF Llama as the Models picker stores it): the prompt goes through
 * its chat template, or as plain text for a base model; candidates stop at its own EOS, and Chinese streams in
 * whole characters.
 */
import { describe, expect, it } from 'vitest';
import { nodeRuntime } from '../../../src/runtime/ort-node.ts';
import { createDecoderModel, type DecoderModel } from '../../../src/worker/generate/decoder-model.ts';
import { promptIds, runGeneration, type JobHooks } from '../../../src/worker/generate/generation-job.ts';
import type { GeneratePayload, GenerateProgress } from '../../../src/worker/generate/types.ts';
import {
  importedTinyFiles,
  withConfig,
  withoutChatTemplate,
  writingSequence,
} from './imported-tiny-model.ts';
import { tinyModelFiles } from './tiny-model.ts';

const payload = (patch: Partial<GeneratePayload> = {}): GeneratePayload => ({
  modelId: 'imported-tiny',
  prompt: 'cats',
  language: 'en',
  control: 'funny',
  sampling: { temperature: 1, topK: 0, topP: 1, repetitionPenalty: 1 },
  maxNewTokens: 20,
  candidates: 2,
  seed: 3,
  adapterId: null,
  strictness: 'standard',
  ...patch,
});

function hooks() {
  const events: GenerateProgress[] = [];
  const controller = new AbortController();
  const value: JobHooks = {
    signal: controller.signal,
    checkpoint: () => Promise.resolve(),
    onProgress: (p) => events.push(p),
  };
  return { value, events };
}

const load = (files: Map<string, ArrayBuffer>) =>
  createDecoderModel('imported-tiny', files, nodeRuntime, 'cpu');

/** The fixture's 64-token context is shorter than a Chinese chat prompt in its 316-token vocabulary. */
const longContext = (files: Map<string, ArrayBuffer>) => withConfig(files, { max_position_embeddings: 256 });

function importedTokenizer(model: DecoderModel) {
  if (model.kind !== 'imported') throw new Error(`expected an imported model, got ${model.kind}`);
  return model.tokenizer;
}

describe('imported instruct model', () => {
  it('asks for a joke through the chat template, in the chosen language, with the style control unused', async () => {
    const model = await load(importedTinyFiles());
    const tokenizer = importedTokenizer(model);
    expect(model.framing.info).toEqual({
      kind: 'chat-template',
      style: false,
      language: true,
      continuesPrompt: false,
    });
    const english =
      'Tell me a short joke in English about this, or continuing it: "cats". Reply with the joke only.';
    const ids = promptIds(model, payload());
    expect(ids).toEqual(tokenizer.encodeChat([{ role: 'user', content: english }]));
    expect(tokenizer.decode(ids)).toBe(`<|im_start|>user\n${english}<|im_end|>\n<|im_start|>assistant\n`);
    expect(promptIds(model, payload({ control: 'notFunny' }))).toEqual(ids);

    const chinese = '请用中文讲一个简短的笑话，关于这句话或接着这句话往下写：“程序员”。只回复笑话本身。';
    expect(promptIds(model, payload({ language: 'zh', prompt: '程序员' }))).toEqual(
      tokenizer.encodeChat([{ role: 'user', content: chinese }]),
    );
    expect(promptIds(model, payload({ prompt: '' }))).toEqual(
      tokenizer.encodeChat([
        { role: 'user', content: 'Tell me a short joke in English. Reply with the joke only.' },
      ]),
    );
    expect(() => promptIds(model, payload({ prompt: 'cats<|im_end|>' }))).toThrow(
      /special token <\|im_end\|>/,
    );
    expect(model.framing.eosTokenIds).toEqual([2]);
    await model.dispose();
  });

  it('stops at the imported EOS and streams Chinese in whole characters', async () => {
    const plain = await load(longContext(importedTinyFiles()));
    const tokenizer = importedTokenizer(plain);
    const request = payload({ language: 'zh', prompt: '猫' });
    const last = promptIds(plain, request).at(-1) as number;
    await plain.dispose();
    const joke = '冷笑话';
    // 9 byte-level tokens for 3 characters: every character is split across tokens.
    const jokeIds = tokenizer.encode(joke);
    expect(jokeIds).toHaveLength(9);
    const eos = tokenizer.eosTokenIds[0] as number;
    const files = writingSequence(longContext(importedTinyFiles()), [last, ...jokeIds, eos]);
    const model = await load(files);
    const { value, events } = hooks();
    const outcome = await runGeneration(model, request, value);
    for (const candidate of outcome.candidates) {
      expect(candidate).toMatchObject({ finish: 'eos', tokens: 9, continuation: joke, text: joke });
      const pieces = events.flatMap((e) =>
        e.updates.filter((u) => u.candidate === candidate.index).map((u) => u.text),
      );
      expect(pieces).toHaveLength(9);
      expect(pieces.join('')).toBe(joke);
      expect(pieces.filter((p) => p !== '')).toEqual(['冷', '笑', '话']);
      expect(pieces.some((p) => p.includes('\uFFFD'))).toBe(false);
    }
    await model.dispose();

    // An eos_token_id in config.json ends a candidate too.
    const early = await load(withConfig(files, { eos_token_id: [eos, jokeIds[3]] }));
    expect(early.framing.eosTokenIds).toEqual([eos, jokeIds[3]]);
    const stopped = await runGeneration(early, request, hooks().value);
    expect(stopped.candidates.map((c) => [c.finish, c.tokens, c.continuation])).toEqual([
      ['eos', 3, '冷'],
      ['eos', 3, '冷'],
    ]);
    await early.dispose();
  });
});

describe('imported base model (no chat template)', () => {
  it('continues the opening as it is, or starts from BOS', async () => {
    const files = withoutChatTemplate(importedTinyFiles());
    const plain = await load(files);
    const tokenizer = importedTokenizer(plain);
    expect(plain.framing.info).toEqual({
      kind: 'plain-text',
      style: false,
      language: false,
      continuesPrompt: true,
    });
    expect(promptIds(plain, payload({ prompt: 'Ha' }))).toEqual(tokenizer.encode('Ha'));
    expect(promptIds(plain, payload({ prompt: '' }))).toEqual([tokenizer.bosTokenId]);
    const last = tokenizer.encode('Ha').at(-1) as number;
    await plain.dispose();

    const model = await load(writingSequence(files, [last, ...tokenizer.encode(' hey'), 2]));
    const outcome = await runGeneration(model, payload({ prompt: 'Ha', candidates: 1 }), hooks().value);
    expect(outcome.candidates[0]).toMatchObject({ finish: 'eos', continuation: ' hey', text: 'Ha hey' });
    await model.dispose();
  });
});

describe('device fit', () => {
  it('refuses weights that cannot fit the WASM heap as float32 before reading them, saying how large', async () => {
    const huge = withConfig(importedTinyFiles(), {
      hidden_size: 8192,
      intermediate_size: 28672,
      num_hidden_layers: 16,
      num_attention_heads: 64,
      num_key_value_heads: 8,
      head_dim: 128,
    });
    await expect(createDecoderModel('imported-huge', huge, nodeRuntime, 'wasm')).rejects.toThrow(
      /imported-huge does not fit this device with float32 weights: the weights need \d+ MiB as float32/,
    );
  });
});

describe('framing chosen at load', () => {
  it('keeps control codes for a model with our tokenizer, whatever its id', async () => {
    const own = await createDecoderModel('imported-0123456789abcdef', tinyModelFiles(), nodeRuntime, 'cpu');
    if (own.kind !== 'own') throw new Error(`expected our own model, got ${own.kind}`);
    expect(own.framing.info).toEqual({
      kind: 'control-codes',
      style: true,
      language: true,
      continuesPrompt: true,
    });
    expect(own.framing.eosTokenIds).toEqual([own.tokenizer.endOfJokeId]);
    expect(own.framing.languages).toEqual(['en', 'zh']);
    await own.dispose();
  });
});
