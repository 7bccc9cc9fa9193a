"""Vector index kinds behind one interface (see base.VectorIndex), chosen by the [index] settings.

"flat" is exact search; "ivf" is approximate (inverted file, nprobe calibrated to a target recall);
"auto" is flat below ``auto_threshold`` sentences and ivf from there on."""
from __future__ import annotations

from .base import VectorIndex
from .flat import FlatIndex
from .ivf import IVFIndex, recall_at_k
from .quant import QUANTIZATIONS

KINDS: dict[str, type[VectorIndex]] = {FlatIndex.kind: FlatIndex, IVFIndex.kind: IVFIndex}
AUTO_THRESHOLD = 50_000


def index_class(kind: str, size: int = 0, threshold: int = AUTO_THRESHOLD) -> type[VectorIndex]:
    """The class for a configured kind; "auto" chooses by corpus size."""
    if kind == "auto":
        return IVFIndex if size >= threshold else FlatIndex
    try:
        return KINDS[kind]
    except KeyError:
        raise ValueError(f"unknown index kind {kind!r}; choose one of: auto, {', '.join(KINDS)}") from None


def new_index(settings, dim: int, size: int) -> VectorIndex:
    """An empty index of the kind ``settings`` (an IndexSettings) asks for, for ``size`` vectors."""
    cls = index_class(settings.kind, size, settings.auto_threshold)
    return cls(dim, quantization=settings.quantization, nlist=settings.nlist, nprobe=settings.nprobe,
               target_recall=settings.target_recall)


__all__ = ["VectorIndex", "FlatIndex", "IVFIndex", "KINDS", "QUANTIZATIONS", "AUTO_THRESHOLD",
           "index_class", "new_index", "recall_at_k"]
