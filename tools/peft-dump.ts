/**
 * Imports a PEFT adapter against a base model's config.json, prints what it holds, and can export it again
 * (the Python interop tests drive it).
 *   npx tsx tools/peft-dump.ts --base-config config.json --adapter DIR|FILE.zip [--num-labels K] [--hash H]
 *                              [--export-dir DIR] [--export-zip FILE.zip] [--values OUT.safetensors]
 * Prints JSON: { config, meta, tensors: [{ name, shape }] }.
 */
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseModelConfigText } from '../src/engine/arch/config.ts';
import {
  exportPeftFiles,
  exportPeftZip,
  importPeftAdapter,
  type AdapterSource,
} from '../src/formats/peft/adapter-io.ts';
import { ADAPTER_CONFIG_FILE, ADAPTER_WEIGHTS_FILE, PUNCHLINE_META_FILE } from '../src/formats/peft/types.ts';
import { writeSafetensors } from '../src/formats/safetensors-write.ts';

const { values } = parseArgs({
  options: {
    'base-config': { type: 'string' },
    adapter: { type: 'string' },
    'num-labels': { type: 'string' },
    hash: { type: 'string' },
    'export-dir': { type: 'string' },
    'export-zip': { type: 'string' },
    values: { type: 'string' },
  },
});
if (values['base-config'] === undefined || values.adapter === undefined) {
  throw new Error('usage: peft-dump.ts --base-config config.json --adapter DIR|FILE.zip [...]');
}
const config = parseModelConfigText(readFileSync(values['base-config'], 'utf8'));
const base = {
  config,
  ...(values['num-labels'] === undefined ? {} : { numLabels: Number(values['num-labels']) }),
  ...(values.hash === undefined ? {} : { contentHash: values.hash }),
};

function source(path: string): AdapterSource {
  if (!statSync(path).isDirectory())
    return { kind: 'zip', bytes: new Uint8Array(readFileSync(path)), label: path };
  const metaPath = join(path, PUNCHLINE_META_FILE);
  let meta: Uint8Array | undefined;
  try {
    meta = new Uint8Array(readFileSync(metaPath));
  } catch {
    meta = undefined;
  }
  return {
    kind: 'files',
    config: new Uint8Array(readFileSync(join(path, ADAPTER_CONFIG_FILE))),
    weights: new Uint8Array(readFileSync(join(path, ADAPTER_WEIGHTS_FILE))),
    ...(meta === undefined ? {} : { meta }),
  };
}

const adapter = importPeftAdapter(source(values.adapter), base);
if (values['export-dir'] !== undefined) {
  mkdirSync(values['export-dir'], { recursive: true });
  for (const [name, bytes] of Object.entries(exportPeftFiles(adapter, base)))
    writeFileSync(join(values['export-dir'], name), bytes);
}
if (values['export-zip'] !== undefined) writeFileSync(values['export-zip'], exportPeftZip(adapter, base));
if (values.values !== undefined) {
  const tensors = [...adapter.tensors].map(([name, t]) => ({
    name,
    dtype: 'F32' as const,
    shape: t.shape,
    data: t.data,
  }));
  writeFileSync(values.values, writeSafetensors(tensors));
}
console.log(
  JSON.stringify({
    config: adapter.config,
    meta: adapter.meta,
    tensors: [...adapter.tensors].map(([name, t]) => ({ name, shape: t.shape })),
  }),
);
