import { useState } from 'react';
import { formatDate } from './format.ts';
import { useAdapters } from './useAdapters.ts';

function RenameForm({ id, name, done }: { id: string; name: string; done: () => void }) {
  const rename = useAdapters((s) => s.actions.rename);
  const [value, setValue] = useState(name);
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void rename(id, value).then(done);
      }}
    >
      <input aria-label="New name" value={value} onChange={(e) => setValue(e.target.value)} />
      <button type="submit">Save</button>
      <button type="button" onClick={done}>
        Cancel
      </button>
    </form>
  );
}

export function AdapterList() {
  const adapters = useAdapters((s) => s.adapters);
  const selected = useAdapters((s) => s.details?.id ?? null);
  const modelId = useAdapters((s) => s.modelId);
  const { showDetails, remove, exportAdapter, exportMerged, importFiles } = useAdapters((s) => s.actions);
  const [renaming, setRenaming] = useState<string | null>(null);
  return (
    <div className="adapters-list">
      <label className="adapters-import">
        Import PEFT adapter (a zip, or adapter_config.json + adapter_model.safetensors)
        <input
          type="file"
          multiple
          accept=".zip,.json,.safetensors"
          aria-label="Import adapter files"
          disabled={modelId === null}
          onChange={(e) => {
            const files = [...(e.target.files ?? [])];
            e.target.value = '';
            if (files.length > 0) void importFiles(files);
          }}
        />
      </label>
      {adapters.length === 0 ? (
        <p className="empty">
          No adapters for this base model yet: train one above or import a PEFT adapter.
        </p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Name</th>
              <th>Task</th>
              <th>Rank / alpha</th>
              <th>Targets</th>
              <th>Created</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {adapters.map((a) => (
              <tr key={a.id} data-adapter-id={a.id} className={a.id === selected ? 'selected' : undefined}>
                <td>
                  {renaming === a.id ? (
                    <RenameForm id={a.id} name={a.name} done={() => setRenaming(null)} />
                  ) : (
                    <button type="button" className="link" onClick={() => void showDetails(a.id)}>
                      {a.name}
                    </button>
                  )}
                </td>
                <td>{a.taskType === 'CAUSAL_LM' ? 'generator' : 'classifier'}</td>
                <td>
                  {a.rank} / {a.alpha}
                </td>
                <td>{a.targetModules.join(', ')}</td>
                <td>{formatDate(a.createdAt)}</td>
                <td className="adapters-actions">
                  <button type="button" onClick={() => setRenaming(a.id)}>
                    Rename
                  </button>
                  <button type="button" onClick={() => void exportAdapter(a.id)}>
                    Export PEFT zip
                  </button>
                  {a.taskType === 'CAUSAL_LM' && (
                    <button type="button" onClick={() => void exportMerged(a.id)}>
                      Export merged model
                    </button>
                  )}
                  <button
                    type="button"
                    onClick={() => {
                      if (window.confirm(`Delete adapter "${a.name}"? This cannot be undone.`))
                        void remove(a.id);
                    }}
                  >
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
