// The only module that imports onnxruntime-node: Node tools and tests. The browser bundle uses ort-web.ts.
import * as ort from 'onnxruntime-node';
import { createWithFallback, makeTensorFactory, ortSessionOptions, RuntimeError } from './session-common.ts';
import type { Runtime } from './types.ts';

const tensors = makeTensorFactory(ort.Tensor);

export const nodeRuntime: Runtime = {
  name: 'onnxruntime-node',
  tensors,
  async createSession(model, config = {}) {
    const label = config.label ?? 'ONNX graph';
    const providers = config.executionProviders ?? ['cpu'];
    if (providers.includes('wasm'))
      throw new RuntimeError(
        label,
        'the wasm provider exists only in onnxruntime-web; use cpu (or webgpu) in Node',
      );
    return createWithFallback(label, config, providers, (provider) =>
      ort.InferenceSession.create(model, ortSessionOptions(config, provider)),
    );
  },
  async weightTensor(data, dims, placement) {
    if (placement !== 'cpu')
      throw new RuntimeError('weights', `onnxruntime-node binds weights on the cpu, not ${placement}`);
    return tensors.float32(data, dims);
  },
};
