/** Dataset version, task and hyperparameters, each with its one-line explanation; Estimate and Train. */
import { HYPERPARAMETER_HELP, type TrainConfig } from '../../../worker/train/settings.ts';
import { useTrain } from './useTrain.ts';

type NumberField = {
  [K in keyof TrainConfig]: TrainConfig[K] extends number ? K : never;
}[keyof TrainConfig];

const NUMBER_FIELDS: { key: NumberField; label: string; step: number }[] = [
  { key: 'rank', label: 'Rank', step: 1 },
  { key: 'alpha', label: 'Alpha', step: 1 },
  { key: 'dropout', label: 'Dropout', step: 0.05 },
  { key: 'learningRate', label: 'Learning rate', step: 0.0005 },
  { key: 'warmupSteps', label: 'Warm-up steps', step: 1 },
  { key: 'steps', label: 'Steps', step: 10 },
  { key: 'epochs', label: 'Epochs', step: 1 },
  { key: 'batchSize', label: 'Batch size', step: 1 },
  { key: 'gradientAccumulation', label: 'Gradient accumulation', step: 1 },
  { key: 'maxSeqLength', label: 'Max sequence length', step: 8 },
  { key: 'validationShare', label: 'Validation share', step: 0.05 },
  { key: 'seed', label: 'Seed', step: 1 },
  { key: 'evalEvery', label: 'Validate every', step: 5 },
  { key: 'patience', label: 'Early-stopping patience', step: 1 },
  { key: 'checkpointEvery', label: 'Checkpoint every', step: 5 },
  { key: 'maxValidationItems', label: 'Validation items', step: 16 },
  { key: 'weightDecay', label: 'Weight decay', step: 0.01 },
  { key: 'maxGradNorm', label: 'Max gradient norm', step: 0.1 },
];

export function SettingsForm() {
  const versions = useTrain((s) => s.versions);
  const versionId = useTrain((s) => s.versionId);
  const config = useTrain((s) => s.config);
  const phase = useTrain((s) => s.phase);
  const estimating = useTrain((s) => s.estimating);
  const actions = useTrain((s) => s.actions);
  const busy = phase === 'starting' || phase === 'running' || phase === 'paused';
  return (
    <form
      className="train-settings"
      aria-label="Training settings"
      onSubmit={(event) => {
        event.preventDefault();
        void actions.start();
      }}
    >
      <label>
        Dataset version{' '}
        <select value={versionId ?? ''} onChange={(e) => actions.chooseVersion(e.target.value)}>
          {versions.length === 0 && <option value="">none: import a CSV in the Data area</option>}
          {versions.map((v) => (
            <option key={v.id} value={v.id}>
              {v.name} v{v.number} ({v.rowCount} rows)
            </option>
          ))}
        </select>
      </label>
      <fieldset>
        <legend>Task</legend>
        {(['generator', 'classifier'] as const).map((task) => (
          <label key={task}>
            <input
              type="radio"
              name="task"
              checked={config.task === task}
              onChange={() => actions.setConfig({ task })}
            />{' '}
            {task === 'generator' ? 'Joke generator' : 'Classifier (scorer)'}
          </label>
        ))}
        <small>{HYPERPARAMETER_HELP.task}</small>
      </fieldset>
      <div className="train-fields">
        {NUMBER_FIELDS.map(({ key, label, step }) => (
          <label key={key} title={HYPERPARAMETER_HELP[key]}>
            {label}
            <input
              type="number"
              name={key}
              step={step}
              value={config[key]}
              onChange={(e) => actions.setConfig({ [key]: Number(e.target.value) })}
            />
            <small>{HYPERPARAMETER_HELP[key]}</small>
          </label>
        ))}
        <label title={HYPERPARAMETER_HELP.targets}>
          Target modules
          <input
            name="targets"
            value={config.targets.join(',')}
            onChange={(e) => actions.setConfig({ targets: e.target.value.split(',').map((t) => t.trim()) })}
          />
          <small>{HYPERPARAMETER_HELP.targets}</small>
        </label>
        <label title={HYPERPARAMETER_HELP.schedule}>
          Schedule
          <select
            value={config.schedule}
            onChange={(e) => actions.setConfig({ schedule: e.target.value as TrainConfig['schedule'] })}
          >
            <option value="constant">constant</option>
            <option value="linear">linear</option>
            <option value="cosine">cosine</option>
          </select>
          <small>{HYPERPARAMETER_HELP.schedule}</small>
        </label>
        <label title={HYPERPARAMETER_HELP.funnyOnly}>
          <input
            type="checkbox"
            checked={config.funnyOnly}
            onChange={(e) => actions.setConfig({ funnyOnly: e.target.checked })}
          />{' '}
          Funny rows only
          <small>{HYPERPARAMETER_HELP.funnyOnly}</small>
        </label>
      </div>
      <button type="button" disabled={busy || estimating} onClick={() => void actions.estimate()}>
        {estimating ? 'Estimating…' : 'Estimate'}
      </button>{' '}
      <button type="submit" disabled={busy || versionId === null}>
        Train
      </button>
    </form>
  );
}
