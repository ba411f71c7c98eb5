"""SmolLM2-135M-Instruct converted by us (public/models/smollm2-135m-instruct, from `npm run models:smollm2`):
"Tell me a joke about cats." through the chat template with greedy decoding gives the same first 20 tokens in
our engine on onnxruntime-node (tools/models-chat.ts) as in PyTorch + transformers on the same weights, and as
llama.cpp on the Q4_1 GGUF itself (tests/fixtures/models/smollm2-greedy-llama-cpp.json, written by
tools/llama-cpp-greedy.ts; its `command` field). Skipped when the git-ignored model folder is absent.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
MODEL_DIR = REPO_ROOT / "public" / "models" / "smollm2-135m-instruct"
LLAMA_CPP_FIXTURE = REPO_ROOT / "tests" / "fixtures" / "models" / "smollm2-greedy-llama-cpp.json"
PROMPT = "Tell me a joke about cats."
NEW_TOKENS = 20
pytestmark = pytest.mark.skipif(
    not (MODEL_DIR / "model.safetensors").is_file(), reason=f"{MODEL_DIR} is absent; run `npm run models:smollm2`"
)


def transformers_greedy() -> tuple[list[int], list[int], str]:
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    torch.set_num_threads(1)
    tokenizer = AutoTokenizer.from_pretrained(MODEL_DIR)
    text = tokenizer.apply_chat_template([{"role": "user", "content": PROMPT}], add_generation_prompt=True, tokenize=False)
    prompt_ids = tokenizer.encode(text, add_special_tokens=False)
    model = AutoModelForCausalLM.from_pretrained(MODEL_DIR, dtype=torch.float32)
    with torch.no_grad():
        out = model.generate(torch.tensor([prompt_ids]), max_new_tokens=NEW_TOKENS, do_sample=False)
    ids = out[0, len(prompt_ids) :].tolist()
    return prompt_ids, ids, tokenizer.decode(ids, skip_special_tokens=True)


@pytest.fixture(scope="module")
def ours() -> dict:
    cmd = ["npx", "tsx", "tools/models-chat.ts", "--model", str(MODEL_DIR), "--prompt", PROMPT,
           "--max-new-tokens", str(NEW_TOKENS)]
    proc = subprocess.run(cmd, cwd=REPO_ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_first_20_greedy_tokens_match_transformers(ours: dict) -> None:
    prompt_ids, ids, text = transformers_greedy()
    assert ours["promptIds"] == prompt_ids
    assert len(ids) == NEW_TOKENS  # no EOS within 20 tokens, so all 20 are compared
    assert ours["ids"] == ids
    assert ours["text"] == text


def test_first_20_greedy_tokens_match_llama_cpp(ours: dict) -> None:
    llama_cpp = json.loads(LLAMA_CPP_FIXTURE.read_text())
    assert ours["promptIds"] == llama_cpp["promptIds"]
    assert len(llama_cpp["ids"]) == NEW_TOKENS
    assert ours["ids"] == llama_cpp["ids"]
    assert ours["text"] == llama_cpp["text"]
