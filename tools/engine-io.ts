/** Node-side helpers shared by the engine CLIs: model folders, safetensors files, arguments. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseModelConfigText, type ModelConfig } from '../src/engine/arch/config.ts';
import { loadWeights } from '../src/engine/arch/weights.ts';
import { parseSafetensors, readFloat32, type SafetensorsFile } from '../src/formats/safetensors.ts';
import { writeSafetensors, type SafetensorsTensorInput } from '../src/formats/safetensors-write.ts';

export interface ModelFolder {
  config: ModelConfig;
  weights: Map<string, Float32Array>;
}

/** Reads config.json and model.safetensors from a Hugging Face model folder. */
export function loadModelFolder(dir: string): ModelFolder {
  const configPath = join(dir, 'config.json');
  let config: ModelConfig;
  try {
    config = parseModelConfigText(readFileSync(configPath, 'utf8'));
  } catch (error) {
    throw new Error(`${configPath}: ${(error as Error).message}`, { cause: error });
  }
  const weights = loadWeights(config, readSafetensorsFile(join(dir, 'model.safetensors')));
  return { config, weights };
}

export function readSafetensorsFile(path: string): SafetensorsFile {
  return parseSafetensors(new Uint8Array(readFileSync(path)), path);
}

/** Every tensor of a safetensors file as float32, by name. */
export function readAllFloat32(path: string): Map<string, Float32Array> {
  const file = readSafetensorsFile(path);
  return new Map(file.tensors.map((t) => [t.name, readFloat32(file, t.name)]));
}

export function writeFloat32File(
  path: string,
  tensors: { name: string; shape: number[]; data: Float32Array }[],
): void {
  const inputs: SafetensorsTensorInput[] = tensors.map((t) => ({ ...t, dtype: 'F32' }));
  writeFileSync(path, writeSafetensors(inputs, { label: path }));
}

/** `--name value` pairs and bare `--flag`s. */
export function parseArgs(argv: readonly string[]): Map<string, string> {
  const args = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith('--')) throw new Error(`unexpected argument "${arg}"`);
    const next = argv[i + 1];
    if (next === undefined || next.startsWith('--')) args.set(arg.slice(2), 'true');
    else {
      args.set(arg.slice(2), next);
      i++;
    }
  }
  return args;
}

export function requireArg(args: Map<string, string>, name: string, usage: string): string {
  const value = args.get(name);
  if (value === undefined) throw new Error(`missing --${name}\n${usage}`);
  return value;
}
