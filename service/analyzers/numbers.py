"""Numbers: values with the noun they count, approximations and bounds as intervals.

"about 5,000 troops" is [4,500, 5,500] troops; "more than 23 million" is (23e6, inf). Two
quantities conflict when they count the same thing (the same place in aligned sentences, or
counted nouns of one class) and their intervals do not overlap.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ..models import Conflict
from ..text import STOPWORDS, align, lemma, tokenize
from .dates import find_dates

_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty".split())}
_WORDS.update({"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
               "ninety": 90, "hundred": 100, "thousand": 1000, "a dozen": 12, "dozen": 12})
_VAGUE = {"dozens": (24, 99), "scores": (40, 99), "hundreds": (200, 999), "thousands": (2000, 9999),
          "tens of thousands": (20_000, 99_999), "hundreds of thousands": (200_000, 999_999),
          "millions": (2e6, 9.99e6)}
_SCALE = {"thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "mn": 1e6, "billion": 1e9, "bn": 1e9,
          "b": 1e9, "trillion": 1e12, "tn": 1e12}
_APPROX = {  # prefix -> (low factor, high factor) around the value
    "about": (0.9, 1.1), "around": (0.9, 1.1), "some": (0.9, 1.1), "roughly": (0.9, 1.1),
    "approximately": (0.9, 1.1), "an estimated": (0.85, 1.15), "estimated": (0.85, 1.15),
    "nearly": (0.85, 1.0), "almost": (0.85, 1.0), "close to": (0.85, 1.0), "just under": (0.9, 1.0),
    "more than": (1.0, math.inf), "over": (1.0, math.inf), "above": (1.0, math.inf),
    "upwards of": (1.0, math.inf), "at least": (1.0, math.inf), "just over": (1.0, 1.1),
    "up to": (0.0, 1.0), "as many as": (0.0, 1.0), "less than": (0.0, 1.0), "fewer than": (0.0, 1.0),
    "under": (0.0, 1.0), "below": (0.0, 1.0), "at most": (0.0, 1.0),
}
_NUM = (r"(?P<cur>[$€£])?\s?(?P<num>\d+(?:,\d{3})*(?:\.\d+)?|" + "|".join(
    sorted(map(re.escape, list(_WORDS) + list(_VAGUE)), key=len, reverse=True)) + r")")
_QUANTITY = re.compile(
    r"(?:\b(?P<approx>" + "|".join(sorted(map(re.escape, _APPROX), key=len, reverse=True)) + r")\s+)?"
    + r"(?<![\w.,])" + _NUM
    + r"(?:\s?(?P<scale>thousand|million|billion|trillion|bn|mn|tn|k|m|b)\b)?"
    + r"(?:\s?(?P<pct>%|per ?cent\b))?",
    re.I,
)


@lru_cache(maxsize=1)
def noun_classes() -> dict[str, str]:
    out = {}
    text = resources.files("service").joinpath("data", "number_nouns.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            words = line.split("\t")
            out.update({w.strip(): words[0].strip() for w in words})
    return out


@dataclass(frozen=True)
class Quantity:
    start: int
    end: int
    text: str
    value: float
    low: float
    high: float
    kind: str  # count | percent | money
    nouns: frozenset[str]  # classes (or lemmas) of the counted noun
    num_span: tuple[int, int]  # the digits or number word alone

    def overlaps(self, other: "Quantity") -> bool:
        return self.low <= other.high and other.low <= self.high


def _precision(num: str) -> float:
    """Half a unit of the last written digit: '24.5' -> 0.05, '5,000' -> 0.5."""
    return 0.5 * (10 ** -len(num.split(".")[1]) if "." in num else 1)


def _counted_nouns(text: str, end: int) -> frozenset[str]:
    classes = noun_classes()
    out = set()
    for tok in tokenize(text[end:end + 60])[:4]:
        if not tok.is_word and tok.text not in "$€£":
            break
        if tok.norm in STOPWORDS:
            continue
        lem = lemma(tok.text)
        out.add(classes.get(lem, classes.get(tok.norm, lem)))
    return frozenset(out)


def find_quantities(text: str) -> list[Quantity]:
    dates = find_dates(text)
    out = []
    for m in _QUANTITY.finditer(text):
        num = m.group("num").lower()
        if any(d.start <= m.start("num") < d.end for d in dates):
            continue  # the day or year of a date
        if num in _VAGUE:
            low, high = _VAGUE[num]
            value, prec = (low + high) / 2, 0.0
        elif num in _WORDS:
            value, prec = float(_WORDS[num]), 0.0
        else:
            value, prec = float(num.replace(",", "")), _precision(num.replace(",", ""))
            low = high = None
        scale = _SCALE.get((m.group("scale") or "").lower(), 1.0)
        if m.group("scale") and m.group("scale").lower() in ("m", "b", "k") and not m.group("cur"):
            # bare "m"/"b"/"k" only scale money ("$5m"); otherwise they are likely other words.
            scale = 1.0
        value *= scale
        if num in _VAGUE:
            low, high = low * scale, high * scale
        else:
            low, high = value - prec * scale, value + prec * scale
        approx = (m.group("approx") or "").lower()
        if approx:
            lo_f, hi_f = _APPROX[approx]
            low, high = min(low, value * lo_f), max(high, value * hi_f) if hi_f != math.inf else math.inf
            if hi_f == 1.0 and lo_f == 0.0:
                low = 0.0
        kind = "percent" if m.group("pct") else "money" if m.group("cur") else "count"
        nouns = frozenset() if kind == "percent" else _counted_nouns(text, m.end())
        if m.group("cur"):
            nouns = nouns | {noun_classes().get(m.group("cur"), m.group("cur"))}
        if kind == "count" and not nouns and num.isdigit() and len(num) == 4 and 1800 <= value <= 2100:
            continue  # a bare year: the date analyzer's business
        start = m.start("approx") if approx else m.start("num") if not m.group("cur") else m.start("cur")
        out.append(Quantity(start, m.end(), text[start:m.end()], value, low, high, kind, nouns,
                            m.span("num")))
    return out


def _same_slot(claim: str, evidence: str, qa: Quantity, qb: Quantity) -> bool:
    """Do the two numbers stand in the same place of the aligned sentences (a small substitution)?"""
    (a0, a1), (b0, b1) = qa.num_span, qb.num_span
    return any(
        d.a and d.b and len(d.a) <= 4 and len(d.b) <= 4
        and d.a[0].start < a1 and a0 < d.a[-1].end and d.b[0].start < b1 and b0 < d.b[-1].end
        for d in align(claim, evidence).diffs)


def analyze(claim: str, evidence: str) -> list[Conflict]:
    qa, qb = find_quantities(claim), find_quantities(evidence)
    out: list[Conflict] = []
    for x in qa:
        same_kind = [y for y in qb if y.kind == x.kind]
        if any(x.overlaps(y) and (x.nouns & y.nouns or not x.nouns or not y.nouns) for y in same_kind):
            continue  # the evidence states a compatible figure for this
        best = None
        for y in same_kind:
            if x.overlaps(y):
                continue
            if _same_slot(claim, evidence, x, y) and (x.nouns & y.nouns or not (x.nouns and y.nouns)):
                best = (y, 0.9)
                break
            if x.nouns & y.nouns and best is None:
                best = (y, 0.75)
        if best:
            y, conf = best
            out.append(Conflict("number", (x.start, x.end), (y.start, y.end), x.text, y.text, conf))
    return out
