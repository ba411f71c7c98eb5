export { PeftError } from './errors.ts';
export {
  ADAPTER_CONFIG_FILE,
  ADAPTER_WEIGHTS_FILE,
  HEAD_NAME,
  PUNCHLINE_META_FILE,
  README_FILE,
  type AdapterConfig,
  type AdapterTensor,
  type PeftAdapter,
  type PunchlineMeta,
  type TaskType,
} from './types.ts';
export { adapterConfigJson, parseAdapterConfig } from './config.ts';
export { parsePunchlineMeta, punchlineMetaJson } from './meta.ts';
export { expectedTensors, PEFT_HEAD_NAME } from './tensors.ts';
export {
  ADAPTER_ZIP_LIMITS,
  exportPeftFiles,
  exportPeftZip,
  importPeftAdapter,
  type AdapterSource,
  type BaseModelInfo,
} from './adapter-io.ts';
export { adapterModelCard } from './card.ts';
