/**
 * The model card's samples: fixed prompts, seeds and sampling settings, so the same weights always give
 * the same text (tools/sample-model.ts writes them, a unit test regenerates one).
 */
import { generate, type FinishReason } from '../runtime/generate.ts';
import type { SamplingSettings } from '../runtime/sampling.ts';
import { CONTROL_CODES, LANGUAGE_TAGS, type Language } from '../tokenizer/special-tokens.ts';
import type { PunchlineTokenizer } from '../tokenizer/tokenizer.ts';
import type { Decoder } from './decoder.ts';

export interface SampleSettings extends SamplingSettings {
  maxNewTokens: number;
}

export const SAMPLE_SETTINGS: SampleSettings = {
  temperature: 0.8,
  topK: 50,
  topP: 0.95,
  repetitionPenalty: 1.1,
  maxNewTokens: 96,
};

export interface SamplePrompt {
  language: Language;
  /** Text after `<|lang|><|funny|>`; may be empty. */
  opening: string;
  seed: number;
}

const OPENINGS: Record<Language, readonly string[]> = {
  en: [
    '',
    '',
    '',
    '',
    '',
    'Why did the',
    'My wife',
    'A man walks into a bar',
    'What do you call',
    'I told my',
  ],
  zh: ['', '', '', '', '', '为什么', '老婆', '有一天', '老师问', '我问'],
};

/** Ten prompts per language, seeds 1..10. */
export const SAMPLE_PROMPTS: readonly SamplePrompt[] = (['en', 'zh'] as const).flatMap((language) =>
  OPENINGS[language].map((opening, i) => ({ language, opening, seed: i + 1 })),
);

export interface Sample extends SamplePrompt {
  /** The full prompt as text, special tokens included. */
  prompt: string;
  /** Generated ids, without the prompt and without the final <|endofjoke|>. */
  generatedIds: number[];
  /** The opening followed by the generated text, unedited. */
  text: string;
  finishReason: FinishReason;
}

export function samplePromptIds(tokenizer: PunchlineTokenizer, prompt: SamplePrompt): number[] {
  return [
    tokenizer.languageIds[prompt.language],
    tokenizer.controlIds.funny,
    ...(prompt.opening === '' ? [] : tokenizer.encode(prompt.opening)),
  ];
}

export async function drawSample(
  decoder: Decoder,
  tokenizer: PunchlineTokenizer,
  prompt: SamplePrompt,
  settings: SampleSettings = SAMPLE_SETTINGS,
): Promise<Sample> {
  const { maxNewTokens, ...sampling } = settings;
  const result = await generate(decoder.session, decoder.runtime.tensors, decoder.spec, {
    prompts: [samplePromptIds(tokenizer, prompt)],
    maxNewTokens,
    eosTokenIds: [tokenizer.endOfJokeId],
    sampling,
    seed: prompt.seed,
    boundInputs: decoder.weights,
  });
  const generatedIds = result.sequences[0] ?? [];
  return {
    ...prompt,
    prompt: `${LANGUAGE_TAGS[prompt.language]}${CONTROL_CODES.funny}${prompt.opening}`,
    generatedIds,
    text: prompt.opening + tokenizer.decode(generatedIds),
    finishReason: result.finishReasons[0] ?? 'length',
  };
}
