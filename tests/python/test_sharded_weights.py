"""Sharded weights written by transformers save_pretrained(max_shard_size=...) read by our folder import and
our Node reader: the merged model.safetensors holds exactly the model's tensors."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import torch
from safetensors.torch import load_file
from transformers import LlamaConfig, LlamaForCausalLM

REPO_ROOT = Path(__file__).resolve().parents[2]
TOKENIZER = REPO_ROOT / "tests" / "fixtures" / "models" / "tiny-chat"


def test_transformers_shards_merge_to_the_model_tensors(tmp_path: Path) -> None:
    torch.manual_seed(0)
    config = LlamaConfig(
        vocab_size=300,
        hidden_size=32,
        intermediate_size=48,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=2,
        max_position_embeddings=64,
        tie_word_embeddings=False,
        eos_token_id=2,
    )
    model = LlamaForCausalLM(config).to(torch.bfloat16).eval()
    folder = tmp_path / "tiny-sharded"
    model.save_pretrained(folder, max_shard_size="20KB")
    for name in ("tokenizer.json", "tokenizer_config.json"):
        shutil.copy(TOKENIZER / name, folder / name)
    shards = sorted(p.name for p in folder.glob("model-*-of-*.safetensors"))
    assert len(shards) >= 3, shards
    assert (folder / "model.safetensors.index.json").exists()
    assert not (folder / "model.safetensors").exists()

    worker_out, node_out = tmp_path / "worker.safetensors", tmp_path / "node.safetensors"
    cmd = ["npx", "tsx", "tests/python/sharded_weights_read.ts", str(folder), str(worker_out), str(node_out)]
    proc = subprocess.run(cmd, cwd=REPO_ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, f"sharded_weights_read failed:\n{proc.stdout}\n{proc.stderr}"

    expected = model.state_dict()
    assert worker_out.read_bytes() == node_out.read_bytes()
    merged = load_file(str(worker_out))
    assert sorted(merged) == sorted(expected)
    for name, ref in expected.items():
        assert merged[name].dtype == torch.bfloat16, name
        assert torch.equal(merged[name], ref), name
