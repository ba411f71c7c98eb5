/**
 * A Hugging Face tokenizer.json + tokenizer_config.json rebuilt from a GGUF's tokenizer metadata.
 * Only byte-level BPE vocabularies (tokenizer.ggml.model = "gpt2") are rebuilt; the pre-tokenizer follows
 * tokenizer.ggml.pre the way llama.cpp splits text for that value.
 */
import { GgufError } from './errors.ts';
import {
  optionalBool,
  optionalIntArray,
  optionalNumber,
  optionalPositiveInt,
  optionalString,
  requiredString,
  stringArray,
  type MetadataSource,
} from './metadata-access.ts';

/** llama.cpp token types (llama_token_type). */
const TOKEN_TYPE = { NORMAL: 1, UNKNOWN: 2, CONTROL: 3, USER_DEFINED: 4, UNUSED: 5, BYTE: 6 } as const;

const BYTE_LEVEL = { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true };

/** Pre-tokenizer families, keyed by tokenizer.ggml.pre: the GPT-2 regex, or digits split one by one first. */
const PRE_TOKENIZERS: Record<string, object> = {
  default: BYTE_LEVEL,
  gpt2: BYTE_LEVEL,
  mpt: BYTE_LEVEL,
  olmo: BYTE_LEVEL,
  jais: BYTE_LEVEL,
  smollm: { type: 'Sequence', pretokenizers: [{ type: 'Digits', individual_digits: true }, BYTE_LEVEL] },
  starcoder: { type: 'Sequence', pretokenizers: [{ type: 'Digits', individual_digits: true }, BYTE_LEVEL] },
  refact: { type: 'Sequence', pretokenizers: [{ type: 'Digits', individual_digits: true }, BYTE_LEVEL] },
  codeshell: { type: 'Sequence', pretokenizers: [{ type: 'Digits', individual_digits: true }, BYTE_LEVEL] },
};

export interface RebuiltTokenizer {
  tokenizerJson: Record<string, unknown>;
  tokenizerConfig: Record<string, unknown>;
  /** Later duplicates of a token text, which no encoding can produce (the first id wins). */
  duplicateIds: number[];
}

function tokenAt(
  src: MetadataSource,
  tokens: readonly string[],
  key: string,
): { id: number; text: string } | null {
  const id = optionalNumber(src, key);
  if (id === undefined) return null;
  const text = tokens[id];
  if (!Number.isInteger(id) || text === undefined) {
    throw new GgufError(src.label, key, `token id ${id} is outside the ${tokens.length}-token vocabulary`);
  }
  return { id, text };
}

function splitMerges(src: MetadataSource, merges: readonly string[]): [string, string][] {
  return merges.map((merge, index) => {
    const parts = merge.split(' ');
    if (parts.length !== 2 || parts[0] === '' || parts[1] === '') {
      throw new GgufError(
        src.label,
        `tokenizer.ggml.merges[${index}]`,
        `${JSON.stringify(merge)} is not "left right"`,
      );
    }
    return parts as [string, string];
  });
}

function postProcessor(bos: { id: number; text: string } | null, addBos: boolean): object {
  if (!addBos || bos === null) return { ...BYTE_LEVEL, trim_offsets: false };
  const special = { SpecialToken: { id: bos.text, type_id: 0 } };
  return {
    type: 'TemplateProcessing',
    single: [special, { Sequence: { id: 'A', type_id: 0 } }],
    pair: [special, { Sequence: { id: 'A', type_id: 0 } }, special, { Sequence: { id: 'B', type_id: 1 } }],
    special_tokens: { [bos.text]: { id: bos.text, ids: [bos.id], tokens: [bos.text] } },
  };
}

export function tokenizerFromGguf(src: MetadataSource, contextLength?: number): RebuiltTokenizer {
  const model = requiredString(src, 'tokenizer.ggml.model');
  if (model !== 'gpt2') {
    throw new GgufError(
      src.label,
      'tokenizer.ggml.model',
      `"${model}" is not supported; only byte-level BPE ("gpt2") vocabularies are rebuilt`,
    );
  }
  const pre = optionalString(src, 'tokenizer.ggml.pre') ?? 'default';
  const preTokenizer = PRE_TOKENIZERS[pre];
  if (preTokenizer === undefined) {
    throw new GgufError(
      src.label,
      'tokenizer.ggml.pre',
      `pre-tokenizer "${pre}" is not supported; expected one of ${Object.keys(PRE_TOKENIZERS).join(', ')}`,
    );
  }
  const tokens = stringArray(src, 'tokenizer.ggml.tokens');
  const types = optionalIntArray(src, 'tokenizer.ggml.token_type');
  if (types !== undefined && types.length !== tokens.length) {
    throw new GgufError(
      src.label,
      'tokenizer.ggml.token_type',
      `has ${types.length} entries for ${tokens.length} tokens`,
    );
  }
  const merges = splitMerges(
    src,
    src.metadata.has('tokenizer.ggml.merges') ? stringArray(src, 'tokenizer.ggml.merges') : [],
  );

  const vocab: Record<string, number> = {};
  const duplicateIds: number[] = [];
  const added: object[] = [];
  tokens.forEach((text, id) => {
    if (Object.hasOwn(vocab, text)) duplicateIds.push(id);
    else vocab[text] = id;
    const type = types?.[id] ?? TOKEN_TYPE.NORMAL;
    if (type === TOKEN_TYPE.CONTROL || type === TOKEN_TYPE.USER_DEFINED) {
      added.push({
        id,
        content: text,
        single_word: false,
        lstrip: false,
        rstrip: false,
        normalized: type === TOKEN_TYPE.USER_DEFINED,
        special: type === TOKEN_TYPE.CONTROL,
      });
    }
  });

  const bos = tokenAt(src, tokens, 'tokenizer.ggml.bos_token_id');
  const eos = tokenAt(src, tokens, 'tokenizer.ggml.eos_token_id');
  const pad = tokenAt(src, tokens, 'tokenizer.ggml.padding_token_id');
  const unk = tokenAt(src, tokens, 'tokenizer.ggml.unknown_token_id');
  const addBos = optionalBool(src, 'tokenizer.ggml.add_bos_token') ?? false;
  const tokenizerJson = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: added,
    normalizer: null,
    pre_tokenizer: preTokenizer,
    post_processor: postProcessor(bos, addBos),
    decoder: { ...BYTE_LEVEL, add_prefix_space: true },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: false,
      vocab,
      merges,
    },
  };
  const chatTemplate = optionalString(src, 'tokenizer.chat_template');
  const tokenizerConfig: Record<string, unknown> = {
    tokenizer_class: 'PreTrainedTokenizerFast',
    add_bos_token: addBos,
    add_eos_token: optionalBool(src, 'tokenizer.ggml.add_eos_token') ?? false,
    bos_token: bos?.text ?? null,
    eos_token: eos?.text ?? null,
    pad_token: pad?.text ?? null,
    unk_token: unk?.text ?? null,
    clean_up_tokenization_spaces: false,
    model_max_length: contextLength ?? optionalPositiveInt(src, 'llama.context_length') ?? null,
  };
  if (chatTemplate !== undefined) tokenizerConfig.chat_template = chatTemplate;
  return { tokenizerJson, tokenizerConfig, duplicateIds };
}
