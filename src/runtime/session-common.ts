import type { InferenceSession, Tensor } from 'onnxruntime-web';
import type {
  ExecutionProvider,
  ModelSession,
  OrtTensor,
  SessionConfig,
  TensorFactory,
  TensorSpec,
} from './types.ts';

/** A session that could not be created or run; the message names the graph. */
export class RuntimeError extends Error {
  readonly label: string;
  constructor(label: string, message: string, options?: { cause?: unknown }) {
    super(`${label}: ${message}`, options);
    this.name = 'RuntimeError';
    this.label = label;
  }
}

export function ortSessionOptions(
  config: SessionConfig,
  provider: ExecutionProvider,
): InferenceSession.SessionOptions {
  const options: InferenceSession.SessionOptions = {
    executionProviders: [provider],
    graphOptimizationLevel: config.graphOptimizationLevel ?? 'all',
    logSeverityLevel: config.logSeverityLevel ?? 3,
  };
  if (config.preferredOutputLocation !== undefined)
    options.preferredOutputLocation = config.preferredOutputLocation;
  if (config.intraOpNumThreads !== undefined) options.intraOpNumThreads = config.intraOpNumThreads;
  // Only meaningful on a device EP: cpu and wasm ARE the CPU EP, and the flag makes ORT reject every node there.
  const session: Record<string, unknown> = {};
  if (config.disableCpuFallback && provider === 'webgpu') session['disable_cpu_ep_fallback'] = '1';
  if (config.allowSpinning === false) session['intra_op'] = { allow_spinning: '0' };
  if (Object.keys(session).length > 0) options.extra = { session };
  return options;
}

function specs(
  metadata: readonly InferenceSession.ValueMetadata[] | undefined,
  names: readonly string[],
): TensorSpec[] {
  return names.map((name) => {
    const m = metadata?.find((v) => v.name === name);
    return m && m.isTensor ? { name, type: m.type, shape: m.shape } : { name, type: null, shape: [] };
  });
}

function describeFeeds(feeds: Readonly<Record<string, OrtTensor>>): string {
  return Object.entries(feeds)
    .map(([name, t]) => `${name}: ${t.type}[${t.dims.join(', ')}]`)
    .join('; ');
}

/** Wraps an ORT session behind ModelSession; errors name the graph and show the fed shapes. */
export function wrapSession(
  session: InferenceSession,
  label: string,
  provider: ExecutionProvider,
): ModelSession {
  const inputs = specs(session.inputMetadata, session.inputNames);
  const outputs = specs(session.outputMetadata, session.outputNames);
  let disposed = false;
  return {
    label,
    executionProvider: provider,
    inputs,
    outputs,
    async run(feeds, fetches) {
      if (disposed) throw new RuntimeError(label, 'session was disposed');
      const missing = session.inputNames.filter((name) => !(name in feeds));
      if (missing.length > 0)
        throw new RuntimeError(
          label,
          `missing inputs: ${missing.join(', ')} (graph inputs: ${session.inputNames.join(', ')})`,
        );
      const unknown = Object.keys(feeds).filter((name) => !session.inputNames.includes(name));
      if (unknown.length > 0)
        throw new RuntimeError(
          label,
          `unknown inputs: ${unknown.join(', ')} (graph inputs: ${session.inputNames.join(', ')})`,
        );
      try {
        return fetches ? await session.run(feeds, [...fetches]) : await session.run(feeds);
      } catch (error) {
        throw new RuntimeError(
          label,
          `run failed with ${describeFeeds(feeds)}: ${(error as Error).message}`,
          { cause: error },
        );
      }
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      await session.release();
    },
  };
}

type TensorConstructor = new (type: Tensor.Type, data: Tensor.DataType, dims?: readonly number[]) => Tensor;

function checkSize(kind: string, length: number, dims: readonly number[]): void {
  const size = dims.reduce((a, b) => a * b, 1);
  if (dims.some((d) => !Number.isInteger(d) || d < 0) || size !== length) {
    throw new RangeError(
      `${kind} tensor: ${length} values do not fill dims [${dims.join(', ')}] (${size} elements)`,
    );
  }
}

export function makeTensorFactory(TensorClass: TensorConstructor): TensorFactory {
  return {
    float32(data, dims) {
      checkSize('float32', data.length, dims);
      return new TensorClass('float32', data, dims);
    },
    int32(data, dims) {
      checkSize('int32', data.length, dims);
      return new TensorClass('int32', data, dims);
    },
    int64(data, dims) {
      const wide = data instanceof BigInt64Array ? data : BigInt64Array.from(data, (v) => BigInt(v));
      checkSize('int64', wide.length, dims);
      return new TensorClass('int64', wide, dims);
    },
    bool(data, dims) {
      checkSize('bool', data.length, dims);
      return new TensorClass('bool', data, dims);
    },
  };
}

/**
 * Tries each provider in turn (e.g. webgpu, then wasm); the error lists why each one failed. With
 * disableCpuFallback only the first provider is tried: a strict run must fail, not quietly move to the CPU.
 */
export async function createWithFallback(
  label: string,
  config: SessionConfig,
  providers: readonly ExecutionProvider[],
  create: (provider: ExecutionProvider) => Promise<InferenceSession>,
): Promise<ModelSession> {
  const failures: string[] = [];
  for (const provider of config.disableCpuFallback ? providers.slice(0, 1) : providers) {
    try {
      return wrapSession(await create(provider), label, provider);
    } catch (error) {
      const message = (error as Error).message;
      const hint = /fallback to CPU EP has been explicitly disabled/.test(message)
        ? ' (logSeverityLevel 0 lists the nodes placed on the CPU)'
        : '';
      failures.push(`${provider}: ${message}${hint}`);
    }
  }
  throw new RuntimeError(
    label,
    `could not create a session on any execution provider (${failures.join(' | ')})`,
  );
}
