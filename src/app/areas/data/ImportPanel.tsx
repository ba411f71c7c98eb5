import { useState, type DragEvent } from 'react';
import { useData } from './useData.ts';
import type { EncodingOverride } from './dataStore.ts';

const ENCODINGS: { value: EncodingOverride; label: string }[] = [
  { value: 'auto', label: 'Detect automatically' },
  { value: 'utf-8', label: 'UTF-8' },
  { value: 'utf-16le', label: 'UTF-16 (Excel “Unicode text”)' },
  { value: 'gb18030', label: 'GB18030 / GBK (Chinese Excel)' },
];

/** Drop zone, file picker and encoding choice; shows reading progress and the one message for an unreadable file. */
export function ImportPanel() {
  const ingest = useData((s) => s.ingest);
  const encoding = useData((s) => s.encoding);
  const lastFile = useData((s) => s.lastFile);
  const { readFile, rereadFile, setEncoding, cancelIngest } = useData((s) => s.actions);
  const [dragging, setDragging] = useState(false);
  const reading = ingest.status === 'reading';

  const onDrop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setDragging(false);
    const file = event.dataTransfer.files[0];
    if (file) void readFile(file);
  };

  return (
    <section aria-labelledby="import-title" className="data-panel">
      <h3 id="import-title">Import a dataset</h3>
      <div
        role="region"
        aria-label="Drop a dataset file here"
        className={dragging ? 'drop-zone dragging' : 'drop-zone'}
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <p>Drop a CSV, TSV, JSON Lines or text file of jokes here, or</p>
        <label className="file-picker">
          Choose a file
          <input
            type="file"
            accept=".csv,.tsv,.txt,.jsonl,.json,.gz,text/csv,text/plain"
            disabled={reading}
            onChange={(event) => {
              const file = event.target.files?.[0];
              event.target.value = '';
              if (file) void readFile(file);
            }}
          />
        </label>
        <p className="hint">The file is read in this browser only; nothing is uploaded.</p>
      </div>
      <div className="row">
        <label>
          Encoding{' '}
          <select value={encoding} onChange={(event) => setEncoding(event.target.value as EncodingOverride)}>
            {ENCODINGS.map(({ value, label }) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
        {lastFile && !reading && (
          <button type="button" onClick={() => void rereadFile()}>
            Read “{lastFile.name}” again with this encoding
          </button>
        )}
      </div>
      {reading && (
        <div className="row" role="status">
          <label>
            Reading “{ingest.fileName}”: {ingest.rows.toLocaleString()} rows so far{' '}
            <progress aria-label="Reading progress" max={1} value={ingest.fraction} />
          </label>
          <button type="button" onClick={cancelIngest}>
            Cancel reading
          </button>
        </div>
      )}
      {ingest.status === 'failed' && (
        <p role="alert" className="error">
          Could not read “{ingest.fileName}”: {ingest.message}
        </p>
      )}
    </section>
  );
}
