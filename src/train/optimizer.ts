import { parseSafetensors, readFloat32, SafetensorsError } from '../formats/safetensors.ts';
import { writeSafetensors } from '../formats/safetensors-write.ts';

/**
 * AdamW exactly as torch.optim.AdamW (amsgrad=False, maximize=False) defines it:
 *   p ← p·(1 − lr·wd);  m ← β1·m + (1−β1)·g;  v ← β2·v + (1−β2)·g²
 *   p ← p − (lr / (1−β1ᵗ)) · m / (√v / √(1−β2ᵗ) + ε)
 * Parameters, gradients and moments are named Float32Arrays (moments stored in fp32, like torch).
 */
export interface AdamWConfig {
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  /** Parameters that get no weight decay (e.g. norms and biases in full pretraining). */
  noWeightDecay?: readonly string[];
}

export const TORCH_ADAMW_DEFAULTS: AdamWConfig = { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01 };

export interface AdamWState {
  config: AdamWConfig;
  /** Number of updates taken (torch's state['step']). */
  step: number;
  expAvg: Record<string, Float32Array>;
  expAvgSq: Record<string, Float32Array>;
}

function validateConfig(c: AdamWConfig): void {
  const inUnit = (v: number) => v >= 0 && v < 1;
  if (!inUnit(c.beta1) || !inUnit(c.beta2))
    throw new RangeError(`AdamW betas must be in [0, 1), got (${c.beta1}, ${c.beta2})`);
  if (!(c.eps >= 0) || !Number.isFinite(c.eps))
    throw new RangeError(`AdamW eps must be a finite number >= 0, got ${c.eps}`);
  if (!(c.weightDecay >= 0) || !Number.isFinite(c.weightDecay))
    throw new RangeError(`AdamW weightDecay must be a finite number >= 0, got ${c.weightDecay}`);
}

export class AdamW {
  readonly config: AdamWConfig;
  private stepCount: number;
  private readonly expAvg: Map<string, Float32Array>;
  private readonly expAvgSq: Map<string, Float32Array>;
  private readonly noDecay: Set<string>;

  constructor(config: AdamWConfig = TORCH_ADAMW_DEFAULTS, state?: Omit<AdamWState, 'config'>) {
    validateConfig(config);
    this.config = { ...config };
    this.noDecay = new Set(config.noWeightDecay ?? []);
    this.stepCount = state?.step ?? 0;
    this.expAvg = new Map(Object.entries(state?.expAvg ?? {}).map(([k, v]) => [k, v.slice()]));
    this.expAvgSq = new Map(Object.entries(state?.expAvgSq ?? {}).map(([k, v]) => [k, v.slice()]));
  }

  static fromState(state: AdamWState): AdamW {
    return new AdamW(state.config, state);
  }

  get step(): number {
    return this.stepCount;
  }

  /** A deep copy of the state, enough to resume bit-for-bit. */
  exportState(): AdamWState {
    const copy = (m: Map<string, Float32Array>) => Object.fromEntries([...m].map(([k, v]) => [k, v.slice()]));
    return {
      config: { ...this.config },
      step: this.stepCount,
      expAvg: copy(this.expAvg),
      expAvgSq: copy(this.expAvgSq),
    };
  }

  /** One update of every parameter that has a gradient, in place. */
  update(params: Record<string, Float32Array>, grads: Record<string, Float32Array>, lr: number): void {
    if (!Number.isFinite(lr) || lr < 0)
      throw new RangeError(`learning rate must be a finite number >= 0, got ${lr}`);
    for (const [name, grad] of Object.entries(grads)) {
      const param = params[name];
      if (!param) throw new Error(`AdamW: gradient given for "${name}", which is not among the parameters`);
      if (param.length !== grad.length) {
        throw new Error(
          `AdamW: gradient of "${name}" has ${grad.length} elements; the parameter has ${param.length}`,
        );
      }
      const stored = this.expAvg.get(name);
      if (stored && stored.length !== param.length) {
        throw new Error(
          `AdamW: state for "${name}" has ${stored.length} elements; the parameter has ${param.length}`,
        );
      }
    }
    this.stepCount++;
    const { beta1, beta2, eps } = this.config;
    const stepSize = lr / (1 - beta1 ** this.stepCount);
    const bc2Sqrt = Math.sqrt(1 - beta2 ** this.stepCount);
    for (const [name, grad] of Object.entries(grads)) {
      const param = params[name] as Float32Array;
      const m = this.moment(this.expAvg, name, param.length);
      const v = this.moment(this.expAvgSq, name, param.length);
      const decay = 1 - lr * (this.noDecay.has(name) ? 0 : this.config.weightDecay);
      for (let i = 0; i < param.length; i++) {
        const g = grad[i] as number;
        const mi = (m[i] = beta1 * (m[i] as number) + (1 - beta1) * g);
        const vi = (v[i] = beta2 * (v[i] as number) + (1 - beta2) * g * g);
        param[i] = (param[i] as number) * decay - (stepSize * mi) / (Math.sqrt(vi) / bc2Sqrt + eps);
      }
    }
  }

  private moment(store: Map<string, Float32Array>, name: string, length: number): Float32Array {
    let m = store.get(name);
    if (!m) {
      m = new Float32Array(length);
      store.set(name, m);
    }
    return m;
  }
}

/**
 * Scales all gradients together so their global L2 norm is at most maxNorm, as
 * torch.nn.utils.clip_grad_norm_ does (coefficient maxNorm / (norm + 1e-6), capped at 1). Returns the norm
 * before clipping. A NaN or infinite gradient is an error naming the parameter: training cannot recover from it.
 */
export function clipGradNorm(grads: Record<string, Float32Array>, maxNorm: number): number {
  if (!(maxNorm > 0)) throw new RangeError(`maxNorm must be > 0, got ${maxNorm}`);
  let sumSq = 0;
  for (const [name, grad] of Object.entries(grads)) {
    let partial = 0;
    for (let i = 0; i < grad.length; i++) partial += (grad[i] as number) ** 2;
    if (!Number.isFinite(partial))
      throw new Error(
        `gradient of "${name}" contains NaN or Infinity; lower the learning rate or check the data`,
      );
    sumSq += partial;
  }
  const norm = Math.sqrt(sumSq);
  const coefficient = maxNorm / (norm + 1e-6);
  if (coefficient < 1) {
    for (const grad of Object.values(grads))
      for (let i = 0; i < grad.length; i++) grad[i] = (grad[i] as number) * coefficient;
  }
  return norm;
}

const STATE_FORMAT = 'punchline-adamw-1';

/** The state as a safetensors file: tensors exp_avg.<name> / exp_avg_sq.<name>, step and config in metadata. */
export function adamwStateToSafetensors(state: AdamWState): Uint8Array {
  const tensors = Object.entries(state.expAvg).flatMap(([name, m]) => {
    const v = state.expAvgSq[name];
    if (!v) throw new Error(`AdamW state: "${name}" has exp_avg but no exp_avg_sq`);
    return [
      { name: `exp_avg.${name}`, dtype: 'F32' as const, shape: [m.length], data: m },
      { name: `exp_avg_sq.${name}`, dtype: 'F32' as const, shape: [v.length], data: v },
    ];
  });
  return writeSafetensors(tensors, {
    label: 'AdamW state',
    metadata: { format: STATE_FORMAT, step: String(state.step), config: JSON.stringify(state.config) },
  });
}

export function adamwStateFromSafetensors(bytes: Uint8Array, label: string): AdamWState {
  const file = parseSafetensors(bytes, label);
  if (file.metadata.format !== STATE_FORMAT) {
    throw new SafetensorsError(
      label,
      null,
      `metadata "format" is ${JSON.stringify(file.metadata.format)}; expected "${STATE_FORMAT}" (an AdamW state file)`,
    );
  }
  const step = Number(file.metadata.step);
  if (!Number.isSafeInteger(step) || step < 0)
    throw new SafetensorsError(
      label,
      null,
      `metadata "step" must be an integer >= 0, got ${JSON.stringify(file.metadata.step)}`,
    );
  let config: AdamWConfig;
  try {
    config = JSON.parse(file.metadata.config ?? '') as AdamWConfig;
    validateConfig(config);
  } catch (error) {
    throw new SafetensorsError(
      label,
      null,
      `metadata "config" is not a valid AdamW config (${(error as Error).message})`,
    );
  }
  const expAvg: Record<string, Float32Array> = {};
  const expAvgSq: Record<string, Float32Array> = {};
  for (const info of file.tensors) {
    const [kind, name] = info.name.startsWith('exp_avg_sq.')
      ? [expAvgSq, info.name.slice(11)]
      : info.name.startsWith('exp_avg.')
        ? [expAvg, info.name.slice(8)]
        : [null, ''];
    if (!kind || info.dtype !== 'F32')
      throw new SafetensorsError(
        label,
        info.name,
        'expected only F32 tensors named exp_avg.<param> or exp_avg_sq.<param>',
      );
    kind[name] = readFloat32(file, info.name);
  }
  for (const name of Object.keys(expAvg)) {
    if (expAvgSq[name]?.length !== expAvg[name]?.length)
      throw new SafetensorsError(label, `exp_avg_sq.${name}`, 'missing or a different size from exp_avg');
  }
  return { config, step, expAvg, expAvgSq };
}
