"""Scalar quantization of stored vectors: "none" (float32), "fp16" (2 bytes/dim) or "int8" (1 byte/dim)."""
from __future__ import annotations

import faiss

QUANTIZATIONS = ("none", "fp16", "int8")


def sq_type(quantization: str) -> int | None:
    """The FAISS ScalarQuantizer type for a setting, or None for plain float32."""
    if quantization == "none":
        return None
    if quantization == "fp16":
        return faiss.ScalarQuantizer.QT_fp16
    if quantization == "int8":
        return faiss.ScalarQuantizer.QT_8bit
    raise ValueError(f"unknown quantization {quantization!r}; choose one of: {', '.join(QUANTIZATIONS)}")
