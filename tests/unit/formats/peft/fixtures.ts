/** The PEFT 0.21.2 adapters written by tests/fixtures/peft/make.py, and helpers to build variants of them. */
import { readFileSync } from 'node:fs';
import { parseModelConfigText, type ModelConfig } from '../../../../src/engine/arch/config.ts';
import type { AdapterSource } from '../../../../src/formats/peft/adapter-io.ts';

const path = (name: string): URL => new URL(`../../../fixtures/peft/${name}`, import.meta.url);

export const llamaBase: ModelConfig = parseModelConfigText(readFileSync(path('llama-config.json'), 'utf8'));
export const gpt2Base: ModelConfig = parseModelConfigText(readFileSync(path('gpt2-config.json'), 'utf8'));

export interface AdapterFiles {
  config: Record<string, unknown>;
  weights: Uint8Array;
}

export function adapterFiles(name: 'llama-lora' | 'gpt2-lora' | 'llama-cls'): AdapterFiles {
  return {
    config: JSON.parse(readFileSync(path(`${name}/adapter_config.json`), 'utf8')) as Record<string, unknown>,
    weights: new Uint8Array(readFileSync(path(`${name}/adapter_model.safetensors`))),
  };
}

export function filesSource(files: AdapterFiles, meta?: unknown): AdapterSource {
  return {
    kind: 'files',
    config: JSON.stringify(files.config),
    weights: files.weights,
    ...(meta === undefined ? {} : { meta: JSON.stringify(meta) }),
  };
}
