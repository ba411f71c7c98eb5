import { formatBytes } from '../../format.ts';
import type { LoadProgress, ModelCard, PromptingInfo } from '../../../worker/generate/types.ts';
import { useModels } from '../models/models-store.ts';
import { DEFAULT_MODEL_ID } from './generate-store.ts';
import { useGenerate } from './useGenerate.ts';

const phaseWords: Record<LoadProgress['phase'], string> = {
  download: 'Downloading',
  store: 'Saving to this browser',
  read: 'Reading from this browser’s storage',
  prepare: 'Preparing the model',
};

function LoadBar({ progress }: { progress: LoadProgress | null }) {
  if (!progress) return <p data-testid="model-progress">Starting…</p>;
  const { loadedBytes, totalBytes, phase, file } = progress;
  return (
    <div data-testid="model-progress" data-phase={phase}>
      <progress value={loadedBytes} max={totalBytes ?? undefined} /> {phaseWords[phase]}
      {file ? ` ${file}` : ''}: {formatBytes(loadedBytes)}
      {totalBytes === null ? '' : ` of ${formatBytes(totalBytes)}`}
    </div>
  );
}

const promptingWords: Record<PromptingInfo['kind'], string> = {
  'control-codes':
    'language tag and funny / not funny control code, then the opening (the model continues it)',
  'chat-template':
    'its chat template around a request for a short joke in the chosen language (style does not apply)',
  'plain-text':
    'the opening as it is (a base model without a chat template: style and language do not apply)',
};

/** The embedded model or one imported under Models (stored in this browser). */
function ModelChoice() {
  const modelId = useGenerate((s) => s.modelId);
  const loading = useGenerate((s) => s.model.status === 'loading');
  const selectModel = useGenerate((s) => s.actions.selectModel);
  const stored = useModels((s) => s.models);
  const imported = stored.filter((m) => m.id.startsWith('imported-'));
  return (
    <label className="model-choice">
      Model{' '}
      <select
        data-testid="generate-model"
        value={modelId}
        disabled={loading}
        onChange={(e) => void selectModel(e.target.value)}
      >
        <option value={DEFAULT_MODEL_ID}>punchline-tiny (embedded)</option>
        {imported.map((m) => (
          <option key={m.id} value={m.id}>
            {m.name}
          </option>
        ))}
      </select>
    </label>
  );
}

function millions(n: number): string {
  return `${(n / 1e6).toFixed(1)}M`;
}

function CardDetails({ card }: { card: ModelCard }) {
  return (
    <details className="model-card" data-testid="model-card">
      <summary>Model card</summary>
      <dl className="details">
        <dt>Architecture</dt>
        <dd>
          {card.architecture}: {card.layers} layers, hidden size {card.hiddenSize}, {card.contextLength}-token
          context, vocabulary {card.vocabSize.toLocaleString()}
        </dd>
        <dt>Parameters</dt>
        <dd>{card.parameters.toLocaleString()}</dd>
        <dt>Size</dt>
        <dd>{formatBytes(card.sizeBytes)}</dd>
        <dt>Prompt</dt>
        <dd data-testid="model-prompting" data-kind={card.prompting.kind}>
          {promptingWords[card.prompting.kind]}
        </dd>
        <dt>Languages</dt>
        <dd>{card.languages.join(', ') || 'not stated'}</dd>
        <dt>License</dt>
        <dd>{card.license ?? 'not stated (the model folder has no README.md with a license)'}</dd>
        <dt>Files</dt>
        <dd>
          {card.files.map((f) => (
            <div key={f.name}>
              {f.name}: {formatBytes(f.bytes)}, sha256 {f.sha256.slice(0, 12)}…
            </div>
          ))}
        </dd>
      </dl>
      {card.readme && <pre className="readme">{card.readme}</pre>}
    </details>
  );
}

/** Where the model comes from, the load progress in bytes, and its card. */
export function ModelPanel() {
  const model = useGenerate((s) => s.model);
  const embedded = useGenerate((s) => s.modelId === DEFAULT_MODEL_ID);
  const loadModel = useGenerate((s) => s.actions.loadModel);
  return (
    <section className="model-panel" aria-label="Model">
      <ModelChoice />
      {model.status === 'loading' && <LoadBar progress={model.progress} />}
      {model.status === 'failed' && (
        <p role="alert" data-testid="model-status" data-status="failed">
          The model did not load: {model.message}{' '}
          <button type="button" onClick={() => void loadModel()}>
            Try again
          </button>
        </p>
      )}
      {model.status === 'ready' && (
        <>
          <p data-testid="model-status" data-status="ready" data-source={model.info.source}>
            {model.info.card.name}: {millions(model.info.card.parameters)} parameters,{' '}
            {formatBytes(model.info.card.sizeBytes)},{' '}
            {model.info.source === 'storage' ? 'loaded from this browser’s storage' : 'downloaded and stored'}{' '}
            in {(model.info.loadMs / 1000).toFixed(1)} s, running on {model.info.backend}.{' '}
            {embedded && (
              <button type="button" onClick={() => void loadModel(true)} title="Read the bundled files again">
                Reload files
              </button>
            )}
          </p>
          {model.info.storeError && (
            <p role="alert" data-testid="model-store-error">
              Not kept for offline use: {model.info.storeError}
            </p>
          )}
          <CardDetails card={model.info.card} />
        </>
      )}
    </section>
  );
}
