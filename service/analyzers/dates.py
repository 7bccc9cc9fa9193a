"""Dates and times: absolute dates, months, weekdays, years and relative expressions.

Two date mentions conflict when they stand in the same place of two aligned sentences and a
field both of them state (year, month, day, weekday, relative unit) differs.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..models import Conflict
from ..text import align

MONTHS = {m: i + 1 for i, m in enumerate(
    "january february march april may june july august september october november december".split())}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9
WEEKDAYS = {d: i for i, d in enumerate("monday tuesday wednesday thursday friday saturday sunday".split())}

_M = r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_D = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_Y = r"(?P<year>(?:1[89]|20)\d\d)"
_PATTERNS = [
    re.compile(rf"\b{_M}\s+{_D}(?:,?\s+{_Y})?\b", re.I),
    re.compile(rf"\b{_D}\s+(?:of\s+)?{_M},?(?:\s+{_Y})?\b", re.I),
    re.compile(rf"\b{_M},?\s+{_Y}\b", re.I),
    re.compile(r"\b(?P<iso>(?P<year>\d{4})-(?P<mon>\d{2})-(?P<day>\d{2}))\b"),
    re.compile(r"\b(?P<weekday>monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.I),
    re.compile(r"\b(?P<rel>last|this|next|past|earlier this|later this|previous)\s+"
               r"(?P<unit>week(?:end)?|month|year|decade|century|spring|summer|autumn|fall|winter)\b", re.I),
    re.compile(r"\b(?P<relday>yesterday|today|tomorrow|tonight)\b", re.I),
    re.compile(rf"\b(?:in|since|until|by|during|from|of|between|and|to|before|after)\s+{_Y}\b", re.I),
    re.compile(rf"\b{_M}(?=\s+(?:this|last|next)\b|\s*[,.;]|\s+(?:when|as|after|before|and)\b)", re.I),
]


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    text: str
    year: int | None = None
    month: int | None = None
    day: int | None = None
    weekday: int | None = None
    relative: str | None = None  # "last month", "yesterday": compared as written

    def fields(self) -> dict:
        return {k: v for k, v in (("year", self.year), ("month", self.month), ("day", self.day),
                                  ("weekday", self.weekday), ("relative", self.relative)) if v is not None}


def _mention(m: re.Match) -> DateMention:
    g = {k: v for k, v in m.groupdict().items() if v}
    month = MONTHS.get(g["month"].lower().rstrip(".")) if "month" in g else (int(g["mon"]) if "mon" in g else None)
    day = int(g["day"]) if "day" in g and 1 <= int(g["day"]) <= 31 else None
    year = int(g["year"]) if "year" in g else None
    # A year standing after "in/since/..." is matched with its preposition: point at the year only.
    start = m.start("year") if set(g) == {"year"} else m.start()
    rel = None
    if "rel" in g:
        rel = f"{g['rel'].lower()} {g['unit'].lower()}"
    elif "relday" in g:
        rel = g["relday"].lower()
    weekday = WEEKDAYS.get(g["weekday"].lower()) if "weekday" in g else None
    return DateMention(start, m.end(), m.string[start:m.end()], year, month, day, weekday, rel)


def find_dates(text: str) -> list[DateMention]:
    """Date mentions, longest first where they overlap, in text order."""
    found: list[DateMention] = []
    for pattern in _PATTERNS:
        for m in pattern.finditer(text):
            d = _mention(m)
            if not d.fields():
                continue
            if any(d.start < f.end and f.start < d.end for f in found):
                continue
            found.append(d)
    return sorted(found, key=lambda d: d.start)


def describe(d: DateMention) -> str:
    return d.text


def _overlapping(mentions: list[DateMention], span: tuple[int, int]) -> list[DateMention]:
    s, e = span
    return [d for d in mentions if d.start < e and s < d.end] if e > s else \
        [d for d in mentions if d.start <= s <= d.end]


def conflicting_fields(a: DateMention, b: DateMention) -> list[str]:
    fa, fb = a.fields(), b.fields()
    return [k for k in fa if k in fb and fa[k] != fb[k]]


def analyze(claim: str, evidence: str) -> list[Conflict]:
    da, db = find_dates(claim), find_dates(evidence)
    if not da or not db:
        return []
    out: list[Conflict] = []
    seen: set[tuple[int, int]] = set()
    for diff in align(claim, evidence).diffs:
        sa = (diff.a[0].start, diff.a[-1].end) if diff.a else None
        sb = (diff.b[0].start, diff.b[-1].end) if diff.b else None
        if not sa or not sb:
            continue
        for x in _overlapping(da, sa):
            for y in _overlapping(db, sb):
                if (x.start, y.start) in seen:
                    continue
                bad = conflicting_fields(x, y)
                if bad:
                    seen.add((x.start, y.start))
                    out.append(Conflict("date", (x.start, x.end), (y.start, y.end), x.text, y.text,
                                        0.85 if "relative" not in bad else 0.7))
    return out
