// The only module that imports onnxruntime-node: Node tools and tests. The browser bundle uses ort-web.ts.
import * as ort from 'onnxruntime-node';
import { createWithFallback, makeTensorFactory, ortSessionOptions, RuntimeError } from './session-common.ts';
import type { Runtime } from './types.ts';

export const nodeRuntime: Runtime = {
  name: 'onnxruntime-node',
  tensors: makeTensorFactory(ort.Tensor),
  async createSession(model, config = {}) {
    const label = config.label ?? 'ONNX graph';
    const providers = config.executionProviders ?? ['cpu'];
    if (providers.includes('wasm'))
      throw new RuntimeError(
        label,
        'the wasm provider exists only in onnxruntime-web; use cpu (or webgpu) in Node',
      );
    return createWithFallback(label, providers, (provider) =>
      ort.InferenceSession.create(model, ortSessionOptions(config, provider)),
    );
  },
};
