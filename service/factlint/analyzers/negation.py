"""Negation: a negation cue on one side of an aligned difference and not on the other.

Cues: not, no, never, n't, without, neither/nor, cannot; a non-/un-/in-/dis- prefix when the
rest of the word is what the other side says (non-binding / binding); "unlike" against "like".
"""
from __future__ import annotations

from ..models import Conflict
from ..text import STOPWORDS, Token, align, lemma, span_of

CUES = frozenset({"not", "no", "never", "without", "neither", "nor", "none", "nobody", "nothing", "cannot"})
# Verbs that negate what follows them: "stop selling" says what "not sell" says.
NEGATIVE_VERBS = frozenset({"stop", "stops", "stopped", "stopping", "cease", "ceased", "ceases", "fail",
                            "failed", "fails", "refuse", "refused", "refuses", "lack", "lacks", "lacked"})
MAX_DIFF = 3  # tokens a side of the difference may have: a cue must sit among aligned words
_PREFIXES = ("non-", "non", "un", "in", "il", "im", "ir", "dis")
MIN_OVERLAP = 0.5  # below this the sentences say different things and a cue proves nothing
# A prior: the development pairs hold too few negations to measure (3 of 4 right, 2026-11-21).
CONFIDENCE = 0.8


def is_cue(tok: Token) -> bool:
    return tok.norm in CUES or tok.norm.endswith("n't")


def _polarity_cues(tokens) -> list[Token]:
    return [t for t in tokens if is_cue(t) or t.norm in NEGATIVE_VERBS]


def negated_form(word: str, other: str) -> bool:
    """Is ``word`` the negative-prefixed form of ``other`` (non-binding / binding)?"""
    w, o = word.lower(), other.lower()
    return len(o) >= 4 and any(w == p + o for p in _PREFIXES)


def _content(tokens) -> list[str]:
    return [lemma(t.text) for t in tokens if t.is_word and t.norm not in STOPWORDS and not is_cue(t)
            and t.norm not in NEGATIVE_VERBS]


def _same_predicate(side, after, cues, other_side, other_after) -> bool:
    """Does the cue negate what the other sentence asserts? The first content word after the cue
    must be the other side's word in that place: "was not passed" / "was passed", "will not accept
    the" / "accepts the"; not "lacks wells" / "gets water", "is not the only" / "is the most"."""
    last = max(side.index(c) for c in cues)
    nxt = (_content(side[last + 1:]) + _content(after))[:1]
    return not nxt or nxt[0] in set(_content(other_side) + _content(other_after)[:1])


def analyze(claim: str, evidence: str) -> list[Conflict]:
    al = align(claim, evidence)
    if al.overlap < MIN_OVERLAP:
        return []
    out: list[Conflict] = []
    for d in al.diffs:
        ca, cb = _polarity_cues(d.a), _polarity_cues(d.b)
        # The cue must govern words both sentences share: it ends its side of the difference, the
        # other side is short, and aligned words follow.
        tail_a, tail_b = d.a[-MAX_DIFF:], d.b[-MAX_DIFF:]
        local = bool(d.a_after) and d.a_after[0].is_word and (
            (all(t in tail_a for t in ca) and all(t in tail_b for t in cb))
            and (len(d.a) <= MAX_DIFF or len(d.b) <= MAX_DIFF) and (not ca or len(d.b) <= MAX_DIFF or not cb)
            and (len(d.a) <= MAX_DIFF if cb and not ca else True) and (len(d.b) <= MAX_DIFF if ca and not cb else True))
        if local and (ca or cb) and (len(ca) + len(cb)) % 2 == 1 and (
                _same_predicate(d.a, d.a_after, ca, d.b, d.b_after) if ca
                else _same_predicate(d.b, d.b_after, cb, d.a, d.a_after)):  # an odd number of cues flips the polarity
            sa = span_of(ca) if ca else d.a_span
            sb = span_of(cb) if cb else d.b_span
            out.append(Conflict("negation", sa, sb, claim[sa[0]:sa[1]], evidence[sb[0]:sb[1]], CONFIDENCE))
            continue
        for x in d.a:
            for y in d.b:
                if negated_form(x.text, y.text) or negated_form(y.text, x.text):
                    out.append(Conflict("negation", (x.start, x.end), (y.start, y.end), x.text, y.text, CONFIDENCE))
    return out
