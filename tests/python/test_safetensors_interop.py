"""Our safetensors reader and writer against Python's safetensors: files cross in both directions."""

from __future__ import annotations

import subprocess
from pathlib import Path

import torch
from safetensors import safe_open
from safetensors.torch import load_file, save_file

REPO_ROOT = Path(__file__).resolve().parents[2]


def rewrite(src: Path, dst: Path) -> None:
    cmd = ["npx", "tsx", "tests/python/safetensors_rewrite.ts", str(src), str(dst)]
    proc = subprocess.run(cmd, cwd=REPO_ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, f"rewrite failed:\n{proc.stdout}\n{proc.stderr}"


def test_round_trip_through_our_reader_and_writer(tmp_path: Path) -> None:
    gen = torch.Generator().manual_seed(0)
    tensors = {
        "model.embed_tokens.weight": torch.randn(7, 5, generator=gen),
        "model.layers.0.self_attn.q_proj.weight": torch.randn(4, 6, generator=gen).half(),
        "model.norm.weight": (torch.randn(9, generator=gen) * 1e3).bfloat16(),
        "lm_head.weight": torch.randn(3, 2, generator=gen).double(),
        "position_ids": torch.arange(-3, 9, dtype=torch.int64).reshape(3, 4),
        "counts": torch.tensor([1, -7, 2**31 - 1], dtype=torch.int32),
        "bytes": torch.tensor([0, 255, 17], dtype=torch.uint8),
        "mask": torch.tensor([[True, False], [False, True]]),
        "scalar": torch.tensor(2.5),
        "empty": torch.zeros(0, 3),
    }
    src, dst = tmp_path / "python.safetensors", tmp_path / "ours.safetensors"
    save_file(tensors, str(src), metadata={"format": "pt", "source": "pytest"})
    rewrite(src, dst)

    ours = load_file(str(dst))
    for name, ref in tensors.items():
        assert ours[name].dtype == ref.dtype, name
        assert ours[name].shape == ref.shape, name
        assert torch.equal(ours[name], ref), name
        if ref.is_floating_point():
            assert ours[f"{name}.as_f32"].dtype == torch.float32
            assert torch.equal(ours[f"{name}.as_f32"], ref.float()), f"{name} F32 conversion"
    with safe_open(str(dst), framework="pt") as f:
        assert f.metadata() == {"format": "pt", "source": "pytest", "rewritten_by": "punchline"}


def test_header_is_padded_to_eight_bytes(tmp_path: Path) -> None:
    src, dst = tmp_path / "python.safetensors", tmp_path / "ours.safetensors"
    save_file({"w": torch.ones(3, dtype=torch.float16)}, str(src))
    rewrite(src, dst)
    header_length = int.from_bytes(dst.read_bytes()[:8], "little")
    assert header_length % 8 == 0
    assert dst.read_bytes()[8 + header_length - 1 : 8 + header_length] in (b" ", b"}")
