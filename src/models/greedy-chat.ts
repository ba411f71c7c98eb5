/**
 * Greedy decoding of an imported instruct model's answer to a chat, on any Runtime: the same code runs in
 * the Node tool (onnxruntime-node) and in the browser (onnxruntime-web), so their tokens can be compared.
 */
import type { Decoder } from '../eval/decoder.ts';
import { generate } from '../runtime/generate.ts';
import type { ChatMessage } from './chat-template.ts';
import type { ImportedTokenizer } from './imported-tokenizer.ts';

export const GREEDY = { temperature: 0, topK: 0, topP: 1, repetitionPenalty: 1 } as const;

export interface ChatAnswer {
  promptIds: number[];
  ids: number[];
  text: string;
  /** Milliseconds: prompt pass plus every further step. */
  totalMs: number;
  decodeTokensPerSecond: number | null;
}

export async function greedyChat(
  decoder: Decoder,
  tokenizer: ImportedTokenizer,
  messages: readonly ChatMessage[],
  maxNewTokens: number,
): Promise<ChatAnswer> {
  const promptIds = tokenizer.encodeChat(messages);
  const result = await generate(decoder.session, decoder.runtime.tensors, decoder.spec, {
    prompts: [promptIds],
    maxNewTokens,
    eosTokenIds: tokenizer.eosTokenIds,
    sampling: GREEDY,
    seed: 0,
    boundInputs: decoder.weights,
  });
  const ids = result.sequences[0] ?? [];
  return {
    promptIds,
    ids,
    text: tokenizer.decode(ids, { skipSpecialTokens: true }),
    totalMs: result.totalMs,
    decodeTokensPerSecond: result.decodeTokensPerSecond,
  };
}
