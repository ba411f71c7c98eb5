/**
 * How to hold an imported model's weights for decoding on a device, from what was measured on SmolLM2-135M
 * (tools/models-quant-eval.ts, onnxruntime-node 1.30, 60 held-out jokes):
 *   float32                      ppl 87.06   513 MiB   2.9 tok/s
 *   4-bit, float zero points     ppl 87.06   184 MiB   0.6 tok/s   (the GGUF's Q4_1 blocks, recovered exactly)
 *   4-bit, uint8 zero points     ppl 103.4   173 MiB   6.6 tok/s   (MLAS's packed kernel; lossy)
 * On the CPU/WASM EP float32 is the lossless fast choice while it fits; quantised weights are for when it does
 * not, or for WebGPU, where memory is the limit and MatMulNBits runs natively either way.
 */
import type { ModelConfig } from '../engine/arch/config.ts';
import { planWeights, type DeviceLimits } from './device-fit.ts';
import type { QuantizedDecoderOptions } from './quantized-decoder.ts';

export type WeightChoice =
  | { kind: 'float32'; bytes: number }
  | { kind: 'quantized'; options: QuantizedDecoderOptions; bytes: number }
  | { kind: 'too-large'; problems: string[] };

export function chooseDecodeWeights(config: ModelConfig, limits: DeviceLimits): WeightChoice {
  const float32 = planWeights(config, limits);
  if (float32.problems.length === 0 && limits.backend !== 'webgpu')
    return { kind: 'float32', bytes: float32.totalBytes };
  const options: QuantizedDecoderOptions = { bits: 4, blockSize: 32, zeroPoints: 'float' };
  const quantized = planWeights(config, limits, options);
  if (quantized.problems.length === 0) return { kind: 'quantized', options, bytes: quantized.totalBytes };
  if (float32.problems.length === 0) return { kind: 'float32', bytes: float32.totalBytes };
  return { kind: 'too-large', problems: quantized.problems };
}
