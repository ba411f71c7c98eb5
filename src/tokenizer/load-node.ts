import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTokenizer, TokenizerFormatError, type PunchlineTokenizer } from './tokenizer.ts';

/** Loads tokenizer.json and tokenizer_config.json from a local folder (Node); reads nothing else. */
export function loadTokenizerFromDirectory(directory: string): PunchlineTokenizer {
  const read = (name: string): unknown => {
    const path = join(directory, name);
    if (!existsSync(path))
      throw new TokenizerFormatError(
        path,
        'file not found; the folder must hold tokenizer.json and tokenizer_config.json',
      );
    try {
      return JSON.parse(readFileSync(path, 'utf8')) as unknown;
    } catch (error) {
      throw new TokenizerFormatError(path, `not valid JSON (${(error as Error).message})`);
    }
  };
  return createTokenizer(
    read('tokenizer.json'),
    read('tokenizer_config.json'),
    join(directory, 'tokenizer.json'),
  );
}
