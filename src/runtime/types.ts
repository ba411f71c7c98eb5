// Type-only import: both onnxruntime packages re-export onnxruntime-common's types, and a type import never
// reaches the bundle, so this file is safe for both the browser and Node.
import type { Tensor } from 'onnxruntime-web';

export type OrtTensor = Tensor;
export type ExecutionProvider = 'cpu' | 'wasm' | 'webgpu';
export type OutputLocation = 'cpu' | 'gpu-buffer';
export type TensorElementType = 'float32' | 'int32' | 'int64' | 'bool';

export interface SessionConfig {
  /** Names the graph in error messages, e.g. "decode graph (punchline-tiny)". */
  label?: string;
  /** In order of preference; the first that initializes is used. Default: webgpu then wasm on the web, cpu in Node. */
  executionProviders?: readonly ExecutionProvider[];
  graphOptimizationLevel?: 'disabled' | 'basic' | 'extended' | 'all';
  /** 'gpu-buffer' keeps outputs (e.g. the KV cache) on the device; per output name or for all outputs. */
  preferredOutputLocation?: OutputLocation | Readonly<Record<string, OutputLocation>>;
  /**
   * WebGPU only: fail instead of silently running unsupported nodes on the CPU (session.disable_cpu_ep_fallback).
   * Also stops the fallback to later providers, so a strict run fails rather than moving to wasm.
   */
  disableCpuFallback?: boolean;
  /** 0 verbose (prints the device of every node) … 4 fatal. */
  logSeverityLevel?: 0 | 1 | 2 | 3 | 4;
  intraOpNumThreads?: number;
  /**
   * false: idle intra-op threads sleep instead of spinning (session.intra_op.allow_spinning = 0). Spinning threads
   * slow a long CPU job several-fold when any other process shares the cores.
   */
  allowSpinning?: boolean;
}

export interface TensorSpec {
  name: string;
  /** ORT's element type name ('float32', 'int64', ...) or null when the graph does not say. */
  type: string | null;
  /** Static sizes as numbers, symbolic ones as strings. */
  shape: ReadonlyArray<number | string>;
}

export interface ModelSession {
  readonly label: string;
  /** The provider that actually runs the session (after any fallback). */
  readonly executionProvider: ExecutionProvider;
  readonly inputs: readonly TensorSpec[];
  readonly outputs: readonly TensorSpec[];
  /** Runs the graph; every input must be fed. `fetches` limits which outputs are computed. */
  run(
    feeds: Readonly<Record<string, OrtTensor>>,
    fetches?: readonly string[],
  ): Promise<Record<string, OrtTensor>>;
  dispose(): Promise<void>;
}

/** Creates tensors with the Tensor class of one ORT package (tensors do not cross between packages). */
export interface TensorFactory {
  float32(data: Float32Array, dims: readonly number[]): OrtTensor;
  int32(data: Int32Array, dims: readonly number[]): OrtTensor;
  /** Accepts int32 values for convenience; they are widened to int64. */
  int64(data: BigInt64Array | Int32Array | readonly number[], dims: readonly number[]): OrtTensor;
  bool(data: Uint8Array, dims: readonly number[]): OrtTensor;
}

export type WeightPlacement = 'cpu' | 'gpu-buffer';

export interface Runtime {
  readonly name: 'onnxruntime-node' | 'onnxruntime-web';
  readonly tensors: TensorFactory;
  createSession(model: Uint8Array, config?: SessionConfig): Promise<ModelSession>;
  /**
   * A float32 weight to bind as a graph input in every session that uses it (see weights.ts for why):
   * 'gpu-buffer' uploads it once to the WebGPU device (onnxruntime-web only); dispose() frees that memory.
   */
  weightTensor(data: Float32Array, dims: readonly number[], placement: WeightPlacement): Promise<OrtTensor>;
}
