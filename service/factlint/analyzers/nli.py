"""Optional NLI cross-encoder: the probability that the evidence contradicts the claim.

Off unless ``[nli] model`` names a local directory or a model already in the local Hugging Face
cache (nothing is downloaded). Unlike the rule analyzers it is not a pure function of two strings —
it needs a loaded model — so it is a small class; ``conflict`` turns its score into a Conflict over
the whole of both sentences, which joins the decision like any other finding.
"""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from ..models import Conflict

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


class NliUnavailable(RuntimeError):
    pass


class NliScorer:
    """A sentence-transformers CrossEncoder with a contradiction label, loaded offline."""

    def __init__(self, model: str, contradiction_label: int = 0, max_length: int = 256):
        from sentence_transformers import CrossEncoder

        path = str(Path(model).expanduser()) if Path(model).expanduser().is_dir() else model
        try:
            self.model = CrossEncoder(path, device="cpu", local_files_only=True, max_length=max_length)
        except (OSError, ValueError) as exc:
            raise NliUnavailable(f"cannot load NLI model {model!r} offline: {exc}") from exc
        labels = int(self.model.config.num_labels) if hasattr(self.model, "config") else 3
        if not 0 <= contradiction_label < labels:
            raise NliUnavailable(f"contradiction_label {contradiction_label} is not one of the model's {labels} labels")
        self.label = contradiction_label

    def contradiction(self, pairs: list[tuple[str, str]]) -> np.ndarray:
        """P(contradiction) for each (claim, evidence) pair, as the model's softmax over its labels.
        The evidence is the premise: the model sees (evidence, claim)."""
        if not pairs:
            return np.zeros(0, dtype=np.float32)
        logits = np.asarray(self.model.predict([(e, c) for c, e in pairs], convert_to_numpy=True,
                                               show_progress_bar=False, activation_fn=None), dtype=np.float64)
        if logits.ndim == 1:
            logits = logits[:, None]
        z = np.exp(logits - logits.max(axis=1, keepdims=True))
        return (z / z.sum(axis=1, keepdims=True))[:, self.label].astype(np.float32)


def conflict(claim: str, evidence: str, probability: float, min_probability: float) -> list[Conflict]:
    """A finding over both whole sentences when the model is at least ``min_probability`` sure."""
    if probability < min_probability:
        return []
    return [Conflict("nli", (0, len(claim)), (0, len(evidence)), claim, evidence, float(probability),
                     detail=f"NLI model: contradiction probability {probability:.2f}")]
