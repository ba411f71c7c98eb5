/**
 * Generating with a stored LoRA adapter: the adapter is folded into a copy of the base weights
 * (W' = W + alpha/r · B·A, formats/peft/merge.ts) and that copy is bound in place of the base weights. The decode
 * graph takes its weights as inputs, so the same session serves the base model and every adapter, and decoding
 * with an adapter costs no more than without.
 */
import type { ModelConfig } from '../../engine/arch/config.ts';
import { importPeftAdapter, PeftError } from '../../formats/peft/index.ts';
import { mergeLora } from '../../formats/peft/merge.ts';
import type { AdapterRecord } from '../../storage/index.ts';
import { WorkerError } from '../errors.ts';

/** Whether a stored adapter writes text (a CAUSAL_LM adapter) rather than scoring it (SEQ_CLS). */
export function isCausalLmAdapter(record: Pick<AdapterRecord, 'config'>): boolean {
  return record.config.task_type === 'CAUSAL_LM';
}

/** The base weights with the adapter merged in; tensors the adapter does not touch are shared, not copied. */
export function mergedWeights(
  config: ModelConfig,
  base: ReadonlyMap<string, Float32Array>,
  record: AdapterRecord,
): Map<string, Float32Array> {
  try {
    const adapter = importPeftAdapter(
      { kind: 'files', config: JSON.stringify(record.config), weights: new Uint8Array(record.weights) },
      { config },
    );
    return mergeLora(config, base, adapter);
  } catch (error) {
    if (error instanceof PeftError || error instanceof Error) {
      throw new WorkerError(
        'AdapterUnusable',
        `Adapter "${record.name}" cannot be used with this model: ${error.message}`,
        { adapterId: record.id },
      );
    }
    throw error;
  }
}
