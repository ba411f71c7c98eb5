import { englishSources } from './sources-en.ts';
import { chineseSources } from './sources-zh.ts';
import type { CorpusSource } from './types.ts';

/** Every folder of the shared data root, as SOURCES.md describes it. */
export const corpusSources: readonly CorpusSource[] = [...englishSources, ...chineseSources];

export function findSource(id: string): CorpusSource {
  const source = corpusSources.find((candidate) => candidate.id === id);
  if (source === undefined) {
    throw new Error(
      `Unknown corpus source "${id}". Known sources: ${corpusSources.map((candidate) => candidate.id).join(', ')}.`,
    );
  }
  return source;
}
