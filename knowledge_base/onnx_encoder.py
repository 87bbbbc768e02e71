"""The sentence encoder on ONNX Runtime, mostly int8: the same model, 60% of the CPU.

Why not sentence-transformers' own `backend="onnx"`: it loads through
`optimum`, whose only release here pins transformers < 4.58, and the
converted model folder needs transformers 5. So the transformer is exported
with `torch.onnx` into the model folder's `onnx/` subfolder and quantised
with ONNX Runtime's own tool; pooling and normalisation are the folder's own
modules (mean of the token vectors, then unit length), applied in numpy.

The quantisation is dynamic int8 with per-channel weights, except for each
layer's feed-forward output projection: its input, after the GELU, carries the
outlier activations that one 8-bit scale per tensor clips (a known trait of
BERT-type encoders). All int8: 4.8 ms of CPU per question but 2 points of
accuracy@1 lost on the held-out set; these 12 layers in fp32: 8.1 ms and
the accuracy of the fp32 model within one question; fp32: 13.1 ms
(docs/performance.md).
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

FP32_FILE = "model.onnx"
# int8 with u8 x s8 products, which need VNNI instructions to be exact: without
# them the CPU saturates intermediate sums. "ffn-out-fp32": see above.
INT8_FILE = "model_qint8_ffn_out_fp32.onnx"
FFN_OUTPUT_MATMUL = re.compile(r"/layer\.\d+/output/dense/MatMul$")
BACKENDS = ("torch", "onnx", "onnx-int8")


def has_vnni(cpuinfo: str | None = None) -> bool:
    """Whether this CPU multiplies int8 exactly (AVX-512 VNNI or AVX-VNNI).

    cpuinfo: the text of /proc/cpuinfo (read when None; a missing file means no).
    """
    if cpuinfo is None:
        try:
            cpuinfo = Path("/proc/cpuinfo").read_text(encoding="ascii", errors="ignore")
        except OSError:
            return False
    return " avx512_vnni" in cpuinfo or " avx_vnni" in cpuinfo


def effective_backend(backend: str, vnni: bool | None = None) -> str:
    """The backend that will really run: int8 falls back to fp32 ONNX without VNNI.

    vnni: whether the CPU has VNNI (`has_vnni()` when None).
    Raises ValueError for a backend not in BACKENDS.
    """
    if backend not in BACKENDS:
        raise ValueError(f"embedding backend must be one of {', '.join(BACKENDS)}, not {backend!r}")
    if backend == "onnx-int8" and not (has_vnni() if vnni is None else vnni):
        return "onnx"
    return backend


def ensure_onnx_files(model_path: str, quantized: bool, export_dir: Path) -> Path:
    """The ONNX file of the model's transformer, exported (and quantised) once."""
    onnx_dir = export_dir / "onnx"
    fp32 = onnx_dir / FP32_FILE
    if not fp32.is_file():
        _write_atomically(fp32, lambda tmp: _export(model_path, tmp))
    if not quantized:
        return fp32
    int8 = onnx_dir / INT8_FILE
    if not int8.is_file():
        _write_atomically(int8, lambda tmp: _quantize(fp32, tmp))
    return int8


def _write_atomically(target: Path, write) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".onnx-", dir=target.parent) as tmp:
        partial = Path(tmp) / target.name
        write(partial)
        os.replace(partial, target)


def _export(model_path: str, out: Path) -> None:
    import torch
    from sentence_transformers import SentenceTransformer

    transformer = SentenceTransformer(model_path, device="cpu")[0].auto_model.eval()

    class LastHiddenState(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.transformer = transformer

        def forward(self, input_ids, attention_mask):
            return self.transformer(input_ids=input_ids, attention_mask=attention_mask)[0]

    example = torch.ones((2, 8), dtype=torch.long)
    axes = {0: "batch", 1: "tokens"}
    with torch.no_grad():
        torch.onnx.export(
            LastHiddenState(),
            (example, example),
            str(out),
            input_names=["input_ids", "attention_mask"],
            output_names=["last_hidden_state"],
            dynamic_axes={
                "input_ids": axes,
                "attention_mask": axes,
                "last_hidden_state": axes,
            },
            opset_version=17,
            dynamo=False,
        )


def _quantize(fp32: Path, out: Path) -> None:
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    graph = onnx.load(str(fp32), load_external_data=False).graph
    keep_fp32 = [node.name for node in graph.node if FFN_OUTPUT_MATMUL.search(node.name)]
    if not keep_fp32:
        raise RuntimeError(f"{fp32}: no feed-forward output projections found to keep in fp32")
    quantize_dynamic(
        str(fp32),
        str(out),
        weight_type=QuantType.QInt8,
        per_channel=True,
        nodes_to_exclude=keep_fp32,
    )


class OnnxEncoder:
    """Tokenizer -> ONNX transformer -> mean pooling -> unit vectors."""

    def __init__(self, model_path: str, onnx_file: Path, threads: int):
        import onnxruntime
        from transformers import AutoTokenizer

        _require_mean_pooling(Path(model_path))
        self.tokenizer = AutoTokenizer.from_pretrained(model_path)
        # A fast tokenizer sets its truncation state per call: one caller at a
        # time ("Already borrowed" otherwise); the session itself is thread-safe.
        self._tokenizer_lock = threading.Lock()
        self.max_tokens = _max_seq_length(Path(model_path))
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        self.session = onnxruntime.InferenceSession(
            str(onnx_file), options, providers=["CPUExecutionProvider"]
        )
        self.dimension = int(self.session.get_outputs()[0].shape[-1])

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        # One text at a time: int8 activations are scaled per call, so a text
        # encoded beside others (and their padding) would get a slightly
        # different vector, and an answer could depend on who else asked at
        # that moment. Alone is also the cheapest: no padding to compute.
        vectors = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            vectors[row] = self._encode_one(text)
        return vectors

    def _encode_one(self, text: str) -> np.ndarray:
        with self._tokenizer_lock:
            tokens = self.tokenizer(
                text, truncation=True, max_length=self.max_tokens, return_tensors="np"
            )
        (hidden,) = self.session.run(
            None,
            {
                "input_ids": tokens["input_ids"].astype(np.int64),
                "attention_mask": tokens["attention_mask"].astype(np.int64),
            },
        )
        mean = hidden[0].mean(axis=0)
        return mean / max(float(np.linalg.norm(mean)), 1e-12)


def _require_mean_pooling(folder: Path) -> None:
    pooling = folder / "1_Pooling" / "config.json"
    config = json.loads(pooling.read_text()) if pooling.is_file() else {}
    # sentence-transformers 6 writes "pooling_mode"; older versions one flag per mode.
    if config.get("pooling_mode") != "mean" and not config.get("pooling_mode_mean_tokens"):
        raise ValueError(
            f"{folder}: the ONNX backend handles mean-pooling models only; "
            "set embedding.backend: torch"
        )


def _max_seq_length(folder: Path) -> int:
    config = folder / "sentence_bert_config.json"
    if config.is_file():
        return int(json.loads(config.read_text()).get("max_seq_length") or 512)
    return 512
