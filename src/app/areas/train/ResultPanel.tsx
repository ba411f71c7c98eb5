/** Before/after: validation loss and perplexity of base vs adapter, classifier metrics and confusion matrix, samples. */
import { useState } from 'react';
import { useTrain } from './useTrain.ts';

const DEFAULT_PROMPTS = 'Why did the cat\nMy boss told me\nA programmer walks into a bar';

export function ResultPanel() {
  const summary = useTrain((s) => s.summary);
  const samples = useTrain((s) => s.samples);
  const compare = useTrain((s) => s.actions.compareSamples);
  const [prompts, setPrompts] = useState(DEFAULT_PROMPTS);
  if (!summary) return null;
  const generator = summary.task === 'generator';
  const m = summary.metrics;
  return (
    <section aria-label="Before and after" className="train-result">
      <h3>Before and after</h3>
      <p>
        {summary.note}. Run {summary.status}; adapter saved{summary.adapterId ? '' : ' (none)'} — it appears
        in the Generate area&apos;s adapter list.
      </p>
      <table>
        <thead>
          <tr>
            <th />
            <th>{generator ? 'Base model' : 'Step 0'}</th>
            <th>Adapter (best)</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th>Validation loss</th>
            <td>{summary.validationLossBefore.toFixed(4)}</td>
            <td data-testid="val-after">{summary.validationLossAfter.toFixed(4)}</td>
          </tr>
          {generator && (
            <tr>
              <th>Validation perplexity</th>
              <td>{Math.exp(summary.validationLossBefore).toFixed(2)}</td>
              <td>{Math.exp(summary.validationLossAfter).toFixed(2)}</td>
            </tr>
          )}
        </tbody>
      </table>
      {m && (
        <>
          <table aria-label="Classifier metrics">
            <tbody>
              <tr>
                <th>Accuracy</th>
                <td data-testid="accuracy">{m.accuracy.toFixed(3)}</td>
              </tr>
              <tr>
                <th>{summary.classes.length === 2 ? 'F1' : 'Macro-F1'}</th>
                <td>{m.f1.toFixed(3)}</td>
              </tr>
              {m.rocAuc !== null && (
                <tr>
                  <th>ROC-AUC</th>
                  <td>{m.rocAuc.toFixed(3)}</td>
                </tr>
              )}
            </tbody>
          </table>
          <table aria-label="Confusion matrix">
            <thead>
              <tr>
                <th>actual \ predicted</th>
                {summary.classes.map((c) => (
                  <th key={c}>{c}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {m.confusion.map((row, i) => (
                <tr key={summary.classes[i]}>
                  <th>{summary.classes[i]}</th>
                  {row.map((n, j) => (
                    <td key={j}>{n}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {generator && summary.adapterId && (
        <div className="train-samples">
          <label>
            Prompts (one per line)
            <textarea value={prompts} rows={3} onChange={(e) => setPrompts(e.target.value)} />
          </label>
          <button
            type="button"
            onClick={() => void compare(prompts.split('\n').filter((p) => p.trim() !== ''))}
          >
            Sample base vs adapter (same seed)
          </button>
          {samples && (
            <table aria-label="Samples">
              <thead>
                <tr>
                  <th>Prompt</th>
                  <th>Base</th>
                  <th>Adapter</th>
                </tr>
              </thead>
              <tbody>
                {samples.rows.map((row) => (
                  <tr key={row.prompt}>
                    <td>{row.prompt}</td>
                    <td>{row.a}</td>
                    <td>{row.b}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
    </section>
  );
}
