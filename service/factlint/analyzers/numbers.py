"""Numbers: values with the noun they count, approximations and bounds as intervals.

"about 5,000 troops" is [4,500, 5,500] troops; "more than 23 million" is (23e6, inf); "between 6
and 12" is [6, 12]. Each figure of the claim is anchored to the figure of the evidence that counts the
same thing: the same place in the aligned sentences, the same class of counted noun (troops ~
soldiers), the same words around it. Two anchored figures conflict when their intervals are disjoint;
a claim figure that the evidence states compatibly anywhere with an equally good anchor is never a
conflict.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources

from ..models import Conflict
from ..text import STOPWORDS, align, alternation, clause_of, lemma, tokenize
from ..text import anchored as anchored_words
from .dates import MONTHS, WEEKDAYS, find_dates

_UNITS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
          "sixteen seventeen eighteen nineteen").split()
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
         "eighty": 80, "ninety": 90}
_WORDS: dict[str, float] = {w: i for i, w in enumerate(_UNITS)}
_WORDS.update(_TENS)
for _t, _v in _TENS.items():
    for _i, _u in enumerate(_UNITS[1:10], start=1):
        _WORDS[f"{_t}-{_u}"] = _v + _i
        _WORDS[f"{_t} {_u}"] = _v + _i
_WORDS.update({"a hundred": 100, "one hundred": 100, "hundred": 100, "a thousand": 1000, "thousand": 1000,
               "a dozen": 12, "dozen": 12, "half a dozen": 6, "a couple of": 2, "a pair of": 2,
               "a million": 1e6, "a billion": 1e9, "half": 0.5, "a half": 0.5, "a third": 1 / 3,
               "a quarter": 0.25, "two thirds": 2 / 3, "three quarters": 0.75, "one-third": 1 / 3,
               "one third": 1 / 3, "two-thirds": 2 / 3, "one-quarter": 0.25, "one quarter": 0.25,
               "three-quarters": 0.75, "one-half": 0.5, "one half": 0.5, "a fifth": 0.2, "one-fifth": 0.2})
_WORDS.update({f"{w} and a half": _WORDS[w] + 0.5 for w in list(_WORDS)
               if w.split("-")[0].split()[0] in _UNITS[1:] + list(_TENS)})  # "five and a half months"
_ORDINALS = {w: i for i, w in enumerate(
    "zeroth first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth "
    "fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth".split())}
_ORDINAL = re.compile(r"\b(?:(?P<word>" + "|".join(_ORDINALS) + r")|(?P<digits>\d+)(?:st|nd|rd|th))"
                      r"(?:-(?P<sup>highest|largest|lowest|biggest|most|least|best|worst|busiest)\S*)?\b", re.I)
# "a third", "a fifth": a fraction ("a third of the vote", "cut by a third") or, before the noun it
# ranks, an ordinal ("a third man")
_ORDINAL_FRACTIONS = frozenset(w for w in _WORDS if w.startswith("a ") and w[2:] in _ORDINALS)
_NOT_RANKED = frozenset("last next earlier later ago since".split())


def _ordinal_use(text: str, end: int) -> bool:
    nxt = re.match(r"\s+([a-z]+)\b", text[end:end + 30])
    return bool(nxt) and nxt.group(1) not in STOPWORDS and nxt.group(1) not in _NOT_RANKED


_VAGUE = {"dozens": (24, 99), "scores": (40, 99), "hundreds": (200, 999), "thousands": (2000, 9999),
          "several hundred": (200, 999), "several thousand": (2000, 9999), "several dozen": (24, 99),
          "tens of thousands": (20_000, 99_999), "hundreds of thousands": (200_000, 999_999),
          "millions": (2e6, 9.99e6), "billions": (2e9, 9.99e9)}
_SCALE = {"hundred": 1e2, "thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "mn": 1e6, "mln": 1e6,
          "billion": 1e9, "bn": 1e9, "b": 1e9, "trillion": 1e12, "tn": 1e12, "millions": 1e6, "billions": 1e9,
          "dozen": 12}
# prefix -> (low factor, high factor, low open, high open) around the value
_APPROX = {
    "about": (0.9, 1.1, False, False), "around": (0.9, 1.1, False, False), "some": (0.9, 1.1, False, False),
    "roughly": (0.9, 1.1, False, False), "approximately": (0.9, 1.1, False, False),
    "approx.": (0.9, 1.1, False, False), "circa": (0.9, 1.1, False, False), "c.": (0.9, 1.1, False, False),
    "an estimated": (0.85, 1.15, False, False), "estimated": (0.85, 1.15, False, False),
    "nearly": (0.85, 1.0, False, False), "almost": (0.85, 1.0, False, False), "close to": (0.85, 1.0, False, False),
    "just under": (0.9, 1.0, False, True), "just below": (0.9, 1.0, False, True), "just over": (1.0, 1.1, True, False),
    "more than": (1.0, math.inf, True, False), "over": (1.0, math.inf, True, False),
    "above": (1.0, math.inf, True, False), "exceeding": (1.0, math.inf, True, False),
    "in excess of": (1.0, math.inf, True, False), "upwards of": (1.0, math.inf, True, False),
    "greater than": (1.0, math.inf, True, False), "higher than": (1.0, math.inf, True, False),
    "passed": (1.0, math.inf, False, False), "topped": (1.0, math.inf, False, False),
    "surpassed": (1.0, math.inf, False, False), "exceeded": (1.0, math.inf, False, False),
    "at least": (1.0, math.inf, False, False), "no fewer than": (1.0, math.inf, False, False),
    "no less than": (1.0, math.inf, False, False), "a minimum of": (1.0, math.inf, False, False),
    "up to": (0.0, 1.0, False, False), "as many as": (0.0, 1.0, False, False), "as much as": (0.0, 1.0, False, False),
    "at most": (0.0, 1.0, False, False), "no more than": (0.0, 1.0, False, False),
    "a maximum of": (0.0, 1.0, False, False), "less than": (0.0, 1.0, False, True),
    "fewer than": (0.0, 1.0, False, True), "under": (0.0, 1.0, False, True), "below": (0.0, 1.0, False, True),
    "lower than": (0.0, 1.0, False, True), "older than": (1.0, math.inf, True, False),
    "younger than": (0.0, 1.0, False, True),
    # comparatives of size and length: "larger than 170 zettabytes", "a career shorter than 16 years"
    "larger than": (1.0, math.inf, True, False), "bigger than": (1.0, math.inf, True, False),
    "longer than": (1.0, math.inf, True, False), "taller than": (1.0, math.inf, True, False),
    "wider than": (1.0, math.inf, True, False), "heavier than": (1.0, math.inf, True, False),
    "smaller than": (0.0, 1.0, False, True), "shorter than": (0.0, 1.0, False, True),
    "lighter than": (0.0, 1.0, False, True),
    "after the age of": (1.0, math.inf, True, False), "before the age of": (0.0, 1.0, False, True),
}
_SUFFIX_BOUND = {"or more": (1.0, math.inf), "or over": (1.0, math.inf), "plus": (1.0, math.inf),
                 "or older": (1.0, math.inf), "or above": (1.0, math.inf), "or higher": (1.0, math.inf),
                 "or less": (0.0, 1.0), "or fewer": (0.0, 1.0), "or younger": (0.0, 1.0),
                 "or below": (0.0, 1.0), "or under": (0.0, 1.0)}
_SP = r"[\s\u00a0\ufffd]?"
# Thousands separated by commas, or by spaces ("394 054 MWe", a style of many countries).
# A whole number and a fraction: "2 ½ servings", "the 3 5/8 percent note".
_FRACTION = r"\d+(?:[ \u00a0]?[½¼¾⅓⅔⅛]|[ \u00a0][1-7]/(?:2|3|4|8|16)(?![\d/]))"
_VULGAR = {"½": 1 / 2, "¼": 1 / 4, "¾": 3 / 4, "⅓": 1 / 3, "⅔": 2 / 3, "⅛": 1 / 8}
_DIGITS = _FRACTION + r"|\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d.,])|\d+(?:,\d{3})*(?:\.\d+)?"
_NUMWORD = alternation(list(_VAGUE) + list(_WORDS))
_ONE = (rf"(?P<cur>US\s?\$|A\$|C\$|[$€£¥])?{_SP}(?P<num>{_DIGITS}|{_NUMWORD})"
        rf"(?:(?:{_SP}|-)(?P<scale>hundred|thousand|millions?|billions?|trillion|dozen|bn|mn|mln|tn|k|m|b)\b)?")
_RANGE = (rf"(?:(?:\s?[-–]\s?|\s+(?:and|to)\s+)(?P<cur2>US\$|[$€£¥])?(?P<num2>{_DIGITS})"
          r"(?:[\s\u00a0]?(?P<scale2>thousand|million|billion|trillion|bn|mn|k|m|b)\b)?)?")
_NO_RANGE = r"(?:(?!)(?P<cur2>)(?P<num2>)(?P<scale2>))?"  # the same groups, never matched


def _quantity_pattern(range_: str) -> re.Pattern:
    return re.compile(
        r"(?:\b(?P<approx>" + alternation(_APPROX) + r")\s+)?"
        + r"(?:\bbetween\s+)?"
        + r"(?<![\w.,\-/])(?<!\bvol\. )(?<!\bno\. )" + _ONE
        + range_
        + r"(?:/(?P<outof>10|100|20|5)(?![\d/]))?"  # a score: "4.2/10"
        + r"(?![\w/]|\.\d|,\d)"  # not "2,45 m": a decimal comma is not read (is it 2.45 or 245?)
        + r"(?:\s?(?P<pct>%|per ?cent\b|percent\b))?"
        + r"(?:[\s-](?P<suffix>" + "|".join(_SUFFIX_BOUND) + r")\b)?",
        re.I,
    )


_QUANTITY = _quantity_pattern(_RANGE)
_SINGLE = _quantity_pattern(_NO_RANGE)


def _matches(text: str):
    """The figures' matches; "X to Y" after a word of change is two figures ("rose $2.88 to $46.50")."""
    for m in _QUANTITY.finditer(text):
        if m.group("num2") and re.search(r"\s+to\s+", m.group(0)) and not m.group(0).lower().startswith("between") \
                and _CHANGE.search(text[max(0, m.start() - 40):m.start()]):
            yield from _SINGLE.finditer(text, m.start(), m.end())
        else:
            yield m


@lru_cache(maxsize=1)
def noun_classes() -> dict[str, str]:
    out = {}
    text = resources.files("factlint").joinpath("data", "number_nouns.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            words = [w.strip() for w in line.split("\t") if w.strip()]
            out.update({w: words[0] for w in words})
            out.update({lemma(w): words[0] for w in words if lemma(w) not in out})
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
    low_open: bool = False
    high_open: bool = False
    context: frozenset[str] = frozenset()  # content lemmas around the figure
    exact: bool = False  # written as one figure, with no approximation, bound, range or vagueness
    round: bool = False  # a round figure ("half", "10,000"): maybe a rounding of a bound at it
    unit: float = 0.0  # what its last written digit counts ("29%": 1, "28.9%": 0.1, "$4.4bn": 1e8); 0 for words

    @property
    def is_word(self) -> bool:
        """Written in words ("two", "first") rather than digits."""
        return not any(ch.isdigit() for ch in self.text)

    @property
    def is_bound(self) -> bool:
        """One-sided: "more than 23 million", "under 30", "18 or older"."""
        return self.low == 0.0 or self.high == math.inf

    @property
    def is_point(self) -> bool:
        """A figure stated as such: no "about", no bound, no range, not vague ("dozens")."""
        return self.exact and not self.is_bound

    def _against(self, other: "Quantity") -> tuple[float, float]:
        """The interval compared with ``other``: a stated point against a bound is its written value,
        so "less than $78.3 million" excludes "$78.3 million" (not its rounding, 78.25-78.35)."""
        if self.is_point and other.is_bound:
            if self.round and self.value in (other.low, other.high):
                # "a crowd of 10,000" / "more than 10,000": the round figure may be the bound rounded
                return self.value * (1 - APPROX_SHARE), self.value * (1 + APPROX_SHARE)
            return self.value, self.value
        if self.round and self.is_point and other.is_point and not other.round:
            # "60,000 years" / "59,619 years": a round figure may be a rounding of a precise one
            return self.value * (1 - APPROX_SHARE), self.value * (1 + APPROX_SHARE)
        if self.is_point and other.is_point and other.unit and self.unit > other.unit:
            # "29%" / "28.9%", "$5bn" / "$4.96bn": fewer digits written is the other figure rounded
            return self.value - self.unit / 2, self.value + ROUNDING_SHARE * self.unit  # half up
        if self.is_point and other.is_point and self.unit and other.unit > self.unit:
            return self.value, self.value  # the precise figure, as written, against that rounding
        return self.low, self.high

    def disjoint(self, other: "Quantity") -> bool:
        if self.is_point and other.is_point and self.unit and self.unit == other.unit \
                and not (self.round or other.round):
            # "$1.5 million" / "$1.6 million": each is what rounds to it (half up), so written to the
            # same digit they are one figure only when they are the same value
            return not math.isclose(self.value, other.value, rel_tol=1e-9)
        (a_lo, a_hi), (b_lo, b_hi) = self._against(other), other._against(self)
        if a_hi < b_lo or (a_hi == b_lo and (self.high_open or other.low_open)):
            return True
        return b_hi < a_lo or (b_hi == a_lo and (other.high_open or self.low_open))

    def overlaps(self, other: "Quantity") -> bool:
        return not self.disjoint(other)


def _precision(num: str) -> float:
    """Half a unit of the last written digit: '24.5' -> 0.05, '5,000' -> 0.5."""
    return 0.5 * (10 ** -len(num.split(".")[1]) if "." in num else 1)


_SEPARATORS = re.compile(r"[,\s\u00a0\u202f]")


def _plain(num: str) -> str:
    """Digits without their thousands separators: "394 054" -> "394054", "5,000" -> "5000"."""
    return _SEPARATORS.sub("", num)


def _fraction(num: str) -> float | None:
    """The value of a whole number and a fraction ("2 ½" -> 2.5, "3 5/8" -> 3.625), else None."""
    m = re.fullmatch(r"(\d+)[ \u00a0]?(?:(?P<v>[½¼¾⅓⅔⅛])|(?P<n>\d+)/(?P<d>\d+))", num)
    if m is None:
        return None
    return int(m.group(1)) + (_VULGAR[m.group("v")] if m.group("v") else int(m.group("n")) / int(m.group("d")))


def _number(num: str) -> tuple[float, float] | None:
    """Value and rounding half-width of a written number (digits or words)."""
    n = num.lower()
    if n in _WORDS:
        return float(_WORDS[n]), 0.0
    f = _fraction(n)
    if f is not None:
        return f, 0.0
    n = _plain(n)
    try:
        return float(n), _precision(n)
    except ValueError:
        return None


APPROX_SHARE = 0.05  # "about", "nearly": at least this share of the value either way...
ROUNDING_SHARE = 0.499  # of a unit of the last written digit above a figure: what rounds down to it


def _approx_width(num: str, value: float, scale: float) -> float:
    """How far "about <num>" may be from its value: the rounding of its last non-zero digit ("about
    5,000" is 4,500-5,500) or APPROX_SHARE of it, whichever is wider ("about 2,500" is 2,375-2,625,
    "an estimated $65 million" $61.75-68.25 million)."""
    digits = _plain(num)
    if "." in digits:
        unit = 10.0 ** -len(digits.split(".")[1])
    else:
        unit = 10.0 ** (len(digits) - len(digits.rstrip("0"))) if digits.strip("0") else 1.0
    return max(unit * scale / 2, APPROX_SHARE * value)


_AVERAGED = re.compile(r"\b(?:averaged|averaging|spread|divided)\s+(?:on\s+)?$", re.I)
_OUT_OF = re.compile(r"\s*out of (10|100|20|5)\b", re.I)


def _counted_nouns(text: str, end: int) -> frozenset[str]:
    m = _OUT_OF.match(text, end)
    if m:
        return frozenset({f"out of {m.group(1)}"})  # "8.66 out of 10", as "8.66/10"
    classes = noun_classes()
    out = set()
    if text[end:end + 1] in ("-", "–"):
        end += 1  # "a twenty-year contract", "a 16-year career"
    toks = tokenize(text[end:end + 60])[:3]
    for k, tok in enumerate(toks):
        if not tok.is_word or tok.norm in _APPROX or tok.norm == "than":
            break
        if tok.norm == "per":  # "1,444 pages per month" counts pages a month: a rate, not months
            if k + 1 < len(toks) and toks[k + 1].is_word:
                out.add("per " + lemma(toks[k + 1].text))
            break
        if tok.norm in STOPWORDS:
            continue
        lem = lemma(tok.text)
        out.add(classes.get(lem, classes.get(tok.norm, lem)))
    return frozenset(out)


CONTEXT_TOKENS = 6  # content words on each side of a figure that describe what it counts


_JOINED = frozenset({"to", "from", "and", "or", "%", ",", "$", "€", "£", "per", "cent", "percent"})


def _context(text: str, start: int, end: int) -> frozenset[str]:
    """Content lemmas next to a figure, up to the neighbouring figures: in "$31m in the US and $57m
    elsewhere for a total of $88m" each figure keeps the words of its own stretch. A figure joined to
    this one by "from"/"to" alone ("jumped from 29.4 to 32.6") shares its stretch."""
    toks = tokenize(text)

    def side(seq) -> list:
        out, joined = [], True
        for t in seq:
            if t.text[0].isdigit() or t.text in "$€£":
                if not (joined and not out):
                    break
                continue
            joined = joined and t.norm in _JOINED
            if len(out) >= CONTEXT_TOKENS:
                break
            if t.is_word and t.norm not in STOPWORDS and t.norm not in _WORDS:
                out.append(t)
        return out
    words = side(reversed([t for t in toks if t.end <= start])) + side(t for t in toks if t.start >= end)
    classes = noun_classes()
    return frozenset(classes.get(lemma(t.text), lemma(t.text)) for t in words if t.norm not in _SCALE)


_NAME_WORD = re.compile(r"([A-Za-z][\w\-'’&]*[A-Za-z])\.?\s$")  # "Interstate 35", "Standard & Poor's 500"


# Nouns whose number is a label, not a count: "season 3", "week 6", "exit 1".
LABEL_NOUNS = frozenset("season episode chapter volume vol part phase round stage level track page number no "
                        "exit route gate platform act scene book series grade class category week".split())
_TIME = re.compile(r"\d{1,2}[:.]\d{2}\s?(?:[ap]\.?m\.?)|\d{1,2}:\d{2}\b|\d{1,2}\s?[ap]\.m\."
                   r"|(?:[01]\d|2[0-3])[0-5]\d\s?(?:GMT|BST|UTC|CET|CEST|EST|EDT|PST|PDT|ET|hrs|hours|local)\b", re.I)
# Words after which "X to Y" is a change from one figure to another, not a range ("rose $2.88 to
# $46.50", "jumped from 29.4 to 32.6"); "10 to 12 people" stays a range.
CHANGE_WORDS = (r"rose|rise|rises|risen|rising|fell|fall|falls|fallen|falling|jumped|jumps|climbed|climbs|"
                r"gained|gains|lost|loses|dropped|drops|declined|declines|slipped|slips|increased|increases|"
                r"decreased|decreases|grew|grows|shrank|cut|cuts|raised|raises|lowered|lowers|up|down|"
                r"slumped|surged|soared|plunged|tumbled|advanced|eased|edged|added|trimmed|rebounded|"
                r"widened|narrowed|revised|changed|moved|shed|off|"
                r"gaining|losing|dropping|declining|slipping|increasing|decreasing|growing|climbing|jumping|"
                r"slumping|surging|soaring|plunging|tumbling|advancing|easing|edging|rebounding|widening|narrowing")
_CHANGE = re.compile(r"\b(?:" + CHANGE_WORDS + r")\s+(?:(?:from|by)\s+)?$", re.I)

def _in_name(text: str, start: int) -> bool:
    """Does the number at ``start`` follow a capitalized word that is not a function word, a month or a
    weekday ("Interstate 35", "Windows 10"), or a label noun ("season 3"), so that it names rather than
    counts?"""
    m = _NAME_WORD.search(text[max(0, start - 30):start])
    if not m:
        return False
    word = m.group(1).lower()
    if word in LABEL_NOUNS:
        return True
    return m.group(1)[0].isupper() and word not in STOPWORDS and word not in MONTHS \
        and word not in WEEKDAYS and word not in _APPROX


_NEGATED = re.compile(r"\b(?:not|n't|never|no)\s+(?:the\s+|a\s+|an\s+)?$", re.I)
_RANK_BOUND = re.compile(r"\b(?:than|above|below|after|before|beyond|under|over|behind|ahead of)\s+(?:the\s+)?$", re.I)


_IN_YEARS = {lemma("decades"): 10, lemma("century"): 100}  # units of time counted in years


def find_quantities(text: str) -> list[Quantity]:
    """The figures of ``text``: quantities, then ordinals."""
    return list(_find_quantities(text))


@lru_cache(maxsize=8192)  # corpus sentences come back as evidence for many claims
def _find_quantities(text: str) -> tuple[Quantity, ...]:
    dates = find_dates(text)
    out = []
    for m in _matches(text):
        num = m.group("num")
        if any(d.start <= m.start("num") < d.end for d in dates):
            continue  # the day or year of a date
        key = num.lower()
        if num[0].isupper() and m.start("num") > 0 and not m.group("approx"):
            continue  # "Half Girlfriend", "Seven Samurai": a number word in a name
        approx = (m.group("approx") or "").lower()
        if approx == "over" and _AVERAGED.search(text[:m.start()]):
            approx = ""  # "averaged over 60 reviewers": a preposition, not a bound
        if not (approx or m.group("cur") or m.group("scale") or m.group("pct")) \
                and (_in_name(text, m.start("num")) or _TIME.match(text, m.start("num"))):
            continue  # "Interstate 35", "season 3", "9:00 p.m.": a number that names, or a time of day
        if _NEGATED.search(text[max(0, m.start() - 16):m.start()]):
            continue  # "not the first", "not 5": a figure denied says no value
        if re.fullmatch(r"0\d+", _plain(num)):
            continue  # "000", "007": a fragment or a code, not a figure
        if key in _ORDINAL_FRACTIONS and _ordinal_use(text, m.end()):
            continue  # "a third man", "a fifth term": an ordinal (read below), not a fraction
        if key in _VAGUE:
            lo, hi = _VAGUE[key]
            value, prec = (lo + hi) / 2, 0.0
        else:
            value, prec = _number(num)
        scale_word = (m.group("scale") or "").lower()
        scale = _SCALE.get(scale_word, 1.0)
        if scale_word in ("m", "b", "k") and not m.group("cur"):
            scale = 1.0  # bare "m"/"b"/"k" only scale money ("$5m"); otherwise other words (metres...)
        counted = _counted_nouns(text, m.end())
        if (not scale_word and re.fullmatch(r"\d{1,3}\.\d{3}", num) and counted
                and "." not in m.group(0)[m.end("num") - m.start(0):]):
            value, prec = float(num.replace(".", "")), 0.5  # "8.958 people": a thousands separator
        if not scale_word and "." not in num:
            prec = 0.0  # a whole count written out in full is exact: "less than 13" excludes 13
        value *= scale
        prec *= scale
        low_open = high_open = False
        if key in _VAGUE:
            low, high = lo * scale, hi * scale
        else:
            low, high = value - prec, value + prec
        if m.group("num2"):
            second = _number(m.group("num2"))
            if second is None:
                continue
            scale2 = _SCALE.get((m.group("scale2") or "").lower(), scale)
            high2 = second[0] * scale2
            if m.group("scale2") and not m.group("scale"):
                value, low = value * scale2, low * scale2
            if high2 < low:
                continue  # "1-0", a score or a code: not a range
            high = high2 + (second[1] * scale2 if prec else 0.0)
        if approx:
            lo_f, hi_f, low_open, high_open = _APPROX[approx]
            low = value * lo_f if lo_f not in (0.0, 1.0) else (0.0 if lo_f == 0.0 else value)
            high = math.inf if hi_f == math.inf else (value * hi_f if hi_f != 1.0 else value)
            if lo_f == 1.0 and hi_f == math.inf:
                low = value
            if lo_f in (0.85, 0.9) and hi_f == 1.0:
                high = value
            if key not in _WORDS and key not in _VAGUE:  # digits: as wide as their rounding
                width = _approx_width(num, value, scale)
                if 0.0 < lo_f < 1.0:
                    low = value - width
                if 1.0 < hi_f < math.inf:
                    high = value + width
        suffix = (m.group("suffix") or "").lower()
        if suffix and not approx:
            lo_f, hi_f = _SUFFIX_BOUND[suffix]
            low, high = (value, math.inf) if hi_f == math.inf else (0.0, value)
        kind = "percent" if m.group("pct") else "money" if m.group("cur") else "count"
        nouns = frozenset() if kind == "percent" else counted
        if m.group("cur"):
            cur = re.sub(r"US\s?\$", "$", m.group("cur").upper())
            nouns = nouns | {noun_classes().get(cur, cur)}
        if kind == "count" and nouns & {"dollar", "euro", "pound"}:
            kind = "money"
        if m.group("outof"):
            nouns = nouns | {f"out of {m.group('outof')}"}  # "4.2/10": a score on that scale
        if kind == "count" and num.isdigit() and len(num) == 4 and 1800 <= value <= 2100 \
                and not _classed(nouns):
            continue  # a year ("the 2002 Olympic games"): the date analyzer's business
        start = m.start("approx") if approx else m.start("cur") if m.group("cur") else m.start("num")
        if m.group(0).lower().startswith("between") and not approx:
            start = m.start(0)
        exact = not (approx or suffix or m.group("num2") or key in _VAGUE)
        digits = _plain(num)
        round_ = (key in _WORDS and _WORDS[key] < 1) or (digits.isdigit() and value >= 100 and digits.endswith("00"))
        unit = 0.0 if key in _WORDS or key in _VAGUE or _fraction(num) is not None else 10.0 ** -len(digits.partition(".")[2]) * scale
        years = next((n for n in _IN_YEARS if n in nouns), None) if kind == "count" else None
        if years:  # "three decades" is 30 years, "two centuries" 200
            f = _IN_YEARS[years]
            value, low, high, unit = value * f, low * f, high * f, unit * f
            nouns = (nouns - {years}) | {noun_classes().get("year", "year")}
        out.append(Quantity(start, m.end(), text[start:m.end()], value, low, high, kind, nouns,
                            m.span("num"), low_open, high_open, _context(text, start, m.end()), exact,
                            round_, unit))
    out = _unit_ranges(text, out)
    for m in _ORDINAL.finditer(text):
        if any(d.start <= m.start() < d.end for d in dates) or any(q.start <= m.start() < q.end for q in out):
            continue
        if _RANK_BOUND.search(text[max(0, m.start() - 20):m.start()]) or _NEGATED.search(text[max(0, m.start() - 16):m.start()]):
            continue  # "richer than the 15th", "ranked above the 5th", "before the 19th century": a bound on a rank
        n = _ORDINALS.get((m.group("word") or "").lower()) if m.group("word") else int(m.group("digits"))
        sup = (m.group("sup") or "").lower()
        nouns = _counted_nouns(text, m.end()) | ({sup} if sup else set())
        out.append(Quantity(m.start(), m.end(), m.group(0), float(n), float(n), float(n), "ordinal",
                            frozenset(nouns), m.span(), context=_context(text, m.start(), m.end())))
    return tuple(_conversions(text, out))


_RANGE_JOIN = re.compile(r"\s*(?P<unit>(?:[^\W\d_]+\s+){0,3}?)(?P<join>to|and)\s+$", re.I)
_RANGE_FROM = re.compile(r"\b(?:range|ranged|ranges|ranging|anywhere|vary|varies|varied|varying)\s+from\s+$", re.I)
_FROM = re.compile(r"\bfrom\s+$", re.I)
_BETWEEN = re.compile(r"\bbetween\s+$", re.I)
_CHANGE_BEFORE = re.compile(r"\b(?:" + CHANGE_WORDS + r")\b", re.I)


def _unit_ranges(text: str, found: list[Quantity]) -> list[Quantity]:
    """Two figures of one unit joined as the ends of a range, the unit said twice ("ranged from 16
    cents a share to 27 cents a share", "11 percent to 12 percent", "between 3% and 5%"): one
    figure, the interval between them. Not a change ("rose from 3% to 5%", "up 0.1% to 4.7%"), a
    list ("3% and 1.2%") or a score ("by 39% to 34%")."""
    out: list[Quantity] = []
    for q in found:
        p = out[-1] if out else None
        m = _RANGE_JOIN.fullmatch(text, p.end, q.start) if p is not None else None
        if p is None or m is None or p.kind != q.kind or not (p.is_point and q.is_point) or q.value <= p.value:
            out.append(q)
            continue
        unit = tokenize(m.group("unit"))
        after = tokenize(text[q.end:q.end + 40])[:len(unit)]
        before = text[max(0, p.start - 30):p.start]
        lo, _ = clause_of(text, (p.start, p.end))
        if [t.norm for t in unit] != [t.norm for t in after]:
            ok = False
        elif m.group("join").lower() == "and":
            ok = bool(_BETWEEN.search(before)) or p.text.lower().startswith("between")
        elif _FROM.search(before):
            ok = bool(_RANGE_FROM.search(before))
        else:
            ok = not _CHANGE_BEFORE.search(text, lo, p.start)
        if not ok:
            out.append(q)
            continue
        out[-1] = replace(p, end=q.end, text=text[p.start:q.end], high=q.high, high_open=q.high_open,
                          exact=False, round=False, unit=0.0, context=p.context | q.context)
    return out


_CONVERTED = re.compile(r"(?:\s*[^\W\d_]+){0,2}\s*[(\[]\s*")  # its unit, then the bracket


def _conversions(text: str, found: list[Quantity]) -> list[Quantity]:
    """A figure in brackets right after another is that one in other units ("above 50 degrees (120
    Fahrenheit)", "$100m (£52.7m)"): it is bounded as that one is."""
    out = []
    for q in found:
        before = [p for p in out if p.end <= q.start and _CONVERTED.fullmatch(text[p.end:q.start])]
        if before and before[-1].is_bound and q.is_point:
            p = before[-1]
            if p.high == math.inf:
                q = replace(q, high=math.inf, low_open=p.low_open, exact=False)
            else:
                q = replace(q, low=0.0, high_open=p.high_open, exact=False)
        out.append(q)
    return out


def _same_slot(claim: str, evidence: str, qa: Quantity, qb: Quantity) -> bool:
    """Do the two numbers stand in the same place of the aligned sentences (a small substitution
    between shared words on both sides)?"""
    (a0, a1), (b0, b1) = qa.num_span, qb.num_span
    return any(
        d.a and d.b and len(d.a) <= 4 and len(d.b) <= 4
        and any(t.is_word for t in d.a_before) and any(t.is_word for t in d.a_after)
        and d.a[0].start < a1 and a0 < d.a[-1].end and d.b[0].start < b1 and b0 < d.b[-1].end
        for d in align(claim, evidence).diffs)


def _classed(nouns: frozenset[str]) -> frozenset[str]:
    classes = set(noun_classes().values())
    return frozenset(n for n in nouns if n in classes)


def _near(x: Quantity, y: Quantity) -> bool:
    """Are the two values within NEAR_VALUE of each other? A figure that close to the claim's is
    likely the one the claim restates ("more than $325 million" for "$325.4 million")."""
    return abs(x.value - y.value) <= NEAR_VALUE * max(abs(x.value), abs(y.value))


def _vouches(x: Quantity, y: Quantity, score: int, best_score: int) -> bool:
    """Does the evidence figure ``y`` (anchor score ``score``) state the claim's ``x`` compatibly, so
    that no conflict stands: anchored about as surely as the best anchored figure, or near in value
    (anchored at all, or unanchored when both are NEAR_VALUE_FLOOR or more)?"""
    if y.kind != x.kind or not y.overlaps(x):
        return False
    if score > 0 and score >= best_score - COMPATIBLE_SLACK:
        return True
    return _near(x, y) and (score > 0 or min(abs(x.value), abs(y.value)) >= NEAR_VALUE_FLOOR)


def anchor(claim: str, evidence: str, x: Quantity, y: Quantity, sole: bool = False) -> int:
    """How surely ``y`` states the figure ``x`` states: 0 = not comparable; higher = surer.

    Shared words around the figures count one each, the same counted noun two, the counted noun of
    one near the other one, the same place in the aligned sentences three (with a shared word), the
    same scope (``scope``: totals, or both of abroad) two; ``sole`` (each sentence has just this one
    figure of its kind) one.
    """
    if x.kind != y.kind:
        return 0
    cx, cy = _classed(x.nouns), _classed(y.nouns)
    if cx and cy and not cx & cy:
        return 0  # counts of different things (troops vs days)
    if cx & CURRENCIES and cy & CURRENCIES and not cx & cy & CURRENCIES:
        return 0  # sums in different currencies ("£125m a year earlier" / "$66m a year earlier")
    # A currency is a unit more than what is counted: "£6.4bn" and "£5.1bn" share it whatever they
    # are, so it anchors as one shared word does, not as a counted noun.
    same_noun = bool((x.nouns & y.nouns) - CURRENCIES)
    cx, cy = cx - CURRENCIES, cy - CURRENCIES
    if x.nouns and y.nouns and not same_noun and not (x.nouns & y.context and y.nouns & x.context) \
            and x.kind == "count":
        return 0  # each counts something the other does not mention ("three parties", "seven months")
    if (x.is_word or y.is_word) and not same_noun:
        return 0  # "one of the largest", "for the first time": number words only count with their noun
    if x.kind == "percent" and _other_wholes(whole_of(claim, x), y, whole_of(evidence, y), x):
        return 0  # "31 percent of Americans" / "22% of twentysomethings": shares of different wholes
    score = len(x.context & y.context) + sole + bool(x.nouns & y.nouns & CURRENCIES)
    if same_noun:
        score += 3 if cx & cy else 2
    elif x.nouns & y.context or y.nouns & x.context:
        score += 1
    if x.context & y.context and _same_slot(claim, evidence, x, y):
        score += 3
    said = scope(claim, x)
    if said is not None and said == scope(evidence, y):
        score += 2  # both said to be totals, or both of abroad: as a counted noun in common
    return score


_SHARE_OF = re.compile(r"\s+of\s+(?:(?:the|all|those|these|its|their|his|her|our|us|them)\s+)*", re.I)
WHOLE_TOKENS = 4  # tokens after "of" that name the whole a share is of
_PREPOSITION_WORDS = frozenset("in at on by with from to for of near than like across through via during".split())


def whole_of(text: str, q: Quantity) -> frozenset[str]:
    """What a share is a share of: the content words of the noun phrase after "of" ("31 percent of
    Americans": american; "32 percent of the U.S. market": market)."""
    m = _SHARE_OF.match(text, q.end)
    if m is None:
        return frozenset()
    out = set()
    for t in tokenize(text[m.end():m.end() + 50])[:WHOLE_TOKENS]:
        if t.text == ".":
            continue
        if not t.is_word or t.norm in STOPWORDS or t.norm in _PREPOSITION_WORDS:
            break
        if len(t.norm) > 1:
            out.add(noun_classes().get(lemma(t.text), lemma(t.text)))
    return frozenset(out)


def _other_wholes(wx: frozenset[str], y: Quantity, wy: frozenset[str], x: Quantity) -> bool:
    """Are two shares of different wholes ("31 percent of Americans" / "22% of twentysomethings"):
    no word in common, and none of either's said around the other figure?"""
    return bool(wx and wy) and not wx & wy and not wx & y.context and not wy & x.context


CURRENCIES = frozenset({"dollar", "euro", "pound"})
COMPATIBLE_SLACK = 1  # a compatible figure anchored this much less surely than the best still vouches
NEAR_VALUE = 0.05  # ...and a compatible figure this near in value vouches however it is anchored,
NEAR_VALUE_FLOOR = 100  # even unanchored when both are this large (a chance match of 138,078 is rare)
MIN_ANCHOR = 2  # anchor score a pair of figures needs before their difference is a conflict
# Share of pairs with a number conflict that were real contradictions, measured on the development
# pairs (VitaminC numeric + RTE-3 dev, similarity >= 0.25, 2026-11-21): 2,273 of 2,360 (0.963). By
# anchor score, 2: 151 of 155, 3: 207 of 215, 4 and more: 2,126 of 2,201: the score no longer sets it.
CONFIDENCE = 0.96


def _taken(claim: str, evidence: str, x: Quantity, y: Quantity, qa: list[Quantity]) -> bool:
    """Does another figure of the claim state ``y`` (a figure of the same kind, compatible, anchored
    to it: a point, an approximation "around 38 million" or an ordinal "the first quarter")? A bound
    ("less than $318.5 million") takes no figure: many satisfy it."""
    return any(o is not x and o.kind == y.kind and not o.is_bound and o.overlaps(y)
               and anchor(claim, evidence, o, y) > 0 for o in qa)


def with_unit(text: str, q: Quantity) -> tuple[int, int]:
    """The figure with the words of its own unit ("23-year-old", "five yards", "8.16 million
    euros"): whether the words around a figure line up is judged beyond them, since two figures of
    one unit share it whatever they are about."""
    end = q.end
    toks = [t for t in tokenize(text[q.end:q.end + 40])][:3]
    for t in toks:
        if t.text in ("-",) or (t.is_word and (lemma(t.text) in q.nouns or noun_classes().get(lemma(t.text)) in q.nouns
                                              or t.norm in q.nouns)):
            end = q.end + t.end
        else:
            break
    return q.start, end


def _scale_left_out(claim: str, evidence: str, x: Quantity, y: Quantity) -> bool:
    """The same digits, one with "million" and one without ("a record of $54.9" / "$54.9-million"):
    the writer left the scale out, as news copy often does."""
    same_digits = _plain(claim[x.num_span[0]:x.num_span[1]]) == _plain(evidence[y.num_span[0]:y.num_span[1]])
    ratio = max(x.value, y.value) / (min(x.value, y.value) or 1)
    return same_digits and any(abs(ratio - f) < 1e-6 * f for f in (1e3, 1e6, 1e9))


_CHANGE_AMOUNT = re.compile(r"\b(?:" + CHANGE_WORDS + r")\s+(?:by\s+)?$", re.I)
_LEVEL = re.compile(r"\b(?:to|from|at)\s+$", re.I)


def _role(text: str, q: Quantity) -> str | None:
    """"change" for an amount of change ("rise by $300", "slipped 48 cents"), "level" for where a
    figure went or came from ("to $2,800", "from $2,500"); None when neither shows."""
    before = text[max(0, q.start - 24):q.start]
    if _CHANGE_AMOUNT.search(before):
        return "change"
    return "level" if _LEVEL.search(before) else None


_WHOLE = re.compile(r"\bbetween them\b", re.I)


def _a_whole(text: str, q: Quantity) -> bool:
    """"Hodgson and Barkley missed six penalties between them": a figure its statement says is the
    sum over several."""
    _, hi = clause_of(text, (q.start, q.end))
    return bool(_WHOLE.search(text, q.end, hi))


_ONE_OF = re.compile(r"\bone\s+of\s+(?:the\s+|its\s+|their\s+)?$", re.I)
_MEMBERS = re.compile(r"(?:-(?:member|nation|country)\b|[-\s]strong\b)", re.I)


def _a_group(text: str, q: Quantity) -> bool:
    """"one of 17 countries still banning", "the 25-member European Union", "the 5,000-strong force":
    a figure that gives the size of a group its statement's thing is one of or belongs to."""
    return bool(_ONE_OF.search(text[max(0, q.start - 16):q.start]) or _MEMBERS.match(text, q.end))


def _other_role(claim: str, x: Quantity, evidence: str, y: Quantity) -> bool:
    """An amount of change against a level ("rise by $300" / "from $2,500"), a sum over several
    against a figure not said to be one ("missed six penalties between them" / "missed three
    penalties"), or a group's size against a count of some of it ("one of 17 countries" / "the two
    countries"; "the 25-member European Union" / "12 members of the European Union"): two different
    figures."""
    rx, ry = _role(claim, x), _role(evidence, y)
    return (rx is not None and ry is not None and rx != ry) or _a_whole(claim, x) != _a_whole(evidence, y) \
        or _a_group(claim, x) != _a_group(evidence, y)


_PART = re.compile(r"\b(?:other|remaining)\s+$", re.I)


def _a_part(text: str, q: Quantity) -> bool:
    """"the other two unions", "the remaining 40": a figure that counts what is left of a whole."""
    return bool(_PART.search(text[max(0, q.start - 12):q.start]))


TOTAL = "total"  # the class of number_nouns.tsv that says a figure is a sum (worldwide, overall, combined)
ABROAD = frozenset("outside abroad overseas internationally international foreign elsewhere".split())
OTHER_PLACES = frozenset("territories countries markets regions nations".split())
SCOPE_TOKENS = 3  # tokens on each side of a figure, within its own phrase, that can say its scope


_BRACKET_AFTER = re.compile(r"\s*\([^()]{0,30}\)")


@lru_cache(maxsize=1)
def _scope_word() -> re.Pattern:
    """The start of any word ``scope`` reads as saying a scope: the words of number_nouns.tsv's total
    class and their lemmas (a lemma begins its word; one ending in "y" may be "ies" written), abroad,
    "non-", "other". Where none stands near a figure, ``scope`` need not tokenize."""
    totals = [k[:-1] if k.endswith("y") else k for k, c in noun_classes().items() if c == TOTAL]
    return re.compile(r"\b(?:" + alternation([*totals, *ABROAD, "non-", "other"]) + ")", re.I)


@lru_cache(maxsize=8192)  # asked for every pair of figures
def scope(text: str, q: Quantity) -> str | None:
    """What a figure's own phrase says it covers: "total" ("$65.5 million worldwide", "a worldwide
    total of $34.5 million", "totaling $65,572,887") or "abroad" ("$300m outside the US", "$19.2
    million in other territories", "non-US takings of $19.35m"); None when it says neither. Not a scope
    said of the next figure: "$23 million in the US and a total of $32 million"."""
    if not _scope_word().search(text, max(0, q.start - 40), q.end + 60):
        return None  # no word of a scope near it: the common case, without tokenizing
    classes = noun_classes()

    def said(toks) -> str | None:
        for i, t in enumerate(toks[:SCOPE_TOKENS]):
            if not t.is_word or t.norm in ("and", "or"):
                return None
            if classes.get(lemma(t.text), classes.get(t.norm)) == TOTAL:
                return TOTAL
            if t.norm in ABROAD or t.norm.startswith("non-") \
                    or (t.norm == "other" and i + 1 < len(toks) and toks[i + 1].norm in OTHER_PLACES):
                return "abroad"
        return None
    after = _BRACKET_AFTER.match(text, q.end)  # "$300m (£160m) outside the US": the same figure converted
    return (said(tokenize(text[after.end() if after else q.end:q.end + 60]))
            or said(tokenize(text[max(0, q.start - 40):q.start])[::-1]))


def _other_scope(scopes: frozenset[str], claim: str, x: Quantity, evidence: str, y: Quantity) -> bool:
    """Where both sentences give a figure of a scope beside others ("$41.6m in North America ... a
    total of $48m"), a figure of that scope is the counterpart of one of it, and only of one."""
    sx, sy = scope(claim, x), scope(evidence, y)
    return any((sx == s) != (sy == s) for s in scopes)


def analyze(claim: str, evidence: str) -> list[Conflict]:
    qa = [q for q in find_quantities(claim) if not _a_part(claim, q)]
    qb = [q for q in find_quantities(evidence) if not _a_part(evidence, q)]
    scopes = (frozenset(scope(claim, q) for q in qa) & frozenset(scope(evidence, q) for q in qb)) - {None}
    out: list[Conflict] = []
    for x in qa:
        sole = sum(q.kind == x.kind for q in qa) == 1 and sum(q.kind == x.kind for q in qb) == 1
        scored = sorted(((anchor(claim, evidence, x, y, sole), i, y) for i, y in enumerate(qb)),
                        key=lambda t: (-t[0], t[1]))
        # A figure of the evidence that another figure of the claim states is that one's
        # counterpart, not this one's ("Peck, who was 87, ... wife of 48 years" / "wife of 48 years").
        anchored = [(s, y) for s, _, y in scored if s > 0 and not _taken(claim, evidence, x, y, qa)
                    and not _other_role(claim, x, evidence, y) and not _other_scope(scopes, claim, x, evidence, y)]
        if not anchored:
            continue
        best_score, best = anchored[0]
        if any(_vouches(x, y, s, best_score) for s, _, y in scored):
            continue
        if best_score < MIN_ANCHOR:
            continue
        if _scale_left_out(claim, evidence, x, best):
            continue
        local = anchored_words(claim, with_unit(claim, x), evidence, with_unit(evidence, best))
        out.append(Conflict("number", (x.start, x.end), (best.start, best.end), x.text, best.text,
                            CONFIDENCE, local=local))
    return out
