import { useGenerate } from './useGenerate.ts';

/** Which humor scorer ranks the finished candidates, and what the last ranking was. */
export function RankingControl() {
  const scorers = useGenerate((s) => s.scorers);
  const scorerId = useGenerate((s) => s.controls.scorerId);
  const ranking = useGenerate((s) => s.run.ranking);
  const { setControls } = useGenerate((s) => s.actions);
  return (
    <div className="ranking" data-testid="ranking">
      <label>
        Rank candidates by{' '}
        <select
          data-testid="scorer"
          value={scorerId ?? ''}
          onChange={(e) => setControls({ scorerId: e.target.value === '' ? null : e.target.value })}
        >
          <option value="">no scorer (sampling order)</option>
          {scorers.map((s) => (
            <option key={s.id} value={s.id}>
              {s.kind === 'classifier' ? `Classifier adapter: ${s.name} (P(${s.label}))` : s.name}
            </option>
          ))}
        </select>
      </label>
      {scorers.every((s) => s.kind !== 'classifier') && (
        <small> Train a classifier adapter in Train to rank with your own labels.</small>
      )}
      {ranking?.note && (
        <p role="status" data-testid="ranking-note">
          {ranking.note}
        </p>
      )}
    </div>
  );
}
