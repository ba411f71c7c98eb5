import { useEffect } from 'react';
import { useApp } from '../useApp.ts';
import { CandidateCards, LiveFigures } from './generate/CandidateCards.tsx';
import { ControlsPanel } from './generate/ControlsPanel.tsx';
import { HistoryPanel } from './generate/HistoryPanel.tsx';
import { ModelPanel } from './generate/ModelPanel.tsx';
import { ModelPicker } from './models/ModelPicker.tsx';
import { PromptBox } from './generate/PromptBox.tsx';
import { RankingControl } from './generate/RankingControl.tsx';
import { useGenerate } from './generate/useGenerate.ts';
import './generate/generate.css';

export function GenerateArea() {
  const modelStatus = useGenerate((s) => s.model.status);
  const loadModel = useGenerate((s) => s.actions.loadModel);
  const notice = useGenerate((s) => s.notice);
  // Loading waits for the app's backend probe: a second probe running beside it stalls WebGPU start-up.
  const backend = useApp((s) => (s.backend.status === 'ready' ? s.backend.report.label : null));
  const loadedOn = useGenerate((s) => (s.model.status === 'ready' ? s.model.info.backend : null));
  const refreshStorage = useApp((s) => s.actions.refreshStorage);
  const refreshChoices = useGenerate((s) => s.actions.refreshChoices);
  // Adapters and scorers trained in another area since the last visit appear without reloading the model.
  useEffect(() => {
    if (modelStatus === 'ready') void refreshChoices();
  }, [modelStatus, refreshChoices]);
  useEffect(() => {
    if (modelStatus === 'ready') void refreshStorage();
  }, [modelStatus, refreshStorage]);
  useEffect(() => {
    if (backend === null) return;
    if (modelStatus === 'idle' || (loadedOn !== null && loadedOn !== backend)) void loadModel();
  }, [backend, loadedOn, modelStatus, loadModel]);
  return (
    <section aria-labelledby="generate-title" className="area">
      <h2 id="generate-title">Generate</h2>
      <ModelPanel />
      <ModelPicker />
      <PromptBox />
      {notice && <p role="alert">{notice}</p>}
      <LiveFigures />
      <RankingControl />
      <CandidateCards />
      <ControlsPanel />
      <HistoryPanel />
    </section>
  );
}
