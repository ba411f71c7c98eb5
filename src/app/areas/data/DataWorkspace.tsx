import { useEffect } from 'react';
import { AuditPanel } from './AuditPanel.tsx';
import { ImportPanel } from './ImportPanel.tsx';
import { IngestSummary } from './IngestSummary.tsx';
import { MappingEditor } from './MappingEditor.tsx';
import { VersionList } from './VersionList.tsx';
import { useData } from './useData.ts';
import './data.css';

export function DataWorkspace() {
  const current = useData((s) => s.current);
  const busy = useData((s) => s.busy);
  const message = useData((s) => s.message);
  const { start } = useData((s) => s.actions);
  useEffect(() => {
    void start();
  }, [start]);
  return (
    <div className="data-workspace">
      <ImportPanel />
      {busy && (
        <p role="status" className="muted">
          {busy}
        </p>
      )}
      {message && (
        <p role="alert" className="error">
          {message}
        </p>
      )}
      <VersionList />
      {current && (
        <>
          <IngestSummary version={current} />
          <MappingEditor key={current.id} version={current} />
          <AuditPanel />
        </>
      )}
    </div>
  );
}
