/**
 * What a forward pass needs besides the config: weights by parameter-table name, optional LoRA
 * pairs by module path, and the token inputs. Weights may be graph inputs or initializers; the
 * forward pass does not care which.
 */
import type { Tensor } from '../graph.ts';
import type { Dim } from '../types.ts';
import type { LoraPair } from './layers.ts';

export type WeightLookup = (name: string) => Tensor;
export type LoraLookup = (module: string) => LoraPair | undefined;

export interface KeyValue {
  key: Tensor; // (B, kvh, S, hs)
  value: Tensor;
}

export interface ForwardInputs {
  /** (B, T) int32 token ids. */
  ids: Tensor;
  /** (B, T) or (T) int32 absolute positions. */
  positions: Tensor;
  /** Additive mask, broadcastable to (B, 1, 1, T, S): see attentionBias. */
  attentionBias: Tensor;
  /** Per layer, the cached keys and values of earlier tokens. */
  past?: readonly KeyValue[];
  /** Name of the key axis after appending the cache (the attention mask's length dim). */
  keyLength?: Dim;
}

export interface ForwardOutputs {
  /** (N, C) with N = B*T, after the final norm. */
  hidden: Tensor;
  /** Per layer, past + current keys and values (B, kvh, S, hs). */
  present: KeyValue[];
}

export const noLora: LoraLookup = () => undefined;
