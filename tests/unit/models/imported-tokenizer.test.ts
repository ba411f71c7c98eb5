import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ChatTemplateError, parseChatTemplate } from '../../../src/models/chat-template.ts';
import { createImportedTokenizer, ImportedTokenizerError } from '../../../src/models/imported-tokenizer.ts';

// A hand-built byte-level BPE: specials 0..2, byte b at id 3+b, merges Ġc, at, Ġcat (261), 12 (262);
// pre-tokenizer Digits(individual) then ByteLevel, as SmolLM2's. Expected ids below come from the
// Python `tokenizers` and transformers' apply_chat_template on the same two files.
const dir = join(import.meta.dirname, '../../fixtures/models/tiny-chat');
const tokenizerJson = JSON.parse(readFileSync(join(dir, 'tokenizer.json'), 'utf8')) as Record<
  string,
  unknown
>;
const tokenizerConfig = JSON.parse(readFileSync(join(dir, 'tokenizer_config.json'), 'utf8')) as Record<
  string,
  unknown
>;

describe('createImportedTokenizer', () => {
  const tokenizer = createImportedTokenizer(tokenizerJson, tokenizerConfig, 'tiny-chat/tokenizer.json');

  it('runs the Digits pre-tokenizer before byte-level BPE (the merge "12" must not apply)', () => {
    expect(tokenizer.encode('a cat 12')).toEqual([100, 261, 35, 52, 53]);
  });

  it('encodes Chinese as UTF-8 bytes and matches special tokens in text', () => {
    expect(tokenizer.encode('猫')).toEqual([234, 143, 174]);
    expect(tokenizer.encode('<|im_start|>user\ncat<|im_end|>')).toEqual([
      1, 120, 118, 104, 117, 13, 102, 260, 2,
    ]);
  });

  it('decodes back to the text, with or without special tokens', () => {
    const ids = tokenizer.encode('<|im_start|>猫 a cat 12<|im_end|>');
    expect(tokenizer.decode(ids)).toBe('<|im_start|>猫 a cat 12<|im_end|>');
    expect(tokenizer.decode(ids, { skipSpecialTokens: true })).toBe('猫 a cat 12');
  });

  it('reads special ids, BOS and EOS from tokenizer_config.json', () => {
    expect(tokenizer.vocabSize).toBe(263);
    expect([...tokenizer.specialIds]).toEqual([
      ['<|endoftext|>', 0],
      ['<|im_start|>', 1],
      ['<|im_end|>', 2],
    ]);
    expect(tokenizer.bosTokenId).toBe(1);
    expect(tokenizer.eosTokenIds).toEqual([2]);
    expect(createImportedTokenizer(tokenizerJson, tokenizerConfig, 't', [0, 2]).eosTokenIds).toEqual([2, 0]);
  });

  it('gives byte pieces for streaming and the literal content for specials', () => {
    expect(tokenizer.piece(261)).toEqual({ kind: 'bytes', bytes: new TextEncoder().encode(' cat') });
    expect(tokenizer.piece(2)).toEqual({ kind: 'special', content: '<|im_end|>' });
    expect(() => tokenizer.piece(263)).toThrow(RangeError);
  });

  it('formats a conversation with the chat template as transformers does', () => {
    const ids = tokenizer.encodeChat([{ role: 'user', content: 'a cat' }]);
    expect(ids).toEqual([
      1, 118, 124, 118, 119, 104, 112, 13, 69, 104, 35, 101, 117, 108, 104, 105, 2, 13, 1, 120, 118, 104, 117,
      13, 100, 261, 2, 13, 1, 100, 118, 118, 108, 118, 119, 100, 113, 119, 13,
    ]);
    expect(tokenizer.decode(ids)).toBe(
      '<|im_start|>system\nBe brief<|im_end|>\n<|im_start|>user\na cat<|im_end|>\n<|im_start|>assistant\n',
    );
  });

  it('refuses tokenizers it cannot wrap, naming the file and the problem', () => {
    const wordPiece = { ...tokenizerJson, model: { type: 'WordPiece', vocab: {} } };
    expect(() => createImportedTokenizer(wordPiece, tokenizerConfig, 'x/tokenizer.json')).toThrow(
      /x\/tokenizer.json: model.type is WordPiece/,
    );
    const metaspace = { ...tokenizerJson, decoder: { type: 'Metaspace' } };
    expect(() => createImportedTokenizer(metaspace, tokenizerConfig)).toThrow(ImportedTokenizerError);
    const badEos = { ...tokenizerConfig, eos_token: '<|nope|>' };
    expect(() => createImportedTokenizer(tokenizerJson, badEos)).toThrow(
      /eos_token "<\|nope\|>" is not in the vocabulary/,
    );
  });

  it('says so when a base model without a chat template is asked for a conversation', () => {
    const base = createImportedTokenizer(tokenizerJson, { ...tokenizerConfig, chat_template: undefined });
    expect(base.chatTemplate).toBeNull();
    expect(() => base.encodeChat([{ role: 'user', content: 'hi' }])).toThrow(/no chat_template/);
  });
});

describe('parseChatTemplate', () => {
  const tokens = { bos_token: '<s>', eos_token: '</s>' };

  it('picks the "default" template from a named list and passes the special tokens', () => {
    const template = parseChatTemplate(
      [
        { name: 'tool_use', template: 'tools' },
        {
          name: 'default',
          template: '{{ bos_token }}{% for m in messages %}[{{ m.role }}]{{ m.content }}{% endfor %}',
        },
      ],
      'cfg',
    );
    expect(template?.render([{ role: 'user', content: 'hi' }], tokens)).toBe('<s>[user]hi');
  });

  it('fails at load time on a template that does not parse', () => {
    expect(() => parseChatTemplate('{% for m in messages %}', 'cfg')).toThrow(ChatTemplateError);
    expect(() => parseChatTemplate(42, 'cfg')).toThrow(/cfg: expected a Jinja template string/);
  });
});
