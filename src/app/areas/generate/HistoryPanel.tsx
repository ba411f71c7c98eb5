import { useState } from 'react';
import { useGenerate } from './useGenerate.ts';

function download(fileName: string, text: string, type: string) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  URL.revokeObjectURL(url);
}

/** Past outputs from IndexedDB; rated ones are labeled data that can be exported. */
export function HistoryPanel() {
  const history = useGenerate((s) => s.history);
  const { clearHistory, exportRatings, rate } = useGenerate((s) => s.actions);
  const [includeRated, setIncludeRated] = useState(false);
  const rated = history.filter((h) => h.rating !== null).length;

  const exportAs = async (format: 'csv' | 'jsonl') => {
    const file = await exportRatings(format);
    if (file) download(file.fileName, file.text, format === 'csv' ? 'text/csv' : 'application/jsonl');
  };

  return (
    <details className="history" data-testid="history">
      <summary>History ({history.length})</summary>
      <div className="history-actions">
        <button type="button" data-testid="clear-history" onClick={() => void clearHistory(includeRated)}>
          Clear history
        </button>
        <label>
          <input type="checkbox" checked={includeRated} onChange={(e) => setIncludeRated(e.target.checked)} />{' '}
          also rated outputs
        </label>
        <button type="button" disabled={rated === 0} onClick={() => void exportAs('csv')}>
          Export ratings as CSV
        </button>
        <button type="button" disabled={rated === 0} onClick={() => void exportAs('jsonl')}>
          Export ratings as JSONL
        </button>
      </div>
      {history.length === 0 ? (
        <p className="empty">Nothing generated yet.</p>
      ) : (
        <ol className="history-list">
          {history.map((item) => (
            <li key={item.id} data-testid="history-item">
              <time dateTime={new Date(item.createdAt).toISOString()}>
                {new Date(item.createdAt).toLocaleString()}
              </time>{' '}
              {item.safety && !item.safety.ok ? (
                <em>held back ({item.safety.reasons.join('; ')})</em>
              ) : (
                <span>{item.output}</span>
              )}{' '}
              <button
                type="button"
                aria-pressed={item.rating === 'up'}
                onClick={() => void rate(item.id, item.rating === 'up' ? null : 'up')}
              >
                Funny
              </button>
              <button
                type="button"
                aria-pressed={item.rating === 'down'}
                onClick={() => void rate(item.id, item.rating === 'down' ? null : 'down')}
              >
                Not funny
              </button>
            </li>
          ))}
        </ol>
      )}
    </details>
  );
}
