/** The generator task: packed joke windows through the LoRA train-step graph; validation loss per token. */
import { loraTable } from '../engine/arch/lora.ts';
import { buildLmTrainGraph, gradName } from '../engine/graphs/train-lm.ts';
import { loraDropoutMasks } from '../engine/graphs/weights.ts';
import { exportOnnx } from '../engine/onnx/serialize.ts';
import { readFloat32, readScalar } from '../runtime/tensors.ts';
import type { OrtTensor } from '../runtime/types.ts';
import { buildLmLossGraph } from './lm-eval-graph.ts';
import { PackedJokes, validationLmBatches, type LmBatch } from './lm-batches.ts';
import type { JokeTokens } from './sequences.ts';
import { createTaskSession, feedParams, type TaskContext, type TaskRunner } from './task.ts';

export interface LmTaskData {
  train: JokeTokens[];
  validation: JokeTokens[];
  seq: number;
  batchSize: number;
  seed: number;
  maxValidationWindows: number;
}

export async function createLmTask(context: TaskContext, data: LmTaskData): Promise<TaskRunner> {
  const { runtime, config, lora } = context;
  const specs = loraTable(config, lora);
  const shapes = new Map<string, number[]>(
    specs.flatMap((s) => [
      [s.aName, s.aShape],
      [s.bName, s.bShape],
    ]),
  );
  const packed = new PackedJokes(data.train, data.seq, data.seed);
  const validation = validationLmBatches(
    data.validation,
    data.seq,
    data.maxValidationWindows,
    data.batchSize,
  );
  if (validation.length === 0)
    throw new Error(
      `the validation split holds fewer than ${data.seq + 1} tokens; raise the validation share or lower the max sequence length`,
    );
  const trainGraph = buildLmTrainGraph(config, { kind: 'lora', lora, weights: { kind: 'inputs' } });
  const trainSession = await createTaskSession(context, exportOnnx(trainGraph.graph), 'LoRA train step');
  const evalSession = await createTaskSession(
    context,
    exportOnnx(buildLmLossGraph(config, lora)),
    'LoRA validation',
  );
  const dropout = lora.dropout ?? 0;
  const t = runtime.tensors;

  const batchFeeds = (batch: LmBatch): Record<string, OrtTensor> => {
    const rows = batch.inputIds.length / data.seq;
    return {
      input_ids: t.int32(batch.inputIds, [rows, data.seq]),
      labels: t.int32(batch.labels, [rows, data.seq]),
      loss_mask: t.float32(batch.lossMask, [rows, data.seq]),
    };
  };

  return {
    shapes,
    specs,
    batchesPerEpoch: Math.max(1, Math.floor(packed.windowsPerEpoch / data.batchSize)),
    async step(params, from, uniform) {
      const batch = packed.batch(from, data.batchSize);
      const feeds: Record<string, OrtTensor> = {
        ...context.base,
        ...feedParams(runtime, shapes, params),
        ...batchFeeds(batch),
      };
      if (dropout > 0)
        for (const [name, mask] of loraDropoutMasks(specs, dropout, data.batchSize, data.seq, uniform))
          feeds[name] = t.float32(mask, [
            data.batchSize,
            data.seq,
            mask.length / (data.batchSize * data.seq),
          ]);
      const out = await trainSession.run(feeds);
      const grads: Record<string, Float32Array> = {};
      for (const name of trainGraph.trainable)
        grads[name] = await readFloat32(out[gradName(name)] as OrtTensor, gradName(name));
      const loss = await readScalar(out['loss'] as OrtTensor, 'loss');
      return { loss, grads, tokens: batch.inputIds.length, next: batch.next };
    },
    async evaluate(params) {
      let weighted = 0;
      let count = 0;
      const adapters = feedParams(runtime, shapes, params);
      for (const batch of validation) {
        if (batch.targets === 0) continue;
        const out = await evalSession.run({ ...context.base, ...adapters, ...batchFeeds(batch) });
        weighted += (await readScalar(out['loss'] as OrtTensor, 'validation loss')) * batch.targets;
        count += batch.targets;
      }
      return { loss: count === 0 ? 0 : weighted / count, count, metrics: null };
    },
    async dispose() {
      await trainSession.dispose();
      await evalSession.dispose();
    },
  };
}
