"""The "continue on a GPU cluster" bundle: train_lora.py runs under `accelerate launch --cpu` for a few updates on a
tiny random Llama with Punchline's tokenizer, and the adapter it writes imports into Punchline (validated against
the base) with the logits PEFT gives."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import torch
from adapter_tool import REPO_ROOT, punchline_logits, run_adapter_tool
from peft import PeftModel
from safetensors.torch import load_file
from tiny_models import relative_error
from transformers import AutoModelForCausalLM, AutoTokenizer, LlamaConfig, LlamaForCausalLM

TOKENIZER_DIR = REPO_ROOT / "public" / "models" / "punchline-tiny"
JOKES = [
    ("I told my cat a joke about dogs. He did not find it a-mews-ing.", "<|en|>", "<|funny|>"),
    ("Why do programmers prefer dark mode? Because light attracts bugs.", "<|en|>", "<|funny|>"),
    ("The meeting has been moved to Tuesday.", "<|en|>", "<|not_funny|>"),
    ("I would tell you a UDP joke, but you might not get it.", "<|en|>", "<|funny|>"),
    ("程序员为什么分不清万圣节和圣诞节？因为 Oct 31 等于 Dec 25。", "<|zh|>", "<|funny|>"),
    ("Parallel lines have so much in common. It is a shame they will never meet.", "<|en|>", "<|funny|>"),
    ("The report is due at five.", "<|en|>", "<|not_funny|>"),
    ("我的闹钟很懂我，它总是在我最困的时候叫醒我。", "<|zh|>", "<|funny|>"),
]


def save_base(folder: Path) -> None:
    tokenizer = AutoTokenizer.from_pretrained(TOKENIZER_DIR)
    config = LlamaConfig(vocab_size=len(tokenizer), hidden_size=32, intermediate_size=48, num_hidden_layers=2,
                         num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=64,
                         tie_word_embeddings=True, bos_token_id=0, eos_token_id=0, pad_token_id=0)
    torch.manual_seed(0)
    LlamaForCausalLM(config).save_pretrained(folder, safe_serialization=True)
    for name in ("tokenizer.json", "tokenizer_config.json"):
        shutil.copy(TOKENIZER_DIR / name, folder / name)


def handoff_request() -> dict:
    examples = [{"text": text, "languageTag": tag, "control": control, "split": "validation" if i % 4 == 3 else "train"}
                for i, (text, tag, control) in enumerate(JOKES)]
    return {
        "jobName": "ci-handoff", "arch": "llama",
        "baseModel": {"name": "tiny-random", "contentHash": "sha256:ci"},
        "dataset": {"versionId": "v1", "name": "ci jokes", "rows": len(JOKES)},
        "examples": examples,
        "lora": {"rank": 4, "alpha": 8, "dropout": 0.0, "targets": ["q", "v", "down"]},
        "training": {"learningRate": 0.01, "warmupSteps": 1, "schedule": "cosine", "steps": 0, "epochs": 2,
                     "batchSize": 2, "gradientAccumulation": 2, "maxSeqLength": 16, "seed": 7, "weightDecay": 0.0,
                     "maxGradNorm": 1.0, "maxValidationItems": 8},
        "endToken": "<|endofjoke|>",
    }


def test_generated_script_trains_on_cpu_and_its_adapter_imports(tmp_path: Path) -> None:
    base_dir, bundle_dir, out_dir = tmp_path / "base", tmp_path / "bundle", tmp_path / "adapter"
    save_base(base_dir)
    request_path, zip_path = tmp_path / "request.json", tmp_path / "bundle.zip"
    request_path.write_text(json.dumps(handoff_request()))
    run_adapter_tool("handoff", request=request_path, out=zip_path)
    with zipfile.ZipFile(zip_path) as archive:
        assert sorted(archive.namelist()) == ["README.md", "adapter_config.json", "data/train.jsonl",
                                              "data/validation.jsonl", "train_lora.py", "training.json"]
        archive.extractall(bundle_dir)
    assert len((bundle_dir / "data" / "train.jsonl").read_text().splitlines()) == 6
    assert "accelerate launch --cpu" in (bundle_dir / "README.md").read_text()

    accelerate = [sys.executable, "-m", "accelerate.commands.launch", "--cpu", "--num_processes", "1",
                  "--num_machines", "1", "--mixed_precision", "no", "--dynamo_backend", "no"]
    proc = subprocess.run([*accelerate, str(bundle_dir / "train_lora.py"), "--base-model", str(base_dir),
                           "--output", str(out_dir), "--max-steps", "3"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "step 3/3" in proc.stdout
    result = json.loads((out_dir / "training_result.json").read_text())
    assert result["steps"] == 3 and result["train_loss"] > 0
    config = json.loads((out_dir / "adapter_config.json").read_text())
    assert sorted(config["target_modules"]) == ["down_proj", "q_proj", "v_proj"]
    assert config["r"] == 4 and config["lora_alpha"] == 8
    trained_b = [t for name, t in load_file(str(out_dir / "adapter_model.safetensors")).items() if "lora_B" in name]
    assert trained_b and all(t.abs().max() > 0 for t in trained_b), "three updates must move every lora_B off zero"

    ids = torch.tensor([[1, 3, 100, 200, 300, 400, 0], [2, 4, 500, 600, 700, 800, 0]])
    peft_model = PeftModel.from_pretrained(AutoModelForCausalLM.from_pretrained(base_dir), out_dir).eval()
    with torch.no_grad():
        reference = peft_model(input_ids=ids).logits
    ours = punchline_logits(base_dir, out_dir, ids, tmp_path)
    error = relative_error(ours, reference)
    print(f"handoff adapter imported into Punchline: logits vs PEFT max rel err {error:.2e}")
    assert error <= 1e-4
