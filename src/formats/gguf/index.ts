export { GgufError } from './errors.ts';
export {
  getGgufTensor,
  parseGguf,
  parseGgufHeader,
  rowMajorShape,
  type GgufFile,
  type GgufHeader,
  type GgufTensorInfo,
} from './reader.ts';
export { isGgufArray, type GgufArray, type GgufMetadataEntry, type GgufValue } from './metadata.ts';
export { DEQUANTIZABLE_TYPES, dequantize, dequantizeTensor } from './dequantize.ts';
export { GGML_TYPES, ggmlTypeId } from './types.ts';
export { hfLlamaName, unpermuteRows } from './llama-names.ts';
export { llamaConfigFromGguf, type HfConfigJson } from './llama-config.ts';
export { convertLlamaGguf, type ConvertedLlama, type HfTensor } from './convert-llama.ts';
export { tokenizerFromGguf, type RebuiltTokenizer } from './tokenizer-json.ts';
