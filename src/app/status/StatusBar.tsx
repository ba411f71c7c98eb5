import { formatBytes } from '../format.ts';
import type { AppState } from '../store.ts';
import { useApp } from '../useApp.ts';

function backendText(backend: AppState['backend']): string {
  switch (backend.status) {
    case 'probing':
      return 'Compute: checking WebGPU…';
    case 'failed':
      return `Compute: unavailable (${backend.message})`;
    case 'ready': {
      const { report } = backend;
      return report.reason ? `Compute: ${report.label} — ${report.reason}` : `Compute: ${report.label}`;
    }
  }
}

function storageText(storage: AppState['storage'], persistGranted: boolean | null): string {
  if (!storage || storage.usage === null || storage.quota === null) return 'Storage: unknown';
  const persistent = (storage.persisted ?? persistGranted) ? ', persistent' : '';
  return `Storage: ${formatBytes(storage.usage)} of ${formatBytes(storage.quota)}${persistent}`;
}

function workerText(worker: AppState['worker']): string {
  if (worker.kind === 'crashed') return `Worker: stopped (${worker.message})`;
  return worker.running === 0 ? 'Worker: idle' : `Worker: busy (${worker.running} running)`;
}

export function StatusBar() {
  const backend = useApp((s) => s.backend);
  const storage = useApp((s) => s.storage);
  const persistGranted = useApp((s) => s.persistGranted);
  const worker = useApp((s) => s.worker);
  return (
    <footer className="status-bar" aria-label="Status">
      <span
        data-testid="backend-status"
        data-backend={backend.status === 'ready' ? backend.report.backend : backend.status}
      >
        {backendText(backend)}
      </span>
      <span data-testid="storage-status">{storageText(storage, persistGranted)}</span>
      <span data-testid="worker-status" data-state={worker.kind}>
        {workerText(worker)}
      </span>
    </footer>
  );
}
