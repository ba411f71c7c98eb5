import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createImportedTokenizer,
  ImportedTokenizerError,
  type ImportedTokenizer,
} from './imported-tokenizer.ts';
import { eosIdsFromConfigs } from './eos-ids.ts';

function readJson(path: string, required: boolean): unknown {
  if (!existsSync(path)) {
    if (required) throw new ImportedTokenizerError(path, 'file not found; a model folder must hold it');
    return undefined;
  }
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch (error) {
    throw new ImportedTokenizerError(path, `not valid JSON (${(error as Error).message})`);
  }
}

/** The tokenizer of a Hugging Face model folder on disk (Node): tokenizer.json, tokenizer_config.json, and EOS ids from config.json / generation_config.json. */
export function loadImportedTokenizer(directory: string): ImportedTokenizer {
  return createImportedTokenizer(
    readJson(join(directory, 'tokenizer.json'), true),
    readJson(join(directory, 'tokenizer_config.json'), true),
    join(directory, 'tokenizer.json'),
    eosIdsFromConfigs(
      readJson(join(directory, 'config.json'), false),
      readJson(join(directory, 'generation_config.json'), false),
    ),
  );
}
