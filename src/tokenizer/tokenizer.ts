import { Tokenizer } from '@huggingface/tokenizers';
import { byteLevelBytes } from './byte-level.ts';
import {
  CONTROL_CODES,
  END_OF_JOKE,
  LANGUAGE_TAGS,
  SPECIAL_TOKENS,
  STYLE_SLOTS,
  type Language,
} from './special-tokens.ts';

export class TokenizerFormatError extends Error {
  constructor(source: string, problem: string) {
    super(`${source}: ${problem}`);
    this.name = 'TokenizerFormatError';
  }
}

/** What a token id stands for: raw bytes of text, or a special token (decoded as its literal content). */
export type TokenPiece = { kind: 'bytes'; bytes: Uint8Array } | { kind: 'special'; content: string };

export interface PunchlineTokenizer {
  encode(text: string): number[];
  /** Decodes ids to text; special tokens appear as their literal content, e.g. "<|endofjoke|>". */
  decode(ids: readonly number[]): string;
  /** The bytes or special token an id stands for (what the streaming decoder works on). */
  piece(id: number): TokenPiece;
  readonly vocabSize: number;
  readonly endOfJokeId: number;
  readonly languageIds: Record<Language, number>;
  readonly controlIds: { funny: number; notFunny: number };
  readonly styleIds: readonly number[];
  /** Every special token id, keyed by its content. */
  readonly specialIds: ReadonlyMap<string, number>;
}

interface TokenizerJsonShape {
  model?: { type?: unknown; vocab?: unknown };
  pre_tokenizer?: { type?: unknown } | null;
  decoder?: { type?: unknown } | null;
  added_tokens?: { id?: unknown; content?: unknown; special?: unknown }[];
}

function checkShape(
  json: unknown,
  source: string,
): { vocab: Record<string, number>; added: Map<string, number> } {
  const shape = json as TokenizerJsonShape;
  if (typeof json !== 'object' || json === null)
    throw new TokenizerFormatError(source, 'expected a tokenizer.json object');
  if (shape.model?.type !== 'BPE')
    throw new TokenizerFormatError(source, `model.type is ${String(shape.model?.type)}; expected "BPE"`);
  if (shape.pre_tokenizer?.type !== 'ByteLevel')
    throw new TokenizerFormatError(source, 'pre_tokenizer must be ByteLevel (a byte-level BPE tokenizer)');
  if (shape.decoder?.type !== 'ByteLevel')
    throw new TokenizerFormatError(source, 'decoder must be ByteLevel');
  if (typeof shape.model.vocab !== 'object' || shape.model.vocab === null)
    throw new TokenizerFormatError(source, 'model.vocab is missing');
  const added = new Map<string, number>();
  for (const token of shape.added_tokens ?? []) {
    if (typeof token.content === 'string' && typeof token.id === 'number' && token.special === true)
      added.set(token.content, token.id);
  }
  for (const special of SPECIAL_TOKENS) {
    if (!added.has(special))
      throw new TokenizerFormatError(
        source,
        `special token ${special} is missing from added_tokens; retrain with tools/train-tokenizer.py`,
      );
  }
  return { vocab: shape.model.vocab as Record<string, number>, added };
}

/**
 * Wraps a byte-level BPE tokenizer.json (and its tokenizer_config.json) behind encode/decode and the
 * punchline special-token ids. `source` names the files in error messages.
 */
export function createTokenizer(
  tokenizerJson: unknown,
  tokenizerConfig: unknown,
  source = 'tokenizer.json',
): PunchlineTokenizer {
  const { vocab, added } = checkShape(tokenizerJson, source);
  const tokenizer = new Tokenizer(tokenizerJson as object, {
    ...(tokenizerConfig as object),
    clean_up_tokenization_spaces: false,
  });
  const pieces: TokenPiece[] = [];
  for (const [token, id] of Object.entries(vocab)) {
    if (added.has(token)) {
      pieces[id] = { kind: 'special', content: token };
      continue;
    }
    const bytes = byteLevelBytes(token);
    if (bytes === null)
      throw new TokenizerFormatError(
        source,
        `vocabulary entry ${JSON.stringify(token)} (id ${id}) is not in the byte-level alphabet`,
      );
    pieces[id] = { kind: 'bytes', bytes };
  }
  for (const [content, id] of added) pieces[id] = { kind: 'special', content };
  const vocabSize = pieces.length;
  for (let id = 0; id < vocabSize; id += 1) {
    if (pieces[id] === undefined)
      throw new TokenizerFormatError(source, `id ${id} has no vocabulary entry; ids must be contiguous`);
  }
  const idOf = (token: string): number => added.get(token) as number;
  const checkIds = (ids: readonly number[]): void => {
    for (const id of ids) {
      if (!Number.isInteger(id) || id < 0 || id >= vocabSize)
        throw new RangeError(`token id ${id} is outside the vocabulary (0..${vocabSize - 1})`);
    }
  };
  return {
    encode: (text) => tokenizer.encode(text, { add_special_tokens: false }).ids,
    decode: (ids) => {
      checkIds(ids);
      return ids.length === 0
        ? ''
        : tokenizer.decode([...ids], { skip_special_tokens: false, clean_up_tokenization_spaces: false });
    },
    piece: (id) => {
      checkIds([id]);
      return pieces[id] as TokenPiece;
    },
    vocabSize,
    endOfJokeId: idOf(END_OF_JOKE),
    languageIds: { en: idOf(LANGUAGE_TAGS.en), zh: idOf(LANGUAGE_TAGS.zh) },
    controlIds: { funny: idOf(CONTROL_CODES.funny), notFunny: idOf(CONTROL_CODES.notFunny) },
    styleIds: STYLE_SLOTS.map(idOf),
    specialIds: added,
  };
}
