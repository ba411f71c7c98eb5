"""PEFT adapter format interop: PEFT 0.21.2 saves LoRA adapters for tiny random GPT-2 and Llama models (causal LM,
and sequence classification with a score head); our importer (tools/peft-dump.ts) must read them with the right
config, names, shapes and values, and the adapters it exports must load back into PEFT strictly (no missing or
unexpected keys) and give the same logits as the original PEFT model.

Logit equality against our own engine's forward lives with the engine parity tests (tests/python/test_engine_parity.py).
"""

from __future__ import annotations

import json
import logging
import subprocess
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
import torch
from peft import LoraConfig, PeftModel, TaskType, get_peft_model
from safetensors.torch import load_file
from transformers import (
    GPT2Config,
    GPT2ForSequenceClassification,
    GPT2LMHeadModel,
    LlamaConfig,
    LlamaForCausalLM,
    LlamaForSequenceClassification,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
HEAD_IN_FILE = "base_model.model.score.weight"


@dataclass(frozen=True)
class Case:
    name: str
    arch: str
    task: TaskType
    targets: tuple[str, ...]
    rank: int


LLAMA_LINEARS = ("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj")
CASES = [
    Case("llama-causal", "llama", TaskType.CAUSAL_LM, LLAMA_LINEARS, 4),
    Case("gpt2-causal", "gpt2", TaskType.CAUSAL_LM, ("c_attn", "c_proj", "c_fc"), 2),
    Case("llama-seqcls", "llama", TaskType.SEQ_CLS, ("q_proj", "v_proj"), 4),
    Case("gpt2-seqcls", "gpt2", TaskType.SEQ_CLS, ("c_attn",), 8),
]


def base_model(case: Case) -> torch.nn.Module:
    if case.arch == "gpt2":
        config = GPT2Config(vocab_size=60, n_embd=16, n_layer=2, n_head=2, n_positions=32, pad_token_id=0,
                            bos_token_id=1, eos_token_id=2, num_labels=3)
        cls = GPT2ForSequenceClassification if case.task == TaskType.SEQ_CLS else GPT2LMHeadModel
    else:
        config = LlamaConfig(vocab_size=60, hidden_size=16, intermediate_size=24, num_hidden_layers=2,
                             num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=32, pad_token_id=0,
                             bos_token_id=1, eos_token_id=2, num_labels=3)
        cls = LlamaForSequenceClassification if case.task == TaskType.SEQ_CLS else LlamaForCausalLM
    return cls(config).eval()


def randomize_lora(model: torch.nn.Module) -> None:
    """LoRA values large enough that the adapter clearly changes the outputs."""
    gen = torch.Generator().manual_seed(21)
    with torch.no_grad():
        for name, param in model.named_parameters():
            if "lora_" in name:
                param.copy_(0.3 * torch.randn(param.shape, generator=gen))


def run_dump(args: list[str]) -> dict:
    proc = subprocess.run(["npx", "tsx", "tools/peft-dump.ts", *args], cwd=REPO_ROOT, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def load_strict(base_dir: Path, adapter_dir: Path, case: Case, caplog: pytest.LogCaptureFixture) -> PeftModel:
    fresh = type(base_model(case)).from_pretrained(base_dir).eval()
    with warnings.catch_warnings(record=True) as caught, caplog.at_level(logging.WARNING):
        warnings.simplefilter("always")
        model = PeftModel.from_pretrained(fresh, adapter_dir).eval()
    messages = [str(w.message) for w in caught] + [r.getMessage() for r in caplog.records]
    key_problems = [m for m in messages if "missing" in m.lower() or "unexpected" in m.lower()]
    assert key_problems == [], key_problems
    return model


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_peft_adapter_round_trip(case: Case, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    torch.manual_seed(11)
    base = base_model(case)
    base_dir = tmp_path / "base"
    base.save_pretrained(base_dir)
    lora = LoraConfig(r=case.rank, lora_alpha=2 * case.rank, target_modules=list(case.targets), task_type=case.task,
                      fan_in_fan_out=case.arch == "gpt2")
    peft_model = get_peft_model(base, lora)
    with torch.no_grad():
        for name, param in peft_model.named_parameters():
            if "lora_B" in name or "modules_to_save" in name:
                param.copy_(torch.randn_like(param) * 0.2)
    peft_dir = tmp_path / "peft"
    peft_model.save_pretrained(peft_dir)
    saved = load_file(peft_dir / "adapter_model.safetensors")

    out_dir, out_zip, values = tmp_path / "ours", tmp_path / "ours.zip", tmp_path / "values.safetensors"
    summary = run_dump(["--base-config", str(base_dir / "config.json"), "--adapter", str(peft_dir),
                        "--export-dir", str(out_dir), "--export-zip", str(out_zip), "--values", str(values)])

    # Our importer: config, names, shapes, values.
    assert summary["config"]["taskType"] == case.task.value
    assert summary["config"]["rank"] == case.rank and summary["config"]["alpha"] == 2 * case.rank
    assert sorted(summary["config"]["targetModules"]) == sorted(case.targets)
    ours = load_file(values)
    in_file = {("score.weight" if k == HEAD_IN_FILE else k): v for k, v in saved.items()}
    assert sorted(ours) == sorted(in_file)
    assert {t["name"]: t["shape"] for t in summary["tensors"]} == {k: list(v.shape) for k, v in in_file.items()}
    for name, tensor in in_file.items():
        torch.testing.assert_close(ours[name], tensor.float(), rtol=0, atol=0)

    # Our export: the same keys PEFT writes, and it loads strictly (from the folder and from the zip).
    exported = load_file(out_dir / "adapter_model.safetensors")
    assert sorted(exported) == sorted(saved)
    unzipped = tmp_path / "unzipped"
    with zipfile.ZipFile(out_zip) as archive:
        assert sorted(archive.namelist()) == ["README.md", "adapter_config.json", "adapter_model.safetensors"]
        archive.extractall(unzipped)
    ids = torch.randint(3, 60, (2, 7), generator=torch.Generator().manual_seed(3))
    with torch.no_grad():
        expected = peft_model(input_ids=ids).logits
        for folder in (out_dir, unzipped):
            loaded = load_strict(base_dir, folder, case, caplog)
            torch.testing.assert_close(loaded(input_ids=ids).logits, expected, rtol=0, atol=0)


@pytest.mark.parametrize("variant_name", ["gpt2", "llama-gqa-tied"])
def test_exported_classifier_adapter_gives_engine_logits(variant_name: str, tmp_path: Path,
                                                         caplog: pytest.LogCaptureFixture) -> None:
    """PEFT SEQ_CLS adapter → our importer → our export; PEFT on our export and our engine on our in-memory
    adapter (tools/engine-dump.ts) must give the same logits (max relative error 1e-4)."""
    from transformers import AutoModelForSequenceClassification

    from tiny_models import PAD_ID, VARIANTS, relative_error, run_engine, save_model

    variant = next(v for v in VARIANTS if v.name == variant_name)
    targets = ["c_attn", "c_fc"] if variant.arch == "gpt2" else ["q_proj", "v_proj", "down_proj"]
    save_model(variant, tmp_path)
    model = AutoModelForSequenceClassification.from_pretrained(tmp_path, num_labels=3).eval()
    with torch.no_grad():
        model.score.weight.copy_(0.3 * torch.randn(model.score.weight.shape, generator=torch.Generator().manual_seed(5)))
    lora = LoraConfig(task_type=TaskType.SEQ_CLS, r=2, lora_alpha=4, target_modules=targets, init_lora_weights=False,
                      fan_in_fan_out=variant.arch == "gpt2")
    peft_dir, ours_dir, values = tmp_path / "peft", tmp_path / "ours", tmp_path / "values.safetensors"
    peft_model = get_peft_model(model, lora)
    randomize_lora(peft_model)
    peft_model.save_pretrained(peft_dir)
    run_dump(["--base-config", str(tmp_path / "config.json"), "--adapter", str(peft_dir), "--num-labels", "3",
              "--export-dir", str(ours_dir), "--values", str(values)])

    fresh = AutoModelForSequenceClassification.from_pretrained(tmp_path, num_labels=3).eval()
    with warnings.catch_warnings(record=True) as caught, caplog.at_level(logging.WARNING):
        warnings.simplefilter("always")
        loaded = PeftModel.from_pretrained(fresh, ours_dir).eval()
    assert [str(w.message) for w in caught if "missing" in str(w.message).lower()] == []
    ids = torch.randint(3, 90, (2, 6), generator=torch.Generator().manual_seed(9))
    mask = torch.ones_like(ids)
    ids[1, 4:] = PAD_ID
    mask[1, 4:] = 0
    with torch.no_grad():
        reference = loaded(input_ids=ids, attention_mask=mask).logits
    out = run_engine(
        {
            "model": str(tmp_path),
            "task": "classifier",
            "input_ids": ids.tolist(),
            "attention_mask": mask.tolist(),
            "lora": {"rank": 2, "alpha": 4, "targets": targets, "file": str(values)},
            "classifier": {"num_labels": 3, "head_file": str(values), "labels": [0, 2], "class_weights": None},
        },
        tmp_path,
    )
    error = relative_error(out["logits"], reference)
    print(f"{variant_name}: engine vs PEFT logits on our exported adapter, rel err {error:.2e}")
    assert error <= 1e-4


@pytest.mark.parametrize("variant_name", ["gpt2", "llama-gqa-untied"])
def test_exported_causal_adapter_gives_engine_loss(variant_name: str, tmp_path: Path) -> None:
    """The same for a CAUSAL_LM adapter, through the engine's LM loss (its decode graph takes no LoRA)."""
    from tiny_models import VARIANTS, run_engine, save_model

    variant = next(v for v in VARIANTS if v.name == variant_name)
    targets = ["c_attn", "c_proj", "c_fc"] if variant.arch == "gpt2" else ["q_proj", "k_proj", "o_proj", "up_proj"]
    model = save_model(variant, tmp_path)
    lora = LoraConfig(task_type=TaskType.CAUSAL_LM, r=4, lora_alpha=8, target_modules=targets, init_lora_weights=False,
                      fan_in_fan_out=variant.arch == "gpt2")
    peft_dir, ours_dir, values = tmp_path / "peft", tmp_path / "ours", tmp_path / "values.safetensors"
    ids = torch.randint(3, 90, (2, 8), generator=torch.Generator().manual_seed(4))
    with torch.no_grad():
        base_loss = model(input_ids=ids, labels=ids).loss.item()
    peft_model = get_peft_model(model, lora)
    randomize_lora(peft_model)
    peft_model.save_pretrained(peft_dir)
    run_dump(["--base-config", str(tmp_path / "config.json"), "--adapter", str(peft_dir),
              "--export-dir", str(ours_dir), "--values", str(values)])
    fresh = type(model).from_pretrained(tmp_path).eval()
    loaded = PeftModel.from_pretrained(fresh, ours_dir).eval()
    with torch.no_grad():
        reference = loaded(input_ids=ids, labels=ids).loss.item()
    assert abs(reference - base_loss) > 1e-3 * abs(base_loss), "the adapter must change the loss to mean anything"
    out = run_engine(
        {
            "model": str(tmp_path),
            "task": "lm_grad",
            "input_ids": ids.tolist(),
            "loss_mask": torch.ones_like(ids).tolist(),
            "lora": {"rank": 4, "alpha": 8, "targets": targets, "file": str(values)},
        },
        tmp_path,
    )
    error = abs(out["loss"].item() - reference) / abs(reference)
    print(f"{variant_name}: engine vs PEFT loss on our exported adapter, rel err {error:.2e}")
    assert error <= 1e-4
