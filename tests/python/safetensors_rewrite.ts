// Used by test_safetensors_interop.py: reads a safetensors file with our reader and writes, with our writer,
// every tensor's raw bytes under its own name plus every float tensor converted to F32 as "<name>.as_f32".
import { readFileSync, writeFileSync } from 'node:fs';
import { parseSafetensors, readFloat32, tensorBytes } from '../../src/formats/safetensors.ts';
import { writeSafetensors, type SafetensorsTensorInput } from '../../src/formats/safetensors-write.ts';

const [input, output] = process.argv.slice(2);
if (!input || !output)
  throw new Error('usage: tsx tests/python/safetensors_rewrite.ts IN.safetensors OUT.safetensors');
const file = parseSafetensors(new Uint8Array(readFileSync(input)), input);
const floats = new Set(['F32', 'F16', 'BF16', 'F64']);
const tensors: SafetensorsTensorInput[] = file.tensors.flatMap((t) => [
  { name: t.name, dtype: t.dtype, shape: t.shape, data: tensorBytes(file, t.name) },
  ...(floats.has(t.dtype)
    ? [{ name: `${t.name}.as_f32`, dtype: 'F32' as const, shape: t.shape, data: readFloat32(file, t.name) }]
    : []),
]);
writeFileSync(
  output,
  writeSafetensors(tensors, { metadata: { ...file.metadata, rewritten_by: 'punchline' }, label: output }),
);
