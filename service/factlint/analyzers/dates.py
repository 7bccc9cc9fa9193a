"""Dates and times: absolute dates, months, weekdays, years and relative expressions.

A date is an interval of days as precise as it is written ("2006" is the whole year, "May 2006" the
month), opened into a bound by the word before it ("before July 2006", "by 2016", "since 1998").
Relative expressions ("yesterday", "last month", "on Monday") become intervals too when the text's
own date is known (an article's publication date, a draft's date): "yesterday" in an article of
2020-01-05 is 2020-01-04. Two date mentions of one event conflict when their intervals are disjoint:
mentions in the same place of two aligned sentences, or else mentions that share the words around
them; unresolved relative expressions and weekdays conflict when they differ as written.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache

from ..models import Conflict
from ..text import STOPWORDS, align, lemma, tokenize

MONTHS = {m: i + 1 for i, m in enumerate(
    "january february march april may june july august september october november december".split())}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9
WEEKDAYS = {d: i for i, d in enumerate("monday tuesday wednesday thursday friday saturday sunday".split())}

_M = r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_D = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_Y = r"(?P<year>(?:1[89]|20)\d\d)"
_DECADE_WORDS = {w: 1900 + 10 * i for i, w in enumerate(
    "noughties tens twenties thirties forties fifties sixties seventies eighties nineties".split()) if i >= 2}
_PATTERNS = [
    re.compile(rf"\b{_M}\s+{_D}(?:\s?,?\s+{_Y})?\b", re.I),
    re.compile(rf"\b{_D}\s+(?:of\s+)?{_M},?(?:\s+{_Y})?\b", re.I),
    re.compile(rf"\b{_M},?\s+(?:of\s+)?{_Y}\b", re.I),  # "June 1866", "June of 1866"
    # a decade: "the 1950s", "the 1970's", "the late 1940s", "the fifties" (not "his fifties": an age)
    re.compile(r"\b(?:the\s+)?(?:(?:early|mid|late)[- ]?)?(?P<decade>(?:1[89]|20)\d0)(?:s|\s?['’]s)\b"
               r"|\bthe\s+(?:(?:early|mid|late)[- ]?)?(?P<decadeword>" + "|".join(_DECADE_WORDS) + r")\b", re.I),
    re.compile(r"\b(?P<iso>(?P<year>\d{4})-(?P<mon>\d{2})-(?P<day>\d{2}))\b"),
    re.compile(r"\b(?P<weekday>monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.I),
    re.compile(r"\b(?P<rel>last|this|next|past|earlier this|later this|previous)\s+"
               r"(?P<unit>week(?:end)?|month|year|decade|century|spring|summer|autumn|fall|winter)\b", re.I),
    re.compile(r"\b(?P<relday>yesterday|today|tomorrow|tonight)\b", re.I),
    re.compile(rf"\b(?:in|since|until|by|during|from|of|between|and|to|before|after|born|early|late|mid-?|"
               rf"spring|summer|autumn|fall|winter)\s*{_Y}\b", re.I),
    # a year as an adjective, its thing's date: "a 2004 American comedy film", "the 2010 election"
    re.compile(rf"\b(?P<det>a|an|the|its|his|her|their)\s+{_Y}(?=\s+[A-Za-z])", re.I),
    re.compile(rf"\b{_Y}(?=(?P<named>\s+[A-Z][a-z]+\s+[A-Z]))"),  # "in he 1979 Pan American Games"
    re.compile(rf"\b{_M}(?=\s+(?:this|last|next)\b|\s*[,.;]|\s+(?:when|as|after|before|and)\b)", re.I),
    # a month as one end of a span or a change ("from 51.5 percent in May to 52.9 percent in June",
    # "from March to May"), capitalized: "march to the capital", "may to" are verbs
    re.compile(r"\b(?P<month>(?:Jan|Feb|Mar|Apr|Aug|Sept?|Oct|Nov|Dec)[a-z]*|May|June?|July?)\.?(?=\s+(?:to|through|until|till)\b)"),
]
# The patterns above that match only where a text has four digits in a row (a year must be there):
# not tried on a text without any, the common case.
_FOUR_DIGITS = re.compile(r"\d{4}")
_NEED_YEAR = frozenset(_PATTERNS[i] for i in (2, 4, 8, 9, 10))


CONTEXT_WORDS = 7  # content words on each side of a date that say what happened then
# Confidence of a date conflict by how the two mentions were paired: in the same place of the
# aligned sentences, or by the words around them. Measured on the development pairs (VitaminC
# numeric + RTE-3 dev, similarity >= 0.25, 2026-11-21): 225 of 230 and 226 of 238 right. Relative
# mentions compared as written ("last week" / "yesterday"): a prior, the development pairs hold none.
SLOT_CONFIDENCE = 0.98
ANCHORED_CONFIDENCE = 0.95
UNRESOLVED_CONFIDENCE = 0.7
MIN_DATE_ANCHOR = 3  # words around two dates (one more when each is its sentence's only date) that pair them
_SPAN_AFTER = re.compile(r"\s?[/\-–\ufffd]\s?\d")  # "2013/14", "1998-99": a span of seasons
_SPAN_BEFORE = re.compile(r"\d\s?[/\-–\ufffd]\s?$")


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    text: str
    year: int | None = None
    month: int | None = None
    day: int | None = None
    weekday: int | None = None
    relative: str | None = None  # "last month", "yesterday": compared as written unless resolved
    bound: str | None = None  # "before" (ends before the date), "by" (ends within it), "after", "since"
    days: tuple[int, int] | None = None  # a relative mention resolved against its text's date (ordinals)
    decade: int | None = None  # "the 1950s", "the fifties": 1950

    def fields(self) -> dict:
        return {k: v for k, v in (("year", self.year), ("month", self.month), ("day", self.day),
                                  ("weekday", self.weekday), ("relative", self.relative),
                                  ("decade", self.decade)) if v is not None}


def _mention(m: re.Match) -> DateMention:
    g = {k: v for k, v in m.groupdict().items() if v}
    month = MONTHS.get(g["month"].lower().rstrip(".")) if "month" in g else (int(g["mon"]) if "mon" in g else None)
    day = int(g["day"]) if "day" in g and 1 <= int(g["day"]) <= 31 else None
    year = int(g["year"]) if "year" in g else None
    # A year standing after "in/since/..." is matched with its preposition: point at the year only.
    start = m.start("year") if set(g) == {"year"} or "det" in g or "named" in g else m.start()
    rel = None
    if "rel" in g:
        rel = f"{g['rel'].lower()} {g['unit'].lower()}"
    elif "relday" in g:
        rel = g["relday"].lower()
    weekday = WEEKDAYS.get(g["weekday"].lower()) if "weekday" in g else None
    decade = int(g["decade"]) if "decade" in g else _DECADE_WORDS.get(g.get("decadeword", "").lower())
    return DateMention(start, m.end(), m.string[start:m.end()], year, month, day, weekday, rel, decade=decade)


BOUNDS = {"before": "before", "prior to": "before", "earlier than": "before", "by": "by",
          "until": "by", "till": "by", "up to": "by", "no later than": "by", "through": "by",
          "after": "after", "later than": "after", "since": "since", "from": "since"}
_BOUND = re.compile(r"\b(" + "|".join(sorted(map(re.escape, BOUNDS), key=len, reverse=True))
                    + r")\s+(?:the\s+)?(?:(?:end|start|beginning)\s+of\s+(?:the\s+)?)?$", re.I)


def _bound(text: str, start: int) -> str | None:
    m = _BOUND.search(text[max(0, start - 40):start])
    return BOUNDS[m.group(1).lower()] if m else None


def find_dates(text: str) -> list[DateMention]:
    """Date mentions, longest first where they overlap, in text order."""
    return list(_find_dates(text))


@lru_cache(maxsize=8192)  # corpus sentences come back as evidence for many claims
def _find_dates(text: str) -> tuple[DateMention, ...]:
    found: list[DateMention] = []
    skip = () if _FOUR_DIGITS.search(text) else _NEED_YEAR
    for pattern in _PATTERNS:
        if pattern in skip:
            continue
        for m in pattern.finditer(text):
            d = _mention(m)
            if (d.year or d.month or d.relative or d.weekday is not None or d.decade) and not (m.groupdict().get("det") or m.groupdict().get("named")):
                d = replace(d, bound=_bound(text, d.start))  # "after the 1986 catastrophe" bounds the catastrophe
            if not d.fields():
                continue
            if any(d.start < f.end and f.start < d.end for f in found):
                continue
            found.append(d)
    return tuple(sorted(found, key=lambda d: d.start))


def _overlapping(mentions: list[DateMention], span: tuple[int, int]) -> list[DateMention]:
    s, e = span
    return [d for d in mentions if d.start < e and s < d.end] if e > s else \
        [d for d in mentions if d.start <= s <= d.end]


def conflicting_fields(a: DateMention, b: DateMention) -> list[str]:
    fa, fb = a.fields(), b.fields()
    return [k for k in fa if k in fb and fa[k] != fb[k]]


def _month_days(year: int, month: int) -> tuple[int, int]:
    return date(year, month, 1).toordinal(), date(year, month, calendar.monthrange(year, month)[1]).toordinal()


def _relative_days(d: DateMention, ref: date) -> tuple[int, int] | None:
    """The days a relative mention means in a text dated ``ref``; None when it is too vague."""
    day = ref.toordinal()
    if d.relative in ("today", "tonight"):
        return day, day
    if d.relative in ("yesterday", "tomorrow"):
        day += -1 if d.relative == "yesterday" else 1
        return day, day
    if d.weekday is not None and d.relative is None:
        # "on Monday" in a news report: the last such day up to the report's date.
        back = (ref.weekday() - d.weekday) % 7
        return day - back, day - back
    if not d.relative:
        return None
    which, _, unit = d.relative.rpartition(" ")
    step = {"last": -1, "previous": -1, "past": -1, "this": 0, "earlier this": 0, "later this": 0,
            "next": 1}.get(which)
    if step is None:
        return None
    if unit == "week":
        if which == "past":
            return day - 7, day - 1
        monday = day - ref.weekday() + 7 * step
        return monday, monday + 6
    if unit == "month":
        if which == "past":
            return day - 31, day - 1
        month = ref.year * 12 + ref.month - 1 + step
        return _month_days(month // 12, month % 12 + 1)
    if unit == "year":
        if which == "past":
            return day - 365, day - 1
        return date(ref.year + step, 1, 1).toordinal(), date(ref.year + step, 12, 31).toordinal()
    return None  # weekends, seasons, decades: too loose to compare


def resolve(mentions: list[DateMention], ref: date | None) -> list[DateMention]:
    """The mentions with relative ones ("yesterday", "last month", "on Monday") read against the
    text's own date ``ref``; unchanged without one."""
    if ref is None:
        return mentions
    return [replace(d, days=_relative_days(d, ref)) if d.relative or d.weekday is not None else d
            for d in mentions]


def interval(d: DateMention, year: int | None = None) -> tuple[int, int] | None:
    """First and last day (ordinals) the mention can mean, its bound applied; None if undated."""
    if d.days is not None:
        return _bounded(*d.days, d.bound)
    if d.decade is not None:
        return _bounded(date(d.decade, 1, 1).toordinal(), date(d.decade + 9, 12, 31).toordinal(), d.bound)
    year = d.year or year
    if year is None:
        return None
    try:
        if d.month and d.day:
            lo = hi = date(year, d.month, d.day).toordinal()
        elif d.month:
            lo = date(year, d.month, 1).toordinal()
            hi = date(year, d.month, calendar.monthrange(year, d.month)[1]).toordinal()
        elif d.year and not d.day:
            lo, hi = date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal()
        else:
            return None
    except ValueError:
        return None
    return _bounded(lo, hi, d.bound)


def _bounded(lo: int, hi: int, bound: str | None) -> tuple[int, int]:
    """The days lo..hi opened by a bound word: "before" ends before lo, "by" ends at hi, "after"
    starts after hi, "since" starts at lo."""
    far = 10 ** 7
    return {"before": (-far, lo - 1), "by": (-far, hi), "after": (hi + 1, far),
            "since": (lo, far)}.get(bound or "", (lo, hi))


def _year(d: DateMention) -> int | None:
    return date.fromordinal(d.days[0]).year if d.days else None


def _dated(d: DateMention) -> bool:
    return bool(d.year or d.month or d.days or d.decade)


def disagree(a: DateMention, b: DateMention) -> bool:
    """Can the two mentions not mean the same time?"""
    if a.days and b.days and a.text.lower() == b.text.lower():
        return False  # "this week" in two reports: each in its own week, maybe of two events
    if (a.days or b.days) and _dated(a) and _dated(b):
        ia, ib = interval(a, b.year or _year(b)), interval(b, a.year or _year(a))
        if ia is None or ib is None:
            return False
        return ia[1] < ib[0] or ib[1] < ia[0]
    if (a.year or a.month or a.decade) and (b.year or b.month or b.decade):
        if a.year is None and b.year is None and not (a.decade or b.decade):
            ia, ib = interval(a, 2000), interval(b, 2000)
        else:
            ia, ib = interval(a, b.year), interval(b, a.year)
        if ia is None or ib is None:
            return False
        return ia[1] < ib[0] or ib[1] < ia[0]
    return bool(conflicting_fields(a, b)) and not a.bound and not b.bound


def _detail(x: DateMention, y: DateMention) -> str:
    """How resolved relative mentions were read, for the message."""
    said = [f"'{d.text}' is {_days_text(d.days)}" for d in (x, y) if d.days]
    return "read against the texts' dates: " + ", ".join(said) if said else ""


def _days_text(days: tuple[int, int]) -> str:
    lo, hi = (date.fromordinal(o).isoformat() for o in days)
    return lo if lo == hi else f"{lo} to {hi}"


def _confidence(x: DateMention, y: DateMention, anchored: bool) -> float:
    if (x.relative or y.relative or x.weekday is not None or y.weekday is not None) and not (x.days or y.days):
        return UNRESOLVED_CONFIDENCE
    return ANCHORED_CONFIDENCE if anchored else SLOT_CONFIDENCE


def analyze(claim: str, evidence: str, claim_date: date | None = None,
            evidence_date: date | None = None) -> list[Conflict]:
    """Date conflicts; ``claim_date`` and ``evidence_date`` (the texts' own dates, when known) resolve
    relative mentions in each."""
    da, db = resolve(find_dates(claim), claim_date), resolve(find_dates(evidence), evidence_date)
    if not da or not db:
        return []
    found: list[tuple[Conflict, DateMention, DateMention]] = []
    candidates: dict[DateMention, list[DateMention]] = {}
    for diff in align(claim, evidence).diffs:
        if not diff.a or not diff.b:
            continue
        sa = (diff.a[0].start, diff.a[-1].end)
        sb = (diff.b[0].start, diff.b[-1].end)
        for x in _overlapping(da, sa):
            if not _in_span(claim, x):
                candidates.setdefault(x, []).extend(y for y in _overlapping(db, sb) if not _in_span(evidence, y))
    for x, ys in list(candidates.items()):
        cx = _context(claim, x)
        ys = [y for y in _of_life_end(evidence, cx, ys, db) if _placed(x, y)]
        if not ys:  # only a less precise date there ("after August 5" / "the 2018 Shield"): pair by words
            del candidates[x]
            continue
        # One agreeing date in the same place is enough: "before 1999" vs "since 1998, ... since 2005".
        if not all(disagree(x, y) for y in ys):
            continue
        y = ys[0]
        if any(not disagree(x, z) and _placed(x, z) and len(cx & _context(evidence, z)) >= 2 for z in db):
            continue  # the evidence dates the claim's event as the claim does, elsewhere in it
        if _taken(claim, evidence, x, y, da):
            continue
        found.append((Conflict("date", (x.start, x.end), (y.start, y.end), x.text, y.text,
                               _confidence(x, y, False), detail=_detail(x, y)), x, y))
    for x in da:
        if candidates.get(x) or not _dated(x) or _in_span(claim, x):
            continue  # compared in its place already, or undated
        y = _anchored(claim, evidence, x, da, db)
        if y is not None:
            found.append((Conflict("date", (x.start, x.end), (y.start, y.end), x.text, y.text,
                                   _confidence(x, y, True), detail=_detail(x, y)), x, y))
    if claim_date is None and evidence_date is None:
        # Neither text's own date is known: "yesterday" in one and "today" in the other may be the
        # same day, written on two days. Said, but as a note. A weekday that dates one event the
        # same way on both sides ("voted on Tuesday" / "voted on Sunday") is compared as written;
        # one that dates a report or a state ("officials said Tuesday", "as of Monday") or another
        # verb is the day each text was written about.
        return [replace(c, severity="note", detail="relative dates of two undated texts")
                if c.confidence == UNRESOLVED_CONFIDENCE
                and (x.relative or y.relative or not _one_event(claim, x, evidence, y)) else c
                for c, x, y in found]
    return [c for c, _, _ in found]


REPORTING = frozenset("say said says tell told announce announced report reported add added state stated "
                      "confirm confirmed suggest suggested".split())
_DAY_LEAD = frozenset("early late last this next".split())  # "late Friday": a time of a report


def _verb_before(text: str, d: DateMention) -> str | None:
    """The word a date follows, past "on": "voted" in "voted on Tuesday"."""
    for t in reversed(tokenize(text[:d.start])):
        if t.norm == "on":
            continue
        return lemma(t.text) if t.is_word and not t.is_capitalized and t.norm not in _DAY_LEAD else None
    return None


def _one_event(claim: str, x: DateMention, evidence: str, y: DateMention) -> bool:
    """Do the two dates follow the same verb, not a report's ("voted on Tuesday" / "voted on Sunday",
    not "said Tuesday" / "said Wednesday" nor "as of Monday")?"""
    vx, vy = _verb_before(claim, x), _verb_before(evidence, y)
    return vx is not None and vx == vy and vx not in REPORTING and vx not in STOPWORDS \
        and vx not in ("of", "by", "until", "through", "since", "from")


def _context(text: str, d: DateMention) -> frozenset[str]:
    toks = tokenize(text)
    before = [t for t in toks if t.end <= d.start and t.is_word and t.norm not in STOPWORDS
              and t.norm not in BOUNDS and t.norm not in MONTHS]
    after = [t for t in toks if t.start >= d.end and t.is_word and t.norm not in STOPWORDS
             and t.norm not in MONTHS]
    return frozenset(lemma(t.text) for t in before[-CONTEXT_WORDS:] + after[:CONTEXT_WORDS])


def _in_span(text: str, d: DateMention) -> bool:
    """Is the mention one end of a span of years or seasons ("2013/14", "1998-99")?"""
    return bool(_SPAN_AFTER.match(text, d.end) or _SPAN_BEFORE.search(text[max(0, d.start - 3):d.start]))


_BIRTH = frozenset({"born", "birth"})
_DEATH = frozenset({"die", "died", "death"})
_BORN_DIED = re.compile(r"\b(born|died)\s+(?:on\s+|in\s+)?$", re.I)
_LIFE_DASH = re.compile(r"\s*(?:[–—]|-{1,2})\s*$")


def _life_end(text: str, d: DateMention, dates: list[DateMention]) -> str | None:
    """Is the date one end of a life span, two full dates joined by a dash ("(12 June 1875 – 1
    December 1947)")? "birth" for the first, "death" for the second; and a date said right after
    "born" or "died" ("(born July 20, 1947)") is that end."""
    said = _BORN_DIED.search(text[max(0, d.start - 16):d.start])
    if said:
        return "birth" if said.group(1).lower() == "born" else "death"
    for other in dates:
        if other is d or not (other.year and d.year and other.day and d.day):
            continue
        if other.start >= d.end and _LIFE_DASH.match(text[d.end:other.start] + " ") and \
                len(text[d.end:other.start].strip()) <= 2:
            return "birth"
        if d.start >= other.end and len(text[other.end:d.start].strip()) <= 2 and \
                _LIFE_DASH.match(text[other.end:d.start] + " "):
            return "death"
    return None


def _placed(x: DateMention, z: DateMention) -> bool:
    """Can ``z`` vouch for ``x``: the two placed on one calendar, and ``z`` at least as precise (not a
    decade against a day or month of no year, "released on November 13" / "the late 1980s"; nor a
    year against a day, "November 13" / "the 2010 game")?"""
    if z.relative or z.weekday is not None or z.days:
        return True  # "later this month": it may be the same day
    if (x.decade and not (z.year or z.decade)) or (z.decade and not (x.year or x.decade)):
        return False
    return not ((x.day and not z.day) or (x.month and not z.month))


def _of_life_end(evidence: str, cx: frozenset[str], ys: list[DateMention], db: list[DateMention]) -> list[DateMention]:
    """The counterparts of a claim's date among the evidence dates ``ys`` (of all ``db``): the end of
    a life span that the claim's words (``cx``) ask for, wherever the alignment put it ("born on
    October 12, 1875" / "(12 June 1875 – 1 December 1947)": its first end); ``ys`` when the claim
    asks for neither end or no life span is there."""
    end = "birth" if cx & _BIRTH else "death" if cx & _DEATH else None
    ends = [y for y in db if end and _life_end(evidence, y, db) == end]
    return ends or ys


def _anchored(claim: str, evidence: str, x: DateMention, da: list[DateMention],
              db: list[DateMention]) -> DateMention | None:
    """The evidence date that says when the claim's event ``x`` happened, if it disagrees with ``x``
    and no other evidence date of that event agrees: dates of one event share the words around them
    ("born after January 1973" / "born on August 7, 1972"); a sentence with one dated mention each counts once more."""
    dated = [y for y in db if _dated(y) and not _in_span(evidence, y)]
    sole = len([d for d in da if _dated(d)]) == 1 and len(dated) == 1
    cx = _context(claim, x)
    ends = _of_life_end(evidence, cx, dated, db)
    life = ends is not dated  # the end of a life span the claim asks for anchors as a shared word does
    # one word dated right before both ("was established in 1993" / "was established on June 4,
    # 1992") anchors them as a second shared word does
    verb = _dated_verb(claim, x, da)
    scored = [(len(cx & _context(evidence, y)) + sole + life
               + (verb is not None and verb == _dated_verb(evidence, y, db)), y) for y in ends]
    scored = [(s, y) for s, y in scored if s > 0]
    if not scored:
        return None
    best_score, best = max(scored, key=lambda t: t[0])
    if best_score < MIN_DATE_ANCHOR or any(not disagree(x, y) and s >= best_score - 1 for s, y in scored):
        return None
    if any(z is not x and z.day and best.day and not disagree(z, best) for z in da):
        return None  # the claim gives the evidence's day to another event ("on 16 January, with the
        # Oscars following on 27 February" / "The Academy Awards are taking place on 27 February")
    return best if disagree(x, best) and not _taken(claim, evidence, x, best, da) else None


_DATING = frozenset("in on at during".split())  # the words between a verb and the date it dates


_JOINED_DATE = re.compile(r"\s*(?:,\s*)?(?:and|or|to)?\s*(?:early|late|mid|the)?\s*$", re.I)


def _dated_verb(text: str, d: DateMention, dates: list[DateMention]) -> str | None:
    """The word a date is said of right before it, past "in" or "on" ("established [in] 1993"); of a
    date joined to one before it, that one's ("developed in the late 1960s and early 1970s")."""
    joined = [z for z in dates if z.end <= d.start and _JOINED_DATE.fullmatch(text, z.end, d.start)]
    if joined:
        return _dated_verb(text, joined[-1], dates)
    before = tokenize(text[:d.start])[-3:]
    while before and before[-1].norm in _DATING:
        before = before[:-1]
    word = before[-1] if before else None
    if word is None or not word.is_word or word.norm in STOPWORDS or (word.start and text[word.start - 1].isdigit()):
        return None  # not a word of its own: "£2.9bn in October" dates a figure
    return lemma(word.text)


def _taken(claim: str, evidence: str, x: DateMention, y: DateMention, da: list[DateMention]) -> bool:
    """Does another date ``z`` of the claim date the figure the evidence's ``y`` dates (the same
    figure right before both, agreeing dates), a figure ``x`` does not have? Then ``y`` is ``z``'s
    counterpart, not ``x``'s: a change dated at both ends ("from 3.03 million in 2001 to 2.92
    million in 2002" / "dropped to 2.92 million in 2002 from 3.03 million a year earlier")."""
    fy = _figures_before(evidence, y)
    return bool(fy) and not fy & _figures_before(claim, x) and any(
        z is not x and not disagree(z, y) and fy & _figures_before(claim, z) for z in da)


def _figures_before(text: str, d: DateMention) -> set[str]:
    """The figures among the three tokens before a date ("2.92 million in 2002": {"2.92"})."""
    return {t.norm for t in tokenize(text[:d.start])[-3:] if t.text[0].isdigit()}
