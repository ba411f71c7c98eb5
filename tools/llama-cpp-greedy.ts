/**
 * Greedy parity with llama.cpp: feeds llama.cpp (node-llama-cpp, tools/llama-cpp.ts) exactly the prompt ids of
 * tests/fixtures/models/smollm2-greedy.json ("Tell me a joke about cats." through SmolLM2's chat template),
 * decodes its 20 tokens greedily, and prints them next to transformers' ids and text from that fixture.
 * llama.cpp computes on the GGUF's Q4_1 blocks (dot products against 8-bit quantised activations) with an f16
 * KV cache; transformers and ours use the dequantised float32 weights, so the ids may part ways late.
 *
 *   npx tsx tools/llama-cpp-greedy.ts [--gguf runs/llama-cpp/SmolLM2-135M-Instruct.Q4_1.gguf] [--threads 1]
 *                                     [--prefix runs/llama-cpp] [--out tests/fixtures/models/smollm2-greedy-llama-cpp.json]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { llamaCppGreedy, openLlamaCpp, SMOLLM2_GGUF } from './llama-cpp.ts';

const REFERENCE = 'tests/fixtures/models/smollm2-greedy.json';

const { values } = parseArgs({
  options: {
    gguf: { type: 'string', default: SMOLLM2_GGUF },
    threads: { type: 'string', default: '1' },
    prefix: { type: 'string' },
    out: { type: 'string' },
  },
});
const threads = Number(values.threads);
if (!Number.isInteger(threads) || threads < 1)
  throw new Error(`--threads must be a positive integer, got ${values.threads}`);

const reference = JSON.parse(readFileSync(REFERENCE, 'utf8')) as {
  prompt: string;
  promptIds: number[];
  ids: number[];
  text: string;
};
const n = reference.ids.length;
const session = await openLlamaCpp({
  gguf: values.gguf,
  threads,
  contextSize: reference.promptIds.length + n,
  prefix: values.prefix,
});
try {
  const { ids } = await llamaCppGreedy(session, reference.promptIds, n);
  const text = session.model.detokenize(ids);
  const firstDifference = ids.findIndex((id, i) => id !== reference.ids[i]);
  console.log(
    `${session.build}, ${session.context.currentThreads} thread(s), flash attention ${String(session.context.flashAttention)}; ` +
      `${reference.promptIds.length} prompt ids from ${REFERENCE}`,
  );
  console.log(`${'#'.padStart(3)}${'transformers'.padStart(14)}${'llama.cpp'.padStart(11)}`);
  ids.forEach((id, i) => {
    const ref = reference.ids[i] as number;
    console.log(
      `${String(i).padStart(3)}${String(ref).padStart(14)}${String(id).padStart(11)}${id === ref ? '' : '  ≠'}`,
    );
  });
  console.log(`transformers: ${JSON.stringify(reference.text)}`);
  console.log(`llama.cpp:    ${JSON.stringify(text)}`);
  console.log(
    firstDifference === -1
      ? `all ${n} ids equal`
      : `first difference at generated token ${firstDifference} (0-based); ${ids.filter((id, i) => id === reference.ids[i]).length}/${n} positions equal`,
  );
  if (values.out !== undefined) {
    const command = `npx tsx tools/llama-cpp-greedy.ts --threads ${threads} --out ${values.out}`;
    const record = {
      source: `${session.build} via node-llama-cpp, Q4_1 GGUF, CPU, greedy sampler`,
      command,
      prompt: reference.prompt,
      promptIds: reference.promptIds,
      ids,
      text,
      equalsTransformers: firstDifference === -1,
      firstDifference: firstDifference === -1 ? null : firstDifference,
    };
    writeFileSync(values.out, `${JSON.stringify(record)}\n`);
    console.log(`wrote ${values.out}`);
  }
} finally {
  await session.dispose();
}
