"""One PyTorch + PEFT LoRA train step benchmark case on CPU, the reference for bench/train.ts.

Builds a randomly initialised LlamaForCausalLM of the given shape, wraps it with PEFT LoRA (same rank,
alpha and target modules as the TypeScript side), and times full optimizer updates: forward, causal-LM
loss, backward, gradient clipping and AdamW. Prints one JSON line.

  python3 bench/train_peft.py --config '{"hidden_size": 256, ...}' --batch 4 --seq 128 --rank 8 --threads 1
"""

import argparse
import json
import resource
import statistics
import time

import torch
from peft import LoraConfig, get_peft_model
from transformers import LlamaConfig, LlamaForCausalLM


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", required=True, help="Hugging Face config.json fields, as JSON")
    parser.add_argument("--batch", type=int, default=4)
    parser.add_argument("--seq", type=int, default=128)
    parser.add_argument("--rank", type=int, default=8)
    parser.add_argument("--alpha", type=float, default=16)
    parser.add_argument("--targets", default="q_proj,k_proj,v_proj,o_proj")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--steps", type=int, default=4)
    parser.add_argument("--warmup", type=int, default=1)
    args = parser.parse_args()

    torch.manual_seed(0)
    torch.set_num_threads(args.threads)
    fields = json.loads(args.config)
    fields.pop("model_type", None)
    model = LlamaForCausalLM(LlamaConfig(**fields))
    lora = LoraConfig(
        r=args.rank,
        lora_alpha=args.alpha,
        lora_dropout=0.0,
        target_modules=args.targets.split(","),
        task_type="CAUSAL_LM",
    )
    model = get_peft_model(model, lora)
    model.train()
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=1e-3, weight_decay=0.0)
    vocab = fields["vocab_size"]
    times = []
    for step in range(args.warmup + args.steps):
        ids = torch.randint(0, vocab, (args.batch, args.seq))
        start = time.perf_counter()
        loss = model(input_ids=ids, labels=ids).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        if step >= args.warmup:
            times.append(time.perf_counter() - start)
    median = statistics.median(times)
    print(
        json.dumps(
            {
                "engine": "pytorch+peft",
                "secondsPerStep": median,
                "tokensPerSecond": args.batch * args.seq / median,
                "peakRssMb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "torch": torch.__version__,
            }
        )
    )


if __name__ == "__main__":
    main()
