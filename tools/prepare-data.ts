/**
 * Builds the licence-aware pretraining mix from the shared corpora.
 *   npx tsx tools/prepare-data.ts [--data ../shared/data] [--out runs/data] [--manifest public/models/punchline-tiny/data-manifest.json]
 *                                 [--permissive-only]   # MIT / Apache-2.0 / CC BY sources only
 * Writes <out>/train.jsonl (upsampled, shuffled), <out>/validation.jsonl and the manifest.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildPreparedData, type PreparedData } from '../src/data/corpora/prepare.ts';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: '../shared/data' },
    out: { type: 'string', default: 'runs/data' },
    manifest: { type: 'string', default: 'public/models/punchline-tiny/data-manifest.json' },
    'permissive-only': { type: 'boolean', default: false },
  },
});

const started = performance.now();
const prepared: PreparedData = buildPreparedData(resolve(values.data), {
  permissiveOnly: values['permissive-only'],
});
mkdirSync(values.out, { recursive: true });
const toLine = (row: PreparedData['train'][number]): string =>
  JSON.stringify({ text: row.text, language: row.language, control: row.control, source: row.source });
writeFileSync(join(values.out, 'train.jsonl'), prepared.train.map(toLine).join('\n') + '\n');
writeFileSync(join(values.out, 'validation.jsonl'), prepared.validation.map(toLine).join('\n') + '\n');
mkdirSync(dirname(values.manifest), { recursive: true });
writeFileSync(values.manifest, JSON.stringify(prepared.manifest, null, 2) + '\n');

const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(
  `train ${prepared.train.length} lines, validation ${prepared.validation.length} lines → ${values.out} (${seconds} s)`,
);
for (const source of prepared.manifest.sources) {
  console.log(
    `${source.used ? 'used' : '    '} ${source.source.padEnd(32)} read ${String(source.rowsRead).padStart(6)} kept ${String(source.rowsKept).padStart(6)}  ${JSON.stringify(source.dropped)}`,
  );
}
console.log(JSON.stringify(prepared.manifest.languageBalance, null, 2));
