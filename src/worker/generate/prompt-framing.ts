/**
 * How a generate request becomes prompt ids, chosen once when the model loads: our own models are prompted with
 * their language tag and control code, an imported instruct model with its chat template around a request for a
 * short joke, an imported base model with the opening as it is.
 */
import type { ImportedTokenizer } from '../../models/imported-tokenizer.ts';
import type { PunchlineTokenizer } from '../../tokenizer/index.ts';
import { WorkerError } from '../errors.ts';
import type { GeneratePayload, JokeLanguage, PromptingInfo } from './types.ts';

export type FramedRequest = Pick<GeneratePayload, 'prompt' | 'language' | 'control'>;

export interface PromptFraming {
  readonly info: PromptingInfo;
  /** Languages the tokenizer itself marks (our own models' language tags); [] for imported models. */
  readonly languages: string[];
  /** The ids every candidate of a request starts from. */
  promptIds(request: FramedRequest): number[];
  /** The ids that end a candidate. */
  readonly eosTokenIds: readonly number[];
}

function refuseSpecial(found: string | undefined, kind: string): void {
  if (found === undefined) return;
  throw new WorkerError(
    'InvalidRequest',
    `The prompt contains the ${kind} ${found}; remove it (the language and style are set by the controls).`,
  );
}

/** Our own models: `<|lang|><|control|>` + the opening; they end a joke with <|endofjoke|>. */
export function controlCodeFraming(
  tokenizer: PunchlineTokenizer,
  configEosIds: readonly number[],
): PromptFraming {
  const special = new Set(tokenizer.specialIds.values());
  return {
    info: { kind: 'control-codes', style: true, language: true, continuesPrompt: true },
    languages: Object.keys(tokenizer.languageIds),
    eosTokenIds: [...new Set([tokenizer.endOfJokeId, ...configEosIds])],
    promptIds({ prompt, language, control }) {
      const body = prompt === '' ? [] : tokenizer.encode(prompt);
      const injected = body.find((id) => special.has(id));
      refuseSpecial(injected === undefined ? undefined : tokenizer.decode([injected]), 'control token');
      const code = control === 'funny' ? tokenizer.controlIds.funny : tokenizer.controlIds.notFunny;
      return [tokenizer.languageIds[language], code, ...body];
    },
  };
}

/** The one user message an instruct model gets: a short joke about, or going on from, the prompt. */
export function jokeRequest(language: JokeLanguage, prompt: string): string {
  const topic = prompt.trim();
  if (language === 'zh')
    return topic === ''
      ? '请用中文讲一个简短的笑话。只回复笑话本身。'
      : `请用中文讲一个简短的笑话，关于这句话或接着这句话往下写：“${topic}”。只回复笑话本身。`;
  return topic === ''
    ? 'Tell me a short joke in English. Reply with the joke only.'
    : `Tell me a short joke in English about this, or continuing it: "${topic}". Reply with the joke only.`;
}

/**
 * Imported models: with a chat template the prompt becomes one user message asking for a joke (the answer is
 * the joke), without one the opening is encoded as it is (the model continues it).
 */
export function importedFraming(
  tokenizer: ImportedTokenizer,
  configEosIds: readonly number[],
): PromptFraming {
  const specials = [...tokenizer.specialIds.keys()];
  const eosTokenIds = [...new Set([...tokenizer.eosTokenIds, ...configEosIds])];
  const checked = (prompt: string) => {
    refuseSpecial(
      specials.find((s) => prompt.includes(s)),
      'special token',
    );
    return prompt;
  };
  if (tokenizer.chatTemplate !== null) {
    return {
      info: { kind: 'chat-template', style: false, language: true, continuesPrompt: false },
      languages: [],
      eosTokenIds,
      promptIds: ({ prompt, language }) =>
        tokenizer.encodeChat([{ role: 'user', content: jokeRequest(language, checked(prompt)) }]),
    };
  }
  return {
    info: { kind: 'plain-text', style: false, language: false, continuesPrompt: true },
    languages: [],
    eosTokenIds,
    promptIds({ prompt }) {
      const ids = checked(prompt) === '' ? [] : tokenizer.encode(prompt);
      if (ids.length > 0) return ids;
      if (tokenizer.bosTokenId !== null) return [tokenizer.bosTokenId];
      throw new WorkerError(
        'InvalidRequest',
        'This base model has no chat template and no start token: type the opening of a joke for it to continue.',
      );
    },
  };
}
