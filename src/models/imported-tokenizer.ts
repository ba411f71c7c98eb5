import { Tokenizer } from '@huggingface/tokenizers';
import { byteLevelBytes } from '../tokenizer/byte-level.ts';
import type { TokenPiece } from '../tokenizer/tokenizer.ts';
import { parseChatTemplate, type ChatMessage, type ChatTemplate } from './chat-template.ts';

export class ImportedTokenizerError extends Error {
  constructor(source: string, problem: string) {
    super(`${source}: ${problem}`);
    this.name = 'ImportedTokenizerError';
  }
}

/**
 * Any byte-level BPE tokenizer.json (GPT-2, Llama 3, SmolLM2, Qwen…) with its tokenizer_config.json:
 * the full pre-tokenizer pipeline runs in @huggingface/tokenizers, the chat template in @huggingface/jinja.
 */
export interface ImportedTokenizer {
  encode(text: string): number[];
  /** Special tokens appear as their literal content unless skipSpecialTokens is set. */
  decode(ids: readonly number[], options?: { skipSpecialTokens?: boolean }): string;
  /** The bytes or special token an id stands for (for streaming decoding). */
  piece(id: number): TokenPiece;
  readonly vocabSize: number;
  /** Every special token id (added_tokens with special: true), keyed by content. */
  readonly specialIds: ReadonlyMap<string, number>;
  readonly bosTokenId: number | null;
  /** The ids that end a generation: tokenizer_config's eos_token plus any extra the caller passes. */
  readonly eosTokenIds: readonly number[];
  readonly chatTemplate: ChatTemplate | null;
  /** The prompt ids for a conversation, formatted by the chat template (with the assistant turn opened). */
  encodeChat(messages: readonly ChatMessage[]): number[];
}

interface TokenizerJsonShape {
  model?: { type?: unknown; vocab?: unknown };
  decoder?: { type?: unknown; decoders?: { type?: unknown }[] } | null;
  added_tokens?: { id?: unknown; content?: unknown; special?: unknown }[];
}

function isByteLevelDecoder(decoder: TokenizerJsonShape['decoder']): boolean {
  if (decoder?.type === 'ByteLevel') return true;
  return decoder?.type === 'Sequence' && (decoder.decoders ?? []).some((d) => d.type === 'ByteLevel');
}

/** tokenizer_config.json writes a token either as a string or as an AddedToken object with `content`. */
function tokenContent(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { content?: unknown }).content === 'string'
  )
    return (value as { content: string }).content;
  return null;
}

function buildPieces(
  vocab: Record<string, number>,
  added: Map<string, { id: number; special: boolean }>,
  source: string,
): TokenPiece[] {
  const pieces: TokenPiece[] = [];
  for (const [token, id] of Object.entries(vocab)) {
    const bytes = byteLevelBytes(token);
    if (bytes === null && !added.has(token))
      throw new ImportedTokenizerError(
        source,
        `vocabulary entry ${JSON.stringify(token)} (id ${id}) is not in the byte-level alphabet; only byte-level BPE tokenizers are supported`,
      );
    pieces[id] = bytes === null ? { kind: 'special', content: token } : { kind: 'bytes', bytes };
  }
  for (const [content, { id, special }] of added) {
    // Added tokens are matched verbatim in text, so a non-special one decodes to its UTF-8 content.
    pieces[id] = special
      ? { kind: 'special', content }
      : { kind: 'bytes', bytes: new TextEncoder().encode(content) };
  }
  for (let id = 0; id < pieces.length; id += 1) {
    if (pieces[id] === undefined)
      throw new ImportedTokenizerError(source, `id ${id} has no vocabulary entry; ids must be contiguous`);
  }
  return pieces;
}

/**
 * Wraps a Hugging Face tokenizer.json and tokenizer_config.json. `source` names the files in errors;
 * `extraEosTokenIds` adds ids from config.json / generation_config.json that also end a turn.
 */
export function createImportedTokenizer(
  tokenizerJson: unknown,
  tokenizerConfig: unknown,
  source = 'tokenizer.json',
  extraEosTokenIds: readonly number[] = [],
): ImportedTokenizer {
  if (typeof tokenizerJson !== 'object' || tokenizerJson === null)
    throw new ImportedTokenizerError(source, 'expected a tokenizer.json object');
  const shape = tokenizerJson as TokenizerJsonShape;
  if (shape.model?.type !== 'BPE')
    throw new ImportedTokenizerError(source, `model.type is ${String(shape.model?.type)}; expected "BPE"`);
  if (!isByteLevelDecoder(shape.decoder))
    throw new ImportedTokenizerError(
      source,
      `decoder is ${String(shape.decoder?.type)}; expected ByteLevel (a byte-level BPE tokenizer)`,
    );
  if (typeof shape.model.vocab !== 'object' || shape.model.vocab === null)
    throw new ImportedTokenizerError(source, 'model.vocab is missing');
  const config = (
    typeof tokenizerConfig === 'object' && tokenizerConfig !== null ? tokenizerConfig : {}
  ) as Record<string, unknown>;
  const added = new Map<string, { id: number; special: boolean }>();
  for (const token of shape.added_tokens ?? []) {
    if (typeof token.content === 'string' && typeof token.id === 'number')
      added.set(token.content, { id: token.id, special: token.special === true });
  }
  const pieces = buildPieces(shape.model.vocab as Record<string, number>, added, source);
  const vocabSize = pieces.length;
  const specialIds = new Map([...added].filter(([, t]) => t.special).map(([content, t]) => [content, t.id]));
  const tokenizer = new Tokenizer(tokenizerJson, { ...config, clean_up_tokenization_spaces: false });
  const idOfConfigToken = (key: string): number | null => {
    const content = tokenContent(config[key]);
    if (content === null) return null;
    const id = tokenizer.token_to_id(content);
    if (id === undefined)
      throw new ImportedTokenizerError(
        source,
        `tokenizer_config.json ${key} "${content}" is not in the vocabulary`,
      );
    return id;
  };
  const bosTokenId = idOfConfigToken('bos_token');
  const eos = idOfConfigToken('eos_token');
  const eosTokenIds = [...new Set([...(eos === null ? [] : [eos]), ...extraEosTokenIds])];
  const chatTemplate = parseChatTemplate(
    config.chat_template,
    `${source} (tokenizer_config.json chat_template)`,
  );
  const checkIds = (ids: readonly number[]): void => {
    for (const id of ids) {
      if (!Number.isInteger(id) || id < 0 || id >= vocabSize)
        throw new RangeError(`token id ${id} is outside the vocabulary (0..${vocabSize - 1})`);
    }
  };
  const encode = (text: string): number[] => tokenizer.encode(text, { add_special_tokens: false }).ids;
  return {
    encode,
    decode: (ids, options = {}) => {
      checkIds(ids);
      return ids.length === 0
        ? ''
        : tokenizer.decode([...ids], {
            skip_special_tokens: options.skipSpecialTokens === true,
            clean_up_tokenization_spaces: false,
          });
    },
    piece: (id) => {
      checkIds([id]);
      return pieces[id] as TokenPiece;
    },
    vocabSize,
    specialIds,
    bosTokenId,
    eosTokenIds,
    chatTemplate,
    encodeChat: (messages) => {
      if (chatTemplate === null)
        throw new ImportedTokenizerError(
          source,
          'tokenizer_config.json has no chat_template; encode plain text instead (this is not an instruct model)',
        );
      return encode(
        chatTemplate.render(messages, {
          bos_token: tokenContent(config.bos_token) ?? '',
          eos_token: tokenContent(config.eos_token) ?? '',
        }),
      );
    },
  };
}
