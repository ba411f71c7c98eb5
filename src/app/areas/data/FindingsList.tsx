import type { CheckId, CheckView, FindingView } from '../../../worker/data/requests.ts';
import { FINDINGS_PER_PAGE } from './dataStore.ts';
import { useData } from './useData.ts';

function FindingRow({ finding }: { finding: FindingView }) {
  const busy = useData((s) => s.busy);
  const { applyFix } = useData((s) => s.actions);
  const lines = finding.rows.map((r) => r.line).join(', ');
  return (
    <tr>
      <td className={`severity ${finding.severity}`}>{finding.severity}</td>
      <td>
        {finding.reason}
        {finding.similarity !== null && ` (similarity ${finding.similarity.toFixed(2)})`}
      </td>
      <td>
        <ul className="finding-rows">
          {finding.rows.map((row) => (
            <li key={row.id}>
              <span className="muted">line {row.line}</span> {row.text}
              {row.label !== null && <span className="muted"> [{row.label}]</span>}
            </li>
          ))}
          {finding.rowCount > finding.rows.length && (
            <li className="muted">and {finding.rowCount - finding.rows.length} more</li>
          )}
        </ul>
      </td>
      <td className="actions">
        {finding.droppable && (
          <button
            type="button"
            disabled={busy !== null}
            aria-label={`Drop the rows of this finding (lines ${lines})`}
            onClick={() =>
              void applyFix(
                { kind: 'drop-flagged', check: finding.check, findingIds: [finding.id] },
                'Dropping rows',
              )
            }
          >
            Drop
          </button>
        )}
        {finding.suggestedLabel !== null && (
          <button
            type="button"
            disabled={busy !== null}
            aria-label={`Relabel as ${finding.suggestedLabel} (lines ${lines})`}
            onClick={() =>
              void applyFix(
                { kind: 'relabel-flagged', check: finding.check, findingIds: [finding.id] },
                'Relabelling rows',
              )
            }
          >
            Relabel as {finding.suggestedLabel}
          </button>
        )}
      </td>
    </tr>
  );
}

/** The flagged rows with reasons, one page at a time: the worker keeps the whole report. */
export function FindingsList({ checks }: { checks: CheckView[] }) {
  const findings = useData((s) => s.findings);
  const { showFindings } = useData((s) => s.actions);
  const page = findings.page;
  const first = page && page.total > 0 ? page.offset + 1 : 0;
  const last = page ? page.offset + page.items.length : 0;
  return (
    <section aria-labelledby="findings-title">
      <h4 id="findings-title">Flagged rows</h4>
      <div className="row">
        <label>
          Show findings of{' '}
          <select
            value={findings.check ?? ''}
            onChange={(event) => void showFindings((event.target.value || null) as CheckId | null, 0)}
          >
            <option value="">every check</option>
            {checks
              .filter((c) => c.findingCount > 0)
              .map((c) => (
                <option key={c.check} value={c.check}>
                  {c.title}
                </option>
              ))}
          </select>
        </label>
        <span role="status" data-testid="findings-range">
          {page ? `Findings ${first}–${last} of ${page.total}` : 'Loading findings…'}
        </span>
        <button
          type="button"
          disabled={!page || page.offset === 0}
          onClick={() =>
            page && void showFindings(findings.check, Math.max(0, page.offset - FINDINGS_PER_PAGE))
          }
        >
          Previous page
        </button>
        <button
          type="button"
          disabled={!page || last >= page.total}
          onClick={() => page && void showFindings(findings.check, page.offset + FINDINGS_PER_PAGE)}
        >
          Next page
        </button>
      </div>
      {page && page.items.length > 0 && (
        <table aria-label="Findings" className="findings">
          <thead>
            <tr>
              <th scope="col">Severity</th>
              <th scope="col">Reason</th>
              <th scope="col">Rows</th>
              <th scope="col">Fix</th>
            </tr>
          </thead>
          <tbody>
            {page.items.map((finding) => (
              <FindingRow key={finding.id} finding={finding} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
