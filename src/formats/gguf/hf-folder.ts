/**
 * A Llama GGUF as the files of a Hugging Face model folder: config.json, model.safetensors (F32 or F16),
 * tokenizer.json, tokenizer_config.json and a README model card.
 */
import { f32ArrayToF16 } from '../dtype.ts';
import { writeSafetensors, type SafetensorsTensorInput } from '../safetensors-write.ts';
import { convertLlamaGguf, type ConvertOptions, type ConvertedLlama } from './convert-llama.ts';
import { optionalString } from './metadata-access.ts';
import type { GgufFile } from './reader.ts';
import { tokenizerFromGguf } from './tokenizer-json.ts';

export interface HfFolderOptions extends ConvertOptions {
  dtype?: 'F32' | 'F16';
  /** File name of the GGUF, for the model card. */
  sourceName?: string;
}

export interface HfFolder {
  files: Record<string, Uint8Array>;
  converted: ConvertedLlama;
  parameterCount: number;
}

function json(value: unknown): Uint8Array {
  return new TextEncoder().encode(`${JSON.stringify(value, null, 2)}\n`);
}

function modelCard(
  file: GgufFile,
  converted: ConvertedLlama,
  params: number,
  options: HfFolderOptions,
): string {
  const name = optionalString(file, 'general.name') ?? options.sourceName ?? 'GGUF model';
  const license = optionalString(file, 'general.license');
  const c = converted.config;
  const types = Object.entries(converted.sourceTypes)
    .map(([type, count]) => `${type} × ${count}`)
    .join(', ');
  const lines = [
    ...(license === undefined ? [] : ['---', `license: ${license}`, '---', '']),
    `# ${name}`,
    '',
    `Converted from the GGUF file ${options.sourceName ?? '(unnamed)'} (GGUF v${file.version}) by Punchline.`,
    `The quantised weights were dequantised to ${options.dtype ?? 'F32'}; Q/K projections were un-permuted back`,
    'to the Hugging Face layout. Values equal the dequantised GGUF, not the original full-precision checkpoint.',
    '',
    '| field | value |',
    '| --- | --- |',
    `| architecture | ${c.arch} |`,
    `| parameters | ${params.toLocaleString('en-US')} |`,
    `| layers × hidden | ${c.numLayers} × ${c.hiddenSize} |`,
    `| heads / kv heads | ${c.numHeads} / ${c.numKvHeads} |`,
    `| context length | ${c.maxPositions} |`,
    `| vocabulary | ${c.vocabSize} |`,
    `| tied embeddings | ${c.tieWordEmbeddings} |`,
    `| source tensor types | ${types} |`,
    `| license | ${license ?? 'not stated in the file'} |`,
    '',
  ];
  return lines.join('\n');
}

export function ggufToHfFolder(file: GgufFile, options: HfFolderOptions = {}): HfFolder {
  const converted = convertLlamaGguf(file, options);
  const tokenizer = tokenizerFromGguf(file, converted.config.maxPositions);
  const dtype = options.dtype ?? 'F32';
  const inputs: SafetensorsTensorInput[] = converted.tensors.map((t) => ({
    name: t.name,
    dtype,
    shape: t.shape,
    data: dtype === 'F32' ? t.data : f32ArrayToF16(t.data),
  }));
  const parameterCount = converted.tensors.reduce((sum, t) => sum + t.data.length, 0);
  const model = writeSafetensors(inputs, { metadata: { format: 'pt' }, label: 'model.safetensors' });
  return {
    converted,
    parameterCount,
    files: {
      'config.json': json(converted.configJson),
      'model.safetensors': model,
      'tokenizer.json': json(tokenizer.tokenizerJson),
      'tokenizer_config.json': json(tokenizer.tokenizerConfig),
      'README.md': new TextEncoder().encode(modelCard(file, converted, parameterCount, options)),
    },
  };
}
