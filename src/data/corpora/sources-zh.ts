import {
  cell,
  parseDelimited,
  parseJson,
  parseJsonLines,
  parseLines,
  parseTabSeparated,
  stringField,
} from './parse.ts';
import { makeRecord, otherCells } from './record.ts';
import { CorpusFormatError, type CorpusFile, type CorpusSource } from './types.ts';

function cclFile(path: string, idColumn: string): CorpusFile {
  return {
    path,
    language: 'zh',
    role: 'text',
    parse: (text, context) =>
      parseDelimited(text, context.file, ',').map((row, index) =>
        makeRecord(
          context,
          index,
          row.line,
          cell(row, 'joke', context.file),
          cell(row, 'label', context.file).trim(),
          true,
          {
            id: cell(row, idColumn, context.file),
          },
        ),
      ),
  };
}

/** `text<TAB>label` per line, no header; the label is after the last tab. */
function textTabLabelFile(path: string): CorpusFile {
  return {
    path,
    language: 'zh',
    role: 'text',
    parse: (text, context) =>
      parseLines(text).map(({ line, text: value }, index) => {
        const tab = value.lastIndexOf('\t');
        if (tab < 0) throw new CorpusFormatError(context.file, `line ${line}`, 'expected "text<TAB>label"');
        return makeRecord(context, index, line, value.slice(0, tab), value.slice(tab + 1).trim(), true);
      }),
  };
}

/**
 * The Taiwan corpus renders a joke's line breaks as runs of spaces (SOURCES.md); runs of two or more
 * spaces are turned back into line breaks here. The three files are row-aligned: JokeHumorLevel holds
 * the texts, the other two annotate the same rows by position.
 */
function taiwanFile(path: string, labelColumn: string | null, role: 'text' | 'annotation'): CorpusFile {
  return {
    path,
    language: 'zh',
    role,
    parse: (text, context) =>
      parseTabSeparated(text, context.file).map((row, index) => {
        const content = cell(row, 'Content', context.file).trim().replace(/ {2,}/gu, '\n');
        const label = labelColumn === null ? null : cell(row, labelColumn, context.file).trim();
        return makeRecord(
          context,
          index,
          row.line,
          content,
          label,
          true,
          otherCells(row.cells, ['Content', ...(labelColumn === null ? [] : [labelColumn])]),
        );
      }),
  };
}

function plainLinesFile(path: string): CorpusFile {
  return {
    path,
    language: 'zh',
    role: 'text',
    parse: (text, context) =>
      parseLines(text).map(({ line, text: value }, index) =>
        makeRecord(context, index, line, value, null, true),
      ),
  };
}

/**
 * Pun2Pun keeps sentence, pun word and explanation in three files aligned by `index`; the sentence file
 * is parsed here and the other two are separate `CorpusFile`s whose records carry the index as label.
 */
function punSentenceFile(language: 'zh' | 'en', kind: 'phonic' | 'graphic'): CorpusFile {
  return {
    path: `${language}/${kind}.json`,
    language,
    role: 'text',
    parse: (text, context) => {
      const root = parseJson(text, context.file);
      if (!Array.isArray(root))
        throw new CorpusFormatError(context.file, 'top level', 'expected a JSON array of {index, sentence}');
      return root.map((item: unknown, position) => {
        const index = (item as { index?: unknown }).index;
        if (typeof index !== 'number')
          throw new CorpusFormatError(
            context.file,
            `item #${position + 1}`,
            'field "index" is missing or not a number',
          );
        return makeRecord(
          context,
          position,
          position + 1,
          stringField(item, 'sentence', context.file, `item #${position + 1}`),
          kind,
          true,
          { index: String(index) },
        );
      });
    },
  };
}

function punAnnotationFile(
  language: 'zh' | 'en',
  kind: 'phonic' | 'graphic',
  field: 'pun' | 'explanation',
): CorpusFile {
  return {
    path: `${language}/${language}_${kind}_${field}.jsonl`,
    language: field === 'pun' ? language : 'zh',
    role: 'annotation',
    parse: (text, context) =>
      parseJsonLines(text, context.file).map(({ line, value }, position) => {
        const index = (value as { index?: unknown }).index;
        if (typeof index !== 'number')
          throw new CorpusFormatError(
            context.file,
            `line ${line}`,
            'field "index" is missing or not a number',
          );
        return makeRecord(
          context,
          position,
          line,
          stringField(value, field, context.file, `line ${line}`),
          String(index),
          null,
          { annotates: `${language}/${kind}.json` },
        );
      }),
  };
}

function coldFile(path: string): CorpusFile {
  return {
    path,
    language: 'zh',
    role: 'text',
    parse: (text, context) =>
      parseDelimited(text, context.file, ',').map((row, index) =>
        makeRecord(
          context,
          index,
          row.line,
          cell(row, 'TEXT', context.file),
          cell(row, 'label', context.file).trim(),
          null,
          otherCells(row.cells, ['TEXT', 'label']),
        ),
      ),
  };
}

export const chineseSources: CorpusSource[] = [
  {
    id: 'zh-ccl2019-humor',
    licence: 'none stated',
    licenceClass: 'unstated',
    content: 'jokes',
    files: [
      cclFile('task1_train.csv', 'id'),
      cclFile('task1_test_with_label.csv', ''),
      cclFile('task2_test_with_label.csv', ''),
    ],
  },
  {
    id: 'zh-chinese-humor-sentiment',
    licence: 'none stated',
    licenceClass: 'unstated',
    content: 'jokes',
    files: [textTabLabelFile('humor_degree_train.txt'), textTabLabelFile('humor_category_train.txt')],
  },
  {
    id: 'zh-tw-humor-multilabeled',
    licence: 'MIT',
    licenceClass: 'permissive',
    content: 'jokes',
    files: [
      taiwanFile('JokeHumorLevel.txt', 'HumorLevel', 'text'),
      taiwanFile('JokeMotivation.txt', null, 'annotation'),
      taiwanFile('JokeSkill.txt', null, 'annotation'),
    ],
  },
  {
    id: 'zh-ruozhiba',
    licence: 'none stated',
    licenceClass: 'unstated',
    content: 'jokes',
    files: [plainLinesFile('ruozhiba-title-good.txt'), plainLinesFile('ruozhiba-post-annual.txt')],
  },
  {
    id: 'zh-en-pun2pun',
    licence: 'none stated; English items largely SemEval-2017 Task 7',
    licenceClass: 'unstated',
    content: 'jokes',
    files: (['zh', 'en'] as const).flatMap((language) =>
      (['phonic', 'graphic'] as const).flatMap((kind) => [
        punSentenceFile(language, kind),
        punAnnotationFile(language, kind, 'pun'),
        punAnnotationFile(language, kind, 'explanation'),
      ]),
    ),
  },
  {
    id: 'zh-cold-offensive',
    licence: 'Apache-2.0',
    licenceClass: 'permissive',
    content: 'not-jokes',
    files: [coldFile('dev.csv'), coldFile('test.csv')],
  },
];
