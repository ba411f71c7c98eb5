"""Classifier (SEQ_CLS) adapters with a score head, both directions, GPT-2 and Llama bases:
- trained a few steps in Punchline (classifier graph: LoRA + head, cross-entropy, AdamW) and exported, the adapter
  loads with PeftModel.from_pretrained on AutoModelForSequenceClassification and gives our logits;
- trained a few steps in PEFT, it imports into Punchline with PEFT's logits.
Rows are right-padded with the pad id and masked, so both sides pool the last real token."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from adapter_tool import punchline_classify, punchline_train_classifier
from peft import LoraConfig, PeftModel, TaskType, get_peft_model
from tiny_models import PAD_ID, VARIANTS, relative_error, save_model
from transformers import AutoModelForSequenceClassification

TARGETS = {"gpt2": ["c_attn", "c_fc"], "llama": ["q_proj", "v_proj", "down_proj"]}
CASES = ["gpt2", "llama-gqa-tied"]
LABELS = 3


def batch(seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    ids = torch.randint(3, 90, (4, 8), generator=torch.Generator().manual_seed(seed))
    mask = torch.ones_like(ids)
    ids[1, 5:], mask[1, 5:] = PAD_ID, 0
    ids[3, 3:], mask[3, 3:] = PAD_ID, 0
    return ids, mask


def classifier(base_dir: Path) -> torch.nn.Module:
    return AutoModelForSequenceClassification.from_pretrained(base_dir, num_labels=LABELS).eval()


@pytest.mark.parametrize("variant_name", CASES)
def test_punchline_trained_classifier_loads_in_peft_with_equal_logits(variant_name: str, tmp_path: Path) -> None:
    variant = next(v for v in VARIANTS if v.name == variant_name)
    base_dir, adapter_dir = tmp_path / "base", tmp_path / "adapter"
    save_model(variant, base_dir)
    ids, mask = batch(1)
    losses = punchline_train_classifier(base_dir, adapter_dir, ids, mask, [0, 2, 1, 2], tmp_path,
                                        targets=",".join(TARGETS[variant.arch]), num_labels=LABELS, rank=2, alpha=4,
                                        steps=6, lr=0.02, seed=3)
    assert losses[-1] < losses[0], f"training must lower the loss: {losses}"
    eval_ids, eval_mask = batch(2)
    ours = punchline_classify(base_dir, adapter_dir, eval_ids, eval_mask, LABELS, tmp_path)
    model = PeftModel.from_pretrained(classifier(base_dir), adapter_dir).eval()
    with torch.no_grad():
        reference = model(input_ids=eval_ids, attention_mask=eval_mask).logits
    error = relative_error(ours, reference)
    print(f"{variant_name}: Punchline-trained classifier, our logits vs PEFT's, max rel err {error:.2e}")
    assert error <= 1e-4


@pytest.mark.parametrize("variant_name", CASES)
def test_peft_trained_classifier_imports_with_equal_logits(variant_name: str, tmp_path: Path) -> None:
    variant = next(v for v in VARIANTS if v.name == variant_name)
    base_dir, adapter_dir = tmp_path / "base", tmp_path / "adapter"
    save_model(variant, base_dir)
    torch.manual_seed(4)
    lora = LoraConfig(task_type=TaskType.SEQ_CLS, r=2, lora_alpha=4, target_modules=TARGETS[variant.arch],
                      fan_in_fan_out=variant.arch == "gpt2")
    model = get_peft_model(classifier(base_dir), lora)
    model.train()
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=0.02)
    ids, mask = batch(5)
    labels = torch.tensor([1, 0, 2, 1])
    losses = []
    for _ in range(6):
        loss = model(input_ids=ids, attention_mask=mask, labels=labels).loss
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        losses.append(loss.item())
    assert losses[-1] < losses[0], f"training must lower the loss: {losses}"
    model.eval()
    model.save_pretrained(adapter_dir)
    eval_ids, eval_mask = batch(6)
    with torch.no_grad():
        reference = model(input_ids=eval_ids, attention_mask=eval_mask).logits
    ours = punchline_classify(base_dir, adapter_dir, eval_ids, eval_mask, LABELS, tmp_path)
    error = relative_error(ours, reference)
    print(f"{variant_name}: PEFT-trained classifier, our logits vs PEFT's, max rel err {error:.2e}")
    assert error <= 1e-4
