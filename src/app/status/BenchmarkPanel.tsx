import { useState } from 'react';
import { useApp } from '../useApp.ts';

function formatFlops(gflops: number): string {
  return gflops >= 1 ? `${gflops.toFixed(2)} GFLOP/s` : `${(gflops * 1000).toFixed(2)} MFLOP/s`;
}

/** A timed MatMul run on the chosen backend: a real long task that streams progress and can be cancelled. */
export function BenchmarkPanel() {
  const benchmark = useApp((s) => s.benchmark);
  const backendReady = useApp((s) => s.backend.status === 'ready');
  const { runBenchmark, cancelBenchmark } = useApp((s) => s.actions);
  const [size, setSize] = useState(128);
  const [steps, setSteps] = useState(20);
  const running = benchmark.status === 'running';
  const last = benchmark.status === 'idle' ? undefined : benchmark.steps.at(-1);
  return (
    <div className="benchmark">
      <h3>MatMul benchmark</h3>
      <label>
        Size{' '}
        <input
          type="number"
          min={1}
          max={4096}
          value={size}
          onChange={(e) => setSize(Number(e.target.value))}
          data-testid="benchmark-size"
        />
      </label>{' '}
      <label>
        Runs{' '}
        <input
          type="number"
          min={1}
          max={1000}
          value={steps}
          onChange={(e) => setSteps(Number(e.target.value))}
          data-testid="benchmark-steps"
        />
      </label>{' '}
      <button
        type="button"
        disabled={running || !backendReady}
        onClick={() => void runBenchmark(size, steps)}
        data-testid="benchmark-start"
      >
        Run
      </button>{' '}
      <button type="button" disabled={!running} onClick={cancelBenchmark} data-testid="benchmark-cancel">
        Cancel
      </button>
      <p data-testid="benchmark-status" data-status={benchmark.status} aria-live="polite">
        {benchmark.status === 'idle' && 'Not run yet.'}
        {running && `Running: ${benchmark.steps.length} of ${last?.steps ?? steps} done`}
        {benchmark.status === 'finished' &&
          `${benchmark.backend}: median ${formatFlops(benchmark.medianGflops)} over ${benchmark.steps.length} runs of ${benchmark.size}×${benchmark.size}`}
        {benchmark.status === 'cancelled' && `Cancelled after ${benchmark.steps.length} runs.`}
        {benchmark.status === 'failed' && `Failed: ${benchmark.message}`}
      </p>
      {running && (
        <progress
          max={last?.steps ?? steps}
          value={benchmark.steps.length}
          data-testid="benchmark-progress"
        />
      )}
    </div>
  );
}
