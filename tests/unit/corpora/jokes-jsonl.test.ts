import { describe, expect, it } from 'vitest';
import { parsePreparedJokes } from '../../../src/data/corpora/jokes-jsonl.ts';

describe('parsePreparedJokes', () => {
  it('reads one joke per line and skips blank lines', () => {
    const text =
      '{"text":"A pun.","language":"en","control":"<|funny|>","source":"en-cleancomedy"}\n\n' +
      '{"text":"笑话。","language":"zh","control":"<|not_funny|>","source":"zh-ruozhiba"}\n';
    expect(parsePreparedJokes(text, 'train.jsonl')).toEqual([
      { text: 'A pun.', language: 'en', control: '<|funny|>', source: 'en-cleancomedy' },
      { text: '笑话。', language: 'zh', control: '<|not_funny|>', source: 'zh-ruozhiba' },
    ]);
  });

  it.each([
    [
      '{"text":"x","language":"fr","control":"<|funny|>","source":"s"}',
      'line 1: "language" must be "en" or "zh"',
    ],
    ['{"text":"x","language":"en","control":"funny","source":"s"}', 'line 1: "control" must be one of'],
    [
      '{"text":"","language":"en","control":"<|funny|>","source":"s"}',
      'line 1: "text" must be a non-empty string',
    ],
    ['{not json}', 'line 1: not valid JSON'],
  ])('names the file, line and field of %s', (line, message) => {
    expect(() => parsePreparedJokes(line, 'bad.jsonl')).toThrow(`bad.jsonl: ${message}`);
  });
});
