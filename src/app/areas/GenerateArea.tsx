import { useEffect } from 'react';
import { CandidateCards, LiveFigures } from './generate/CandidateCards.tsx';
import { ControlsPanel } from './generate/ControlsPanel.tsx';
import { HistoryPanel } from './generate/HistoryPanel.tsx';
import { ModelPanel } from './generate/ModelPanel.tsx';
import { PromptBox } from './generate/PromptBox.tsx';
import { useGenerate } from './generate/useGenerate.ts';
import './generate/generate.css';

export function GenerateArea() {
  const modelStatus = useGenerate((s) => s.model.status);
  const loadModel = useGenerate((s) => s.actions.loadModel);
  const notice = useGenerate((s) => s.notice);
  useEffect(() => {
    if (modelStatus === 'idle') void loadModel();
  }, [modelStatus, loadModel]);
  return (
    <section aria-labelledby="generate-title" className="area">
      <h2 id="generate-title">Generate</h2>
      <ModelPanel />
      <PromptBox />
      {notice && <p role="alert">{notice}</p>}
      <LiveFigures />
      <CandidateCards />
      <ControlsPanel />
      <HistoryPanel />
    </section>
  );
}
