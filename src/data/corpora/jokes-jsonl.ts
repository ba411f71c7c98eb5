import { CONTROL_CODES, type ControlCode } from '../../tokenizer/special-tokens.ts';
import type { MixLanguage } from './mix-policy.ts';

/** One line of runs/data/train.jsonl or validation.jsonl, as tools/prepare-data.ts writes it. */
export interface PreparedJoke {
  text: string;
  language: MixLanguage;
  control: ControlCode;
  source: string;
}

const CONTROLS = new Set<string>(Object.values(CONTROL_CODES));

/** Parses the prepared JSONL, naming the file, line and field of anything malformed. */
export function parsePreparedJokes(text: string, file: string): PreparedJoke[] {
  const jokes: PreparedJoke[] = [];
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    const where = `${file}: line ${index + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line) as unknown;
    } catch (error) {
      throw new Error(`${where}: not valid JSON (${(error as Error).message})`);
    }
    const row = value as Partial<Record<keyof PreparedJoke, unknown>>;
    if (typeof row.text !== 'string' || row.text === '')
      throw new Error(`${where}: "text" must be a non-empty string`);
    if (row.language !== 'en' && row.language !== 'zh')
      throw new Error(`${where}: "language" must be "en" or "zh"`);
    if (typeof row.control !== 'string' || !CONTROLS.has(row.control)) {
      throw new Error(`${where}: "control" must be one of ${[...CONTROLS].join(', ')}`);
    }
    if (typeof row.source !== 'string') throw new Error(`${where}: "source" must be a string`);
    jokes.push({
      text: row.text,
      language: row.language,
      control: row.control as ControlCode,
      source: row.source,
    });
  });
  return jokes;
}
