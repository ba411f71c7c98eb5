// The only module that imports onnxruntime-web (the native WebGPU EP build; see DESIGN.md for why not JSEP).
// ORT's env (wasm paths, threads, log level) is set up by backend.ts before the first session is created.
import * as ort from 'onnxruntime-web/webgpu';
import { createWithFallback, makeTensorFactory, ortSessionOptions } from './session-common.ts';
import type { Runtime } from './types.ts';

export const webRuntime: Runtime = {
  name: 'onnxruntime-web',
  tensors: makeTensorFactory(ort.Tensor),
  async createSession(model, config = {}) {
    const label = config.label ?? 'ONNX graph';
    const providers = config.executionProviders ?? ['webgpu', 'wasm'];
    return createWithFallback(label, providers, (provider) =>
      ort.InferenceSession.create(model, ortSessionOptions(config, provider)),
    );
  },
};
