import type { RejectedRow } from './types.ts';

export type IngestErrorCode =
  | 'empty-file'
  | 'binary-file'
  | 'spreadsheet-workbook'
  | 'compressed-file'
  | 'wrong-encoding'
  | 'no-text-column'
  | 'no-usable-rows'
  | 'json-document'
  | 'unknown-column';

/**
 * A file that cannot be used at all. The message is one complete sentence for a person: what is wrong and
 * what to do. Row-level problems never throw; they become flagged or rejected rows.
 */
export class IngestError extends Error {
  override readonly name = 'IngestError';
  readonly code: IngestErrorCode;
  /** Rows rejected before the file was given up on, so they can still be downloaded. */
  readonly rejected: RejectedRow[];

  constructor(code: IngestErrorCode, message: string, rejected: RejectedRow[] = []) {
    super(message);
    this.code = code;
    this.rejected = rejected;
  }
}

export function describeFile(fileName: string | undefined): string {
  return fileName ? `"${fileName}"` : 'This file';
}
