import { useEffect, useState, type DragEvent } from 'react';
import { formatBytes } from '../../format.ts';
import { useModels } from './models-store.ts';

const phaseWords = {
  read: 'Reading',
  download: 'Downloading',
  convert: 'Converting the GGUF',
  validate: 'Checking the files',
  store: 'Saving to this browser',
} as const;

function ImportProgressBar() {
  const progress = useModels((s) => s.progress);
  if (progress === null) return <p data-testid="models-progress">Working…</p>;
  return (
    <p data-testid="models-progress" data-phase={progress.phase}>
      <progress value={progress.loadedBytes} max={progress.totalBytes ?? undefined} />{' '}
      {phaseWords[progress.phase]}
      {progress.file ? ` ${progress.file}` : ''}: {formatBytes(progress.loadedBytes)}
      {progress.totalBytes === null ? '' : ` of ${formatBytes(progress.totalBytes)}`}
    </p>
  );
}

function LastImportedCard() {
  const imported = useModels((s) => s.lastImported);
  if (imported === null) return null;
  const { card } = imported;
  return (
    <dl className="details" data-testid="imported-card">
      <dt>Imported</dt>
      <dd>{card.name}</dd>
      <dt>Architecture</dt>
      <dd>
        {card.architecture}: {card.layers} layers, hidden size {card.hiddenSize}, {card.contextLength}-token
        context, vocabulary {card.vocabulary.toLocaleString()}
      </dd>
      <dt>Parameters</dt>
      <dd>{card.parameters.toLocaleString()}</dd>
      <dt>Kind</dt>
      <dd>{card.instruct ? 'instruct (has a chat template)' : 'base model (no chat template)'}</dd>
      <dt>License</dt>
      <dd>{card.license ?? 'not stated'}</dd>
    </dl>
  );
}

/**
 * The models this browser knows: the embedded default, those stored in IndexedDB (with size), and imports from a
 * folder (picker or drag-in), a GGUF file (converted in the worker) or a URL.
 */
export function ModelPicker() {
  const { models, busy, error, actions } = useModels();
  const [url, setUrl] = useState('');
  useEffect(() => {
    void actions.refresh();
  }, [actions]);
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    const files = [...event.dataTransfer.files];
    const gguf = files.find((f) => f.name.toLowerCase().endsWith('.gguf'));
    if (gguf) void actions.importGguf(gguf);
    else if (files.length > 0) void actions.importFolder('dropped files', files);
  };
  return (
    <details className="model-picker" data-testid="model-picker">
      <summary>Models</summary>
      <ul data-testid="model-list">
        <li>punchline-tiny: the embedded default</li>
        {models
          .filter((m) => m.id.startsWith('imported-'))
          .map((m) => (
            <li key={m.id} data-model-id={m.id}>
              {m.name}: {formatBytes(m.totalBytes)}, from {m.source}{' '}
              <button type="button" disabled={busy} onClick={() => void actions.remove(m.id)}>
                Delete
              </button>
            </li>
          ))}
      </ul>
      <div className="drop-zone" onDragOver={(e) => e.preventDefault()} onDrop={onDrop}>
        <label>
          Open a model folder{' '}
          <input
            type="file"
            data-testid="open-folder"
            disabled={busy}
            // A folder picker: the browser gives every file with its path inside the folder.
            {...{ webkitdirectory: '' }}
            onChange={(e) => {
              const files = [...(e.target.files ?? [])];
              const folder = files[0]?.webkitRelativePath.split('/')[0] ?? 'folder';
              if (files.length > 0) void actions.importFolder(folder, files);
            }}
          />
        </label>{' '}
        <label>
          Open a GGUF file{' '}
          <input
            type="file"
            accept=".gguf"
            data-testid="open-gguf"
            disabled={busy}
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (file) void actions.importGguf(file);
            }}
          />
        </label>{' '}
        <span>or drop the files here.</span>
      </div>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (url.trim() !== '') void actions.importUrl(url.trim());
        }}
      >
        <label>
          Load from URL{' '}
          <input
            type="url"
            data-testid="model-url"
            placeholder="https://huggingface.co/ORG/NAME/resolve/main/"
            value={url}
            onChange={(e) => setUrl(e.target.value)}
          />
        </label>{' '}
        <button type="submit" disabled={busy}>
          Load
        </button>
      </form>
      {busy && <ImportProgressBar />}
      {error && (
        <p role="alert" data-testid="models-error">
          {error}
        </p>
      )}
      <LastImportedCard />
    </details>
  );
}
