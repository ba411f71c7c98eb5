"""Trains the punchline-tiny byte-level BPE tokenizer on the prepared mix and measures it.

    python3 tools/train-tokenizer.py [--data runs/data] [--vocab 12000] [--out public/models/punchline-tiny]
    python3 tools/train-tokenizer.py --sweep 8000,12000,16000   # measure only, write nothing

Reads runs/data/train.jsonl and validation.jsonl (written by tools/prepare-data.ts). Writes tokenizer.json,
tokenizer_config.json and runs/tokenizer/report.json. Common Chinese characters are guaranteed to be single
tokens: after training, any of the most frequent characters that BPE left in pieces gets merges appended.
"""

import argparse
import collections
import json
import os
import re
import time

from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

# Same order as SPECIAL_TOKENS in src/tokenizer/special-tokens.ts (ids 0..12).
SPECIAL_TOKENS = ["<|endofjoke|>", "<|en|>", "<|zh|>", "<|funny|>", "<|not_funny|>"] + [
    f"<|style_{index}|>" for index in range(8)
]
END_OF_JOKE = SPECIAL_TOKENS[0]
COVERED_CHINESE_CHARACTERS = 3000
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def read_jsonl(path):
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def byte_to_unicode():
    """The GPT-2 byte-to-printable-character table that the ByteLevel pre-tokenizer uses."""
    printable = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    table, extra = {}, 0
    for byte in range(256):
        if byte in printable:
            table[byte] = chr(byte)
        else:
            table[byte] = chr(256 + extra)
            extra += 1
    return table


def train(texts, vocab_size):
    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        min_frequency=2,
        special_tokens=SPECIAL_TOKENS,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tokenizer.train_from_iterator(texts, trainer=trainer)
    return tokenizer


def frequent_chinese(texts, count):
    counter = collections.Counter(char for text in texts for char in HAN.findall(text))
    return [char for char, _ in counter.most_common(count)]


def bpe_pieces(char, ranks, table):
    """Applies the merges (lowest rank first) to one character's byte symbols, as BPE does."""
    pieces = [table[byte] for byte in char.encode("utf-8")]
    while len(pieces) > 1:
        candidates = [(ranks.get((pieces[i], pieces[i + 1])), i) for i in range(len(pieces) - 1)]
        candidates = [(rank, i) for rank, i in candidates if rank is not None]
        if not candidates:
            break
        _, i = min(candidates)
        pieces[i : i + 2] = [pieces[i] + pieces[i + 1]]
    return pieces


def seed_chinese_merges(tokenizer, characters):
    """Appends merges so each character encodes to one token; returns the characters that needed them."""
    state = json.loads(tokenizer.to_str())
    model = state["model"]
    vocab, merges = model["vocab"], model["merges"]
    ranks = {tuple(pair): rank for rank, pair in enumerate(merges)}
    table = byte_to_unicode()
    seeded = []
    for char in characters:
        pieces = bpe_pieces(char, ranks, table)
        if len(pieces) == 1:
            continue
        seeded.append(char)
        while len(pieces) > 1:
            left, right = pieces[0], pieces[1]
            ranks[(left, right)] = len(merges)
            merges.append([left, right])
            if left + right not in vocab:
                vocab[left + right] = max(vocab.values()) + 1
            pieces[0:2] = [left + right]
    return Tokenizer.from_str(json.dumps(state)), seeded


def measure(tokenizer, rows, characters):
    result = {}
    for language in ("en", "zh"):
        texts = [row["text"] for row in rows if row["language"] == language]
        encodings = tokenizer.encode_batch(texts)
        tokens = sum(len(encoding.ids) for encoding in encodings)
        chars = sum(len(text) for text in texts)
        words = sum(len(text.split()) for text in texts)
        entry = {"rows": len(texts), "tokens": tokens, "characters": chars, "tokensPerCharacter": round(tokens / chars, 4)}
        if language == "en":
            entry["words"] = words
            entry["tokensPerWord"] = round(tokens / words, 4)
        else:
            han = sum(len(HAN.findall(text)) for text in texts)
            split = 0
            for encoding, text in zip(encodings, texts):
                # A Han character is split when a token boundary falls inside its UTF-8 bytes.
                boundaries = set()
                position = 0
                for token in encoding.tokens:
                    position += len(token)
                    boundaries.add(position)
                offset = 0
                for char in text:
                    width = len(char.encode("utf-8"))
                    if HAN.match(char) and any(offset + cut in boundaries for cut in range(1, width)):
                        split += 1
                    offset += width
            entry["hanCharacters"] = han
            entry["hanCharactersSplitAcrossTokens"] = split
        result[language] = entry
    single = [char for char in characters if len(tokenizer.encode(char).ids) == 1]
    result["chineseCoverage"] = {
        "mostFrequentCharacters": len(characters),
        "singleToken": len(single),
        "top1000SingleToken": sum(1 for char in characters[:1000] if char in set(single)),
    }
    return result


# Strings written for the JS/Python parity test (tests/unit/tokenizer/parity.test.ts); no corpus text.
PARITY_STRINGS = [
    "Why did the scarecrow win an award? Because he was outstanding in his field.",
    "I'm reading a book about anti-gravity. It's impossible to put down!",
    "  leading spaces, trailing spaces   \n\nand blank lines\n",
    "Tabs\tand\r\nWindows line ends; numbers 3.14159, 1,000,000 and 2026-12-03.",
    "They'll say we've done it, you'd think he's sure I'm right.",
    "老师问小明：你为什么上课睡觉？小明说：因为我在梦里学习。",
    "甲：你结婚了吗？乙：连对象还没有呢。",
    "老師：「小新，你怎麼偷同學的橡皮擦？」",
    "我今天很开心 because the joke was funny 😂👍🏽",
    "Emoji family 👨‍👩‍👧‍👦, flags 🇨🇳🇬🇧, and a rare character 𠀋.",
    "<|en|><|funny|>Knock knock.<|endofjoke|>",
    "<|zh|><|not_funny|>今天天气很好。<|endofjoke|><|style_3|>",
    "Ünïcödé àccents, ß, Ελληνικά, русский, العربية, हिन्दी",
    "",
    " ",
]


def write_parity_fixture(tokenizer, path):
    cases = [{"text": text, "ids": tokenizer.encode(text).ids} for text in PARITY_STRINGS]
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(cases, handle, ensure_ascii=False, indent=1)
        handle.write("\n")


def write_config(out):
    config = {
        "tokenizer_class": "PreTrainedTokenizerFast",
        "bos_token": END_OF_JOKE,
        "eos_token": END_OF_JOKE,
        "pad_token": END_OF_JOKE,
        "unk_token": None,
        "add_bos_token": False,
        "add_eos_token": False,
        "clean_up_tokenization_spaces": False,
        "model_max_length": 256,
        "additional_special_tokens": SPECIAL_TOKENS[1:],
        "punchline": {
            "language_tags": {"en": "<|en|>", "zh": "<|zh|>"},
            "control_codes": {"funny": "<|funny|>", "not_funny": "<|not_funny|>"},
            "style_slots": SPECIAL_TOKENS[5:],
            "sequence_format": "<|en|> or <|zh|>, then <|funny|> or <|not_funny|>, then the joke, then <|endofjoke|>",
        },
    }
    with open(os.path.join(out, "tokenizer_config.json"), "w", encoding="utf-8") as handle:
        json.dump(config, handle, ensure_ascii=False, indent=2)
        handle.write("\n")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default="runs/data")
    parser.add_argument("--vocab", type=int, default=12000)
    parser.add_argument("--out", default="public/models/punchline-tiny")
    parser.add_argument("--report", default="runs/tokenizer/report.json")
    parser.add_argument("--sweep", default="")
    parser.add_argument("--parity-fixture", default="tests/fixtures/tokenizer/python-encodings.json")
    args = parser.parse_args()

    train_rows = read_jsonl(os.path.join(args.data, "train.jsonl"))
    validation_rows = read_jsonl(os.path.join(args.data, "validation.jsonl"))
    # train.jsonl repeats rows to balance languages; the vocabulary is learnt from each text once.
    texts = list(dict.fromkeys(row["text"] for row in train_rows))
    characters = frequent_chinese(texts, COVERED_CHINESE_CHARACTERS)

    sizes = [int(size) for size in args.sweep.split(",")] if args.sweep else [args.vocab]
    reports = []
    for size in sizes:
        started = time.time()
        tokenizer = train(texts, size)
        trained_seconds = time.time() - started
        before = measure(tokenizer, validation_rows, characters)["chineseCoverage"]
        tokenizer, seeded = seed_chinese_merges(tokenizer, characters)
        report = {
            "vocabSize": tokenizer.get_vocab_size(),
            "requestedVocabSize": size,
            "trainSeconds": round(trained_seconds, 1),
            "trainRows": len(texts),
            "coverageBeforeSeeding": before,
            "seededCharacters": len(seeded),
            "validation": measure(tokenizer, validation_rows, characters),
        }
        reports.append(report)
        print(json.dumps(report, ensure_ascii=False))
    if args.sweep:
        return
    os.makedirs(args.out, exist_ok=True)
    tokenizer.save(os.path.join(args.out, "tokenizer.json"))
    write_config(args.out)
    write_parity_fixture(tokenizer, args.parity_fixture)
    os.makedirs(os.path.dirname(args.report), exist_ok=True)
    with open(args.report, "w", encoding="utf-8") as handle:
        json.dump(reports[0], handle, ensure_ascii=False, indent=2)


if __name__ == "__main__":
    main()
