"""Random tiny GPT-2 and Llama models saved as Hugging Face folders, and a bridge to our engine's CLI.

The engine side is tools/engine-dump.ts: it reads config.json + model.safetensors (and optionally a
PEFT adapter folder and a classifier head), runs one of our ONNX graphs on onnxruntime-node, and
writes the requested outputs (logits, loss, gradients) to a safetensors file.
"""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

import torch
from safetensors.torch import load_file
from transformers import GPT2Config, GPT2LMHeadModel, LlamaConfig, LlamaForCausalLM

REPO_ROOT = Path(__file__).resolve().parents[2]
VOCAB = 97
PAD_ID = 0


@dataclass(frozen=True)
class Variant:
    """One tiny architecture under test."""

    name: str
    arch: str
    tied: bool
    kv_heads: int = 4


VARIANTS = [
    Variant("gpt2", "gpt2", tied=True),
    Variant("gpt2-untied", "gpt2", tied=False),
    Variant("llama-gqa-tied", "llama", tied=True, kv_heads=2),
    Variant("llama-gqa-untied", "llama", tied=False, kv_heads=2),
    Variant("llama-mha-untied", "llama", tied=False, kv_heads=4),
]


def make_config(variant: Variant):
    if variant.arch == "gpt2":
        return GPT2Config(
            vocab_size=VOCAB,
            n_embd=32,
            n_layer=2,
            n_head=4,
            n_positions=64,
            tie_word_embeddings=variant.tied,
            bos_token_id=1,
            eos_token_id=2,
            pad_token_id=PAD_ID,
            attn_pdrop=0.0,
            embd_pdrop=0.0,
            resid_pdrop=0.0,
        )
    return LlamaConfig(
        vocab_size=VOCAB,
        hidden_size=32,
        intermediate_size=48,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=variant.kv_heads,
        max_position_embeddings=64,
        rms_norm_eps=1e-5,
        rope_theta=10000.0,
        tie_word_embeddings=variant.tied,
        bos_token_id=1,
        eos_token_id=2,
        pad_token_id=PAD_ID,
    )


def randomize(model: torch.nn.Module, seed: int) -> None:
    """Weights large enough that every term matters (the default 0.02 init makes logits nearly flat)."""
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, param in model.named_parameters():
            noise = torch.randn(param.shape, generator=gen)
            if name.endswith("weight") and param.dim() == 1:
                param.copy_(1.0 + 0.1 * noise)  # norm gains
            else:
                param.copy_(0.15 * noise)


def save_model(variant: Variant, folder: Path, seed: int = 0) -> torch.nn.Module:
    torch.manual_seed(seed)
    config = make_config(variant)
    cls = GPT2LMHeadModel if variant.arch == "gpt2" else LlamaForCausalLM
    model = cls(config)
    randomize(model, seed)
    if variant.tied:
        model.tie_weights()
    model.eval()
    model.save_pretrained(folder, safe_serialization=True)
    return model


def run_engine(request: dict, folder: Path) -> dict[str, torch.Tensor]:
    """Runs tools/engine-dump.ts on a request and returns the tensors it wrote."""
    request_path = folder / "request.json"
    out_path = folder / "engine-out.safetensors"
    request_path.write_text(json.dumps(request))
    cmd = ["npx", "tsx", "tools/engine-dump.ts", "--request", str(request_path), "--out", str(out_path)]
    env = {**os.environ, "NODE_OPTIONS": "--max-old-space-size=4096"}
    proc = subprocess.run(cmd, cwd=REPO_ROOT, capture_output=True, text=True, timeout=600, env=env)
    if proc.returncode != 0:
        raise RuntimeError(f"engine-dump failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return load_file(str(out_path))


def relative_error(ours: torch.Tensor, ref: torch.Tensor) -> float:
    """max |ours - ref| / max |ref|: the error relative to the tensor's scale."""
    assert ours.shape == ref.shape, f"shape {tuple(ours.shape)} != {tuple(ref.shape)}"
    scale = ref.abs().max().item()
    assert scale > 0, "reference tensor is all zeros; the comparison would be meaningless"
    return (ours.double() - ref.double()).abs().max().item() / scale
