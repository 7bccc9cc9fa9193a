"""The ONNX export of a model directory's transformer, and its int8 variant, made once and reused.

The export runs PyTorch's TorchScript-based exporter (``torch.onnx.export(..., dynamo=False)``; it
needs the ``onnx`` package, not ``onnxscript``) on the local weights: inputs ``input_ids``,
``attention_mask`` (and ``token_type_ids`` when the model takes them) with dynamic batch and sequence
axes, output ``last_hidden_state``. The int8 variant is ONNX Runtime's dynamic quantization of it.

Files live in ``<onnx_dir>/<key>/``, where the key names the model directory and its weights (path,
size, modification time) and this export's format, so changed weights get a new export. A new
export is written into a temporary directory and moved into place with one rename, the int8 file
likewise with one rename, and an exclusive lock on ``<onnx_dir>/.export.lock`` makes concurrent
processes (two gunicorn workers starting together) wait for one export instead of repeating it: a
crash or a race never leaves a half-written file where a reader looks. Only making an export
imports torch and transformers; finding an existing one costs a few stat calls.
"""
from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from .base import ModelNotFound
from .pipeline import read_pipeline

log = logging.getLogger("factlint")

EXPORT_FORMAT = 1  # bump when the exported graph changes, so old exports are not reused
ONNX_FILE = "model.onnx"
INT8_FILE = "model-int8.onnx"
OPSET = 17
WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin")


def export_dir(model_dir: Path, onnx_dir: Path) -> Path:
    """Where the exports of the model in ``model_dir`` live."""
    pipeline = read_pipeline(model_dir)
    ident = [str(Path(model_dir).resolve()), f"format {EXPORT_FORMAT}"]
    for name in WEIGHT_FILES:
        f = pipeline.transformer_dir / name
        if f.is_file():
            st = f.stat()
            ident.append(f"{name} {st.st_size} {st.st_mtime_ns}")
    return Path(onnx_dir) / hashlib.sha1("\n".join(ident).encode()).hexdigest()[:16]


@contextmanager
def _locked(onnx_dir: Path):
    try:
        onnx_dir.mkdir(parents=True, exist_ok=True)
        fh = open(onnx_dir / ".export.lock", "a+")
    except OSError as exc:
        raise ModelNotFound(f"cannot write the ONNX export to {onnx_dir}: {exc}") from exc
    with fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def ensure_export(model_dir: Path, onnx_dir: Path, int8: bool = False) -> Path:
    """The ONNX file of the model in ``model_dir`` (its int8 variant with ``int8``), exported or
    quantized first when it does not exist yet."""
    onnx_dir = Path(onnx_dir)
    out = export_dir(model_dir, onnx_dir)
    plain = out / ONNX_FILE
    if not plain.is_file():
        with _locked(onnx_dir):
            if not plain.is_file():  # another process may have made it while we waited
                _export(Path(model_dir), out)
    if not int8:
        return plain
    quant = out / INT8_FILE
    if not quant.is_file():
        with _locked(onnx_dir):
            if not quant.is_file():
                _quantize(plain, quant)
    return quant


def _export(model_dir: Path, out: Path) -> None:
    pipeline = read_pipeline(model_dir)
    log.info("exporting %s to ONNX in %s (once)", model_dir, out)
    try:
        import inspect

        import torch
        from transformers import AutoModel

        # eager attention: plain matmul + additive mask, which traces to a graph that honours the
        # attention mask for every batch shape (the SDPA path may specialise on the example input)
        model = AutoModel.from_pretrained(str(pipeline.transformer_dir), local_files_only=True,
                                          attn_implementation="eager").eval()
    except ImportError:
        raise
    except Exception as exc:  # missing or damaged weights: transformers and safetensors raise many types
        raise ModelNotFound(f"cannot load the weights in {pipeline.transformer_dir} to export them "
                            f"to ONNX: {exc}") from exc
    params = inspect.signature(model.forward).parameters
    names = ["input_ids", "attention_mask"] + (["token_type_ids"] if "token_type_ids" in params else [])

    class Transformer(torch.nn.Module):
        """The transformer with positional inputs and its token embeddings as the one output."""

        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, *inputs):
            return self.inner(**dict(zip(names, inputs)), return_dict=True).last_hidden_state

    # an example batch with padding, so the traced graph takes the masked path
    ids = torch.tensor([[101, 2023, 2003, 1037, 3231, 102], [101, 7592, 102, 0, 0, 0]], dtype=torch.long)
    ids = ids.clamp(max=int(getattr(model.config, "vocab_size", 30000)) - 1)
    mask = torch.tensor([[1, 1, 1, 1, 1, 1], [1, 1, 1, 0, 0, 0]], dtype=torch.long)
    example = {"input_ids": ids, "attention_mask": mask, "token_type_ids": torch.zeros_like(ids)}
    axes = {name: {0: "batch", 1: "sequence"} for name in names + ["last_hidden_state"]}
    # the TorchScript exporter: torch >= 2.9 defaults to the dynamo one, which needs onnxscript
    legacy = {"dynamo": False} if "dynamo" in inspect.signature(torch.onnx.export).parameters else {}
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".export-", dir=out.parent))
    try:
        os.chmod(tmp, 0o777 & ~_umask())  # mkdtemp's 0700 would hide the export from other users
        import warnings

        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # tracer warnings about Python-level branches
            torch.onnx.export(Transformer(model), tuple(example[n] for n in names), str(tmp / ONNX_FILE),
                              input_names=names, output_names=["last_hidden_state"],
                              dynamic_axes=axes, opset_version=OPSET, do_constant_folding=True,
                              **legacy)
        if out.exists():  # a directory without model.onnx (from an interrupted older layout)
            shutil.rmtree(out)
        os.replace(tmp, out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _attention_matmuls(model_file: Path) -> tuple[list[str], list[str]]:
    """The MatMul nodes of the graph with a constant square weight (the attention's query, key,
    value and output projections) and the other MatMuls (the feed-forward layers, attention scores)."""
    import onnx

    graph = onnx.load(str(model_file), load_external_data=False).graph
    shapes = {init.name: tuple(init.dims) for init in graph.initializer}
    square, other = [], []
    for node in graph.node:
        if node.op_type == "MatMul":
            dims = shapes.get(node.input[1], ())
            (square if len(dims) == 2 and dims[0] == dims[1] else other).append(node.name)
    return square, other


def _quantize(plain: Path, quant: Path) -> None:
    """ONNX Runtime's dynamic quantization: int8 weights (per output channel, unsigned, which avoids
    the AVX2 u8s8 saturation), activations quantized on the fly, for the attention projections only.
    The feed-forward layers stay float: with them quantized too the encoder was ~1.3x faster but
    sentence vectors moved to cosine 0.974 of torch's on BBC sentences, below the 0.99 we require.
    Written beside the export under a temporary name, then renamed."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    log.info("quantizing %s to int8 (once)", plain)
    square, other = _attention_matmuls(plain)
    if not square:
        raise ModelNotFound(f"{plain} has no attention projections to quantize; use backend = \"onnx\"")
    fd, tmp = tempfile.mkstemp(prefix=".quant-", suffix=".onnx", dir=plain.parent)
    os.close(fd)
    try:
        quantize_dynamic(str(plain), tmp, weight_type=QuantType.QUInt8, per_channel=True,
                         op_types_to_quantize=["MatMul"], nodes_to_exclude=other,
                         extra_options={"MatMulConstBOnly": True})
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, quant)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _umask() -> int:
    """The process's umask, read without changing it (os.umask would, for a moment, in every thread)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    return 0o022
