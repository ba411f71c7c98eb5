// Used by test_safetensors_interop.py: reads a safetensors file with our reader and writes, with our writer,
// every tensor's raw bytes under its own name, every float tensor converted to F32 as "<name>.as_f32", and
// every F32 tensor rounded to F16 and BF16 as "<name>.as_f16" / "<name>.as_bf16".
import { readFileSync, writeFileSync } from 'node:fs';
import { parseSafetensors, readFloat32, tensorBytes } from '../../src/formats/safetensors.ts';
import { writeSafetensors, type SafetensorsTensorInput } from '../../src/formats/safetensors-write.ts';
import { f32ArrayToBf16, f32ArrayToF16 } from '../../src/formats/dtype.ts';

const [input, output] = process.argv.slice(2);
if (!input || !output)
  throw new Error('usage: tsx tests/python/safetensors_rewrite.ts IN.safetensors OUT.safetensors');
const file = parseSafetensors(new Uint8Array(readFileSync(input)), input);
const floats = new Set(['F32', 'F16', 'BF16', 'F64']);
const tensors: SafetensorsTensorInput[] = file.tensors.flatMap((t) => [
  { name: t.name, dtype: t.dtype, shape: t.shape, data: tensorBytes(file, t.name) },
  ...(t.dtype === 'F32'
    ? [
        {
          name: `${t.name}.as_f16`,
          dtype: 'F16' as const,
          shape: t.shape,
          data: f32ArrayToF16(readFloat32(file, t.name)),
        },
        {
          name: `${t.name}.as_bf16`,
          dtype: 'BF16' as const,
          shape: t.shape,
          data: f32ArrayToBf16(readFloat32(file, t.name)),
        },
      ]
    : []),
  ...(floats.has(t.dtype)
    ? [{ name: `${t.name}.as_f32`, dtype: 'F32' as const, shape: t.shape, data: readFloat32(file, t.name) }]
    : []),
]);
writeFileSync(
  output,
  writeSafetensors(tensors, { metadata: { ...file.metadata, rewritten_by: 'punchline' }, label: output }),
);
