import { describe, expect, it } from 'vitest';
import { corpusSources, findSource } from '../../../src/data/corpora/sources.ts';
import type { CorpusRecord } from '../../../src/data/corpora/types.ts';

function parse(sourceId: string, path: string, text: string): CorpusRecord[] {
  const source = findSource(sourceId);
  const file = source.files.find((candidate) => candidate.path === path);
  if (file === undefined) throw new Error(`test setup: ${sourceId} has no file ${path}`);
  return file.parse(text, { source: sourceId, file: path, language: file.language });
}

describe('corpus source readers', () => {
  it('cover every folder of the shared data root once', () => {
    const ids = corpusSources.map((source) => source.id);
    expect(new Set(ids).size).toBe(14);
    expect(ids.every((id) => /^(en|zh|zh-en)-/.test(id))).toBe(true);
  });

  it('HaHackathon: is_humor becomes humor, other columns stay in extra', () => {
    const [funny, plain] = parse(
      'en-hahackathon',
      'train.csv',
      'id,text,is_humor,humor_rating,humor_controversy,offense_rating\n7,A pun.,1,2.5,0,0.3\n8,A tweet.,0,,,0\n',
    );
    expect(funny).toMatchObject({
      text: 'A pun.',
      label: '1',
      humor: true,
      line: 2,
      extra: { offense_rating: '0.3' },
    });
    expect(plain).toMatchObject({ humor: false, extra: { humor_rating: '' } });
  });

  it('ColBERT and puns: True/False and 1/-1 labels; an unknown label is an error naming the line', () => {
    expect(
      parse('en-colbert-humor', 'dev.csv', 'text,humor\nJoke,True\nHeadline,False\n').map((r) => r.humor),
    ).toEqual([true, false]);
    expect(
      parse('en-puns-reddit-humor-detection', 'puns_pos_neg_data.csv', 'label, text\n-1,plain\n')[0],
    ).toMatchObject({
      text: 'plain',
      humor: false,
    });
    expect(() => parse('en-colbert-humor', 'dev.csv', 'text,humor\nJoke,yes\n')).toThrow(
      'dev.csv: line 2: label "yes" is neither "True" nor "False"',
    );
  });

  it('JokeAPI: two-part jokes join setup and delivery; flags land in extra', () => {
    const json = JSON.stringify({
      jokes: [
        {
          category: 'Pun',
          type: 'twopart',
          setup: 'Q?',
          delivery: 'A.',
          flags: { nsfw: true },
          safe: false,
          id: 3,
        },
      ],
    });
    expect(parse('en-jokeapi', 'jokes-en.json', json)[0]).toMatchObject({
      text: 'Q?\nA.',
      label: 'Pun',
      extra: { nsfw: 'true', safe: 'false' },
    });
  });

  it('Humicroedit: the edit word replaces the <word/> marker', () => {
    const text = 'id,original,edit,grades,meanGrade\n1,Cat <eats/> fish,juggles,210,1.0\n';
    expect(parse('en-humicroedit', 'train.csv', text)[0]).toMatchObject({
      text: 'Cat juggles fish',
      label: '1.0',
    });
  });

  it('CCL2019: the test files have an empty first header cell', () => {
    const [record] = parse('zh-ccl2019-humor', 'task1_test_with_label.csv', ',joke,label\n0,笑话一则。,1\n');
    expect(record).toMatchObject({ text: '笑话一则。', label: '1', language: 'zh', extra: { id: '0' } });
  });

  it('ChineseHumorSentiment: the label is after the last tab', () => {
    expect(parse('zh-chinese-humor-sentiment', 'humor_degree_train.txt', '甲\t乙说\t5')[0]).toMatchObject({
      text: '甲\t乙说',
      label: '5',
    });
  });

  it('Taiwan corpus: runs of spaces are the original line breaks', () => {
    const text = 'ID\tTitle\tContent\tHumorLevel\nL1\t標題\t老師：「你好」     學生：「好」\t3\n';
    expect(parse('zh-tw-humor-multilabeled', 'JokeHumorLevel.txt', text)[0]).toMatchObject({
      text: '老師：「你好」\n學生：「好」',
      label: '3',
      extra: { ID: 'L1', Title: '標題' },
    });
  });

  it('Pun2Pun: sentences keep their index, annotations point back to it', () => {
    const [sentence] = parse('zh-en-pun2pun', 'zh/phonic.json', '[{"index": 67, "sentence": "存款有息"}]');
    expect(sentence).toMatchObject({ text: '存款有息', label: 'phonic', extra: { index: '67' } });
    const [pun] = parse('zh-en-pun2pun', 'zh/zh_phonic_pun.jsonl', '{"index": 67, "pun": "息/媳"}\n');
    expect(pun).toMatchObject({ text: '息/媳', label: '67', humor: null });
  });
});
