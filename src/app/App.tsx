import { DataArea } from './areas/DataArea.tsx';
import { GenerateArea } from './areas/GenerateArea.tsx';
import { TrainArea } from './areas/TrainArea.tsx';
import { SystemPanel } from './status/SystemPanel.tsx';
import { StatusBar } from './status/StatusBar.tsx';
import type { Area } from './store.ts';
import { useApp } from './useApp.ts';

const areas: { id: Area; title: string }[] = [
  { id: 'generate', title: 'Generate' },
  { id: 'data', title: 'Data' },
  { id: 'train', title: 'Train & Adapters' },
];

export function App() {
  const area = useApp((s) => s.area);
  const showArea = useApp((s) => s.actions.showArea);
  const notice = useApp((s) => s.notice);
  return (
    <div className="app">
      <header className="app-header">
        <h1>Punchline</h1>
        <nav aria-label="Areas">
          {areas.map(({ id, title }) => (
            <button key={id} type="button" aria-pressed={area === id} onClick={() => showArea(id)}>
              {title}
            </button>
          ))}
        </nav>
      </header>
      {notice && (
        <p role="alert" className="notice">
          {notice}
        </p>
      )}
      <main>
        {area === 'generate' && <GenerateArea />}
        {area === 'data' && <DataArea />}
        {area === 'train' && <TrainArea />}
      </main>
      <SystemPanel />
      <StatusBar />
    </div>
  );
}
