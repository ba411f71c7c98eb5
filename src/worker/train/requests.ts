/** The Train area's entries in the worker protocol (merged into `Requests` in protocol.ts). */
import type { TrainConfig } from '../../train/config.ts';
import type { Feasibility } from '../../train/feasibility.ts';
import type { ClassifierMetrics } from '../../train/metrics.ts';
import type { TrainProgress, TrainStatus } from '../../train/trainer.ts';

export interface TrainPayload {
  modelId: string;
  datasetVersionId: string;
  config: Partial<TrainConfig>;
  /** Continue this unfinished run from its latest checkpoint (config and data are the run's own). */
  resumeRunId?: string;
  adapterName?: string;
}

export interface TrainEvent extends TrainProgress {
  runId: string;
}

export interface TrainEstimate {
  feasibility: Feasibility;
  note: string;
  trainRows: number;
  validationRows: number;
  totalSteps: number;
  secondsPerStep: number;
  etaSeconds: number;
  backend: string;
}

export interface TrainSummary {
  runId: string;
  status: TrainStatus;
  adapterId: string | null;
  task: TrainConfig['task'];
  note: string;
  losses: { step: number; loss: number }[];
  validation: { step: number; loss: number }[];
  /** Before = step 0 (for a generator the base model), after = the best checkpoint. */
  validationLossBefore: number;
  validationLossAfter: number;
  metrics: ClassifierMetrics | null;
  classes: string[];
}

export interface UnfinishedRun {
  runId: string;
  modelId: string;
  datasetVersionId: string;
  status: 'running' | 'paused';
  step: number;
  createdAt: number;
  task: string;
}

export interface TrainRequests {
  /** Feasibility against the device limits and time from a short measured warm-up (2 micro-batches). */
  estimateTraining: { payload: TrainPayload; result: TrainEstimate; progress: never };
  /** Runs (or resumes) a training job; cancelling stops it after the current update, with a checkpoint. */
  train: { payload: TrainPayload; result: TrainSummary; progress: TrainEvent };
  pauseTraining: { payload: { runId: string }; result: { runId: string }; progress: never };
  resumeTraining: { payload: { runId: string }; result: { runId: string }; progress: never };
  /** Runs that were running or paused when the page went away, with a checkpoint to continue from. */
  unfinishedRuns: { payload: Record<string, never>; result: UnfinishedRun[]; progress: never };
}
