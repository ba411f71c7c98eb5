import { DataWorkspace } from './data/DataWorkspace.tsx';

export function DataArea() {
  return (
    <section aria-labelledby="data-title" className="area">
      <h2 id="data-title">Data</h2>
      <DataWorkspace />
    </section>
  );
}
