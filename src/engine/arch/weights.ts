/** Loads a model's weights from safetensors into float32 arrays keyed by parameter-table name. */
import { readFloat32, type SafetensorsFile } from '../../formats/safetensors.ts';
import { resolveCheckpoint } from './checkpoint.ts';
import type { ModelConfig } from './config.ts';

export function loadWeights(config: ModelConfig, file: SafetensorsFile): Map<string, Float32Array> {
  const resolved = resolveCheckpoint(config, file.byName, file.label);
  const weights = new Map<string, Float32Array>();
  for (const [name, fileName] of resolved.fileNames) weights.set(name, readFloat32(file, fileName));
  return weights;
}
