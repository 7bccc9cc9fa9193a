"""Names and titles: swapped ranks (Major / Lieutenant General), roles (head / deputy head), people,
bodies and places. A spelling variant of one name (al-Amiri / al-Ameri) is a note, not a conflict.
"""
from __future__ import annotations

from rapidfuzz import fuzz

from ..models import Conflict
from ..text import Token, align, span_of
from .dates import MONTHS, WEEKDAYS

RANKS = frozenset("general lieutenant major brigadier colonel captain sergeant admiral commodore "
                  "marshal corporal private commander ensign".split())
ROLE_MODIFIERS = frozenset("deputy vice acting former assistant interim associate".split())
ROLES = frozenset("head chief leader president minister commander director chairman chairwoman chair "
                  "secretary spokesman spokeswoman spokesperson governor mayor ambassador editor "
                  "manager founder ceo premier speaker".split())
# Different words for one referent: never a swap.
EQUIVALENT = [
    {"us", "u.s", "u.s.", "american", "americans", "america", "united states", "usa", "washington"},
    {"uk", "britain", "british", "united kingdom", "london"},
    {"iran", "iranian", "tehran", "iranians"},
    {"iraq", "iraqi", "baghdad", "iraqis"},
    {"isis", "isil", "daesh", "islamic state"},
]
MAX_DIFF = 4  # tokens a side of a difference may have to be a swap of names, ranks or roles
SPELLING_VARIANT = 75  # rapidfuzz ratio at or above which two names are one name spelled two ways


def _name_key(tokens) -> str:
    return " ".join(t.norm for t in tokens).replace("'s", "")


def _equivalent(a: str, b: str) -> bool:
    return any(a in group and b in group for group in EQUIVALENT)


def _is_name(tokens: tuple[Token, ...], sentence_start: bool) -> bool:
    words = [t for t in tokens if t.is_word]
    return bool(words) and all(
        (t.is_capitalized or t.norm.startswith(("al-", "el-", "bin", "abu"))) for t in words
    ) and not sentence_start and not any(t.norm in MONTHS or t.norm in WEEKDAYS for t in words)


def analyze(claim: str, evidence: str) -> list[Conflict]:
    al = align(claim, evidence)
    out: list[Conflict] = []
    for d in al.diffs:
        if len(d.a) > MAX_DIFF or len(d.b) > MAX_DIFF:
            continue  # a swap is a small substitution; longer stretches say different things
        ranks_a = {t.norm for t in d.a} & RANKS
        ranks_b = {t.norm for t in d.b} & RANKS
        if ranks_a and ranks_b and ranks_a != ranks_b:
            out.append(_conflict(claim, evidence, [t for t in d.a if t.norm in RANKS],
                                 [t for t in d.b if t.norm in RANKS], 0.85))
            continue
        mods_a = {t.norm for t in d.a} & ROLE_MODIFIERS
        mods_b = {t.norm for t in d.b} & ROLE_MODIFIERS
        after = d.a_after[0].norm if d.a_after else ""
        if mods_a != mods_b and (after in ROLES or {t.norm for t in d.a + d.b} & ROLES):
            sa = span_of(d.a + d.a_after[:1]) if d.a else d.a_span
            sb = span_of(d.b + d.b_after[:1]) if d.b else d.b_span
            out.append(Conflict("entity", sa, sb, claim[sa[0]:sa[1]], evidence[sb[0]:sb[1]], 0.8))
            continue
        if d.tag != "replace" or len(d.a) > 4 or len(d.b) > 4:
            continue
        first_a = d.a[0] is al.a[0]
        first_b = d.b[0] is al.b[0]
        if not (_is_name(d.a, first_a) and _is_name(d.b, first_b)):
            continue
        ka, kb = _name_key(d.a), _name_key(d.b)
        if _equivalent(ka, kb) or (ranks_a or ranks_b):
            continue
        if fuzz.ratio(ka, kb) >= SPELLING_VARIANT:
            out.append(_conflict(claim, evidence, d.a, d.b, 0.5, "note",
                                 "the same name spelled differently"))
        elif al.overlap >= 0.6:
            out.append(_conflict(claim, evidence, d.a, d.b, 0.7))
    return out


def _conflict(claim, evidence, a, b, conf, severity="contradiction", detail="") -> Conflict:
    sa, sb = span_of(a), span_of(b)
    return Conflict("entity", sa, sb, claim[sa[0]:sa[1]], evidence[sb[0]:sb[1]], conf, severity, detail)
