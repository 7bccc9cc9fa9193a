"""The engines behind ``Embedder``: one module per backend behind the ``Encoder`` interface.

- "torch" (``torch_st``): sentence-transformers on PyTorch.
- "onnx" (``onnx_runtime``): ONNX Runtime on a local export of the same weights (``onnx_export``),
  with the model directory's own tokenizer (``tokenizers``) and pooling (``pipeline``).
- "onnx-int8": that export with its weights dynamically quantized to int8.

Nothing here imports torch, transformers or sentence-transformers at import time: the ONNX
backends load neither once their export exists, so a cold process starts fast.
"""
from __future__ import annotations

from pathlib import Path

from .base import Encoder, ModelNotFound, RuntimeOptions

BACKENDS = ("torch", "onnx", "onnx-int8")

__all__ = ["BACKENDS", "Encoder", "ModelNotFound", "RuntimeOptions", "open_encoder", "prepare"]


def _check(backend: str) -> None:
    if backend not in BACKENDS:
        raise ValueError(f"unknown model backend {backend!r}; choose one of: {', '.join(BACKENDS)}")


def prepare(backend: str, model_path: str, onnx_dir: Path) -> Path | None:
    """Make sure what ``backend`` needs on disk exists (the ONNX export, its int8 variant), without
    loading the model for inference. Returns the ONNX file, or None for torch."""
    _check(backend)
    if backend == "torch":
        return None
    from .onnx_export import ensure_export
    from .pipeline import model_dir

    return ensure_export(model_dir(model_path), onnx_dir, int8=backend == "onnx-int8")


def open_encoder(backend: str, model_path: str, *, batch_size: int = 64, threads: int = 0,
                 onnx_dir: Path, runtime: RuntimeOptions = RuntimeOptions()) -> Encoder:
    """The encoder for ``backend`` over the model at ``model_path`` (a directory or a model name in
    the local Hugging Face cache). Raises ModelNotFound when it cannot be loaded offline."""
    _check(backend)
    if backend == "torch":
        from .torch_st import TorchEncoder

        return TorchEncoder(model_path, batch_size=batch_size, threads=threads)
    from .onnx_runtime import OnnxEncoder
    from .pipeline import model_dir, read_pipeline

    where = model_dir(model_path)
    pipeline = read_pipeline(where)  # refuse an unsupported model before exporting it
    onnx_file = prepare(backend, model_path, onnx_dir)
    return OnnxEncoder(onnx_file, pipeline, batch_size=batch_size, threads=threads, runtime=runtime)
