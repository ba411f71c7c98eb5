import type { AuditView, CheckView, FixChoice } from '../../../worker/data/requests.ts';
import { ChartView } from './Charts.tsx';
import { FindingsList } from './FindingsList.tsx';
import { useData } from './useData.ts';

/** The charts the report leads with; every other chart sits under its check. */
const KEY_CHARTS = [
  'label-balance',
  'length-histogram',
  'language-split',
  'sentiment-by-label',
  'identity-groups',
];

function FixButton({ fix, what, rows }: { fix: FixChoice; what: string; rows: number }) {
  const busy = useData((s) => s.busy);
  const { applyFix } = useData((s) => s.actions);
  return (
    <button type="button" disabled={rows === 0 || busy !== null} onClick={() => void applyFix(fix, what)}>
      {what} ({rows} {rows === 1 ? 'row' : 'rows'})
    </button>
  );
}

function CheckRow({ check }: { check: CheckView }) {
  return (
    <tr>
      <th scope="row">{check.title}</th>
      <td data-testid={`score-${check.check}`}>{check.skipped ? '—' : `${check.score} (${check.grade})`}</td>
      <td>{check.skipped ?? check.summary}</td>
      <td>{check.findingCount}</td>
      <td className="actions">
        {check.droppable > 0 && (
          <FixButton
            fix={{ kind: 'drop-flagged', check: check.check }}
            what={`Drop rows flagged by ${check.title.toLowerCase()}`}
            rows={check.droppable}
          />
        )}
        {check.relabelable > 0 && (
          <FixButton
            fix={{ kind: 'relabel-flagged', check: check.check }}
            what={`Relabel rows flagged by ${check.title.toLowerCase()}`}
            rows={check.relabelable}
          />
        )}
      </td>
    </tr>
  );
}

function Report({ view }: { view: AuditView }) {
  const charts = view.checks.flatMap((c) => c.charts);
  const key = KEY_CHARTS.flatMap((id) => charts.filter((chart) => chart.id === id));
  const others = charts.filter((chart) => !KEY_CHARTS.includes(chart.id));
  return (
    <>
      <p data-testid="audit-overall">
        Overall score {view.overallScore} ({view.overallGrade}) over {view.rowCount.toLocaleString()} rows.
      </p>
      <div className="row" role="group" aria-label="One-click fixes">
        <FixButton
          fix={{ kind: 'drop-exact-duplicates' }}
          what="Drop exact duplicates"
          rows={view.oneClick.exactDuplicates}
        />
        <FixButton
          fix={{ kind: 'keep-one-per-cluster' }}
          what="Keep one per near-duplicate cluster"
          rows={view.oneClick.nearDuplicates}
        />
        <FixButton
          fix={{ kind: 'drop-toxic-rows', minSeverity: 2 }}
          what="Drop toxic rows"
          rows={view.oneClick.toxic}
        />
      </div>
      <table aria-label="Audit summary" className="audit-summary">
        <thead>
          <tr>
            <th scope="col">Check</th>
            <th scope="col">Score</th>
            <th scope="col">Summary</th>
            <th scope="col">Findings</th>
            <th scope="col">Fixes</th>
          </tr>
        </thead>
        <tbody>
          {view.checks.map((check) => (
            <CheckRow key={check.check} check={check} />
          ))}
        </tbody>
      </table>
      <div className="charts" aria-label="Charts" role="group">
        {key.map((chart) => (
          <ChartView key={chart.id} chart={chart} />
        ))}
      </div>
      {others.length > 0 && (
        <details>
          <summary>More charts ({others.length})</summary>
          <div className="charts">
            {others.map((chart) => (
              <ChartView key={chart.id} chart={chart} />
            ))}
          </div>
        </details>
      )}
      <FindingsList checks={view.checks} />
    </>
  );
}

/** Runs the audit on the open version and shows its report, charts, flagged rows and fixes. */
export function AuditPanel() {
  const audit = useData((s) => s.audit);
  const current = useData((s) => s.current);
  const { runAudit, cancelAudit } = useData((s) => s.actions);
  if (!current) return null;
  return (
    <section aria-labelledby="audit-title" className="data-panel">
      <h3 id="audit-title">
        Audit of version {current.number} ({current.rowCount.toLocaleString()} rows)
      </h3>
      {audit.status === 'running' ? (
        <div className="row" role="status">
          <label>
            Auditing: {audit.step} <progress aria-label="Audit progress" max={1} value={audit.fraction} />
          </label>
          <button type="button" onClick={cancelAudit}>
            Cancel audit
          </button>
        </div>
      ) : (
        <button type="button" onClick={() => void runAudit()}>
          {audit.status === 'ready' ? 'Run the audit again' : 'Run the audit'}
        </button>
      )}
      {audit.status === 'failed' && (
        <p role="alert" className="error">
          The audit failed: {audit.message}
        </p>
      )}
      {audit.status === 'ready' && <Report view={audit.view} />}
    </section>
  );
}
