"""Vector index kinds behind one interface (see base.VectorIndex), chosen by the [index] settings.

"flat" is exact search; "ivf" is approximate (inverted file, nprobe calibrated to a target recall);
"hnsw" is approximate (a graph, efSearch calibrated likewise; deletes excluded until a rebuild);
"auto" is flat below ``auto_threshold`` sentences, ivf below ``hnsw_threshold`` and hnsw from there
on (ivf still, when the vectors are quantized: the hnsw index keeps float32). The thresholds were
chosen by `python -m bench.ann` (README "Performance").

An index says when it should be rebuilt (``rebuild_reason``); the workspace does it, in the
background."""
from __future__ import annotations

import json
from pathlib import Path

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
# A served index gives way to the kind "auto" chooses for a smaller corpus only once the corpus is
# this much below the threshold (deletes around a threshold do not rebuild the index back and forth).
HYSTERESIS = 0.9


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


def index_class_for(settings, size: int, serving: str = "") -> type[VectorIndex]:
    """The class the [index] settings (an IndexSettings) choose for ``size`` sentences; the kind
    ``serving`` is kept while the corpus is within HYSTERESIS of the size that chose it."""
    def choose(n: int) -> type[VectorIndex]:
        return index_class(settings.kind, n, settings.auto_threshold, settings.hnsw_threshold, settings.quantization)

    cls = choose(size)
    return KINDS[serving] if serving != cls.kind and serving == choose(int(size / HYSTERESIS)).kind else cls


def new_index(settings, dim: int, size: int, serving: str = "") -> VectorIndex:
    """An empty index of the kind ``settings`` (an IndexSettings) asks for, for ``size`` vectors
    (``serving``: as ``index_class_for``)."""
    return index_class_for(settings, size, serving)(dim, quantization=settings.quantization, nlist=settings.nlist,
                                           nprobe=settings.nprobe, target_recall=settings.target_recall)


def rebuild_reason(index: VectorIndex, settings) -> str:
    """Why the served ``index`` should be rebuilt under ``settings`` ("" when it should not): the
    settings choose another kind for its size, or another quantization, or the index says so."""
    want = index_class_for(settings, len(index), index.kind).kind
    if want != index.kind:
        return f"the settings choose a {want} index for {len(index)} sentences, this one is {index.kind}"
    quantization = index.params().get("quantization", "none")
    if quantization != settings.quantization:
        return f"it is quantized {quantization!r}, the settings ask for {settings.quantization!r}"
    return index.rebuild_reason(len(index))


def load_index(path: str | Path, mmap: bool = False) -> tuple[VectorIndex, dict]:
    """Read an index file of whichever kind its metadata names (``VectorIndex.load``)."""
    kind = json.loads(Path(path).with_suffix(".json").read_text()).get("kind")
    if kind not in KINDS:
        raise ValueError(f"index file of unknown kind {kind!r}")
    return KINDS[kind].load(path, mmap=mmap)


__all__ = ["VectorIndex", "FlatIndex", "IVFIndex", "HNSWIndex", "KINDS", "QUANTIZATIONS", "AUTO_THRESHOLD",
           "HNSW_THRESHOLD", "index_class", "index_class_for", "load_index", "new_index", "rebuild_reason",
           "recall_at_k"]
