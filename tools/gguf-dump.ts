/**
 * Inspects and converts a GGUF file (the Python tests drive it).
 *   npx tsx tools/gguf-dump.ts FILE                      JSON summary: version, metadata, tensors
 *   npx tsx tools/gguf-dump.ts FILE --dequantize OUT     every tensor as float32 into OUT.safetensors
 *   npx tsx tools/gguf-dump.ts FILE --convert DIR [--dtype f16]   a Hugging Face folder (Llama only)
 *   npx tsx tools/gguf-dump.ts FILE --tokenize TEXT [--tokenize TEXT...]   token ids, one JSON line each
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { Tokenizer } from '@huggingface/tokenizers';
import { dequantizeTensor } from '../src/formats/gguf/dequantize.ts';
import { ggufToHfFolder } from '../src/formats/gguf/hf-folder.ts';
import { isGgufArray, type GgufValue } from '../src/formats/gguf/metadata.ts';
import { parseGguf, rowMajorShape } from '../src/formats/gguf/reader.ts';
import { tokenizerFromGguf } from '../src/formats/gguf/tokenizer-json.ts';
import { writeSafetensors } from '../src/formats/safetensors-write.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    dequantize: { type: 'string' },
    convert: { type: 'string' },
    dtype: { type: 'string', default: 'f32' },
    tokenize: { type: 'string', multiple: true },
  },
});
const path = positionals[0];
if (path === undefined)
  throw new Error('usage: gguf-dump.ts FILE [--dequantize OUT | --convert DIR | --tokenize TEXT]');
const file = parseGguf(new Uint8Array(readFileSync(path)), basename(path));

function summarise(value: GgufValue): unknown {
  if (isGgufArray(value))
    return {
      array: value.itemType,
      length: value.items.length,
      head: value.items.slice(0, 3).map(summarise),
    };
  return typeof value === 'bigint' ? value.toString() : value;
}

if (values.dequantize !== undefined) {
  const tensors = file.tensors.map((info) => ({
    name: info.name,
    dtype: 'F32' as const,
    shape: rowMajorShape(info),
    data: dequantizeTensor(file, info),
  }));
  writeFileSync(values.dequantize, writeSafetensors(tensors, { label: values.dequantize }));
} else if (values.convert !== undefined) {
  const folder = ggufToHfFolder(file, {
    dtype: values.dtype === 'f16' ? 'F16' : 'F32',
    sourceName: file.label,
  });
  mkdirSync(values.convert, { recursive: true });
  for (const [name, bytes] of Object.entries(folder.files)) writeFileSync(join(values.convert, name), bytes);
} else if (values.tokenize !== undefined) {
  const rebuilt = tokenizerFromGguf(file);
  const tokenizer = new Tokenizer(rebuilt.tokenizerJson as never, rebuilt.tokenizerConfig as never);
  for (const text of values.tokenize) {
    console.log(JSON.stringify({ text, ids: tokenizer.encode(text, { add_special_tokens: false }).ids }));
  }
} else {
  const summary = {
    version: file.version,
    alignment: file.alignment,
    dataStart: file.dataStart,
    metadata: Object.fromEntries([...file.metadata].map(([key, entry]) => [key, summarise(entry.value)])),
    tensors: file.tensors.map((t) => ({
      name: t.name,
      type: t.type.name,
      shape: rowMajorShape(t),
      byteOffset: t.byteOffset,
    })),
  };
  console.log(JSON.stringify(summary, null, 1));
}
