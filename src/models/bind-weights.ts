import type { ModelConfig } from '../engine/arch/config.ts';
import { parameterTable } from '../engine/arch/params.ts';
import type { OrtTensor, Runtime, WeightPlacement } from '../runtime/types.ts';
import { bindWeights } from '../runtime/weights.ts';

/** A model's parameters by Hugging Face tensor name, as the folder and GGUF loaders return them. */
export interface ModelWeights {
  config: ModelConfig;
  weights: ReadonlyMap<string, Float32Array>;
}

/** Binds every tensor of the model's parameter table once (see bindWeights); a missing one is named. */
export async function bindModelWeights(
  runtime: Runtime,
  model: ModelWeights,
  placement: WeightPlacement,
): Promise<Record<string, OrtTensor>> {
  const entries = parameterTable(model.config).map((spec) => {
    const data = model.weights.get(spec.name);
    if (!data) throw new Error(`model weights: tensor "${spec.name}" [${spec.shape.join(', ')}] is missing`);
    return [spec.name, { data, dims: spec.shape }] as const;
  });
  return bindWeights(runtime, Object.fromEntries(entries), placement);
}
