/** Tokenized pretraining data for tools/pretrain.ts: prepared JSONL → token sequences, cached on disk. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Language, ControlCode } from '../src/tokenizer/special-tokens.ts';
import { formatJoke } from '../src/tokenizer/special-tokens.ts';
import type { PunchlineTokenizer } from '../src/tokenizer/tokenizer.ts';

export interface TokenizedSplit {
  sequences: Int32Array[];
  languages: Language[];
}

interface PreparedRow {
  text: string;
  language: Language;
  control: ControlCode;
}

function readRows(path: string): PreparedRow[] {
  if (!existsSync(path))
    throw new Error(`${path} not found: run \`npm run data:prepare\` first (it needs ../shared/data)`);
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, i) => {
      const row = JSON.parse(line) as Partial<PreparedRow>;
      if (typeof row.text !== 'string' || (row.language !== 'en' && row.language !== 'zh') || !row.control)
        throw new Error(`${path}:${i + 1}: expected {"text", "language": "en"|"zh", "control"}`);
      return row as PreparedRow;
    });
}

/** Cache layout: <name>.bin holds all ids (int32), <name>.json the sequence lengths and languages. */
export function tokenizeSplit(
  dataDir: string,
  cacheDir: string,
  name: 'train' | 'validation',
  tokenizer: PunchlineTokenizer,
): TokenizedSplit {
  const binPath = join(cacheDir, `${name}.bin`);
  const indexPath = join(cacheDir, `${name}.json`);
  if (existsSync(binPath) && existsSync(indexPath)) {
    const index = JSON.parse(readFileSync(indexPath, 'utf8')) as { lengths: number[]; languages: Language[] };
    const bytes = readFileSync(binPath);
    const ids = new Int32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
    const sequences: Int32Array[] = [];
    let offset = 0;
    for (const length of index.lengths) {
      sequences.push(ids.slice(offset, offset + length));
      offset += length;
    }
    return { sequences, languages: index.languages };
  }
  const rows = readRows(join(dataDir, `${name}.jsonl`));
  const sequences = rows.map((row) =>
    Int32Array.from(tokenizer.encode(formatJoke(row.language, row.control, row.text))),
  );
  const languages = rows.map((row) => row.language);
  mkdirSync(cacheDir, { recursive: true });
  const all = new Int32Array(sequences.reduce((n, s) => n + s.length, 0));
  let offset = 0;
  for (const seq of sequences) {
    all.set(seq, offset);
    offset += seq.length;
  }
  writeFileSync(binPath, new Uint8Array(all.buffer));
  writeFileSync(indexPath, JSON.stringify({ lengths: sequences.map((s) => s.length), languages }));
  return { sequences, languages };
}
