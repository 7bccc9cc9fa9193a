"""What every encoder backend is: texts in, unit-length float32 vectors out, in input order."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

import numpy as np


class ModelNotFound(RuntimeError):
    """The embedding model cannot be loaded (or exported) offline as configured."""


@dataclass(frozen=True)
class RuntimeOptions:
    """ONNX Runtime session options ([model] graph_optimization, spinning, affinity); torch ignores them.

    - ``graph_optimization``: ORT's graph optimization level ("disable", "basic", "extended", "all").
    - ``spinning``: what idle intra-op threads do. "off": they sleep at once; "run": they spin while
      a run is in progress (between one operator and the next) and stop at its end
      (``session.force_spinning_stop``), so nothing spins between requests; "on": ORT's default,
      spinning on after a run too.
    - ``affinity``: ORT's ``session.intra_op_thread_affinities`` (e.g. "2" pins the one extra thread
      of a 2-thread session to the second logical processor); "" = none.
    """

    graph_optimization: Literal["disable", "basic", "extended", "all"] = "all"
    spinning: Literal["off", "run", "on"] = "off"
    affinity: str = ""


class Encoder(Protocol):
    dim: int

    def encode(self, texts: list[str]) -> np.ndarray:
        """(len(texts), dim) float32 rows of L2 norm 1, in the order of ``texts``."""
        ...
