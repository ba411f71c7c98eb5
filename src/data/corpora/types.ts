import type { DatasetRow } from '../types.ts';

/** How a source's licence bears on shipping a model trained on it. */
export type LicenceClass = 'permissive' | 'copyleft' | 'research-only' | 'unstated';

/** ISO 639-1 code of the language a file is written in, as SOURCES.md states it. */
export type LanguageCode = 'en' | 'zh' | 'de' | 'cs' | 'es' | 'fr' | 'pt';

/**
 * One text from a shared corpus file. It is a `DatasetRow`, so the audit checks run on it directly;
 * `line` is the 1-based line where the record starts for line-oriented and CSV files, and the 1-based
 * record position for JSON files (which have no meaningful line per record).
 */
export interface CorpusRecord extends DatasetRow {
  /** Folder name under the shared data root, e.g. "en-colbert-humor". */
  source: string;
  /** File path relative to the source folder, without the .gz suffix. */
  file: string;
  language: LanguageCode;
  /** What the source says about humour: true = a joke / humorous, false = labelled not humorous, null = no such label. */
  humor: boolean | null;
}

/** A file inside a source folder and how to turn its text into records. */
export interface CorpusFile {
  /** Path relative to the source folder, without the .gz suffix. */
  path: string;
  language: LanguageCode;
  /** 'text' files hold the corpus texts; 'annotation' files add labels to another file's rows (aligned by position or index). */
  role: 'text' | 'annotation';
  parse: (text: string, context: ParseContext) => CorpusRecord[];
}

export interface ParseContext {
  source: string;
  file: string;
  language: LanguageCode;
}

export interface CorpusSource {
  /** Folder name under the shared data root. */
  id: string;
  /** The licence line of SOURCES.md, abridged. */
  licence: string;
  licenceClass: LicenceClass;
  /** 'jokes' when every row is meant as humour, 'labelled' when rows carry a humour/non-humour label, 'not-jokes' otherwise. */
  content: 'jokes' | 'labelled' | 'not-jokes';
  files: CorpusFile[];
}

/** Raised when a corpus file does not have the shape SOURCES.md describes. */
export class CorpusFormatError extends Error {
  constructor(file: string, where: string, problem: string) {
    super(`${file}: ${where}: ${problem}`);
    this.name = 'CorpusFormatError';
  }
}
