"""Python side of tests/python/adapter_tool.ts: runs one of its commands and gives back what it wrote."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import torch
from safetensors.torch import load_file

REPO_ROOT = Path(__file__).resolve().parents[2]


def run_adapter_tool(command: str, **options: object) -> str:
    """`npx tsx tests/python/adapter_tool.ts COMMAND --key value ...`; returns stdout."""
    args = ["npx", "tsx", "tests/python/adapter_tool.ts", command]
    for key, value in options.items():
        args += [f"--{key.replace('_', '-')}", str(value)]
    proc = subprocess.run(args, cwd=REPO_ROOT, capture_output=True, text=True, timeout=600)
    if proc.returncode != 0:
        raise RuntimeError(f"adapter_tool {command} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return proc.stdout


def punchline_logits(model_dir: Path, adapter: Path, ids: torch.Tensor, work: Path) -> torch.Tensor:
    """Logits of our decode graph with the adapter imported and bound as LoRA inputs."""
    ids_path, out_path = work / "ids.json", work / "punchline-logits.safetensors"
    ids_path.write_text(json.dumps(ids.tolist()))
    run_adapter_tool("logits", model=model_dir, adapter=adapter, ids=ids_path, out=out_path)
    return load_file(str(out_path))["logits"]


def punchline_train(model_dir: Path, out: Path, ids: torch.Tensor, work: Path, **options: object) -> list[float]:
    """A few LoRA steps in our engine; writes the PEFT adapter folder `out` and returns the losses."""
    ids_path = work / "train-ids.json"
    ids_path.write_text(json.dumps(ids.tolist()))
    stdout = run_adapter_tool("train", model=model_dir, out=out, ids=ids_path, **options)
    return json.loads(stdout.strip().splitlines()[-1])["losses"]


def write_json(path: Path, value: object) -> Path:
    path.write_text(json.dumps(value))
    return path


def punchline_train_classifier(model_dir: Path, out: Path, ids: torch.Tensor, mask: torch.Tensor, labels: list[int],
                               work: Path, **options: object) -> list[float]:
    """A few LoRA + score-head steps in our classifier graph; writes the SEQ_CLS adapter folder `out`."""
    stdout = run_adapter_tool("train-classifier", model=model_dir, out=out,
                              ids=write_json(work / "cls-ids.json", ids.tolist()),
                              mask=write_json(work / "cls-mask.json", mask.tolist()),
                              labels=write_json(work / "cls-labels.json", labels), **options)
    return json.loads(stdout.strip().splitlines()[-1])["losses"]


def punchline_classify(model_dir: Path, adapter: Path, ids: torch.Tensor, mask: torch.Tensor, num_labels: int,
                       work: Path) -> torch.Tensor:
    out_path = work / "punchline-cls-logits.safetensors"
    run_adapter_tool("classify", model=model_dir, adapter=adapter, num_labels=num_labels,
                     ids=write_json(work / "cls-ids.json", ids.tolist()),
                     mask=write_json(work / "cls-mask.json", mask.tolist()), out=out_path)
    return load_file(str(out_path))["logits"]
