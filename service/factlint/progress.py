"""Progress of long commands (index, eval, report, migrate): a live bar on a terminal, nothing on a
pipe or in a CI log (the command prints its own summary line there).

Built on tqdm: counts, rate and time left, on stderr, so a command's own output on stdout stays
clean. ``FACTLINT_PROGRESS=1`` forces the bar on, ``FACTLINT_PROGRESS=0`` off.
"""
from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from typing import TypeVar

from tqdm import tqdm

T = TypeVar("T")


def enabled(stream=None) -> bool:
    """Whether to draw a bar: FACTLINT_PROGRESS when set, else only on a terminal outside CI."""
    forced = os.environ.get("FACTLINT_PROGRESS", "").strip()
    if forced in ("0", "1"):
        return forced == "1"
    stream = stream or sys.stderr
    return bool(getattr(stream, "isatty", lambda: False)()) and not os.environ.get("CI")


def bar(total: int | None = None, desc: str = "", unit: str = "it") -> tqdm:
    """A progress bar to ``update(n)`` by hand (disabled off a terminal: its calls cost nothing)."""
    return tqdm(total=total, desc=desc, unit=unit, file=sys.stderr, disable=not enabled(),
                dynamic_ncols=True, leave=False, smoothing=0.1)


def track(items: Iterable[T], total: int | None = None, desc: str = "", unit: str = "it") -> Iterator[T]:
    """``items`` with a progress bar over them."""
    if total is None and hasattr(items, "__len__"):
        total = len(items)  # type: ignore[arg-type]
    with bar(total, desc, unit) as b:
        for item in items:
            yield item
            b.update(1)
