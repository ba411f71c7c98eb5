/**
 * LoRA tables: which linear layers get adapters, and the PEFT names and shapes of their tensors.
 * y = x W^T + (x A^T B^T) * (alpha / r), with lora_A [r, in] and lora_B [out, r] as PEFT stores them.
 */
import type { ModelConfig } from './config.ts';
import { parameterTable, type LinearInfo } from './params.ts';

export interface LoraConfig {
  rank: number;
  alpha: number;
  /** PEFT target_modules: a module matches when its path equals a target or ends with "." + target. */
  targets: readonly string[];
  /** PEFT lora_dropout on the adapter input; train graphs then take one keep-mask per module. Default 0. */
  dropout?: number;
}

export interface LoraSpec extends LinearInfo {
  layer: number;
  rank: number;
  /** Tensor names in a PEFT adapter_model.safetensors. */
  aName: string;
  bName: string;
  aShape: [number, number];
  bShape: [number, number];
}

export const PEFT_PREFIX = 'base_model.model.';

const SHORT_NAMES: Record<string, string> = {
  q: 'q_proj',
  k: 'k_proj',
  v: 'v_proj',
  o: 'o_proj',
  gate: 'gate_proj',
  up: 'up_proj',
  down: 'down_proj',
};

export function loraScale(lora: LoraConfig): number {
  return lora.alpha / lora.rank;
}

function matches(module: string, target: string): boolean {
  return module === target || module.endsWith(`.${target}`);
}

/** Adapters in parameter-table order; every target must match at least one module. */
export function loraTable(config: ModelConfig, lora: LoraConfig): LoraSpec[] {
  if (!Number.isInteger(lora.rank) || lora.rank <= 0) {
    throw new Error(`LoRA rank r must be a positive integer, got ${lora.rank}`);
  }
  if (!Number.isFinite(lora.alpha) || lora.alpha <= 0) {
    throw new Error(`LoRA alpha must be a positive number, got ${lora.alpha}`);
  }
  const dropout = lora.dropout ?? 0;
  if (!(dropout >= 0 && dropout < 1)) throw new Error(`LoRA dropout must be in [0, 1), got ${dropout}`);
  if (lora.targets.length === 0) throw new Error('LoRA target modules: the list is empty');
  const targets = lora.targets.map((t) => (config.arch === 'llama' ? (SHORT_NAMES[t] ?? t) : t));
  const linears = parameterTable(config).flatMap((spec) =>
    spec.linear && spec.layer !== null ? [{ ...spec.linear, layer: spec.layer }] : [],
  );
  for (const target of targets) {
    if (!linears.some((l) => matches(l.module, target))) {
      const kinds = [...new Set(linears.map((l) => l.kind))].join(', ');
      throw new Error(
        `LoRA target module "${target}" matches no ${config.arch} linear layer; expected one of ${kinds}`,
      );
    }
  }
  const r = lora.rank;
  return linears
    .filter((l) => targets.some((t) => matches(l.module, t)))
    .map((l) => ({
      ...l,
      rank: r,
      aName: `${PEFT_PREFIX}${l.module}.lora_A.weight`,
      bName: `${PEFT_PREFIX}${l.module}.lora_B.weight`,
      aShape: [r, l.inFeatures],
      bShape: [l.outFeatures, r],
    }));
}
