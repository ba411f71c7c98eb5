/**
 * How a graph receives the model's weights. As initializers the weights live inside the ONNX model
 * (one session owns them); as inputs one set of device buffers can be bound to several sessions
 * (decode and train step) and updated in place by an optimizer. Every graph builder takes either.
 */
import type { Graph } from '../builder.ts';
import type { Tensor } from '../graph.ts';
import type { ModelConfig } from '../arch/config.ts';
import type { LoraPair } from '../arch/layers.ts';
import { loraScale, loraTable, type LoraConfig, type LoraSpec } from '../arch/lora.ts';
import type { LoraLookup, WeightLookup } from '../arch/model.ts';
import { parameterTable } from '../arch/params.ts';

export type WeightSource =
  { kind: 'inputs' } | { kind: 'initializers'; data: ReadonlyMap<string, Float32Array> };

export interface BoundWeights {
  lookup: WeightLookup;
  /** Parameter-table name -> tensor, in table order. */
  tensors: Map<string, Tensor>;
}

/** Declares every parameter of the model, named as in model.safetensors. */
export function bindWeights(g: Graph, config: ModelConfig, source: WeightSource): BoundWeights {
  const tensors = new Map<string, Tensor>();
  for (const spec of parameterTable(config)) {
    if (source.kind === 'inputs') {
      tensors.set(spec.name, g.input(spec.name, 'float32', spec.shape));
      continue;
    }
    const data = source.data.get(spec.name);
    if (!data) throw new Error(`weights: no data for "${spec.name}" [${spec.shape.join(', ')}]`);
    tensors.set(spec.name, g.initializer(spec.name, 'float32', spec.shape, data));
  }
  const lookup: WeightLookup = (name) => {
    const t = tensors.get(name);
    if (!t) throw new Error(`weights: the ${config.arch} parameter table has no tensor "${name}"`);
    return t;
  };
  return { lookup, tensors };
}

export interface BoundLora {
  lookup: LoraLookup;
  specs: LoraSpec[];
  /** PEFT tensor name (…lora_A.weight / …lora_B.weight) -> graph input. */
  tensors: Map<string, Tensor>;
}

/** Name of the dropout keep-mask input [batch, seq, in] of one adapted module. */
export const loraDropoutName = (module: string): string => `lora_dropout.${module}`;

/**
 * Declares LoRA A and B of every targeted module as graph inputs, named as PEFT saves them. With
 * `train` and a dropout > 0, each module also takes a keep-mask input (see loraDropoutMasks).
 */
export function bindLora(g: Graph, config: ModelConfig, lora: LoraConfig, train = false): BoundLora {
  const specs = loraTable(config, lora);
  const scale = loraScale(lora);
  const withDropout = train && (lora.dropout ?? 0) > 0;
  const pairs = new Map<string, LoraPair>();
  const tensors = new Map<string, Tensor>();
  for (const spec of specs) {
    const a = g.input(spec.aName, 'float32', spec.aShape);
    const b = g.input(spec.bName, 'float32', spec.bShape);
    tensors.set(spec.aName, a);
    tensors.set(spec.bName, b);
    const pair: LoraPair = { a, b, scale };
    if (withDropout) {
      const mask = g.input(loraDropoutName(spec.module), 'float32', ['batch', 'seq', spec.inFeatures]);
      pair.dropoutMask = g.reshape(mask, [-1, spec.inFeatures]); // (N, in)
    }
    pairs.set(spec.module, pair);
  }
  return { lookup: (module) => pairs.get(module), specs, tensors };
}

/**
 * Fresh keep-masks for one train step: each element is 0 with probability p, else 1/(1-p) (inverted dropout,
 * as torch.nn.Dropout). `uniform` draws from [0, 1). Returns input name -> [batch, seq, in] data.
 */
export function loraDropoutMasks(
  specs: readonly LoraSpec[],
  dropout: number,
  batch: number,
  seq: number,
  uniform: () => number,
): Map<string, Float32Array> {
  const keep = 1 / (1 - dropout);
  return new Map(
    specs.map((spec) => [
      loraDropoutName(spec.module),
      Float32Array.from({ length: batch * seq * spec.inFeatures }, () => (uniform() < dropout ? 0 : keep)),
    ]),
  );
}
