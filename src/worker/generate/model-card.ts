/** The model card the Generate area shows: figures from config.json and the files, words from README.md. */
import type { ModelConfig } from '../../engine/arch/config.ts';
import { parameterCount } from '../../engine/arch/params.ts';
import type { ModelManifest } from '../../storage/index.ts';
import type { ModelCard, PromptingInfo } from './types.ts';

export interface ReadmeFacts {
  license: string | null;
  languages: string[];
}

/**
 * license and language from a Hugging Face model card's YAML front matter (`license: mit`,
 * `language: [en, zh]` or a `- en` list); anything else in the card is left to be read as text.
 */
export function readmeFacts(readme: string | null): ReadmeFacts {
  const facts: ReadmeFacts = { license: null, languages: [] };
  if (!readme) return facts;
  const front = /^---\r?\n([\s\S]*?)\r?\n---/.exec(readme)?.[1];
  if (!front) return facts;
  const lines = front.split(/\r?\n/);
  // `license: other` comes with a `license_name` that says which.
  let name: string | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const license = /^license:\s*(.+?)\s*$/.exec(line);
    if (license?.[1]) facts.license = unquote(license[1]);
    const licenseName = /^license_name:\s*(.+?)\s*$/.exec(line);
    if (licenseName?.[1]) name = unquote(licenseName[1]);
    const language = /^languages?:\s*(.*?)\s*$/.exec(line);
    if (!language) continue;
    const inline = language[1] ?? '';
    if (inline.startsWith('[')) facts.languages = inline.slice(1, -1).split(',').map(unquote).filter(Boolean);
    else if (inline) facts.languages = [unquote(inline)];
    else {
      while (/^\s*-\s+/.test(lines[i + 1] ?? ''))
        facts.languages.push(unquote((lines[++i] ?? '').replace(/^\s*-\s+/, '')));
    }
  }
  if (name !== null)
    facts.license = facts.license === null || facts.license === 'other' ? name : `${facts.license} (${name})`;
  return facts;
}

function unquote(value: string): string {
  return value.trim().replace(/^["']|["']$/g, '');
}

export function buildModelCard(
  manifest: ModelManifest,
  config: ModelConfig,
  readme: string | null,
  tokenizerLanguages: string[],
  prompting: PromptingInfo,
): ModelCard {
  const facts = readmeFacts(readme);
  return {
    id: manifest.id,
    name: manifest.name,
    architecture: config.arch === 'llama' ? 'Llama' : 'GPT-2',
    parameters: parameterCount(config),
    sizeBytes: manifest.totalBytes,
    files: manifest.files.map(({ name, bytes, sha256 }) => ({ name, bytes, sha256 })),
    languages: facts.languages.length > 0 ? facts.languages : tokenizerLanguages,
    license: facts.license,
    contextLength: config.maxPositions,
    vocabSize: config.vocabSize,
    layers: config.numLayers,
    hiddenSize: config.hiddenSize,
    readme,
    prompting,
  };
}
