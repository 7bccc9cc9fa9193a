"""Compare: run every analyzer on a (claim, evidence) pair and keep one explanation per place."""
from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import lru_cache
from types import MappingProxyType
from typing import Literal

from .analyzers import ANALYZERS
from .analyzers.dates import disagree, find_dates
from .analyzers.names import Name, find_names, mentioned, same_referent
from .config import CheckSettings
from .models import Conflict
from .text import align, clause_of, content_words, lemma, tokenize

Relation = Literal["contradiction", "consistent", "unrelated"]
FIGURE_KINDS = frozenset({"number", "date"})


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def find_conflicts(claim: str, evidence: str, claim_date: date | None = None,
                   evidence_date: date | None = None) -> list[Conflict]:
    """All conflicts between two sentences that pass the same-fact gate, most specific analyzer
    first; where two analyzers explain overlapping words of the claim, only the first explanation is
    kept. The texts' own dates (when known) let the date analyzer read "yesterday" or "last month"."""
    kept: list[Conflict] = []
    for kind, analyze in ANALYZERS:
        found = analyze(claim, evidence, claim_date, evidence_date) if kind == "date" else analyze(claim, evidence)
        for c in found:
            if not same_fact(claim, evidence, c):
                continue
            if not any(_overlaps(c.claim_span, k.claim_span) and _overlaps(c.evidence_span, k.evidence_span)
                       for k in kept):
                kept.append(c)
    return kept


# --- the same-fact gate ----------------------------------------------------------------------------
# Two statements conflict only when they are about the same fact: the one slot that differs (a
# figure, a date, a word, a name) is said of the same referent at the same time. The analyzers
# propose differences; this gate, in front of all of them, drops those whose statements are about
# different referents ("India's economy grew 6.9%" / "China's economy grew 9.5%") or different times
# ("grew 6.9% in 2004" / "grew 9.5% in 2005").

_PREPOSITIONS = frozenset("in at from to for of with on by against into over under near than like between "
                          "across through via after before during".split())


def referent(text: str, span: tuple[int, int], other: str = "") -> Name | None:
    """The name the words at ``span`` are said of, within their statement (clause): a name inside
    the slot's own noun phrase ("5,000 American troops", "India's 6.9%"), else the statement's
    subject (its first name not governed by a preposition, before the slot), else the nearest name
    after the slot ("the 29-year-old Smith")."""
    lo, hi = clause_of(text, span)
    toks = tokenize(text)
    names = [n for n in find_names(text, other) if lo <= n.start < hi and not (n.start < span[1] and span[0] < n.end)]
    if not names:
        return None
    follows = [n for n in names if n.start >= span[1] and len(tokenize(text[span[1]:n.start])) <= 1]
    if follows:
        return follows[0]
    before = [n for n in names if n.end <= span[0]]

    def governed(n: Name) -> bool:
        prev = [t for t in toks if t.end <= n.start]
        return bool(prev) and prev[-1].norm in _PREPOSITIONS
    subjects = [n for n in before if not governed(n)]
    if subjects:
        return subjects[0]
    after = [n for n in names if n.start >= span[1]]
    return after[0] if after else None


def _other_referents(claim: str, evidence: str, c: Conflict) -> bool:
    """Are the two slots said of different referents: each names its own, they are not one referent,
    and one of them is not mentioned in the other sentence at all?"""
    ra, rb = referent(claim, c.claim_span, evidence), referent(evidence, c.evidence_span, claim)
    if ra is None or rb is None or same_referent(ra.key, rb.key):
        return False
    return not mentioned(ra.key, evidence, claim) or not mentioned(rb.key, claim, evidence)


def _other_time(claim: str, evidence: str, c: Conflict) -> bool:
    """Do the two statements date themselves, and at times that cannot be the same?"""
    ca, cb = clause_of(claim, c.claim_span), clause_of(evidence, c.evidence_span)
    da = [d for d in find_dates(claim) if ca[0] <= d.start < ca[1] and (d.year or d.month)]
    db = [d for d in find_dates(evidence) if cb[0] <= d.start < cb[1] and (d.year or d.month)]
    return bool(da and db) and all(disagree(x, y) for x in da for y in db)


def same_fact(claim: str, evidence: str, c: Conflict) -> bool:
    """The same-fact gate: is the difference ``c`` one slot of one fact, not two facts?"""
    if c.kind == "nli":
        return True
    if _other_referents(claim, evidence, c):
        return False
    return c.kind == "date" or not _other_time(claim, evidence, c)


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
