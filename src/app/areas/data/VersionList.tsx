import type { DatasetVersionSummary } from '../../../worker/data/requests.ts';
import { useData } from './useData.ts';

function byDataset(versions: DatasetVersionSummary[]): DatasetVersionSummary[][] {
  const groups = new Map<string, DatasetVersionSummary[]>();
  for (const v of versions) groups.set(v.datasetId, [...(groups.get(v.datasetId) ?? []), v]);
  return [...groups.values()].map((group) => group.sort((a, b) => a.number - b.number));
}

function changeCounts(v: DatasetVersionSummary): string {
  const parts = [
    v.change.removed ? `${v.change.removed} removed` : '',
    v.change.relabelled ? `${v.change.relabelled} relabelled` : '',
  ].filter(Boolean);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

/** Every stored dataset with its versions in order; each version says what changed from its parent. */
export function VersionList() {
  const versions = useData((s) => s.versions);
  const currentId = useData((s) => s.current?.id ?? null);
  const busy = useData((s) => s.busy);
  const { openVersion, exportVersion } = useData((s) => s.actions);
  if (versions.length === 0) return null;
  const numberOf = new Map(versions.map((v) => [v.id, v.number]));
  return (
    <section aria-labelledby="versions-title" className="data-panel">
      <h3 id="versions-title">Datasets and versions</h3>
      {byDataset(versions).map((group) => (
        <div key={group[0]?.datasetId}>
          <h4>{group[0]?.name}</h4>
          <ol aria-label={`Versions of ${group[0]?.name ?? 'dataset'}`} className="versions">
            {group.map((v) => (
              <li key={v.id} aria-current={v.id === currentId ? 'true' : undefined}>
                <strong>Version {v.number}</strong>
                {v.parentId !== null && ` (from version ${numberOf.get(v.parentId) ?? '?'})`}: {v.rowCount}{' '}
                rows. {v.change.description}
                {changeCounts(v)} <span className="muted">{new Date(v.createdAt).toLocaleString()}</span>
                <span className="actions">
                  <button
                    type="button"
                    disabled={busy !== null || v.id === currentId}
                    aria-label={`Open version ${v.number} of ${v.name}`}
                    onClick={() => void openVersion(v.id)}
                  >
                    Open
                  </button>
                  <button
                    type="button"
                    disabled={busy !== null}
                    aria-label={`Export version ${v.number} of ${v.name} as CSV`}
                    onClick={() => void exportVersion(v.id, 'csv')}
                  >
                    CSV
                  </button>
                  <button
                    type="button"
                    disabled={busy !== null}
                    aria-label={`Export version ${v.number} of ${v.name} as JSON Lines`}
                    onClick={() => void exportVersion(v.id, 'jsonl')}
                  >
                    JSONL
                  </button>
                </span>
              </li>
            ))}
          </ol>
        </div>
      ))}
    </section>
  );
}
