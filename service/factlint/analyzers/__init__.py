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


def warm_up() -> None:
    """Load the word lists and the gazetteer now (about a second) rather than in the first request
    that needs them."""
    from . import lexicon, places

    lexicon.antonyms()
    lexicon.confusables()
    lexicon.exclusive()
    numbers.noun_classes()
    places.nested("Cairo", "Egypt")
    places.country_of("Chinese")


__all__ = ["ANALYZERS", "warm_up"]
