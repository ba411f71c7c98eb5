import { formatBytes } from '../../format.ts';
import type { LoadProgress, ModelCard } from '../../../worker/generate/types.ts';
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
  const loadModel = useGenerate((s) => s.actions.loadModel);
  return (
    <section className="model-panel" aria-label="Model">
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
            <button type="button" onClick={() => void loadModel(true)} title="Read the bundled files again">
              Reload files
            </button>
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
