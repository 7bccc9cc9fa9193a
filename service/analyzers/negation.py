"""Negation: a negation cue on one side of an aligned difference and not on the other.

Cues: not, no, never, n't, without, neither/nor, cannot; a non-/un-/in-/dis- prefix when the
rest of the word is what the other side says (non-binding / binding); "unlike" against "like".
"""
from __future__ import annotations

from ..models import Conflict
from ..text import Token, align, span_of

CUES = frozenset({"not", "no", "never", "without", "neither", "nor", "none", "nobody", "nothing", "cannot"})
_PREFIXES = ("non-", "non", "un", "in", "il", "im", "ir", "dis")
MIN_OVERLAP = 0.5  # below this the sentences say different things and a cue proves nothing


def is_cue(tok: Token) -> bool:
    return tok.norm in CUES or tok.norm.endswith("n't")


def negated_form(word: str, other: str) -> bool:
    """Is ``word`` the negative-prefixed form of ``other`` (non-binding / binding)?"""
    w, o = word.lower(), other.lower()
    return len(o) >= 4 and any(w == p + o for p in _PREFIXES)


def analyze(claim: str, evidence: str) -> list[Conflict]:
    al = align(claim, evidence)
    if al.overlap < MIN_OVERLAP:
        return []
    out: list[Conflict] = []
    for d in al.diffs:
        ca, cb = [t for t in d.a if is_cue(t)], [t for t in d.b if is_cue(t)]
        if (len(ca) + len(cb)) % 2 == 1:  # an odd number of cues flips the polarity
            sa = span_of(ca) if ca else d.a_span
            sb = span_of(cb) if cb else d.b_span
            out.append(Conflict("negation", sa, sb, claim[sa[0]:sa[1]], evidence[sb[0]:sb[1]], 0.8))
            continue
        for x in d.a:
            for y in d.b:
                if negated_form(x.text, y.text) or negated_form(y.text, x.text):
                    out.append(Conflict("negation", (x.start, x.end), (y.start, y.end), x.text, y.text, 0.8))
    return out
