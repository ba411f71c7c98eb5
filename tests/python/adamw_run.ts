// Used by test_adamw_parity.py: runs our clipping + schedule + AdamW on parameters and per-step gradients from
// a safetensors file (param.<name>, grad.<step>.<name>; settings in metadata "run"), saving and restoring the
// optimizer state halfway, and writes the final parameters, moments, learning rates and gradient norms.
import { readFileSync, writeFileSync } from 'node:fs';
import { parseSafetensors, readFloat32 } from '../../src/formats/safetensors.ts';
import { writeSafetensors } from '../../src/formats/safetensors-write.ts';
import {
  AdamW,
  adamwStateFromSafetensors,
  adamwStateToSafetensors,
  clipGradNorm,
  type AdamWConfig,
} from '../../src/train/optimizer.ts';
import { learningRateAt, type LrSchedule } from '../../src/train/schedule.ts';

interface RunSettings {
  steps: number;
  maxGradNorm: number;
  schedule: LrSchedule;
  optimizer: AdamWConfig;
}

const [input, output] = process.argv.slice(2);
if (!input || !output) throw new Error('usage: tsx tests/python/adamw_run.ts IN.safetensors OUT.safetensors');
const file = parseSafetensors(new Uint8Array(readFileSync(input)), input);
const run = JSON.parse(file.metadata.run ?? '{}') as RunSettings;
const params: Record<string, Float32Array> = {};
for (const t of file.tensors)
  if (t.name.startsWith('param.')) params[t.name.slice(6)] = readFloat32(file, t.name);

let optimizer = new AdamW(run.optimizer);
const lrs: number[] = [];
const norms: number[] = [];
for (let step = 0; step < run.steps; step++) {
  if (step === Math.floor(run.steps / 2)) {
    optimizer = AdamW.fromState(
      adamwStateFromSafetensors(adamwStateToSafetensors(optimizer.exportState()), 'halfway state'),
    );
  }
  const grads = Object.fromEntries(
    Object.keys(params).map((name) => [name, readFloat32(file, `grad.${step}.${name}`)]),
  );
  norms.push(clipGradNorm(grads, run.maxGradNorm));
  const lr = learningRateAt(run.schedule, step);
  lrs.push(lr);
  optimizer.update(params, grads, lr);
}
const state = optimizer.exportState();
const f32 = (name: string, data: Float32Array) => ({
  name,
  dtype: 'F32' as const,
  shape: [data.length],
  data,
});
writeFileSync(
  output,
  writeSafetensors([
    ...Object.entries(params).map(([name, data]) => f32(`param.${name}`, data)),
    ...Object.entries(state.expAvg).map(([name, data]) => f32(`exp_avg.${name}`, data)),
    ...Object.entries(state.expAvgSq).map(([name, data]) => f32(`exp_avg_sq.${name}`, data)),
    { name: 'lrs', dtype: 'F64', shape: [lrs.length], data: Float64Array.from(lrs) },
    { name: 'grad_norms', dtype: 'F64', shape: [norms.length], data: Float64Array.from(norms) },
  ]),
);
