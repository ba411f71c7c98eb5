/**
 * Runs one of the engine's graphs on onnxruntime-node for the PyTorch parity tests (tests/python)
 * and writes what it computed to a safetensors file.
 *
 *   npx tsx tools/engine-dump.ts --request request.json --out result.safetensors
 *
 * request.json: { "model": folder with config.json + model.safetensors, "task": one of
 *   "logits"         input_ids, attention_mask, position_ids [B][T] -> logits [B, T, V] (one decode call)
 *   "logits_cached"  same, but prefill `prefill` tokens and feed the rest one by one through the KV cache
 *   "lm_grad"        input_ids, loss_mask [B][T] (mask on the predicted token, as HF labels) and optional
 *                    lora { rank, alpha, targets, file } -> loss, grad.<name> per LoRA tensor or weight
 *   "classifier"     input_ids, attention_mask, lora, classifier { num_labels, head_file, labels,
 *                    class_weights } -> logits [B, K], loss, grad.<name> for LoRA tensors and score.weight }
 */
import { readFileSync } from 'node:fs';
import { parseArgs, requireArg, writeFloat32File } from './engine-io.ts';
import { runTask, type DumpRequest } from './engine-dump-tasks.ts';

const USAGE = 'usage: npx tsx tools/engine-dump.ts --request request.json --out result.safetensors';

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const requestPath = requireArg(args, 'request', USAGE);
  const out = requireArg(args, 'out', USAGE);
  const request = JSON.parse(readFileSync(requestPath, 'utf8')) as DumpRequest;
  const tensors = await runTask(request);
  writeFloat32File(out, tensors);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
