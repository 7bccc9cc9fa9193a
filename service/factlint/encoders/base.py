"""What every encoder backend is: texts in, unit-length float32 vectors out, in input order."""
from __future__ import annotations

from typing import Protocol

import numpy as np


class ModelNotFound(RuntimeError):
    """The embedding model cannot be loaded (or exported) offline as configured."""


class Encoder(Protocol):
    dim: int

    def encode(self, texts: list[str]) -> np.ndarray:
        """(len(texts), dim) float32 rows of L2 norm 1, in the order of ``texts``."""
        ...
