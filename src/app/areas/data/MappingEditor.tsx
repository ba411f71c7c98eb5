import { useState } from 'react';
import type { DatasetVersionView } from '../../../worker/data/requests.ts';
import { useData } from './useData.ts';

const NO_LABEL = '';

/** Which column is the joke and which the label, with the first rows as a preview; applying makes a new version. */
export function MappingEditor({ version }: { version: DatasetVersionView }) {
  const { remap } = useData((s) => s.actions);
  const busy = useData((s) => s.busy);
  const [text, setText] = useState(version.mapping.text);
  const [label, setLabel] = useState(version.mapping.label ?? NO_LABEL);
  const changed = text !== version.mapping.text || label !== (version.mapping.label ?? NO_LABEL);
  const clash = label === text;

  const apply = () => {
    const labelColumn = label === NO_LABEL ? null : label;
    const extra = version.columns.filter((c) => c !== text && c !== labelColumn);
    void remap({ text, label: labelColumn, extra });
  };

  return (
    <section aria-labelledby="mapping-title" className="data-panel">
      <h3 id="mapping-title">Columns</h3>
      <div className="row">
        <label>
          Text column{' '}
          <select value={text} onChange={(event) => setText(event.target.value)}>
            {version.columns.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </label>
        <label>
          Label column{' '}
          <select value={label} onChange={(event) => setLabel(event.target.value)}>
            <option value={NO_LABEL}>(no label)</option>
            {version.columns.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </label>
        <button type="button" disabled={!changed || clash || busy !== null} onClick={apply}>
          Apply column mapping
        </button>
        {clash && <span className="error">The text and label must be different columns.</span>}
      </div>
      <p className="hint">
        Labels read as{' '}
        {version.labelScheme.kind === 'binary'
          ? `funny (${version.labelScheme.positive.join(', ')}) / not funny (${version.labelScheme.negative.join(', ')})`
          : version.labelScheme.kind === 'categorical'
            ? `categories: ${version.labelScheme.categories.slice(0, 8).join(', ')}`
            : version.labelScheme.kind === 'numeric'
              ? `ratings from ${version.labelScheme.min} to ${version.labelScheme.max}`
              : 'no labels'}
        .
      </p>
      <div className="scroll">
        <table aria-label="Preview of the first rows">
          <thead>
            <tr>
              {version.columns.map((c) => (
                <th key={c} scope="col">
                  {c}
                  {c === text ? ' (text)' : c === label ? ' (label)' : ''}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {version.preview.map((cells, index) => (
              <tr key={index}>
                {version.columns.map((c) => (
                  <td key={c}>{cells[c] ?? ''}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
