"""Compare: run every analyzer on a (claim, evidence) pair and keep one explanation per place."""
from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import lru_cache
from types import MappingProxyType
from typing import Literal

from .analyzers import ANALYZERS
from .config import CheckSettings
from .models import Conflict
from .text import align, content_words, lemma, tokenize

Relation = Literal["contradiction", "consistent", "unrelated"]
FIGURE_KINDS = frozenset({"number", "date"})


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def find_conflicts(claim: str, evidence: str, claim_date: date | None = None,
                   evidence_date: date | None = None) -> list[Conflict]:
    """All conflicts between two sentences, most specific analyzer first; where two analyzers
    explain overlapping words of the claim, only the first explanation is kept. The texts' own dates
    (when known) let the date analyzer read "yesterday" or "last month"."""
    kept: list[Conflict] = []
    for kind, analyze in ANALYZERS:
        found = analyze(claim, evidence, claim_date, evidence_date) if kind == "date" else analyze(claim, evidence)
        for c in found:
            if not any(_overlaps(c.claim_span, k.claim_span) and _overlaps(c.evidence_span, k.evidence_span)
                       for k in kept):
                kept.append(c)
    return kept


def is_contradiction(c: Conflict, settings: CheckSettings, similarity: float = 1.0, near: bool = True) -> bool:
    """Is ``c`` confident enough to contradict, against a sentence this similar to the claim?

    Figures and dates are anchored to what they count, so they stand against looser restatements
    (``min_conflict_figures``); every other kind of difference needs a sentence ``comparable`` with
    the claim (``near``).
    """
    if c.severity != "contradiction" or c.confidence < settings.min_confidence:
        return False
    return similarity >= settings.min_conflict_figures if c.kind in FIGURE_KINDS else near


def comparable(claim: str, evidence: str, similarity: float, settings: CheckSettings) -> bool:
    """Are two related sentences close enough for their differences to be conflicts? Either they
    are near-duplicates as wholes, or the evidence restates most of the claim word for word (a
    short claim inside a long sentence, whose embeddings are diluted by the rest)."""
    return similarity >= settings.min_conflict or (
        similarity >= settings.min_related and align(claim, evidence).containment >= settings.min_containment)


def relation(claim: str, evidence: str, conflicts: list[Conflict], similarity: float,
             settings: CheckSettings) -> Relation:
    """How two sentences relate, given their conflicts and embedding similarity."""
    near = comparable(claim, evidence, similarity, settings)
    if any(is_contradiction(c, settings, similarity, near) for c in conflicts):
        return "contradiction"
    if similarity < settings.min_related:
        return "unrelated"
    return "consistent"


@lru_cache(maxsize=8192)  # corpus sentences come back as evidence for many claims
def _terms(text: str) -> Mapping[str, int]:
    """Content lemmas with weights: figures and names (what makes a statement specific) count 2."""
    toks = tokenize(text)
    out = {lemma(t.text): 1 + t.is_capitalized for t in content_words(toks)}
    out.update({t.norm: 2 for t in toks if t.text[0].isdigit()})
    return MappingProxyType(out)


def coverage(claim: str, sentences: list[str]) -> float:
    """Weighted share of the claim's content words and figures that the sentences contain."""
    wanted = _terms(claim)
    if not wanted:
        return 0.0
    have = set().union(*(_terms(s) for s in sentences)) if sentences else set()
    return sum(w for t, w in wanted.items() if t in have) / sum(wanted.values())
