import { useState } from 'react';
import type { BackendReport } from '../../worker/protocol.ts';
import { formatBytes } from '../format.ts';
import { useApp } from '../useApp.ts';
import { BenchmarkPanel } from './BenchmarkPanel.tsx';

function AdapterDetails({ report }: { report: BackendReport }) {
  const gpu = report.webgpu;
  return (
    <dl className="details">
      <dt>ONNX Runtime</dt>
      <dd>
        {report.ortVersion}, check model ran in {report.checkMs.toFixed(0)} ms
      </dd>
      <dt>WASM threads</dt>
      <dd>
        {report.wasmThreads}{' '}
        {report.crossOriginIsolated ? '(cross-origin isolated)' : '(not cross-origin isolated)'}
      </dd>
      {gpu && (
        <>
          <dt>WebGPU adapter</dt>
          <dd>
            {gpu.description}
            {gpu.isFallbackAdapter ? ' (software fallback)' : ''}
          </dd>
          <dt>Largest buffer</dt>
          <dd>
            {formatBytes(gpu.limits.maxBufferSize)} (storage binding{' '}
            {formatBytes(gpu.limits.maxStorageBufferBindingSize)})
          </dd>
          <dt>shader-f16</dt>
          <dd>{gpu.shaderF16 ? 'yes' : 'no: models run in fp32'}</dd>
          <dt>Features</dt>
          <dd>{gpu.features.join(', ') || 'none'}</dd>
        </>
      )}
    </dl>
  );
}

/** Backend details, the backend setting and the benchmark; collapsed by default. */
export function SystemPanel() {
  const [open, setOpen] = useState(false);
  const backend = useApp((s) => s.backend);
  const settings = useApp((s) => s.settings);
  const setBackendPreference = useApp((s) => s.actions.setBackendPreference);
  return (
    <section className="system" aria-label="System">
      <button type="button" aria-expanded={open} onClick={() => setOpen(!open)} data-testid="system-toggle">
        {open ? 'Hide system details' : 'System details'}
      </button>
      {open && (
        <div className="system-body">
          <label>
            Compute backend{' '}
            <select
              data-testid="backend-preference"
              value={settings?.backendPreference ?? 'auto'}
              disabled={!settings}
              onChange={(event) => void setBackendPreference(event.target.value === 'wasm' ? 'wasm' : 'auto')}
            >
              <option value="auto">WebGPU when it works, else WASM</option>
              <option value="wasm">WASM only</option>
            </select>
          </label>
          {backend.status === 'ready' && <AdapterDetails report={backend.report} />}
          <BenchmarkPanel />
        </div>
      )}
    </section>
  );
}
