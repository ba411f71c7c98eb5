/** The stored base model an adapter belongs to: config, weights, tokenizer files and content hash. */
import { parseModelConfigText, type ModelConfig } from '../../engine/arch/config.ts';
import { loadWeights } from '../../engine/arch/weights.ts';
import type { BaseModelInfo } from '../../formats/peft/index.ts';
import { parseSafetensors } from '../../formats/safetensors.ts';
import { getModel, readModelFile, type ModelManifest, type PunchlineDb } from '../../storage/index.ts';
import { WorkerError } from '../errors.ts';

export interface StoredBase {
  manifest: ModelManifest;
  config: ModelConfig;
  /** SHA-256 of model.safetensors (lowercase hex, the manifest's), as punchline.json records it. */
  contentHash: string;
  info: BaseModelInfo;
}

export async function storedManifest(db: PunchlineDb, modelId: string): Promise<ModelManifest> {
  const manifest = await getModel(db, modelId);
  if (!manifest)
    throw new WorkerError(
      'ModelNotStored',
      `Base model "${modelId}" is not stored in this browser; load it in the Generate area first.`,
    );
  return manifest;
}

export function contentHashOf(manifest: ModelManifest): string {
  const weights = manifest.files.find((f) => f.name === 'model.safetensors');
  if (!weights) throw new WorkerError('ModelFormatError', `Model "${manifest.id}" has no model.safetensors.`);
  return weights.sha256;
}

/** Config and hash only: enough to validate an adapter. */
export async function readBase(db: PunchlineDb, modelId: string): Promise<StoredBase> {
  const manifest = await storedManifest(db, modelId);
  const text = new TextDecoder().decode(await readModelFile(db, modelId, 'config.json'));
  let config: ModelConfig;
  try {
    config = parseModelConfigText(text);
  } catch (error) {
    throw new WorkerError('ModelFormatError', `${modelId}/config.json: ${(error as Error).message}`);
  }
  const contentHash = contentHashOf(manifest);
  return { manifest, config, contentHash, info: { config, contentHash } };
}

/** Every stored file of the model by name, and its weights by parameter-table name. */
export async function readBaseFiles(
  db: PunchlineDb,
  base: StoredBase,
): Promise<{ files: Map<string, Uint8Array>; weights: Map<string, Float32Array> }> {
  const files = new Map<string, Uint8Array>();
  for (const file of base.manifest.files)
    files.set(file.name, new Uint8Array(await readModelFile(db, base.manifest.id, file.name)));
  const bytes = files.get('model.safetensors') as Uint8Array;
  const label = `${base.manifest.id}/model.safetensors`;
  return { files, weights: loadWeights(base.config, parseSafetensors(bytes, label)) };
}
