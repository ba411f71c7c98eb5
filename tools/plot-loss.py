"""Plots a pretraining run's loss: training loss per step (raw and smoothed) and validation loss per language.

    python3 tools/plot-loss.py [--run runs/pretrain] [--out public/models/punchline-tiny/loss.png]

Reads <run>/loss.csv (step,lr,loss,...) and <run>/eval.csv (step,val_loss_en,val_loss_zh,...), both written
by tools/pretrain.ts. Needs matplotlib (pip install matplotlib==3.11.2).
"""

import argparse
import csv
import math
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def read_rows(path: Path, columns: list[str]) -> list[dict[str, float]]:
    if not path.exists():
        sys.exit(f"{path} not found: run `npm run pretrain` first")
    with path.open(newline="") as f:
        reader = csv.DictReader(f)
        missing = [c for c in columns if c not in (reader.fieldnames or [])]
        if missing:
            sys.exit(f"{path}: missing column(s) {', '.join(missing)}; header is {reader.fieldnames}")
        rows = []
        for line, row in enumerate(reader, start=2):
            try:
                rows.append({c: float(row[c]) for c in columns})
            except (TypeError, ValueError):
                sys.exit(f"{path}:{line}: expected numbers in {', '.join(columns)}, got {row}")
        return rows


def smooth(values: list[float], alpha: float) -> list[float]:
    """Exponential moving average, bias-corrected so the first points are not pulled towards zero."""
    out, average = [], 0.0
    for i, v in enumerate(values, start=1):
        average = alpha * average + (1 - alpha) * v
        out.append(average / (1 - alpha**i))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--run", default="runs/pretrain")
    parser.add_argument("--out", default="public/models/punchline-tiny/loss.png")
    parser.add_argument("--smoothing", type=float, default=0.95, help="EMA factor for the training loss")
    args = parser.parse_args()
    run = Path(args.run)
    train = read_rows(run / "loss.csv", ["step", "loss"])
    evals = read_rows(run / "eval.csv", ["step", "val_loss_en", "val_loss_zh"])
    if not train:
        sys.exit(f"{run / 'loss.csv'} has no rows yet")

    steps = [r["step"] for r in train]
    losses = [r["loss"] for r in train]
    fig, ax = plt.subplots(figsize=(8, 4.5), dpi=100)
    ax.plot(steps, losses, color="#9ecae1", linewidth=0.7, label="training loss (per step)")
    ax.plot(steps, smooth(losses, args.smoothing), color="#08519c", linewidth=1.8,
            label=f"training loss (EMA {args.smoothing})")
    for key, color, name in [("val_loss_en", "#d95f02", "English"), ("val_loss_zh", "#1b9e77", "Chinese")]:
        points = [(r["step"], r[key]) for r in evals if math.isfinite(r[key])]
        if points:
            ax.plot(*zip(*points), marker="o", color=color, linewidth=1.5, label=f"validation loss, {name}")
    ax.set_xlabel("optimizer step (8 × 128 tokens)")
    ax.set_ylabel("cross-entropy (nats / token)")
    ax.set_title("punchline-tiny pretraining")
    ax.grid(alpha=0.3)
    ax.legend(loc="upper right")
    fig.tight_layout()
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out)
    print(f"wrote {out} ({out.stat().st_size // 1024} KB): {len(train)} steps, {len(evals)} evaluations")


if __name__ == "__main__":
    main()
