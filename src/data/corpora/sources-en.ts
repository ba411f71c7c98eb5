import { cell, parseDelimited, parseJson, stringField } from './parse.ts';
import { makeRecord, otherCells } from './record.ts';
import {
  CorpusFormatError,
  type CorpusFile,
  type CorpusRecord,
  type CorpusSource,
  type LanguageCode,
  type ParseContext,
} from './types.ts';

function csvFile(
  path: string,
  delimiter: ',' | ';',
  textColumn: string,
  labelColumn: string | null,
  humor: (label: string | null, file: string, line: number) => boolean | null,
): CorpusFile {
  return {
    path,
    language: 'en',
    role: 'text',
    parse: (text, context) =>
      parseDelimited(text, context.file, delimiter).map((row, index) => {
        const label = labelColumn === null ? null : cell(row, labelColumn, context.file).trim();
        const taken = labelColumn === null ? [textColumn] : [textColumn, labelColumn];
        return makeRecord(
          context,
          index,
          row.line,
          cell(row, textColumn, context.file),
          label === '' ? null : label,
          humor(label, context.file, row.line),
          otherCells(row.cells, taken),
        );
      }),
  };
}

function binaryLabel(yes: string, no: string) {
  return (label: string | null, file: string, line: number): boolean => {
    if (label === yes) return true;
    if (label === no) return false;
    throw new CorpusFormatError(
      file,
      `line ${line}`,
      `label "${label ?? ''}" is neither "${yes}" nor "${no}"`,
    );
  };
}

const alwaysJoke = (): boolean => true;

function jokeApiFile(language: LanguageCode): CorpusFile {
  return {
    path: `jokes-${language}.json`,
    language,
    role: 'text',
    parse: (text: string, context: ParseContext): CorpusRecord[] => {
      const root = parseJson(text, context.file) as { jokes?: unknown };
      if (!Array.isArray(root.jokes))
        throw new CorpusFormatError(context.file, 'top level', 'expected {"jokes": [...]}');
      return root.jokes.map((joke: unknown, index) => {
        const where = `joke #${index + 1}`;
        const type = stringField(joke, 'type', context.file, where);
        const body =
          type === 'single'
            ? stringField(joke, 'joke', context.file, where)
            : `${stringField(joke, 'setup', context.file, where)}\n${stringField(joke, 'delivery', context.file, where)}`;
        const record = joke as { flags?: Record<string, boolean>; safe?: boolean; id?: number };
        const extra: Record<string, string> = { type, safe: String(record.safe), id: String(record.id) };
        for (const [flag, value] of Object.entries(record.flags ?? {})) extra[flag] = String(value);
        return makeRecord(
          context,
          index,
          index + 1,
          body,
          stringField(joke, 'category', context.file, where),
          true,
          extra,
        );
      });
    },
  };
}

/** Headlines with the replaced word marked `<word/>`; the record text is the edited (funny-attempt) headline. */
function humicroeditFile(path: string): CorpusFile {
  return {
    path,
    language: 'en',
    role: 'text',
    parse: (text, context) =>
      parseDelimited(text, context.file, ',').map((row, index) => {
        const original = cell(row, 'original', context.file);
        const edit = cell(row, 'edit', context.file);
        const edited = original.replace(/<[^<>]*\/>/u, edit);
        if (edited === original)
          throw new CorpusFormatError(context.file, `line ${row.line}`, 'headline has no <word/> marker');
        return makeRecord(
          context,
          index,
          row.line,
          edited,
          cell(row, 'meanGrade', context.file),
          null,
          otherCells(row.cells, ['meanGrade']),
        );
      }),
  };
}

export const englishSources: CorpusSource[] = [
  {
    id: 'en-hahackathon',
    licence: 'Apache-2.0 (repository); SemEval-2021 Task 7 data, no separate data licence',
    licenceClass: 'permissive',
    content: 'labelled',
    files: ['train.csv', 'dev.csv', 'gold-test-27446.csv'].map((path) =>
      csvFile(path, ',', 'text', 'is_humor', binaryLabel('1', '0')),
    ),
  },
  {
    id: 'en-colbert-humor',
    licence: 'MIT',
    licenceClass: 'permissive',
    content: 'labelled',
    files: [csvFile('dev.csv', ',', 'text', 'humor', binaryLabel('True', 'False'))],
  },
  {
    id: 'en-short-jokes',
    licence: 'GPL-2.0',
    licenceClass: 'copyleft',
    content: 'jokes',
    files: [
      'funjokes.csv',
      'funtweets.csv',
      'joke-db.csv',
      'onelinefun.csv',
      'reddit-cleanjokes.csv',
      'thejokecafe.csv',
    ].map((path) => csvFile(path, ',', 'Joke', null, alwaysJoke)),
  },
  {
    id: 'en-taivop-jokes',
    licence: 'none; README: "for research purposes", recommends no commercial use',
    licenceClass: 'research-only',
    content: 'jokes',
    files: [
      {
        path: 'stupidstuff.json',
        language: 'en',
        role: 'text',
        parse: (text, context) => {
          const root = parseJson(text, context.file);
          if (!Array.isArray(root))
            throw new CorpusFormatError(context.file, 'top level', 'expected a JSON array of jokes');
          return root.map((joke: unknown, index) => {
            const where = `joke #${index + 1}`;
            const record = joke as { rating?: number; id?: number };
            return makeRecord(
              context,
              index,
              index + 1,
              stringField(joke, 'body', context.file, where),
              stringField(joke, 'category', context.file, where),
              true,
              {
                rating: String(record.rating),
                id: String(record.id),
              },
            );
          });
        },
      },
    ],
  },
  {
    id: 'en-puns-reddit-humor-detection',
    licence: 'MIT',
    licenceClass: 'permissive',
    content: 'labelled',
    files: [csvFile('puns_pos_neg_data.csv', ',', 'text', 'label', binaryLabel('1', '-1'))],
  },
  {
    id: 'en-humicroedit',
    licence: 'none stated',
    licenceClass: 'unstated',
    content: 'not-jokes',
    files: ['train.csv', 'dev.csv', 'test_with_label.csv', 'train_funlines.csv'].map(humicroeditFile),
  },
  {
    id: 'en-cleancomedy',
    licence: 'CC BY 4.0',
    licenceClass: 'permissive',
    content: 'jokes',
    files: [csvFile('clean_comedy_gold_en.csv', ';', 'text', 'score', alwaysJoke)],
  },
  {
    id: 'en-jokeapi',
    licence: 'MIT',
    licenceClass: 'permissive',
    content: 'jokes',
    files: (['en', 'de', 'cs', 'es', 'fr', 'pt'] as const).map(jokeApiFile),
  },
];
