"""Our engine (ONNX graphs on onnxruntime-node, fp32) against transformers + PEFT on the same weights.

Errors are max |ours - torch| / max |torch| per tensor. Bounds: logits 1e-4, gradients 1e-3.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from peft import LoraConfig, TaskType, get_peft_model
from safetensors.torch import save_file
from transformers import AutoModelForCausalLM, AutoModelForSequenceClassification

from tiny_models import PAD_ID, VARIANTS, VOCAB, Variant, relative_error, run_engine, save_model

LOGITS_TOL = 1e-4
GRAD_TOL = 1e-3
IDS = pytest.mark.parametrize("variant", VARIANTS, ids=[v.name for v in VARIANTS])


def lora_targets(variant: Variant) -> list[str]:
    if variant.arch == "gpt2":
        return ["c_attn", "c_proj", "c_fc"]
    return ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]


def random_ids(shape: tuple[int, int], seed: int) -> torch.Tensor:
    gen = torch.Generator().manual_seed(seed)
    return torch.randint(3, VOCAB, shape, generator=gen)


def left_padded_batch() -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Two rows of 9 tokens; the second is left-padded by 3, as batched generation pads prompts."""
    ids = random_ids((2, 9), seed=1)
    mask = torch.ones_like(ids)
    ids[1, :3] = PAD_ID
    mask[1, :3] = 0
    positions = (mask.cumsum(-1) - 1).clamp(min=0)
    return ids, mask, positions


@IDS
def test_logits_full_sequence(variant: Variant, tmp_path: Path) -> None:
    model = save_model(variant, tmp_path)
    ids, mask, positions = left_padded_batch()
    with torch.no_grad():
        ref = model(input_ids=ids, attention_mask=mask, position_ids=positions).logits
    out = run_engine(
        {
            "model": str(tmp_path),
            "task": "logits",
            "input_ids": ids.tolist(),
            "attention_mask": mask.tolist(),
            "position_ids": positions.tolist(),
        },
        tmp_path,
    )
    real = mask.bool()
    err = relative_error(out["logits"][real], ref[real])
    print(f"{variant.name} logits rel err {err:.2e}")
    assert err <= LOGITS_TOL


@IDS
def test_logits_with_kv_cache(variant: Variant, tmp_path: Path) -> None:
    """Prefill 4 tokens, then decode the rest one at a time through the KV cache."""
    model = save_model(variant, tmp_path)
    ids, mask, positions = left_padded_batch()
    with torch.no_grad():
        ref = model(input_ids=ids, attention_mask=mask, position_ids=positions).logits
    out = run_engine(
        {
            "model": str(tmp_path),
            "task": "logits_cached",
            "prefill": 4,
            "input_ids": ids.tolist(),
            "attention_mask": mask.tolist(),
            "position_ids": positions.tolist(),
        },
        tmp_path,
    )
    real = mask.bool()
    err = relative_error(out["logits"][real], ref[real])
    print(f"{variant.name} cached logits rel err {err:.2e}")
    assert err <= LOGITS_TOL


def right_padded_lm_batch() -> tuple[torch.Tensor, torch.Tensor]:
    """Two rows of 12 tokens; row 1 has 4 pads at the end; the first 3 tokens of row 0 are a prompt."""
    ids = random_ids((2, 12), seed=2)
    loss_mask = torch.ones_like(ids)
    ids[1, 8:] = PAD_ID
    loss_mask[1, 8:] = 0
    loss_mask[0, :3] = 0
    return ids, loss_mask


def hf_lm_loss(model: torch.nn.Module, ids: torch.Tensor, loss_mask: torch.Tensor) -> torch.Tensor:
    labels = ids.masked_fill(loss_mask == 0, -100)
    return model(input_ids=ids, labels=labels).loss


@IDS
def test_lora_gradients_match_peft(variant: Variant, tmp_path: Path) -> None:
    model = save_model(variant, tmp_path)
    config = LoraConfig(r=4, lora_alpha=8, target_modules=lora_targets(variant), lora_dropout=0.0, init_lora_weights=False)
    peft_model = get_peft_model(model, config)
    ids, loss_mask = right_padded_lm_batch()
    loss = hf_lm_loss(peft_model, ids, loss_mask)
    loss.backward()
    adapter_dir = tmp_path / "adapter"
    peft_model.save_pretrained(adapter_dir)
    out = run_engine(
        {
            "model": str(tmp_path),
            "task": "lm_grad",
            "input_ids": ids.tolist(),
            "loss_mask": loss_mask.tolist(),
            "lora": {
                "rank": 4,
                "alpha": 8,
                "targets": lora_targets(variant),
                "file": str(adapter_dir / "adapter_model.safetensors"),
            },
        },
        tmp_path,
    )
    assert abs(out["loss"].item() - loss.item()) / abs(loss.item()) <= LOGITS_TOL
    grads = {n.replace(".default", ""): p.grad for n, p in peft_model.named_parameters() if p.requires_grad}
    assert len(grads) == (8 if variant.arch == "gpt2" else 14) * 2  # 2 layers x 4 or 7 modules x (A, B)
    worst = max(relative_error(out[f"grad.{name}"], grad) for name, grad in grads.items())
    print(f"{variant.name} LoRA grad rel err {worst:.2e} over {len(grads)} tensors")
    assert worst <= GRAD_TOL


@IDS
def test_full_parameter_gradients(variant: Variant, tmp_path: Path) -> None:
    model = save_model(variant, tmp_path)
    ids, loss_mask = right_padded_lm_batch()
    loss = hf_lm_loss(model, ids, loss_mask)
    loss.backward()
    out = run_engine(
        {"model": str(tmp_path), "task": "lm_grad", "input_ids": ids.tolist(), "loss_mask": loss_mask.tolist()},
        tmp_path,
    )
    assert abs(out["loss"].item() - loss.item()) / abs(loss.item()) <= LOGITS_TOL
    grads = dict(model.named_parameters())
    errors = {name: relative_error(out[f"grad.{name}"], p.grad) for name, p in grads.items()}
    name, worst = max(errors.items(), key=lambda kv: kv[1])
    print(f"{variant.name} full grad rel err {worst:.2e} (worst: {name})")
    assert worst <= GRAD_TOL


CLASSIFIER_CASES = [(1, None), (3, [0.5, 1.0, 2.0])]


@pytest.mark.parametrize("num_labels,class_weights", CLASSIFIER_CASES, ids=["binary", "3-class-weighted"])
@pytest.mark.parametrize("variant", [VARIANTS[0], VARIANTS[2]], ids=[VARIANTS[0].name, VARIANTS[2].name])
def test_classifier_matches_peft_seq_cls(
    variant: Variant, num_labels: int, class_weights: list[float] | None, tmp_path: Path
) -> None:
    """transformers' *ForSequenceClassification pools the last non-pad token and applies `score` (no bias).
    One logit trains with binary cross-entropy, more with (optionally class-weighted) softmax cross-entropy."""
    save_model(variant, tmp_path)
    model = AutoModelForSequenceClassification.from_pretrained(tmp_path, num_labels=num_labels)
    with torch.no_grad():
        model.score.weight.copy_(0.3 * torch.randn(model.score.weight.shape, generator=torch.Generator().manual_seed(5)))
    save_file({"score.weight": model.score.weight.detach().clone().contiguous()}, str(tmp_path / "head.safetensors"))
    config = LoraConfig(
        task_type=TaskType.SEQ_CLS,
        r=2,
        lora_alpha=4,
        target_modules=lora_targets(variant)[:2],
        lora_dropout=0.0,
        init_lora_weights=False,
    )
    peft_model = get_peft_model(model, config)
    peft_model.eval()
    ids = random_ids((3, 7), seed=3)
    mask = torch.ones_like(ids)
    ids[1, 4:] = PAD_ID
    mask[1, 4:] = 0
    ids[2, 6:] = PAD_ID
    mask[2, 6:] = 0
    logits = peft_model(input_ids=ids, attention_mask=mask).logits
    if num_labels == 1:
        labels = [1, 0, 1]
        loss = torch.nn.functional.binary_cross_entropy_with_logits(logits[:, 0], torch.tensor(labels).float())
    else:
        labels = [2, 0, 1]
        weight = torch.tensor(class_weights)
        loss = torch.nn.functional.cross_entropy(logits, torch.tensor(labels), weight=weight)
    loss.backward()
    adapter_dir = tmp_path / "adapter"
    peft_model.save_pretrained(adapter_dir)
    out = run_engine(
        {
            "model": str(tmp_path),
            "task": "classifier",
            "input_ids": ids.tolist(),
            "attention_mask": mask.tolist(),
            "lora": {
                "rank": 2,
                "alpha": 4,
                "targets": lora_targets(variant)[:2],
                "file": str(adapter_dir / "adapter_model.safetensors"),
            },
            "classifier": {
                "num_labels": num_labels,
                "head_file": str(tmp_path / "head.safetensors"),
                "labels": labels,
                "class_weights": class_weights,
            },
        },
        tmp_path,
    )
    assert relative_error(out["logits"], logits.detach()) <= LOGITS_TOL
    assert abs(out["loss"].item() - loss.item()) / abs(loss.item()) <= LOGITS_TOL
    grads = {}
    for name, p in peft_model.named_parameters():
        if p.requires_grad:
            key = "score.weight" if "score" in name else name.replace(".default", "")
            grads[key] = p.grad
    worst = max(relative_error(out[f"grad.{name}"], grad) for name, grad in grads.items())
    print(f"{variant.name} classifier({num_labels}) grad rel err {worst:.2e}")
    assert worst <= GRAD_TOL


@pytest.mark.parametrize("dtype", [torch.float16, torch.bfloat16], ids=["F16", "BF16"])
def test_half_precision_checkpoint_loads_as_float32(dtype: torch.dtype, tmp_path: Path) -> None:
    """A checkpoint saved in F16 / BF16 is widened to float32 on load: logits match torch on the same
    rounded weights computed in float32."""
    save_model(VARIANTS[2], tmp_path / "fp32").to(dtype).save_pretrained(tmp_path, safe_serialization=True)
    # Reloaded rather than cast back: .to(dtype) also rounds the RoPE inv_freq buffer, which a fresh load recomputes.
    model = AutoModelForCausalLM.from_pretrained(tmp_path, dtype=torch.float32).eval()
    ids, mask, positions = left_padded_batch()
    with torch.no_grad():
        ref = model(input_ids=ids, attention_mask=mask, position_ids=positions).logits
    out = run_engine(
        {
            "model": str(tmp_path),
            "task": "logits",
            "input_ids": ids.tolist(),
            "attention_mask": mask.tolist(),
            "position_ids": positions.tolist(),
        },
        tmp_path,
    )
    real = mask.bool()
    assert relative_error(out["logits"][real], ref[real]) <= LOGITS_TOL
