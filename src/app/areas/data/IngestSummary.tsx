import type { DatasetVersionView } from '../../../worker/data/requests.ts';
import { useData } from './useData.ts';

function Shown({ what, shown, total }: { what: string; shown: number; total: number }) {
  if (shown >= total) return null;
  return (
    <p className="hint">
      The first {shown} of {total.toLocaleString()} {what} rows.
    </p>
  );
}

/** How the dataset's file was read: counts, warnings, and the rows that were flagged or rejected, with why. */
export function IngestSummary({ version }: { version: DatasetVersionView }) {
  const { exportVersion } = useData((s) => s.actions);
  const busy = useData((s) => s.busy);
  const report = version.importReport;
  const { counts } = report;
  return (
    <section aria-labelledby="ingest-title" className="data-panel">
      <h3 id="ingest-title">How “{report.fileName ?? version.name}” was read</h3>
      <dl className="details" aria-label="Ingest summary">
        <dt>Format</dt>
        <dd>
          {report.format.toUpperCase()}
          {report.delimiter
            ? `, delimiter ${report.delimiter === '\t' ? 'tab' : `“${report.delimiter}”`}`
            : ''}
        </dd>
        <dt>Encoding</dt>
        <dd data-testid="ingest-encoding">
          {report.encoding.name} ({report.encoding.evidence.replace(/-/g, ' ')})
        </dd>
        <dt>Accepted</dt>
        <dd data-testid="count-accepted">{counts.accepted}</dd>
        <dt>Flagged</dt>
        <dd data-testid="count-flagged">{counts.flagged}</dd>
        <dt>Rejected</dt>
        <dd data-testid="count-rejected">{counts.rejected}</dd>
        <dt>Blank lines</dt>
        <dd>{counts.blankLines}</dd>
      </dl>
      {report.warnings.length > 0 && (
        <ul aria-label="Warnings" className="warnings">
          {report.warnings.map((warning) => (
            <li key={warning}>{warning}</li>
          ))}
        </ul>
      )}
      {report.flagged.length > 0 && (
        <>
          <Shown what="flagged" shown={report.flagged.length} total={counts.flagged} />
          <table aria-label="Flagged rows">
            <thead>
              <tr>
                <th scope="col">Line</th>
                <th scope="col">Why it was flagged</th>
              </tr>
            </thead>
            <tbody>
              {report.flagged.map((row) => (
                <tr key={row.rowId}>
                  <td>{row.line}</td>
                  <td>{row.reasons.map((r) => r.message).join(' ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {counts.rejected > 0 && (
        <>
          <Shown what="rejected" shown={report.rejected.length} total={counts.rejected} />
          <table aria-label="Rejected rows">
            <thead>
              <tr>
                <th scope="col">Line</th>
                <th scope="col">Why it was rejected</th>
                <th scope="col">Row as written</th>
              </tr>
            </thead>
            <tbody>
              {report.rejected.map((row) => (
                <tr key={row.line}>
                  <td>{row.line}</td>
                  <td>{row.reasons.map((r) => r.message).join(' ')}</td>
                  <td className="raw">{row.raw}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <button
            type="button"
            disabled={busy !== null}
            onClick={() => void exportVersion(version.id, 'rejected')}
          >
            Download rejected rows ({counts.rejected})
          </button>
        </>
      )}
    </section>
  );
}
