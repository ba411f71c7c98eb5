/**
 * adapter_config.json as PEFT (0.21) writes it ↔ AdapterConfig. Options that change the computation in a way
 * the engine does not implement are refused with the key that asks for them.
 */
import { PeftError } from './errors.ts';
import { ADAPTER_CONFIG_FILE, type AdapterConfig, type TaskType } from './types.ts';

type Json = Record<string, unknown>;

/** PEFT method names, for a precise refusal. */
const OTHER_METHODS: Record<string, string> = {
  IA3: 'IA³',
  LOHA: 'LoHa',
  LOKR: 'LoKr',
  ADALORA: 'AdaLoRA',
  PREFIX_TUNING: 'prefix tuning',
  PROMPT_TUNING: 'prompt tuning',
  P_TUNING: 'P-tuning',
  OFT: 'OFT',
  BOFT: 'BOFT',
  VERA: 'VeRA',
};

/** Keys that must hold their "off" value; each names what it would switch on. */
const MUST_BE_OFF: Array<[key: string, off: unknown[], what: string]> = [
  ['use_dora', [false], 'DoRA (weight-decomposed LoRA)'],
  ['use_rslora', [false], 'rank-stabilised LoRA (scale alpha/sqrt(r))'],
  ['use_qalora', [false], 'QA-LoRA'],
  ['lora_bias', [false], 'trainable LoRA biases'],
  ['rank_pattern', [{}], 'per-module ranks'],
  ['alpha_pattern', [{}], 'per-module alphas'],
  ['layers_to_transform', [], 'LoRA on a subset of layers'],
  ['layer_replication', [], 'layer replication'],
  ['target_parameters', [], 'LoRA on raw parameters'],
  ['trainable_token_indices', [], 'trainable token embeddings'],
  ['exclude_modules', [], 'excluded modules'],
  ['megatron_config', [], 'Megatron layers'],
  ['alora_invocation_tokens', [], 'activated LoRA'],
];

function isOff(value: unknown, off: unknown[]): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0) return true;
  if (Array.isArray(value) && value.length === 0) return true;
  return off.includes(value);
}

function fail(field: string, problem: string): never {
  throw new PeftError(ADAPTER_CONFIG_FILE, field, problem);
}

function targetModules(value: unknown): string[] {
  if (typeof value === 'string') {
    fail(
      'target_modules',
      `a regular expression (${JSON.stringify(value)}) is not supported; give a list of module names`,
    );
  }
  if (!Array.isArray(value) || value.length === 0 || value.some((v) => typeof v !== 'string' || v === '')) {
    fail('target_modules', `must be a non-empty list of module names, got ${JSON.stringify(value)}`);
  }
  return [...new Set(value as string[])];
}

function taskType(value: unknown): TaskType {
  if (value === undefined || value === null || value === 'CAUSAL_LM') return 'CAUSAL_LM';
  if (value === 'SEQ_CLS') return 'SEQ_CLS';
  return fail('task_type', `${JSON.stringify(value)} is not supported; expected "CAUSAL_LM" or "SEQ_CLS"`);
}

export function parseAdapterConfig(text: string): AdapterConfig {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new PeftError(ADAPTER_CONFIG_FILE, null, `not valid JSON (${(error as Error).message})`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    fail('(top level)', 'must be a JSON object');
  const obj = json as Json;
  const peftType = obj.peft_type;
  if (peftType !== 'LORA') {
    const known = typeof peftType === 'string' ? OTHER_METHODS[peftType] : undefined;
    fail(
      'peft_type',
      known === undefined
        ? `${JSON.stringify(peftType)} is not supported; only "LORA" adapters import`
        : `${known} adapters are not supported; only LoRA (peft_type "LORA") imports`,
    );
  }
  for (const [key, off, what] of MUST_BE_OFF) {
    if (!isOff(obj[key], off))
      fail(key, `${JSON.stringify(obj[key])} asks for ${what}, which is not supported`);
  }
  const bias = obj.bias ?? 'none';
  if (bias !== 'none')
    fail('bias', `${JSON.stringify(bias)} is not supported; expected "none" (no trained biases)`);
  const rank = obj.r;
  if (typeof rank !== 'number' || !Number.isInteger(rank) || rank <= 0)
    fail('r', `must be a positive integer, got ${JSON.stringify(rank)}`);
  const alpha = obj.lora_alpha ?? 8;
  if (typeof alpha !== 'number' || !Number.isFinite(alpha) || alpha <= 0)
    fail('lora_alpha', `must be a positive number, got ${JSON.stringify(alpha)}`);
  const dropout = obj.lora_dropout ?? 0;
  if (typeof dropout !== 'number' || !(dropout >= 0 && dropout < 1))
    fail('lora_dropout', `must be in [0, 1), got ${JSON.stringify(dropout)}`);
  const task = taskType(obj.task_type);
  const modulesToSave = obj.modules_to_save;
  if (modulesToSave !== undefined && modulesToSave !== null) {
    const allowed = task === 'SEQ_CLS' ? ['score', 'classifier'] : [];
    if (!Array.isArray(modulesToSave) || modulesToSave.some((m) => !allowed.includes(m as string))) {
      fail(
        'modules_to_save',
        `${JSON.stringify(modulesToSave)} is not supported; ${task === 'SEQ_CLS' ? 'only the classifier head ("score") can be saved' : 'a CAUSAL_LM adapter saves no full modules'}`,
      );
    }
  }
  const base = obj.base_model_name_or_path;
  const fanInFanOut = obj.fan_in_fan_out ?? false;
  if (typeof fanInFanOut !== 'boolean')
    fail('fan_in_fan_out', `must be true or false, got ${JSON.stringify(fanInFanOut)}`);
  return {
    taskType: task,
    rank,
    alpha,
    dropout,
    targetModules: targetModules(obj.target_modules),
    baseModelNameOrPath: typeof base === 'string' ? base : null,
    fanInFanOut,
  };
}

/** adapter_config.json with the keys PEFT 0.21 writes that matter for loading; the rest take PEFT's defaults. */
export function adapterConfigJson(config: AdapterConfig): Json {
  return {
    peft_type: 'LORA',
    task_type: config.taskType,
    r: config.rank,
    lora_alpha: config.alpha,
    lora_dropout: config.dropout,
    target_modules: config.targetModules,
    bias: 'none',
    base_model_name_or_path: config.baseModelNameOrPath,
    modules_to_save: config.taskType === 'SEQ_CLS' ? ['score'] : null,
    fan_in_fan_out: config.fanInFanOut,
    inference_mode: true,
    init_lora_weights: true,
    use_dora: false,
    use_rslora: false,
    rank_pattern: {},
    alpha_pattern: {},
    layers_to_transform: null,
    layers_pattern: null,
    lora_bias: false,
    revision: null,
  };
}
