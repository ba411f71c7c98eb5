"""PyTorch + transformers (+ PEFT) reference for bench/models.ts on a real model folder: load time, greedy decode
tokens/s with the KV cache, and LoRA train-step tokens/s (forward, loss, backward, AdamW). Prints one JSON line.

  python3 bench/models_torch.py --model public/models/smollm2-135m-instruct --threads 1 --new-tokens 32
"""

import argparse
import json
import statistics
import time

import torch
from peft import LoraConfig, get_peft_model
from transformers import AutoModelForCausalLM, AutoTokenizer


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", required=True)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--new-tokens", type=int, default=32)
    parser.add_argument("--batch", type=int, default=2)
    parser.add_argument("--seq", type=int, default=32)
    parser.add_argument("--steps", type=int, default=3)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)

    started = time.perf_counter()
    tokenizer = AutoTokenizer.from_pretrained(args.model)
    model = AutoModelForCausalLM.from_pretrained(args.model, dtype=torch.float32)
    load_s = time.perf_counter() - started

    text = tokenizer.apply_chat_template([{"role": "user", "content": "Tell me a joke about cats."}],
                                         add_generation_prompt=True, tokenize=False)
    ids = torch.tensor([tokenizer.encode(text, add_special_tokens=False)])
    with torch.no_grad():
        model.generate(ids, max_new_tokens=1, do_sample=False)  # prompt pass timed separately below
        t0 = time.perf_counter()
        model.generate(ids, max_new_tokens=1, do_sample=False)
        prompt_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        model.generate(ids, max_new_tokens=args.new_tokens, min_new_tokens=args.new_tokens, do_sample=False)
        total_s = time.perf_counter() - t0
    decode_tps = (args.new_tokens - 1) / max(total_s - prompt_s, 1e-9)

    lora = get_peft_model(model, LoraConfig(r=8, lora_alpha=16, target_modules=["q_proj", "k_proj", "v_proj", "o_proj"]))
    optimizer = torch.optim.AdamW([p for p in lora.parameters() if p.requires_grad], lr=1e-3)
    generator = torch.Generator().manual_seed(0)
    batch = torch.randint(0, model.config.vocab_size, (args.batch, args.seq + 1), generator=generator)
    times = []
    for _ in range(args.steps):
        t0 = time.perf_counter()
        out = lora(input_ids=batch[:, :-1], labels=batch[:, :-1])
        out.loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        times.append(time.perf_counter() - t0)
    step_s = statistics.median(times[1:] if len(times) > 1 else times)
    print(json.dumps({"load_s": load_s, "decode_tps": decode_tps, "train_tps": args.batch * args.seq / step_s}))


if __name__ == "__main__":
    main()
