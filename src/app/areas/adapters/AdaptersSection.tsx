import { useEffect } from 'react';
import { AdapterDetailsPanel } from './AdapterDetailsPanel.tsx';
import { AdapterList } from './AdapterList.tsx';
import { ComparePanel } from './ComparePanel.tsx';
import { HandoffPanel } from './HandoffPanel.tsx';
import { useAdapters } from './useAdapters.ts';
import './adapters.css';

/** The adapter library inside "Train & Adapters": stored adapters, import/export, merge, compare, GPU handoff. */
/** `refreshKey`: the list is read again whenever it changes (the Train area passes its run phase). */
export function AdaptersSection({ refreshKey }: { refreshKey?: string }) {
  const refresh = useAdapters((s) => s.actions.refresh);
  const selectModel = useAdapters((s) => s.actions.selectModel);
  const models = useAdapters((s) => s.models);
  const modelId = useAdapters((s) => s.modelId);
  const busy = useAdapters((s) => s.busy);
  const message = useAdapters((s) => s.message);
  useEffect(() => {
    void refresh();
  }, [refresh, refreshKey]);
  return (
    <section aria-labelledby="adapters-title" className="adapters">
      <h3 id="adapters-title">Adapters</h3>
      <div className="adapters-bar">
        <label>
          Base model{' '}
          <select
            aria-label="Base model"
            value={modelId ?? ''}
            onChange={(e) => void selectModel(e.target.value)}
          >
            {models.length === 0 && <option value="">none stored yet</option>}
            {models.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={() => void refresh()}>
          Refresh
        </button>
        {busy && (
          <span className="adapters-busy" role="status">
            {busy}
          </span>
        )}
      </div>
      {message && (
        <p role="alert" className="adapters-error">
          {message}
        </p>
      )}
      <AdapterList />
      <AdapterDetailsPanel />
      <ComparePanel />
      <HandoffPanel />
    </section>
  );
}
