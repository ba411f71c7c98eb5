import { useState } from 'react';
import { COMPARE_SAMPLING } from './adapters-store.ts';
import { useAdapters } from './useAdapters.ts';

const BASE = '';

export function ComparePanel() {
  const all = useAdapters((s) => s.adapters);
  const adapters = all.filter((a) => a.taskType === 'CAUSAL_LM');
  const compare = useAdapters((s) => s.compare);
  const run = useAdapters((s) => s.actions.compare);
  const [a, setA] = useState(BASE);
  const [b, setB] = useState(BASE);
  const [prompts, setPrompts] = useState('Why did the chicken\nMy cat');
  const [seed, setSeed] = useState(1);
  const [tokens, setTokens] = useState(24);
  const choice = (label: string, value: string, set: (v: string) => void) => (
    <label>
      {label}{' '}
      <select aria-label={label} value={value} onChange={(e) => set(e.target.value)}>
        <option value={BASE}>base model (no adapter)</option>
        {adapters.map((x) => (
          <option key={x.id} value={x.id}>
            {x.name}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <form
      className="adapters-compare"
      aria-label="Compare adapters"
      onSubmit={(e) => {
        e.preventDefault();
        void run({
          adapterA: a === BASE ? null : a,
          adapterB: b === BASE ? null : b,
          prompts: prompts
            .split('\n')
            .map((p) => p.trim())
            .filter((p) => p !== ''),
          seed,
          maxNewTokens: tokens,
          language: 'en',
          sampling: COMPARE_SAMPLING,
        });
      }}
    >
      <h4>Compare on the same prompts and seed</h4>
      {choice('Adapter A', a, setA)}
      {choice('Adapter B', b, setB)}
      <label>
        Prompts, one per line
        <textarea aria-label="Compare prompts" value={prompts} onChange={(e) => setPrompts(e.target.value)} />
      </label>
      <label>
        Seed{' '}
        <input
          aria-label="Compare seed"
          type="number"
          min={0}
          value={seed}
          onChange={(e) => setSeed(Number(e.target.value))}
        />
      </label>
      <label>
        New tokens{' '}
        <input
          aria-label="Compare tokens"
          type="number"
          min={1}
          max={200}
          value={tokens}
          onChange={(e) => setTokens(Number(e.target.value))}
        />
      </label>
      <button type="submit" disabled={compare.status === 'running'}>
        Generate A and B
      </button>
      {compare.status === 'running' && (
        <progress value={compare.done} max={compare.total} aria-label="Compare progress" />
      )}
      {compare.status === 'ready' && (
        <table className="adapters-compare-result">
          <thead>
            <tr>
              <th>A</th>
              <th>B</th>
            </tr>
          </thead>
          <tbody>
            {compare.result.rows.map((row, i) => (
              <tr key={i}>
                <td data-side="a">{row.a}</td>
                <td data-side="b">{row.b}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </form>
  );
}
