"""Confusable wording: one word swapped for a look-alike of different meaning
("anonymously" / "unanimously", "adopted" / "adapted") in an otherwise aligned sentence.

Inflections of one word, British/American spellings and names are not confusions.
"""
from __future__ import annotations

import re

from rapidfuzz import fuzz

from ..models import Conflict
from ..text import STOPWORDS, align, lemma
from . import lexicon

LOOKALIKE = (60, 90)  # rapidfuzz ratio range of look-alike words; above it, a spelling variant
# Confidence of a swap of a commonly confused pair (service/factlint/data/confusables.tsv): a prior, the
# development pairs hold none. Of any other look-alikes: measured on the development pairs (VitaminC
# numeric + RTE-3 dev, 2026-11-21), 5 of 9 such swaps were real contradictions; the others were
# synonyms (expected / projected), so they stay below [check] min_confidence.
KNOWN_CONFUSION = 0.9
LOOKALIKE_SWAP = 0.56
MIN_OVERLAP = 0.6  # a mostly aligned sentence: elsewhere look-alike words are often synonyms
MIN_LENGTH = 5  # shorter look-alikes (the/their) are function words or names


def spelling_variant(a: str, b: str) -> bool:
    norm = [re.sub(r"our\b", "or", re.sub(r"is(e|ing|ed|ation)\b", r"iz\1", w.lower())) for w in (a, b)]
    return norm[0] == norm[1] or fuzz.ratio(a.lower(), b.lower()) >= LOOKALIKE[1]


def confusable(a: str, b: str) -> bool:
    if a.lower() == b.lower() or lemma(a) == lemma(b) or spelling_variant(a, b):
        return False
    if a.lower().endswith(b.lower()) or b.lower().endswith(a.lower()):
        return False  # a prefix (non-, un-) is the negation analyzer's business
    if a.lower().startswith(b.lower()) or b.lower().startswith(a.lower()):
        return False  # a derivation of one word: captain / captaincy, elect / election
    return fuzz.ratio(a.lower(), b.lower()) >= LOOKALIKE[0]


def analyze(claim: str, evidence: str) -> list[Conflict]:
    # Commonly confused pairs wherever they stand, when the words around them line up ("was passed
    # unanimously by the lawmakers" / "was passed anonymously, instructed the government"), in any
    # order ("Lawmakers passed the resolution unanimously").
    out = [Conflict("wording", (x.start, x.end), (y.start, y.end), x.text, y.text, KNOWN_CONFUSION,
                    detail="words often confused", local=True)
           for x, y in lexicon.anchored_pairs(claim, evidence, lexicon.confusables(), any_order=True)]
    al = align(claim, evidence)
    if al.overlap < MIN_OVERLAP:
        return out
    for d in al.diffs:
        if d.tag == "replace" and len(d.a) == 1 and len(d.b) == 1:
            x, y = d.a[0], d.b[0]
            if x.is_word and y.is_word and not x.is_capitalized and not y.is_capitalized \
                    and min(len(x.text), len(y.text)) >= MIN_LENGTH and x.norm not in STOPWORDS \
                    and y.norm not in STOPWORDS and confusable(x.text, y.text):
                known = lemma(y.text) in lexicon.confusables().get(lemma(x.text), ())
                if any(c.claim_span == (x.start, x.end) for c in out):
                    continue
                out.append(Conflict("wording", (x.start, x.end), (y.start, y.end), x.text, y.text,
                                    KNOWN_CONFUSION if known else LOOKALIKE_SWAP,
                                    detail="words often confused" if known else "look-alike words"))
    return out
