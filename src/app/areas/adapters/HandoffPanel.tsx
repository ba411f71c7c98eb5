import { useState } from 'react';
import { useAdapters } from './useAdapters.ts';

/** "Continue on a GPU cluster": a zip with the dataset as JSONL, the LoRA config, train_lora.py and a README. */
export function HandoffPanel() {
  const datasets = useAdapters((s) => s.datasets);
  const all = useAdapters((s) => s.adapters);
  const adapters = all.filter((a) => a.taskType === 'CAUSAL_LM');
  const exportHandoff = useAdapters((s) => s.actions.exportHandoff);
  const [datasetId, setDatasetId] = useState('');
  const [adapterId, setAdapterId] = useState('');
  const [jobName, setJobName] = useState('');
  const chosen = datasetId || datasets[0]?.id || '';
  return (
    <form
      className="adapters-handoff"
      aria-label="Continue on a GPU cluster"
      onSubmit={(e) => {
        e.preventDefault();
        if (chosen !== '') void exportHandoff(chosen, adapterId === '' ? null : adapterId, jobName);
      }}
    >
      <h4>Continue on a GPU cluster</h4>
      <p>
        Downloads the dataset version as JSONL with the LoRA settings, a transformers + PEFT + Accelerate
        script (train_lora.py) and a README with the commands for several GPUs, one GPU or a CPU. Its result
        imports here.
      </p>
      <label>
        Dataset for the job{' '}
        <select aria-label="Handoff dataset" value={chosen} onChange={(e) => setDatasetId(e.target.value)}>
          {datasets.length === 0 && <option value="">no datasets stored</option>}
          {datasets.map((d) => (
            <option key={d.id} value={d.id}>
              {d.name} v{d.number} ({d.rowCount} rows)
            </option>
          ))}
        </select>
      </label>
      <label>
        Settings from{' '}
        <select
          aria-label="Handoff settings"
          value={adapterId}
          onChange={(e) => setAdapterId(e.target.value)}
        >
          <option value="">the trainer&apos;s defaults</option>
          {adapters.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Job name{' '}
        <input aria-label="Handoff job name" value={jobName} onChange={(e) => setJobName(e.target.value)} />
      </label>
      <button type="submit" disabled={chosen === ''}>
        Download GPU job
      </button>
    </form>
  );
}
