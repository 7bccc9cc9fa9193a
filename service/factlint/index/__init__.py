"""Vector index kinds behind one interface (see base.VectorIndex), chosen by the [index] settings.

"flat" is exact search; "ivf" is approximate (inverted file, nprobe calibrated to a target recall);
"hnsw" is approximate (a graph, efSearch calibrated likewise; deletes excluded, then compacted);
"auto" is flat below ``auto_threshold`` sentences, ivf below ``hnsw_threshold`` and hnsw from there
on (ivf still, when the vectors are quantized: the hnsw index keeps float32). The thresholds were
chosen by `python -m bench.ann` (README "Performance")."""
from __future__ import annotations

from .base import VectorIndex
from .calibrate import recall_at_k
from .flat import FlatIndex
from .hnsw import HNSWIndex
from .ivf import IVFIndex
from .quant import QUANTIZATIONS

KINDS: dict[str, type[VectorIndex]] = {FlatIndex.kind: FlatIndex, IVFIndex.kind: IVFIndex,
                                       HNSWIndex.kind: HNSWIndex}
AUTO_THRESHOLD = 20_000
HNSW_THRESHOLD = 100_000


def index_class(kind: str, size: int = 0, threshold: int = AUTO_THRESHOLD,
                hnsw_threshold: int = HNSW_THRESHOLD, quantization: str = "none") -> type[VectorIndex]:
    """The class for a configured kind; "auto" chooses by corpus size."""
    if kind == "auto":
        if size < threshold:
            return FlatIndex
        return HNSWIndex if size >= hnsw_threshold and quantization == "none" else IVFIndex
    try:
        return KINDS[kind]
    except KeyError:
        raise ValueError(f"unknown index kind {kind!r}; choose one of: auto, {', '.join(KINDS)}") from None


def index_class_for(settings, size: int) -> type[VectorIndex]:
    """The class the [index] settings (an IndexSettings) choose for ``size`` sentences."""
    return index_class(settings.kind, size, settings.auto_threshold, settings.hnsw_threshold,
                       settings.quantization)


def new_index(settings, dim: int, size: int) -> VectorIndex:
    """An empty index of the kind ``settings`` (an IndexSettings) asks for, for ``size`` vectors."""
    return index_class_for(settings, size)(dim, quantization=settings.quantization, nlist=settings.nlist,
                                           nprobe=settings.nprobe, target_recall=settings.target_recall)


__all__ = ["VectorIndex", "FlatIndex", "IVFIndex", "HNSWIndex", "KINDS", "QUANTIZATIONS", "AUTO_THRESHOLD",
           "HNSW_THRESHOLD", "index_class", "index_class_for", "new_index", "recall_at_k"]
