import { useEffect } from 'react';
import { AdaptersSection } from './adapters/AdaptersSection.tsx';
import { ResultPanel } from './train/ResultPanel.tsx';
import { EstimateView, RunPanel, UnfinishedRuns } from './train/RunPanel.tsx';
import { SettingsForm } from './train/SettingsForm.tsx';
import { useTrain } from './train/useTrain.ts';
import './train/train.css';

export function TrainArea() {
  const refresh = useTrain((s) => s.actions.refresh);
  const notice = useTrain((s) => s.notice);
  // A finished run stores a new adapter; the library lists it again when the phase changes.
  const phase = useTrain((s) => s.phase);
  useEffect(() => {
    void refresh();
  }, [refresh]);
  return (
    <section aria-labelledby="train-title" className="area">
      <h2 id="train-title">Train &amp; Adapters</h2>
      <UnfinishedRuns />
      <SettingsForm />
      <EstimateView />
      {notice && <p role="alert">{notice}</p>}
      <RunPanel />
      <ResultPanel />
      <AdaptersSection refreshKey={phase} />
    </section>
  );
}
