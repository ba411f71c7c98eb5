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
        if ref.dtype == torch.float32:
            assert same_values(ours[f"{name}.as_f16"], ref.half()), f"{name} F16 rounding"
        if ref.is_floating_point():
            assert ours[f"{name}.as_f32"].dtype == torch.float32
            assert torch.equal(ours[f"{name}.as_f32"], ref.float()), f"{name} F32 conversion"
    with safe_open(str(dst), framework="pt") as f:
        assert f.metadata() == {"format": "pt", "source": "pytest", "rewritten_by": "punchline"}


def same_values(ours: torch.Tensor, ref: torch.Tensor) -> bool:
    """Equal bit for bit, except that any NaN matches any NaN."""
    nan = torch.isnan(ref)
    return bool(torch.equal(torch.isnan(ours), nan) and torch.equal(ours[~nan], ref[~nan]))


def test_f32_to_f16_and_bf16_round_like_torch(tmp_path: Path) -> None:
    gen = torch.Generator().manual_seed(1)
    scales = torch.tensor([1e-9, 1e-7, 1e-5, 1e-2, 1.0, 1e2, 3e4, 7e4, 1e38])
    random = (torch.randn(4000, generator=gen)[:, None] * scales).flatten()
    edges = torch.tensor(
        [0.0, -0.0, 65504.0, 65519.99, 65520.0, -65520.0, 2.0**-24, 2.0**-25, 3 * 2.0**-26, 2.0**-14,
         1 + 2.0**-11, 1 + 3 * 2.0**-11, 1 + 2.0**-8, 1 + 3 * 2.0**-8, 3.4e38, float("inf"), float("-inf"), float("nan")]
    )
    values = torch.cat([random, edges]).float()
    src, dst = tmp_path / "python.safetensors", tmp_path / "ours.safetensors"
    save_file({"values": values}, str(src))
    rewrite(src, dst)
    ours = load_file(str(dst))
    assert ours["values.as_f16"].dtype == torch.float16
    assert same_values(ours["values.as_f16"], values.half())
    assert same_values(ours["values.as_bf16"], values.bfloat16())


def test_header_is_padded_to_eight_bytes(tmp_path: Path) -> None:
    src, dst = tmp_path / "python.safetensors", tmp_path / "ours.safetensors"
    save_file({"w": torch.ones(3, dtype=torch.float16)}, str(src))
    rewrite(src, dst)
    header_length = int.from_bytes(dst.read_bytes()[:8], "little")
    assert header_length % 8 == 0
    assert dst.read_bytes()[8 + header_length - 1 : 8 + header_length] in (b" ", b"}")
