"""Our GGUF reader and dequantisation (tools/gguf-dump.ts) against the PyPI gguf package on fresh random data.

gguf writes the file (GGUFWriter) and computes the reference (gguf.quants.dequantize); we read it back.
Needs `pip install gguf==0.19.0`; skipped without it.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import numpy as np
import pytest

gguf = pytest.importorskip("gguf")
from gguf import GGMLQuantizationType as Q  # noqa: E402
from safetensors.numpy import load_file  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parents[2]
QUANTISABLE = [Q.BF16, Q.Q8_0, Q.Q4_0, Q.Q4_1, Q.Q5_0, Q.Q5_1]
K_QUANTS = [Q.Q2_K, Q.Q3_K, Q.Q4_K, Q.Q5_K, Q.Q6_K]


def dump(args: list[str]) -> str:
    cmd = ["npx", "tsx", "tools/gguf-dump.ts", *args]
    proc = subprocess.run(cmd, cwd=REPO_ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def k_blocks(rng: np.random.Generator, qtype: Q, n_blocks: int) -> np.ndarray:
    """Random bytes, with the half-precision scales replaced by finite values."""
    _, size = gguf.GGML_QUANT_SIZES[qtype]
    blocks = rng.integers(0, 256, size=(n_blocks, size), dtype=np.uint8)
    scale_at = {Q.Q2_K: [80, 82], Q.Q3_K: [108], Q.Q4_K: [0, 2], Q.Q5_K: [0, 2], Q.Q6_K: [208]}[qtype]
    for at in scale_at:
        blocks[:, at : at + 2] = rng.uniform(-0.1, 0.1, size=(n_blocks, 1)).astype(np.float16).view(np.uint8)
    return blocks


@pytest.mark.parametrize("seed", [7, 8])
def test_dequantisation_matches_gguf(tmp_path: Path, seed: int) -> None:
    rng = np.random.default_rng(seed)
    rows = int(rng.integers(1, 4))
    cols = 256 * int(rng.integers(1, 3))
    path = tmp_path / "random.gguf"
    writer = gguf.GGUFWriter(path, "test")
    writer.add_custom_alignment(64)
    expected: dict[str, np.ndarray] = {}
    data = (rng.standard_normal((rows, cols)) * rng.uniform(0.01, 10)).astype(np.float32)
    writer.add_tensor("f32", data)
    expected["f32"] = data
    writer.add_tensor("f16", data.astype(np.float16))
    expected["f16"] = data.astype(np.float16).astype(np.float32)
    for qtype in QUANTISABLE:
        raw = gguf.quants.quantize(data, qtype)
        writer.add_tensor(qtype.name, raw, raw_shape=raw.shape, raw_dtype=qtype)
        expected[qtype.name] = gguf.quants.dequantize(raw, qtype)
    for qtype in K_QUANTS:
        raw = k_blocks(rng, qtype, rows * cols // 256).reshape(rows, -1)
        writer.add_tensor(qtype.name, raw, raw_shape=raw.shape, raw_dtype=qtype)
        expected[qtype.name] = gguf.quants.dequantize(raw, qtype)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()

    out = tmp_path / "ours.safetensors"
    dump([str(path), "--dequantize", str(out)])
    ours = load_file(out)
    assert sorted(ours) == sorted(expected)
    for name, reference in expected.items():
        assert ours[name].shape == reference.shape, name
        np.testing.assert_array_equal(ours[name], reference.astype(np.float32), err_msg=name)


def test_summary_lists_metadata_and_tensors(tmp_path: Path) -> None:
    path = tmp_path / "meta.gguf"
    writer = gguf.GGUFWriter(path, "llama")
    writer.add_context_length(128)
    writer.add_array("test.words", ["a", "bb", "笑"])
    writer.add_tensor("w", np.arange(64, dtype=np.float32).reshape(2, 32))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()

    summary = json.loads(dump([str(path)]))
    assert summary["version"] == 3
    assert summary["metadata"]["llama.context_length"] == 128
    assert summary["metadata"]["test.words"] == {"array": "STRING", "length": 3, "head": ["a", "bb", "笑"]}
    assert summary["tensors"] == [{"name": "w", "type": "F32", "shape": [2, 32], "byteOffset": summary["dataStart"]}]
