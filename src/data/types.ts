/** One row of a user's dataset after ingestion; the unit every audit check works on. */
export interface DatasetRow {
  /** Stable id within a dataset lineage: fixes keep ids, so findings stay comparable across versions. */
  id: number;
  /** 1-based line in the source file where the row starts (a quoted field may span several lines). */
  line: number;
  text: string;
  /** The label as written in the file, trimmed; null when the dataset has no label column or the cell is empty. */
  label: string | null;
  /** Every other column, kept verbatim. */
  extra: Record<string, string>;
}

export type RowStatus = 'accepted' | 'flagged' | 'rejected';
