/** A trained adapter as the PEFT in-memory form (src/formats/peft), with our metadata: labels, control codes, metrics. */
import type { ModelConfig } from '../engine/arch/config.ts';
import type { AdapterTensor, PeftAdapter } from '../formats/peft/types.ts';
import type { TrainResult } from './trainer.ts';

export interface AdapterNaming {
  name: string;
  baseModel: { name: string; contentHash: string };
  dataset: { version: string; auditSummary: Record<string, unknown> } | null;
}

/** Metrics for the card: validation loss before/after, perplexity for a generator, classifier metrics. */
export function resultMetrics(result: TrainResult): Record<string, number> {
  const best = result.state.best ?? result.initial;
  const metrics: Record<string, number> = {
    validationLossBefore: result.initial.loss,
    validationLossAfter: best.loss,
    bestStep: best.step,
    steps: result.state.step,
  };
  if (result.config.task === 'generator') {
    metrics.perplexityBefore = Math.exp(result.initial.loss);
    metrics.perplexityAfter = Math.exp(best.loss);
  }
  const m = best.metrics;
  if (m) {
    metrics.accuracy = m.accuracy;
    metrics.f1 = m.f1;
    metrics.macroF1 = m.macroF1;
    if (m.rocAuc !== null) metrics.rocAuc = m.rocAuc;
  }
  return metrics;
}

export function toPeftAdapter(result: TrainResult, model: ModelConfig, naming: AdapterNaming): PeftAdapter {
  const tensors = new Map<string, AdapterTensor>();
  for (const [name, shape] of result.shapes)
    tensors.set(name, { shape, data: (result.best[name] as Float32Array).slice() });
  const config = result.config;
  return {
    config: {
      taskType: config.task === 'generator' ? 'CAUSAL_LM' : 'SEQ_CLS',
      rank: config.rank,
      alpha: config.alpha,
      dropout: config.dropout,
      // PEFT matches target_modules by name, so short names (q) are written as the module names (q_proj).
      targetModules: [
        ...new Set(
          [...result.shapes.keys()].flatMap(
            (name) => /\.([^.]+)\.lora_A\.weight$/.exec(name)?.slice(1) ?? [],
          ),
        ),
      ],
      baseModelNameOrPath: naming.baseModel.name,
      fanInFanOut: model.arch === 'gpt2',
    },
    tensors,
    meta: {
      format: 'punchline-adapter',
      version: 1,
      name: naming.name,
      createdAt: new Date().toISOString(),
      baseModel: { ...naming.baseModel, arch: model.arch },
      dataset: naming.dataset,
      hyperparameters: Object.fromEntries(
        Object.entries(config).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : v]),
      ) as Record<string, number | string | boolean>,
      metrics: resultMetrics(result),
      // Generator: labels[i] is the dataset label that controlCodes[i] stands for. Binary classifier: one
      // logit, the probability of labels[1].
      labels: config.task === 'classifier' ? result.plan.classes : Object.keys(result.plan.controlCodes),
      controlCodes: config.task === 'generator' ? Object.values(result.plan.controlCodes) : [],
    },
  };
}
