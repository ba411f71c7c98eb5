// The only module that imports onnxruntime-web (the native WebGPU EP build; see DESIGN.md for why not JSEP).
// ORT's env (wasm paths, threads, log level) is set up by backend.ts before the first session is created.
import * as ort from 'onnxruntime-web/webgpu';
import { createWithFallback, makeTensorFactory, ortSessionOptions } from './session-common.ts';
import type { Runtime } from './types.ts';

const tensors = makeTensorFactory(ort.Tensor);

export const webRuntime: Runtime = {
  name: 'onnxruntime-web',
  tensors,
  async createSession(model, config = {}) {
    const label = config.label ?? 'ONNX graph';
    const providers = config.executionProviders ?? ['webgpu', 'wasm'];
    return createWithFallback(label, config, providers, (provider) =>
      ort.InferenceSession.create(model, ortSessionOptions(config, provider)),
    );
  },
  async weightTensor(data, dims, placement) {
    const tensor = tensors.float32(data, dims);
    if (placement === 'cpu') return tensor;
    // The device the WebGPU EP runs on; the buffer is written once and bound by every session without copies.
    const device = await ort.env.webgpu.device;
    const buffer = device.createBuffer({
      size: Math.ceil(data.byteLength / 16) * 16,
      usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
    });
    device.queue.writeBuffer(buffer, 0, data.buffer, data.byteOffset, data.byteLength);
    return ort.Tensor.fromGpuBuffer(buffer, { dataType: 'float32', dims, dispose: () => buffer.destroy() });
  },
};
