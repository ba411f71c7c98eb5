import { formatValue } from './format.ts';
import { useAdapters } from './useAdapters.ts';

function Table({ caption, values }: { caption: string; values: Record<string, number | string | boolean> }) {
  const entries = Object.entries(values);
  if (entries.length === 0) return null;
  return (
    <table className="adapters-kv">
      <caption>{caption}</caption>
      <tbody>
        {entries.map(([k, v]) => (
          <tr key={k}>
            <th scope="row">{k}</th>
            <td>{formatValue(v)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function AdapterDetailsPanel() {
  const details = useAdapters((s) => s.details);
  if (!details) return null;
  const { lineage } = details;
  return (
    <div className="adapters-details" aria-label="Adapter details">
      <h4>{details.name}</h4>
      <p>
        {details.taskType} · r={details.rank}, alpha={details.alpha} · {details.tensors.length} tensors ·{' '}
        {(details.bytes / 1024).toFixed(1)} KiB
      </p>
      {lineage ? (
        <>
          <p>
            Base <strong>{lineage.baseModelName}</strong> (sha256{' '}
            <code>{lineage.baseModelHash.slice(0, 12)}</code>) · dataset version{' '}
            <code>{lineage.datasetVersion ?? 'unknown'}</code>
            {lineage.controlCodes.length > 0 && <> · control codes {lineage.controlCodes.join(' ')}</>}
          </p>
          <Table caption="Metrics" values={lineage.metrics} />
          <Table caption="Hyperparameters" values={lineage.hyperparameters} />
        </>
      ) : (
        <p className="empty">No Punchline metadata (lineage, metrics): the adapter came from elsewhere.</p>
      )}
    </div>
  );
}
