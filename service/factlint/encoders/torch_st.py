"""The "torch" backend: sentence-transformers on PyTorch (imported only when this backend is used)."""
from __future__ import annotations

import numpy as np

from .base import ModelNotFound


class TorchEncoder:
    def __init__(self, model_path: str, batch_size: int = 64, threads: int = 0):
        import torch
        from sentence_transformers import SentenceTransformer

        if threads > 0:
            torch.set_num_threads(threads)
        try:
            self.model = SentenceTransformer(model_path, device="cpu", local_files_only=True)
        except OSError as exc:
            raise ModelNotFound(f"cannot load embedding model {model_path!r} offline: {exc}") from exc
        self.batch_size = batch_size
        self.dim = int(self.model.get_embedding_dimension()
                       if hasattr(self.model, "get_embedding_dimension")
                       else self.model.get_sentence_embedding_dimension())

    def encode(self, texts: list[str]) -> np.ndarray:
        """sentence-transformers sorts the texts by length, batches them in that order (little
        padding) and restores the input order."""
        vecs = self.model.encode(list(texts), batch_size=self.batch_size, normalize_embeddings=True,
                                 convert_to_numpy=True, show_progress_bar=False)
        return np.ascontiguousarray(vecs, dtype=np.float32)
