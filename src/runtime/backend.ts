import * as ort from 'onnxruntime-web/webgpu';

export interface WebGpuInfo {
  vendor: string;
  architecture: string;
  description: string;
  isFallbackAdapter: boolean;
  features: string[];
  shaderF16: boolean;
  limits: {
    maxBufferSize: number;
    maxStorageBufferBindingSize: number;
    maxComputeWorkgroupStorageSize: number;
    maxComputeInvocationsPerWorkgroup: number;
  };
}

export interface BackendReport {
  backend: 'webgpu' | 'wasm';
  /** Short name for the status bar, e.g. "WebGPU: google swiftshader" or "WASM, 2 threads". */
  label: string;
  /** Why WebGPU is not in use; null when it is. */
  reason: string | null;
  webgpu: WebGpuInfo | null;
  wasmThreads: number;
  crossOriginIsolated: boolean;
  ortVersion: string;
  /** Time to create a session and run the check model on the chosen backend. */
  checkMs: number;
}

export interface BackendOptions {
  preferWasm: boolean;
  /** Where ORT's .mjs and .wasm files are served, ending in '/'; always the app's own origin. */
  wasmPaths: string;
}

/** A MatMul with symbolic shapes, Y[m, n] = A[m, k] · B[k, n], hand-encoded as an ONNX ModelProto (opset 17). */
export const matMulModel: Uint8Array = encodeMatMulModel();

let configuredPaths: string | null = null;

function configureOrt(wasmPaths: string): void {
  if (configuredPaths === wasmPaths) return;
  const isolated = globalThis.crossOriginIsolated === true;
  ort.env.wasm.wasmPaths = wasmPaths;
  ort.env.wasm.numThreads = isolated ? Math.min(4, navigator.hardwareConcurrency || 1) : 1;
  ort.env.logLevel = 'error';
  configuredPaths = wasmPaths;
}

/**
 * Chooses the compute backend by actually running a model on it: WebGPU when an adapter exists and a session on it
 * gives the right answer with CPU fallback disabled, otherwise WASM, with the reason in words.
 */
export async function probeBackend(options: BackendOptions): Promise<BackendReport> {
  configureOrt(options.wasmPaths);
  const base = {
    wasmThreads: Number(ort.env.wasm.numThreads ?? 1),
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
    ortVersion: ort.env.versions.web ?? 'unknown',
  };
  let reason: string;
  let webgpu: WebGpuInfo | null = null;
  if (options.preferWasm) {
    reason = 'WASM was chosen in settings.';
  } else if (typeof navigator === 'undefined' || !('gpu' in navigator) || !navigator.gpu) {
    reason = 'This browser does not expose WebGPU (navigator.gpu is missing).';
  } else {
    const adapter = await navigator.gpu.requestAdapter().catch(() => null);
    if (!adapter) {
      reason = 'WebGPU is present but offers no adapter: it is disabled, or no supported GPU was found.';
    } else {
      webgpu = describeAdapter(adapter);
      try {
        const checkMs = await checkSession('webgpu');
        const device = await ort.env.webgpu.device;
        const name = adapterName(device.adapterInfo) || webgpu.description;
        return { ...base, backend: 'webgpu', label: `WebGPU: ${name}`, reason: null, webgpu, checkMs };
      } catch (error) {
        reason = `The WebGPU adapter "${webgpu.description}" failed to run the check model: ${messageOf(error)}`;
      }
    }
  }
  const checkMs = await checkSession('wasm');
  const threads = base.wasmThreads === 1 ? '1 thread' : `${base.wasmThreads} threads`;
  return { ...base, backend: 'wasm', label: `WASM, ${threads}`, reason, webgpu, checkMs };
}

function describeAdapter(adapter: GPUAdapter): WebGpuInfo {
  const info = adapter.info;
  const features = [...adapter.features].sort();
  return {
    vendor: info.vendor,
    architecture: info.architecture,
    description: adapterName(info) || 'unnamed adapter',
    isFallbackAdapter: Boolean((info as GPUAdapterInfo & { isFallbackAdapter?: boolean }).isFallbackAdapter),
    features,
    shaderF16: adapter.features.has('shader-f16'),
    limits: {
      maxBufferSize: adapter.limits.maxBufferSize,
      maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
      maxComputeWorkgroupStorageSize: adapter.limits.maxComputeWorkgroupStorageSize,
      maxComputeInvocationsPerWorkgroup: adapter.limits.maxComputeInvocationsPerWorkgroup,
    },
  };
}

let ortQueue: Promise<unknown> = Promise.resolve();

/**
 * Runs one piece of ORT work at a time. The asyncify build suspends inside WebAssembly while WebGPU work is
 * pending, and nothing promises that a second call entering in that window is safe: a benchmark that overlapped
 * a model load once ended in "memory access out of bounds". ORT calls in this worker should all go through here.
 */
export function exclusiveOrt<T>(work: () => Promise<T>): Promise<T> {
  const result = ortQueue.then(work);
  ortQueue = result.catch(() => undefined);
  return result;
}

async function createMatMulSession(backend: 'webgpu' | 'wasm'): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(matMulModel, {
    executionProviders: [backend],
    // A WebGPU session that quietly ran on the CPU would make the report a lie.
    ...(backend === 'webgpu' ? { extra: { session: { disable_cpu_ep_fallback: '1' } } } : {}),
  });
}

function checkSession(backend: 'webgpu' | 'wasm'): Promise<number> {
  return exclusiveOrt(() => runCheck(backend));
}

async function runCheck(backend: 'webgpu' | 'wasm'): Promise<number> {
  const started = performance.now();
  const session = await createMatMulSession(backend);
  try {
    const a = new ort.Tensor('float32', Float32Array.from([1, 2, 3, 4, 5, 6]), [2, 3]);
    const b = new ort.Tensor('float32', Float32Array.from([7, 8, 9, 10, 11, 12]), [3, 2]);
    const { Y } = await session.run({ A: a, B: b });
    const got = Array.from((Y?.data as Float32Array | undefined) ?? []);
    const want = [58, 64, 139, 154];
    if (got.length !== 4 || got.some((v, i) => Math.abs(v - (want[i] ?? NaN)) > 1e-3)) {
      throw new Error(`MatMul check returned [${got.join(', ')}], expected [${want.join(', ')}]`);
    }
  } finally {
    await session.release();
  }
  return performance.now() - started;
}

export interface BenchmarkStep {
  step: number;
  steps: number;
  milliseconds: number;
  gflops: number;
}

/** Times `steps` square MatMuls of size n on the backend the probe chose, reporting each step as it finishes. */
export async function benchmarkMatMul(
  report: BackendReport,
  n: number,
  steps: number,
  onStep: (step: BenchmarkStep) => void,
  /** Awaited before every step; the worker yields here and throws if the job was cancelled. */
  beforeStep: () => Promise<void>,
): Promise<{ medianGflops: number; steps: BenchmarkStep[] }> {
  const session = await exclusiveOrt(() => createMatMulSession(report.backend));
  const done: BenchmarkStep[] = [];
  try {
    const a = new ort.Tensor(
      'float32',
      Float32Array.from({ length: n * n }, (_, i) => (i % 7) / 7),
      [n, n],
    );
    const b = new ort.Tensor(
      'float32',
      Float32Array.from({ length: n * n }, (_, i) => (i % 5) / 5),
      [n, n],
    );
    await exclusiveOrt(() => session.run({ A: a, B: b }));
    for (let step = 1; step <= steps; step += 1) {
      await beforeStep();
      // Timed inside the lock, so waiting for other ORT work does not count.
      const milliseconds = await exclusiveOrt(async () => {
        const started = performance.now();
        await session.run({ A: a, B: b });
        return performance.now() - started;
      });
      const entry = { step, steps, milliseconds, gflops: (2 * n * n * n) / (milliseconds * 1e6) };
      done.push(entry);
      onStep(entry);
    }
  } finally {
    await exclusiveOrt(() => session.release());
  }
  const sorted = done.map((s) => s.gflops).sort((x, y) => x - y);
  return { medianGflops: sorted[Math.floor(sorted.length / 2)] ?? 0, steps: done };
}

/** "google swiftshader", "nvidia ampere: NVIDIA RTX 3080", ...: whatever parts the browser chose to reveal. */
function adapterName(info: GPUAdapterInfo): string {
  const short = [info.vendor, info.architecture].filter(Boolean).join(' ');
  if (!info.description) return short;
  return short && !info.description.toLowerCase().includes(short.toLowerCase())
    ? `${short}: ${info.description}`
    : info.description;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

// --- minimal protobuf writer for the check model (field numbers from onnx.proto) ---

function varint(value: number): number[] {
  const out: number[] = [];
  let v = value;
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  out.push(v);
  return out;
}

function field(num: number, body: number[] | string): number[] {
  const bytes = typeof body === 'string' ? [...new TextEncoder().encode(body)] : body;
  return [...varint((num << 3) | 2), ...varint(bytes.length), ...bytes];
}

function intField(num: number, value: number): number[] {
  return [...varint(num << 3), ...varint(value)];
}

function encodeMatMulModel(): Uint8Array {
  const tensor = (name: string, dims: string[]) =>
    field(1, name).concat(
      // ValueInfoProto.type → TypeProto.tensor_type → { elem_type FLOAT, shape { dim { dim_param } } }
      field(
        2,
        field(1, [
          ...intField(1, 1),
          ...field(
            2,
            dims.flatMap((d) => field(1, field(2, d))),
          ),
        ]),
      ),
    );
  const node = [...field(1, 'A'), ...field(1, 'B'), ...field(2, 'Y'), ...field(4, 'MatMul')];
  const graph = [
    ...field(1, node),
    ...field(2, 'punchline-check'),
    ...field(11, tensor('A', ['m', 'k'])),
    ...field(11, tensor('B', ['k', 'n'])),
    ...field(12, tensor('Y', ['m', 'n'])),
  ];
  const opset = [...field(1, ''), ...intField(2, 17)];
  return Uint8Array.from([
    ...intField(1, 8),
    ...field(2, 'punchline'),
    ...field(7, graph),
    ...field(8, opset),
  ]);
}
