import type { DatasetRow } from '../types.ts';
import { defaultLabelSpec, type LabelSpec } from './labels.ts';
import { duplicateKeyOfFolded, foldText, tokenize } from './text.ts';

/** Rows with the per-row work every check needs done once: folded text, duplicate key, class. */
export interface Corpus {
  rows: readonly DatasetRow[];
  folded: string[];
  keys: string[];
  classes: (string | null)[];
  labelSpec: LabelSpec;
  /** For each class, the first raw label seen for it, so a relabel writes the dataset's own spelling. */
  rawLabelOf: Map<string, string>;
  tokens(index: number): string[];
}

export function prepareCorpus(rows: readonly DatasetRow[], labelSpec: LabelSpec = defaultLabelSpec): Corpus {
  const folded = new Array<string>(rows.length);
  const keys = new Array<string>(rows.length);
  const classes = new Array<string | null>(rows.length);
  const rawLabelOf = new Map<string, string>();
  rows.forEach((row, i) => {
    const f = foldText(row.text);
    folded[i] = f;
    keys[i] = duplicateKeyOfFolded(f);
    const cls = labelSpec.toClass(row.label);
    classes[i] = cls;
    if (cls !== null && row.label !== null && !rawLabelOf.has(cls)) rawLabelOf.set(cls, row.label.trim());
  });
  const tokenCache = new Array<string[] | undefined>(rows.length);
  return {
    rows,
    folded,
    keys,
    classes,
    labelSpec,
    rawLabelOf,
    tokens(index) {
      let cached = tokenCache[index];
      if (cached === undefined) {
        cached = tokenize(folded[index] ?? '');
        tokenCache[index] = cached;
      }
      return cached;
    },
  };
}
