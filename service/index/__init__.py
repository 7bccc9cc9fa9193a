"""Vector index kinds behind one interface (see base.VectorIndex); ``make_index`` picks by config."""
from __future__ import annotations

from .base import VectorIndex
from .flat import FlatIndex

KINDS: dict[str, type[VectorIndex]] = {FlatIndex.kind: FlatIndex}


def index_class(kind: str, size: int = 0) -> type[VectorIndex]:
    """The class for a configured kind; "auto" chooses by corpus size (exact for now)."""
    if kind == "auto":
        return FlatIndex
    try:
        return KINDS[kind]
    except KeyError:
        raise ValueError(f"unknown index kind {kind!r}; choose one of: auto, {', '.join(KINDS)}") from None


__all__ = ["VectorIndex", "FlatIndex", "KINDS", "index_class"]
