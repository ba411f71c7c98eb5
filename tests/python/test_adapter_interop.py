"""Causal-LM adapter interop in both directions, on logits, for a Llama-style and a GPT-2-style base saved as
safetensors:
- an adapter trained a few steps in Punchline (engine train-step graph + AdamW) and exported loads with
  PeftModel.from_pretrained and gives the logits of our decode graph with the LoRA bound;
- an adapter trained a few steps in PEFT imports into Punchline with the same logits.
(The classifier adapter with a head is covered in test_peft_format.py.)
"""

from __future__ import annotations

import logging
import warnings
from pathlib import Path

import pytest
import torch
from adapter_tool import punchline_logits, punchline_train
from peft import LoraConfig, PeftModel, TaskType, get_peft_model
from tiny_models import VARIANTS, relative_error, save_model
from transformers import AutoModelForCausalLM

TARGETS = {"gpt2": ["c_attn", "c_proj", "c_fc"], "llama": ["q_proj", "k_proj", "v_proj", "o_proj", "up_proj"]}
CASES = ["gpt2", "llama-gqa-untied"]


def token_rows(seed: int, shape: tuple[int, int]) -> torch.Tensor:
    return torch.randint(3, 90, shape, generator=torch.Generator().manual_seed(seed))


def load_strict(base_dir: Path, adapter_dir: Path, caplog: pytest.LogCaptureFixture) -> PeftModel:
    base = AutoModelForCausalLM.from_pretrained(base_dir).eval()
    with warnings.catch_warnings(record=True) as caught, caplog.at_level(logging.WARNING):
        warnings.simplefilter("always")
        model = PeftModel.from_pretrained(base, adapter_dir).eval()
    messages = [str(w.message) for w in caught] + [r.getMessage() for r in caplog.records]
    assert [m for m in messages if "missing" in m.lower() or "unexpected" in m.lower()] == []
    return model


@pytest.mark.parametrize("variant_name", CASES)
def test_punchline_trained_adapter_loads_in_peft_with_equal_logits(variant_name: str, tmp_path: Path,
                                                                   caplog: pytest.LogCaptureFixture) -> None:
    variant = next(v for v in VARIANTS if v.name == variant_name)
    base_dir, adapter_dir = tmp_path / "base", tmp_path / "adapter"
    save_model(variant, base_dir)
    losses = punchline_train(base_dir, adapter_dir, token_rows(1, (4, 12)), tmp_path, targets=",".join(
        TARGETS[variant.arch]), rank=4, alpha=8, steps=6, lr=0.02, seed=3)
    assert losses[-1] < losses[0], f"training must lower the loss: {losses}"

    ids = token_rows(2, (2, 10))
    ours = punchline_logits(base_dir, adapter_dir, ids, tmp_path)
    peft_model = load_strict(base_dir, adapter_dir, caplog)
    with torch.no_grad():
        reference = peft_model(input_ids=ids).logits
        base = AutoModelForCausalLM.from_pretrained(base_dir).eval()(input_ids=ids).logits
    assert relative_error(base, reference) > 1e-3, "the trained adapter must change the logits to mean anything"
    error = relative_error(ours, reference)
    print(f"{variant_name}: Punchline-trained adapter, our logits vs PEFT's, max rel err {error:.2e}")
    assert error <= 1e-4


@pytest.mark.parametrize("variant_name", CASES)
def test_peft_trained_adapter_imports_with_equal_logits(variant_name: str, tmp_path: Path) -> None:
    variant = next(v for v in VARIANTS if v.name == variant_name)
    base_dir, adapter_dir = tmp_path / "base", tmp_path / "adapter"
    model = save_model(variant, base_dir)
    lora = LoraConfig(task_type=TaskType.CAUSAL_LM, r=4, lora_alpha=8, target_modules=TARGETS[variant.arch],
                      fan_in_fan_out=variant.arch == "gpt2")
    torch.manual_seed(5)
    peft_model = get_peft_model(model, lora)
    peft_model.train()
    optimizer = torch.optim.AdamW([p for p in peft_model.parameters() if p.requires_grad], lr=0.02)
    train_ids = token_rows(6, (4, 12))
    losses = []
    for _ in range(6):
        loss = peft_model(input_ids=train_ids, labels=train_ids).loss
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        losses.append(loss.item())
    assert losses[-1] < losses[0], f"training must lower the loss: {losses}"
    peft_model.eval()
    peft_model.save_pretrained(adapter_dir)

    ids = token_rows(7, (2, 10))
    with torch.no_grad():
        reference = peft_model(input_ids=ids).logits
        with peft_model.disable_adapter():
            base = peft_model(input_ids=ids).logits
    assert relative_error(base, reference) > 1e-3, "the trained adapter must change the logits to mean anything"
    ours = punchline_logits(base_dir, adapter_dir, ids, tmp_path)
    error = relative_error(ours, reference)
    print(f"{variant_name}: PEFT-trained adapter, our logits vs PEFT's, max rel err {error:.2e}")
    assert error <= 1e-4
