"""Merging: our merged model folder (W + alpha/r · B·A, transposed for GPT-2's Conv1D) loads in transformers as
an ordinary model and gives the logits of PEFT's merge_and_unload on the same adapter."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from adapter_tool import run_adapter_tool
from peft import LoraConfig, PeftModel, TaskType, get_peft_model
from tiny_models import VARIANTS, relative_error, save_model
from transformers import AutoModelForCausalLM

TARGETS = {"gpt2": ["c_attn", "c_proj", "c_fc"], "llama": ["q_proj", "k_proj", "v_proj", "o_proj", "down_proj"]}


@pytest.mark.parametrize("variant_name", ["gpt2", "llama-gqa-untied"])
def test_merged_model_loads_in_transformers_with_peft_logits(variant_name: str, tmp_path: Path) -> None:
    variant = next(v for v in VARIANTS if v.name == variant_name)
    base_dir, peft_dir, merged_dir = tmp_path / "base", tmp_path / "peft", tmp_path / "merged"
    model = save_model(variant, base_dir)
    lora = LoraConfig(task_type=TaskType.CAUSAL_LM, r=4, lora_alpha=8, target_modules=TARGETS[variant.arch],
                      init_lora_weights=False, fan_in_fan_out=variant.arch == "gpt2")
    peft_model = get_peft_model(model, lora)
    gen = torch.Generator().manual_seed(17)
    with torch.no_grad():
        for name, param in peft_model.named_parameters():
            if "lora_" in name:
                param.copy_(0.3 * torch.randn(param.shape, generator=gen))
    peft_model.save_pretrained(peft_dir)

    run_adapter_tool("merge", model=base_dir, adapter=peft_dir, out=merged_dir)

    ids = torch.randint(3, 90, (2, 9), generator=torch.Generator().manual_seed(8))
    base = AutoModelForCausalLM.from_pretrained(base_dir).eval()
    reference = PeftModel.from_pretrained(base, peft_dir).merge_and_unload().eval()
    ours = AutoModelForCausalLM.from_pretrained(merged_dir).eval()
    assert type(ours) is type(reference)
    with torch.no_grad():
        expected = reference(input_ids=ids).logits
        got = ours(input_ids=ids).logits
        unmerged = AutoModelForCausalLM.from_pretrained(base_dir).eval()(input_ids=ids).logits
    assert relative_error(unmerged, expected) > 1e-2, "the adapter must change the logits to mean anything"
    error = relative_error(got, expected)
    print(f"{variant_name}: merged model in transformers vs PEFT merge_and_unload, max rel err {error:.2e}")
    assert error <= 1e-4
