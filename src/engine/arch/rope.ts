/**
 * Rotary position tables, computed in JavaScript and fed to graphs as constants: Sin/Cos on
 * WebGPU (SwiftShader) differ from the CPU by ~2e-4, so the graphs never evaluate them.
 *
 * The arithmetic mirrors transformers' float32 computation (inverse frequencies in float32,
 * position × frequency rounded to float32) so that tables match PyTorch bit for bit or nearly.
 */
import type { LlamaConfig, RopeScaling } from './config.ts';

const f = Math.fround;

/** Inverse frequencies, one per rotated pair: [headDim / 2]. */
export function inverseFrequencies(headDim: number, theta: number, scaling: RopeScaling): Float32Array {
  const half = headDim / 2;
  const inv = new Float32Array(half);
  for (let i = 0; i < half; i++) inv[i] = f(1 / f(theta ** f((2 * i) / headDim)));
  if (scaling.kind === 'linear') {
    for (let i = 0; i < half; i++) inv[i] = f((inv[i] as number) / scaling.factor);
  } else if (scaling.kind === 'llama3') {
    const { factor, lowFreqFactor, highFreqFactor, originalMaxPositions } = scaling;
    const lowFreqWavelen = originalMaxPositions / lowFreqFactor;
    const highFreqWavelen = originalMaxPositions / highFreqFactor;
    for (let i = 0; i < half; i++) {
      const freq = inv[i] as number;
      const wavelen = (2 * Math.PI) / freq;
      if (wavelen > lowFreqWavelen) {
        inv[i] = f(freq / factor);
      } else if (wavelen >= highFreqWavelen) {
        const smooth = (originalMaxPositions / wavelen - lowFreqFactor) / (highFreqFactor - lowFreqFactor);
        inv[i] = f((1 - smooth) * (freq / factor) + smooth * freq);
      }
    }
  }
  return inv;
}

export interface RopeTables {
  /** [positions, headDim]: cos(p * inv[i mod headDim/2]), the layout of transformers' rotate_half convention. */
  cos: Float32Array;
  sin: Float32Array;
  positions: number;
  headDim: number;
}

export function ropeTables(config: LlamaConfig, positions = config.maxPositions): RopeTables {
  const d = config.headDim;
  const half = d / 2;
  const inv = inverseFrequencies(d, config.ropeTheta, config.ropeScaling);
  const cos = new Float32Array(positions * d);
  const sin = new Float32Array(positions * d);
  for (let p = 0; p < positions; p++) {
    for (let i = 0; i < half; i++) {
      const angle = f(p * (inv[i] as number));
      const c = Math.cos(angle);
      const s = Math.sin(angle);
      cos[p * d + i] = c;
      cos[p * d + half + i] = c;
      sin[p * d + i] = s;
      sin[p * d + half + i] = s;
    }
  }
  return { cos, sin, positions, headDim: d };
}
