"""Our AdamW, gradient clipping and warm-up + cosine schedule against torch.optim.AdamW,
torch.nn.utils.clip_grad_norm_ and transformers' get_cosine_schedule_with_warmup on the same gradients."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import torch
from safetensors.torch import load_file, save_file
from transformers import get_cosine_schedule_with_warmup

REPO_ROOT = Path(__file__).resolve().parents[2]
STEPS, WARMUP, PEAK_LR, MAX_NORM = 12, 3, 3e-2, 1.0
BETAS, EPS, WEIGHT_DECAY = (0.9, 0.95), 1e-8, 0.1
SHAPES = {"lora_A": (4, 6), "lora_B": (6, 4), "norm": (5,)}
NO_DECAY = ["norm"]


def relative_error(ours: torch.Tensor, ref: torch.Tensor) -> float:
    return ((ours.double() - ref.double()).abs().max() / ref.double().abs().max()).item()


def test_adamw_matches_torch(tmp_path: Path) -> None:
    gen = torch.Generator().manual_seed(0)
    init = {name: torch.randn(shape, generator=gen) for name, shape in SHAPES.items()}
    # Gradient scales vary so clipping is active on some steps and idle on others.
    grads = [{n: torch.randn(s, generator=gen) * (0.05 if k % 3 else 2.0) for n, s in SHAPES.items()} for k in range(STEPS)]

    run = {
        "steps": STEPS,
        "maxGradNorm": MAX_NORM,
        "schedule": {"kind": "cosine", "peakLr": PEAK_LR, "warmupSteps": WARMUP, "totalSteps": STEPS},
        "optimizer": {"beta1": BETAS[0], "beta2": BETAS[1], "eps": EPS, "weightDecay": WEIGHT_DECAY, "noWeightDecay": NO_DECAY},
    }
    tensors = {f"param.{n}": t.flatten() for n, t in init.items()}
    tensors.update({f"grad.{k}.{n}": g.flatten() for k, step in enumerate(grads) for n, g in step.items()})
    src, dst = tmp_path / "adamw-in.safetensors", tmp_path / "adamw-out.safetensors"
    save_file(tensors, str(src), metadata={"run": json.dumps(run)})
    cmd = ["npx", "tsx", "tests/python/adamw_run.ts", str(src), str(dst)]
    proc = subprocess.run(cmd, cwd=REPO_ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, f"adamw_run failed:\n{proc.stdout}\n{proc.stderr}"
    ours = load_file(str(dst))

    params = {n: torch.nn.Parameter(t.clone()) for n, t in init.items()}
    groups = [
        {"params": [p for n, p in params.items() if n not in NO_DECAY], "weight_decay": WEIGHT_DECAY},
        {"params": [params[n] for n in NO_DECAY], "weight_decay": 0.0},
    ]
    opt = torch.optim.AdamW(groups, lr=PEAK_LR, betas=BETAS, eps=EPS)
    sched = get_cosine_schedule_with_warmup(opt, num_warmup_steps=WARMUP, num_training_steps=STEPS)
    lrs, norms = [], []
    for step in grads:
        for n, p in params.items():
            p.grad = step[n].clone()
        norms.append(torch.nn.utils.clip_grad_norm_(list(params.values()), MAX_NORM).item())
        lrs.append(opt.param_groups[0]["lr"])
        opt.step()
        sched.step()

    assert torch.allclose(ours["lrs"], torch.tensor(lrs, dtype=torch.float64), rtol=1e-12, atol=1e-15)
    assert torch.allclose(ours["grad_norms"], torch.tensor(norms, dtype=torch.float64), rtol=1e-5)
    assert any(n > MAX_NORM for n in norms) and any(n < MAX_NORM for n in norms)
    for n, p in params.items():
        state = opt.state[p]
        assert relative_error(ours[f"param.{n}"], p.detach().flatten()) < 1e-5, n
        assert relative_error(ours[f"exp_avg.{n}"], state["exp_avg"].flatten()) < 1e-5, n
        assert relative_error(ours[f"exp_avg_sq.{n}"], state["exp_avg_sq"].flatten()) < 1e-5, n
        # The parameters really moved, so agreement is not trivial.
        assert relative_error(p.detach(), init[n]) > 1e-3, n
