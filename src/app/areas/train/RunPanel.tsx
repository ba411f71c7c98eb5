/** Estimate, progress bar (step, tokens/s, ETA), Pause/Resume/Cancel, live loss chart, unfinished runs. */
import { LossChart } from './LossChart.tsx';
import { useTrain } from './useTrain.ts';

const seconds = (s: number) => (s >= 120 ? `${(s / 60).toFixed(1)} min` : `${s.toFixed(0)} s`);

export function EstimateView() {
  const estimate = useTrain((s) => s.estimate);
  if (!estimate) return null;
  const { feasibility } = estimate;
  if (!feasibility.ok)
    return (
      <p role="alert" className="train-refused">
        This configuration does not fit: {feasibility.reason}. Try: {feasibility.suggestion}.
      </p>
    );
  return (
    <p className="train-estimate" aria-label="Estimate">
      {estimate.note}. {estimate.trainRows} training / {estimate.validationRows} validation rows,{' '}
      {estimate.totalSteps} updates at {estimate.secondsPerStep.toFixed(2)} s each on {estimate.backend}:
      about {seconds(estimate.etaSeconds)}. Memory about{' '}
      {(feasibility.estimate.totalBytes / 2 ** 20).toFixed(0)} MiB.
    </p>
  );
}

export function UnfinishedRuns() {
  const unfinished = useTrain((s) => s.unfinished);
  const phase = useTrain((s) => s.phase);
  const start = useTrain((s) => s.actions.start);
  if (unfinished.length === 0 || phase === 'running' || phase === 'starting' || phase === 'paused')
    return null;
  return (
    <section aria-label="Unfinished runs" className="train-unfinished">
      <h3>Unfinished runs</h3>
      <ul>
        {unfinished.map((run) => (
          <li key={run.runId}>
            {run.task} run from {new Date(run.createdAt).toLocaleString()}, checkpoint at step {run.step}{' '}
            <button type="button" onClick={() => void start(run.runId)}>
              Resume run
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function RunPanel() {
  const phase = useTrain((s) => s.phase);
  const progress = useTrain((s) => s.progress);
  const losses = useTrain((s) => s.losses);
  const validation = useTrain((s) => s.validation);
  const actions = useTrain((s) => s.actions);
  if (phase === 'idle') return null;
  const total = progress?.totalSteps ?? 0;
  const step = progress?.step ?? 0;
  return (
    <section aria-label="Training run" className="train-run">
      <p>
        <progress max={Math.max(1, total)} value={step} aria-label="Training progress" /> Step{' '}
        <span data-testid="train-step">{step}</span> / {total}
        {progress && (
          <>
            {' '}
            · {progress.tokensPerSecond.toFixed(0)} tokens/s · ETA {seconds(progress.etaSeconds)}
            {progress.loss !== null && <> · loss {progress.loss.toFixed(4)}</>}
          </>
        )}{' '}
        · <span data-testid="train-phase">{phase}</span>
      </p>
      {phase === 'running' && (
        <button type="button" onClick={() => void actions.pause()}>
          Pause
        </button>
      )}
      {phase === 'paused' && (
        <button type="button" onClick={() => void actions.resume()}>
          Resume
        </button>
      )}{' '}
      {(phase === 'running' || phase === 'paused' || phase === 'starting') && (
        <button type="button" onClick={() => actions.cancel()}>
          Cancel
        </button>
      )}
      <LossChart
        losses={losses}
        validation={validation}
        totalSteps={Math.max(total, losses.at(-1)?.step ?? 0)}
      />
    </section>
  );
}
