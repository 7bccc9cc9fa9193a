"""Analyzers: pure functions of (claim, evidence) returning Conflicts, one module per kind."""
from __future__ import annotations

from . import antonyms, dates, entities, negation, numbers, wording

# Most specific first: when two analyzers explain the same words, the earlier one is kept.
ANALYZERS = [
    ("date", dates.analyze),
    ("number", numbers.analyze),
    ("negation", negation.analyze),
    ("antonym", antonyms.analyze),
    ("entity", entities.analyze),
    ("wording", wording.analyze),
]

__all__ = ["ANALYZERS"]
