"""Compare: run every analyzer on a (claim, evidence) pair and keep one explanation per place."""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import date
from functools import lru_cache
from types import MappingProxyType
from typing import Literal

from .analyzers import ANALYZERS, places
from .analyzers.dates import MONTHS, disagree, find_dates
from .analyzers.entities import NAME_SWAP_DETAIL
from .analyzers.names import EQUIVALENT, Name, find_names, mentioned, names_of, same_referent
from .analyzers.numbers import CHANGE_WORDS, CURRENCIES, find_quantities, scope as figure_scope, whole_of
from .config import CheckSettings
from .models import Conflict
from .text import STOPWORDS, align, anchored, clause_of, clauses, content_words, lemma, overlaps, tokenize

Relation = Literal["contradiction", "consistent", "unrelated"]
Article = Callable[[], "str | None"]  # a sentence's own article (title and text), read only when a rule asks
FIGURE_KINDS = frozenset({"number", "date"})


# Analyzers whose conflicts are never anchored on their own words (Conflict.local), so never count
# against a related sentence that is not comparable with the claim: not run against one.
NEVER_LOCAL = frozenset({"date", "negation"})


def find_conflicts(claim: str, evidence: str, claim_date: date | None = None,
                   evidence_date: date | None = None, local_only: bool = False,
                   article: Article | None = None, draft: str | None = None) -> list[Conflict]:
    """All conflicts between two sentences that pass the same-fact gate, most specific analyzer
    first; where two analyzers explain overlapping words of the claim, only the first explanation is
    kept. The texts' own dates (when known) let the date analyzer read "yesterday" or "last month".
    ``local_only``: only the analyzers that can find a difference anchored on its own words.
    ``article``: the evidence's whole article, when the caller has it (the checker does), which says
    who the evidence's pronouns and common nouns can stand for; ``draft``: the text the claim
    stands in (a draft being checked), which says the same of the claim's."""
    kept: list[Conflict] = []
    for kind, analyze in ANALYZERS:
        if local_only and kind in NEVER_LOCAL:
            continue
        found = analyze(claim, evidence, claim_date, evidence_date) if kind == "date" else analyze(claim, evidence)
        for c in found:
            if not any(overlaps(c.claim_span, k.claim_span) and overlaps(c.evidence_span, k.evidence_span)
                       for k in kept):
                kept.append(c)
    proposed = _second_difference(claim, evidence, kept)
    gated = [c for c in proposed if same_fact(claim, evidence, c, article, draft)]
    return _other_readings(claim, _standards_of_another_fact(claim, evidence, gated, proposed), proposed)


# --- the same-fact gate ----------------------------------------------------------------------------
# Two statements conflict only when they are about the same fact: the one slot that differs (a
# figure, a date, a word, a name) is said of the same referent at the same time. The analyzers
# propose differences; this gate, in front of all of them, drops those whose statements are about
# different referents ("India's economy grew 6.9%" / "China's economy grew 9.5%") or different times
# ("grew 6.9% in 2004" / "grew 9.5% in 2005").

_PREPOSITIONS = frozenset("in at from to for of with on by against into over under near than like between "
                          "across through via after before during".split())


SUBJECT_LEAD = 2  # tokens that may stand before a subject in its clause ("While the US claims...")


_CONVERTED = re.compile(r"\d[\d,.]*(?:\s+[^\W\d_]+)?\s*\($")  # "2,236 miles (": the figure a bracket converts


def referent(text: str, span: tuple[int, int], other: str = "") -> Name | None:
    """The name the words at ``span`` are said of, within their statement (clause): a name inside
    the slot's own noun phrase ("5,000 American troops"), else the statement's subject: a name
    that opens the clause before the slot ("India's economy grew 6.9%", "Kevin Rollins, Dell's
    president, received..."), also after a phrase that opens it ("In 2004, India's economy grew
    6.9%"; not when a comma still comes between the name and the slot: "Recorded with many
    producers, including Poke & Tone, it was released..."). None when the statement is about a
    pronoun or a common noun ("It was released on...", "On Rotten Tomatoes, the film holds..."):
    who it is cannot be told. A figure
    in brackets right after another ("2,236 miles (3,598 kilometers)") is that one in other units,
    said of what it is said of."""
    lo, hi = clause_of(text, span)
    converts = _CONVERTED.search(text, 0, lo)
    if converts:
        lo = clause_of(text, converts.span())[0]
    names = [n for n in find_names(text, other) if lo <= n.start < hi and not (n.start < span[1] and span[0] < n.end)]
    follows = [n for n in names if _own_name(text, span, n)]
    if follows:
        return follows[0]
    for n in names:
        if n.end > span[0]:
            break
        lead = tokenize(text[lo:n.start])
        if _subject_lead(lead):
            return n
        commas = [i for i, t in enumerate(lead) if t.text == ","]
        if commas and _subject_lead(lead[commas[-1] + 1:]) and "," not in text[n.end:span[0]]:
            return n  # after the phrase that opens the statement: "In 2004, India's economy grew 6.9%"
    return None


def _subject_lead(lead) -> bool:
    """Can the tokens ``lead`` stand before a statement's subject: a word or two that are no
    preposition ("While the US claims"), or a noun its subject owns ("Shares in Cairn Energy")?"""
    return (len(lead) <= SUBJECT_LEAD and not any(t.norm in _PREPOSITIONS for t in lead)) or _owned_subject(lead)


_OWNING = frozenset({"in", "of", "at"})


def _owned_subject(lead) -> bool:
    """Is the lead a subject noun owned by the name after it ("Shares in Cairn Energy", "Profits at
    Tesco", "The price of oil")? Then the statement is about that name: not "In London, ..."."""
    words = [t for t in lead if t.is_word]
    return (len(words) == len(lead) and 2 <= len(words) <= SUBJECT_LEAD + 1 and words[-1].norm in _OWNING
            and not any(t.norm in _PREPOSITIONS for t in words[:-1]) and words[-2].norm not in STOPWORDS)


def _other_referents(claim: str, evidence: str, c: Conflict) -> bool:
    """Are the two slots said of different referents: each names its own (its subject, or the name
    right after it), they are not one referent, and neither is mentioned in the other sentence at all
    ("India's economy grew 6.9%" / "China's economy grew 9.5%"; "a defeat to Taylor Dent" / "victory
    over Ivo Minar")? A referent the other sentence names elsewhere may be what its pronoun or noun
    ("the film", "his") stands for."""
    for ra, rb in ((referent(claim, c.claim_span, evidence), referent(evidence, c.evidence_span, claim)),
                   (_object(claim, c.claim_span, evidence), _object(evidence, c.evidence_span, claim))):
        if ra is None or rb is None or same_referent(ra.key, rb.key):
            continue
        if _own_name(claim, c.claim_span, ra) and _own_name(evidence, c.evidence_span, rb):
            return True  # "the 2002 Olympic Winter games" / "the 1998 Winter Paralympics": two things dated
        if not _mentioned_as_itself(ra.key, evidence, claim) and not _mentioned_as_itself(rb.key, claim, evidence):
            return True
    return False


def _own_name(text: str, span: tuple[int, int], n: Name) -> bool:
    """Is ``n`` the name right after the slot, in its own noun phrase ("5,000 American troops")?"""
    return n.start >= span[1] and not tokenize(text[span[1]:n.start])


def _mentioned_as_itself(key: str, text: str, other: str) -> bool:
    """Is the referent named in ``text`` other than as the owner of something else ("Dell's president"
    names Dell's president, not Dell)?"""
    return any(not _owner(text, n) for n in names_of(key, text, other))


KIN = ("son daughter wife husband widow widower brother sister father mother niece nephew uncle aunt cousin "
       "grandson granddaughter").split()
_RELATION_OF = re.compile(r"\b(?:" + "|".join(KIN) + r")\s+of\s+(?:the\s+)?(?:late\s+)?$")


def _owner(text: str, n: Name) -> bool:
    """A name that says whose something is: a possessive before a common noun ("Dell's president",
    "the CDC's deputy"), or after a kin word and "of" ("niece of the late Charles de Gaulle")."""
    if _RELATION_OF.search(text[max(0, n.start - 40):n.start]):
        return True
    if not n.tokens[-1].norm.endswith("'s"):
        return False
    nxt = _next_token(text, n.end)
    return nxt is not None and nxt.is_word and not nxt.is_capitalized


def _next_token(text: str, pos: int):
    """The token that starts after ``pos`` (within the next 30 characters), if any."""
    return next(iter(tokenize(text[pos:pos + 30])), None)


OBJECT_TOKENS = 3  # tokens after a slot within which a name is what the slot is of or against


def _object(text: str, span: tuple[int, int], other: str = "") -> Name | None:
    """The name right after the slot in its statement ("defeat to Taylor Dent", "victory over Ivo
    Minar"): what it is of, to or against. Not past a comma or a bracket: "Labour have 51, the
    Conservatives have 22" lists the next item."""
    lo, hi = clause_of(text, span)
    for n in find_names(text, other):
        if span[1] <= n.start < hi:
            between = tokenize(text[span[1]:n.start])
            return n if len(between) <= OBJECT_TOKENS and all(t.is_word for t in between) else None
    return None


DURATIONS = frozenset({"day", "week", "month", "year", "hour", "minute", "decade", "season"})


def _times(text: str, span: tuple[int, int]) -> tuple[list, list]:
    """The times a statement gives itself: its dates (not bounds: "by April 24" may be counted on
    April 25) and weekdays, and the spans of time its figures count ("in the past six weeks")."""
    lo, hi = clause_of(text, span)
    dates = [d for d in find_dates(text) if lo <= d.start < hi and not d.bound and not d.relative
             and (d.year or d.month or d.weekday is not None) and not (d.start < span[1] and span[0] < d.end)]
    spans = [q for q in find_quantities(text) if lo <= q.start < hi and q.nouns & DURATIONS
             and not (q.start < span[1] and span[0] < q.end)]
    return dates, spans


_EARLIER = re.compile(
    r"\b(?:(?:last|previous|prior|preceding)\s+(?:fiscal\s+|financial\s+)?(?:year|quarter|month|week)"
    r"|(?:a|one|the)\s+(?:year|quarter|month|week)\s+(?:earlier|ago|before)|year-(?:ago|earlier)"
    r"|(?:same|comparable|corresponding)\s+(?:quarter|period|month|week)\s+(?:of\s+)?(?:last|a|the\s+previous)\s+year"
    r"|earlier\s+(?:this\s+(?:week|month|year|season)|[a-z]+ed|saw|said|told|had|was|were|made|won|lost|took|gave))\b",
    # "The government earlier saw its majority cut", "earlier this week"
    re.I)


_LEAD = re.compile(r"[^,;:]{0,60},")
_BRACKETED = re.compile(r"\([^()]*\)")


def _earlier(text: str, span: tuple[int, int]) -> bool:
    """Does the slot's statement date itself as a period before another ("Last year, the board
    raised...", "in the prior fiscal year"), it or the phrase that opens the sentence and so dates
    all of it ("Compared with the same quarter last year, Cisco earned $729 million, or 10 cents a
    share")?"""
    text = _BRACKETED.sub(lambda m: " " * len(m.group()), text)  # "by $5bn (£2.6bn) last year": one statement
    lo, hi = clause_of(text, span)
    lead = _LEAD.match(text)
    return bool(_EARLIER.search(text, lo, hi) or (lead and _EARLIER.search(lead.group())))


_QUARTER_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
                     "final": 4}
_QUARTER = re.compile(r"\b(?:(?P<fiscal>fiscal\s+(?:year\s+)?)?(?P<nth>first|1st|second|2nd|third|3rd|fourth|4th|final)"
                      r"[- ]quarter|(?P<fiscal2>fiscal\s+)?quarter\s+(?:ended|ending|to|through)\s+(?P<month>"
                      + "|".join(m.capitalize() for m in MONTHS) + r")|\bQ(?P<q>[1-4])\b)", re.I)


def _quarters(text: str, span: tuple[int, int]) -> set[int]:
    """The calendar quarters a statement says it is of ("in the first quarter", "for the quarter ended
    June 29": the second, "Q3"); a fiscal quarter is no calendar one and says nothing here."""
    lo, hi = clause_of(text, span)
    lead = _LEAD.match(text)  # "In the first quarter of 2003, AMD reported...": dates all of it
    found = [*_QUARTER.finditer(text, lo, hi), *(_QUARTER.finditer(lead.group()) if lead else ())]
    out = set()
    for m in found:
        if m.start() < span[1] and span[0] < m.end():
            continue  # the slot itself: "in the 3rd quarter" / "in the fourth quarter"
        if m.group("fiscal") or m.group("fiscal2") or re.search(r"\bfiscal\s+$", text[max(0, m.start() - 8):m.start()]):
            continue
        if m.group("nth"):
            out.add(_QUARTER_ORDINALS[m.group("nth").lower()])
        elif m.group("month"):
            out.add((MONTHS[m.group("month").lower()] - 1) // 3 + 1)
        else:
            out.add(int(m.group("q")))
    return out


def _other_time(claim: str, evidence: str, c: Conflict) -> bool:
    """Do the two statements give themselves times that cannot be the same ("grew 6.9% in 2004" /
    "grew 9.5% in 2005"; "up 9 percent in the past six weeks" / "33 percent over the past 15
    months"), or does one only say its fact is of an earlier period ("Last year, the board raised
    rents by 2 percent" / "the board proposed increases of 4 percent")?"""
    if _earlier(claim, c.claim_span) != _earlier(evidence, c.evidence_span):
        return True
    qa, qb = _quarters(claim, c.claim_span), _quarters(evidence, c.evidence_span)
    if qa and qb and not qa & qb:
        return True  # "in the first quarter" / "for the quarter ended June 29"
    (da, qa), (db, qb) = _times(claim, c.claim_span), _times(evidence, c.evidence_span)
    if da and db and all(disagree(x, y) for x in da for y in db):
        return True
    return bool(qa and qb) and not any(x.nouns & y.nouns and x.overlaps(y) for x in qa for y in qb)


def _second_difference(claim: str, evidence: str, kept: list[Conflict]) -> list[Conflict]:
    """A name swapped and another slot changed in the same statement ("BP slipped 48 cents to
    $41.72 in New York" / "slipped to 433.50 pence ($6.85) in London") are two differences: another
    fact, not a conflict of either. So are two names swapped in one statement ("the CDC's deputy
    director for Public Health and Science" / "of the Centers for Disease Control and Prevention":
    two names of two bodies, not one slot), and so is a name swapped in statements whose figures all
    differ (``_figures_all_differ``); one swap said twice ("a North Korean man ... a North
    Korean woman" / "an Indian man ... an Indian woman") is one difference."""
    swaps = [c for c in kept if c.kind == "entity" and c.detail == NAME_SWAP_DETAIL]
    drop = set()
    for s in swaps:
        clause = clause_of(claim, s.claim_span)
        others = [c for c in kept if c is not s and c.severity == "contradiction"
                  and (c.kind != "entity" or c.detail == NAME_SWAP_DETAIL and _swapped(c) != _swapped(s))
                  and clause[0] <= c.claim_span[0] < clause[1]]
        if others or _figures_all_differ(claim, clause, evidence, clause_of(evidence, s.evidence_span)):
            drop.update(map(id, [s, *others]))
    return [c for c in kept if id(c) not in drop]


def _figures_all_differ(claim: str, ca: tuple[int, int], evidence: str, cb: tuple[int, int]) -> bool:
    """Do the two statements (clauses ``ca`` of the claim, ``cb`` of the evidence) give shares or sums
    of one currency, none of which agree ("Shares in Wembley were up 56 pence, or 7.6%" / "Shares in
    Wimpey were up 6%")? With a name swapped, that is a second difference even where the numbers
    analyzer pairs no two of them; figures of other measures ("150 kilometres" / "90 miles") say
    nothing."""
    qa = [q for q in find_quantities(claim) if ca[0] <= q.start < ca[1]]
    qb = [q for q in find_quantities(evidence) if cb[0] <= q.start < cb[1]]
    pairs = [(x, y) for x in qa for y in qb if x.kind == y.kind == "percent"
             or x.kind == y.kind == "money" and x.nouns & CURRENCIES == y.nouns & CURRENCIES]
    return bool(pairs) and all(x.disjoint(y) for x, y in pairs)


_COMPARED = re.compile(r"\s*compared\s+(?:with|to)\b", re.I)


def _standard_of(text: str, span: tuple[int, int]) -> tuple[int, int] | None:
    """When the slot is in a comparison's other term (", compared with 24 percent on placebo"): the
    statement it is compared with, the one before it."""
    lo, _ = clause_of(text, span)
    if not _COMPARED.match(text, lo):
        return None
    return next((c for c in reversed(clauses(text)) if c[1] <= lo), None)


def _standards_of_another_fact(claim: str, evidence: str, gated: list[Conflict],
                               proposed: list[Conflict]) -> list[Conflict]:
    """A figure a statement is compared with measures what that statement's figure measures ("6.4
    percent of men on finasteride had high-grade tumors, compared to 5.1 percent taking a placebo"):
    when the two statements' own figures differ and the gate found them another fact's ("18 percent
    of men taking finasteride developed prostate cancer"), the figures they are compared with are
    that other fact's too."""
    out = []
    dropped = [d for d in proposed if d.kind == "number" and d not in gated]
    for c in gated:
        if c.kind == "number" and dropped:
            sa, sb = _standard_of(claim, c.claim_span), _standard_of(evidence, c.evidence_span)
            if sa and sb and any(sa[0] <= d.claim_span[0] < sa[1] and sb[0] <= d.evidence_span[0] < sb[1]
                                 for d in dropped):
                continue
        out.append(c)
    return out


def _swapped(c: Conflict) -> tuple[str, str]:
    return c.claim_text.lower(), c.evidence_text.lower()


_MOVING = re.compile(r"\b(?:" + CHANGE_WORDS + r")\b")  # lower case: "Comic Book Round Up" names, it does not move


def _other_readings(claim: str, kept: list[Conflict], proposed: list[Conflict]) -> list[Conflict]:
    """A moving figure and its change both stated differently ("fell 38 cents to $27.45" / "rose 31
    cents to $28.39") are two readings of it at different times, not a conflict: notes. Both
    differences count as the analyzers ``proposed`` them, whichever of them the gate kept."""
    figures = [k for k in proposed if k.kind == "number" and k.severity == "contradiction"]
    moving = len(figures) >= 2 and _MOVING.search(claim)
    out = []
    for c in kept:
        if c.kind == "number" and c.severity == "contradiction":
            if moving:
                c = replace(c, severity="note", detail="a moving figure and its change both differ: "
                                                       "readings at different times")
        out.append(c)
    return out


_WHERE = frozenset({"in", "at", "across", "throughout"})


@lru_cache(maxsize=4096)
def _a_place(key: str) -> bool:
    """A place of the gazetteer or a country's other name ("UK", one of names.EQUIVALENT's places)."""
    return places.known(key) or any(key in g and any(map(places.known, g)) for g in EQUIVALENT)


_LIST_NEIGHBOUR = re.compile(r",\s*(?:and\s+|or\s+)?$")


def _places(text: str, span: tuple[int, int], other: str) -> list[Name]:
    """The places the slot's statement says its fact is of or in, the slot's own words left aside:
    its subject or a name before its noun ("U.S. same-store sales", "Britain's economy"), or a place
    after "in", "at", "across" ("sales in Canada", "in the UK"). Not an item of a list, nor a place
    something comes from or goes to: those are other slots of the statement."""
    lo, hi = clause_of(text, span)
    out = []
    for n in find_names(text, other):
        if not (lo <= n.start < hi) or (n.start < span[1] and span[0] < n.end) or not _a_place(n.key):
            continue
        if _LIST_NEIGHBOUR.search(text[max(0, n.start - 8):n.start]) or re.match(r"\s*,\s*[A-Z]", text[n.end:n.end + 4]):
            continue
        lead = tokenize(text[lo:n.start])
        nxt = _next_token(text, n.end)
        before = [t for t in lead if t.norm != "the"]
        if (before and before[-1].norm in _WHERE) \
                or (len(lead) <= SUBJECT_LEAD and not any(t.norm in _PREPOSITIONS for t in lead)) \
                or (nxt is not None and nxt.is_word and not nxt.is_capitalized and nxt.norm not in STOPWORDS):
            out.append(n)
    return out


def _other_place(claim: str, evidence: str, c: Conflict) -> bool:
    """Does each statement say where its fact is, in a place the other sentence never mentions
    ("U.S. same-store sales rose 8.8 per cent" / "same-store sales in Canada rose by 6.7 per cent")?
    Two places are two facts, as two subjects are."""
    swapped = set(_swapped(c))  # "a North Korean man ... a North Korean woman"
    return (any(not mentioned(p.key, evidence, claim) and p.key not in swapped
                for p in _places(claim, c.claim_span, evidence))
            and any(not mentioned(p.key, claim, evidence) and p.key not in swapped
                    for p in _places(evidence, c.evidence_span, claim)))


_EXAMPLE = re.compile(r"\b(?:such as|including|for example|for instance|e\.g\.)\s", re.I)
EXAMPLE_TOKENS = 8  # tokens after "such as" that can belong to the example


def _an_example(text: str, span: tuple[int, int]) -> bool:
    """Is the slot part of an example ("state parks such as Parvin State Park in Salem County")?"""
    lo, _ = clause_of(text, span)
    return any(len(tokenize(text[m.end():span[0]])) <= EXAMPLE_TOKENS for m in _EXAMPLE.finditer(text, lo, span[0]))


_STANDARD = re.compile(r"\b(?:than|compared\s+(?:with|to))\s+(?:the\s+|a\s+|an\s+)?(?:[\w'’.-]+'s\s+)?([\w-]+)", re.I)


def _compared_against(claim: str, evidence: str, c: Conflict) -> bool:
    """Is the claim's subject, a common noun, what the evidence compares its own subject with ("The
    market rose 3%" / "Tesco's shares rose 5%, faster than the market"; "Io is 3,598 kilometers in
    diameter, slightly larger than the Earth's moon")? The other term of a comparison is not the
    statement's subject, whatever that is."""
    standards = {lemma(m.group(1)) for m in _STANDARD.finditer(evidence)}
    if not standards or referent(claim, c.claim_span, evidence) is not None:
        return False  # no comparison in the evidence (the common case: read first), or not of these
    lo, _ = clause_of(claim, c.claim_span)
    subject = {lemma(t.text) for t in tokenize(claim[lo:c.claim_span[0]])[:SUBJECT_LEAD + 1]
               if t.is_word and not t.is_capitalized and t.norm not in STOPWORDS}
    rest = {lemma(t.text) for t in tokenize(_STANDARD.sub(" ", evidence)) if t.is_word}
    return any(w in standards and w not in rest for w in subject)


FAR_RESTATED_SHARE = 0.5  # of a statement's words the other must say for figures far apart to be one fact's


def _far_unrelated(claim: str, evidence: str, c: Conflict) -> bool:
    """Are two figures far apart (one more than twice the other, ``_far_apart``) with nothing else
    saying they are one fact's: no referent named in both statements, and not half of the statement
    said the same ("profits of $12.5m in the first half" / "a profit of $261.9m for the three months
    to 30 November")? A slip or a revision of one figure comes with its statement around it."""
    return (c.kind == "number" and _far_apart(claim, c.claim_span, evidence, c.evidence_span)
            and not _common_name(claim, c.claim_span, evidence, c.evidence_span)
            and restatement(claim, c.claim_span, evidence, c.evidence_span) < FAR_RESTATED_SHARE)


_DESCRIBING = re.compile(r"(?:-[^\W\d_]|[- ]year[- ]old\b)")  # "24-year-old", "10-year plan", "two-time"


def _described_by_figure(text: str, span: tuple[int, int], other: str) -> bool:
    """Is the figure part of the description that is the statement's subject ("The 24-year-old
    reached the mark", "The 10-year plan brings together", after an opening phrase: "The day after
    her double in Athens, the 34-year-old revealed"), with no name saying who or what it is? Then
    the figure says which one the statement is about."""
    q = _quantity_at(text, span)
    if q is None or not _DESCRIBING.match(text, q.end) or referent(text, span, other) is not None:
        return False
    lo, _ = clause_of(text, span)
    lo = max(lo, text.rfind(",", lo, q.start) + 1)  # the subject after the phrase that opens the statement
    lead = [t for t in tokenize(text[lo:q.start]) if t.is_word and t.norm not in _OPENERS]
    return len(lead) == 1 and lead[0].norm == "the"


def _not_in_its_text(a: str, a_span: tuple[int, int], b: str, b_span: tuple[int, int], b_text: Article) -> bool:
    """Does ``a`` name what its slot is said of ("Solidere posted profits of $12.5m") while ``b``'s
    statement does not ("The global sports giant said it posted a profit of $261.9m"), and neither
    ``b`` nor the whole text it stands in (``b_text``: its article, a draft) mentions ``a``'s
    referent? Who a statement is about, when it does not say, is something its own text names."""
    ra = referent(a, a_span, b)
    if ra is None or referent(b, b_span, a) is not None or mentioned(ra.key, b, a):
        return False
    text = b_text()
    return text is not None and not mentioned(ra.key, text, a)


def _other_population(claim: str, a_span: tuple[int, int], evidence: str, b_span: tuple[int, int]) -> bool:
    """Are two shares of two groups ("only 59 percent of women" / "74 percent of men"), each group
    given a share of its own in the other sentence too ("80 percent of men", "83 percent of
    women")? Then the one figure of each group is what to compare, not these two."""
    x, y = _quantity_at(claim, a_span), _quantity_at(evidence, b_span)
    if x is None or y is None:
        return False
    wx, wy = whole_of(claim, x), whole_of(evidence, y)
    if not wx or not wy or wx & wy:
        return False
    shares = lambda text, q: frozenset().union(*(whole_of(text, o) for o in find_quantities(text) if o != q))
    return bool(wx & shares(evidence, y) and wy & shares(claim, x))


_CONDITION = re.compile(r"\s*(?:(?:and|but|while|whereas)\s+)?(?:an?|any|every)\s+[^\W\d_]+\s+$", re.I)


def _a_condition(text: str, span: tuple[int, int]) -> bool:
    """Is the figure a bound in the subject that says which ones of a kind it is about ("A reading
    above 50 suggests growth", "while a number below that indicates contraction", "Any player
    over 30 ..."): a condition, not the value of anything ("It has a rating above 40%" is one)?"""
    q = _quantity_at(text, span)
    lo, _ = clause_of(text, span)
    return q is not None and q.is_bound and bool(_CONDITION.fullmatch(text, lo, span[0]))


def same_fact(claim: str, evidence: str, c: Conflict, article: Article | None = None,
              draft: str | None = None) -> bool:
    """The same-fact gate: is the difference ``c`` one slot of one fact, not two facts?"""
    if c.kind == "nli":
        return True
    if _other_referents(claim, evidence, c) or _other_place(claim, evidence, c) or _compared_against(claim, evidence, c):
        return False
    if _far_unrelated(claim, evidence, c):
        return False
    if _prospective(claim, c.claim_span) != _prospective(evidence, c.evidence_span):
        return False  # "Firefox's market share is now about 5%" / "Firefox wants to capture 10%"
    if c.kind == "number" and _other_population(claim, c.claim_span, evidence, c.evidence_span):
        return False
    if c.kind == "number" and (_a_condition(claim, c.claim_span) or _a_condition(evidence, c.evidence_span)):
        return False
    if c.kind == "number" and _described_by_figure(claim, c.claim_span, evidence) \
            and _described_by_figure(evidence, c.evidence_span, claim):
        return False  # "The 24-year-old ..." / "The 21-year-old ...": two people described by their ages
    # last, as they may read the evidence's article from the store
    if article is not None and _not_in_its_text(claim, c.claim_span, evidence, c.evidence_span, article):
        return False  # the evidence's article never names what the claim is about
    if draft is not None and _not_in_its_text(evidence, c.evidence_span, claim, c.claim_span, lambda: draft):
        return False  # the claim's draft never names what the evidence is about
    if c.kind == "entity" and _an_example(claim, c.claim_span) and _an_example(evidence, c.evidence_span):
        return False  # two examples of a kind are two selections, not two names of one
    if c.detail == NAME_SWAP_DETAIL and _supposed(claim, c.claim_span) and _supposed(evidence, c.evidence_span):
        return False  # "A merger between MCI and Verizon would be..." / "... and Qwest would be...": two possibilities
    return c.kind == "date" or not _other_time(claim, evidence, c)


def is_contradiction(c: Conflict, settings: CheckSettings, similarity: float = 1.0, near: bool = True) -> bool:
    """Is ``c`` confident enough to contradict, against a sentence this similar to the claim?

    Figures and dates are anchored to what they count, so they stand against looser restatements
    (``min_conflict_figures``); a difference whose neighbouring words line up on both sides
    (``c.local``) stands against any related sentence; every other difference needs a sentence
    ``comparable`` with the claim (``near``).
    """
    if c.severity != "contradiction" or c.confidence < settings.min_confidence:
        return False
    if c.kind in FIGURE_KINDS:
        return similarity >= settings.min_conflict_figures
    return near or (c.local and similarity >= settings.min_related)


def comparable(claim: str, evidence: str, similarity: float, settings: CheckSettings) -> bool:
    """Are two related sentences close enough for their differences to be conflicts? Either they
    are near-duplicates as wholes, or the evidence restates most of the claim word for word (a
    short claim inside a long sentence, whose embeddings are diluted by the rest)."""
    return similarity >= settings.min_conflict or (
        similarity >= settings.min_related and align(claim, evidence).containment >= settings.min_containment)


def standing_conflicts(claim: str, evidence: str, similarity: float, settings: CheckSettings,
                       claim_date: date | None = None, evidence_date: date | None = None,
                       independent: bool = False, article: Article | None = None,
                       draft: str | None = None) -> list[Conflict]:
    """The conflicts that count against a retrieved sentence this similar (the checker's and the
    corpus report's rule): all of them against a ``comparable`` sentence; against a looser related
    one only those anchored on the words around them (``Conflict.local``).

    ``independent``: the two sentences are two articles' own statements (the corpus report), not a
    claim written about the fact the evidence states, so a look-alike sentence is far more often
    another fact: both statements must then name a common referent, and the difference be anchored
    on its own words or said of that referent (``restated``)."""
    if similarity < settings.min_related:
        return []
    near = comparable(claim, evidence, similarity, settings)
    found = find_conflicts(claim, evidence, claim_date, evidence_date, local_only=not near, article=article,
                           draft=draft)
    if independent:
        found = [c for c in found if restated(claim, evidence, c)]
    return found if near else [c for c in found if c.local]


def _common_name(claim: str, a_span: tuple[int, int], evidence: str, b_span: tuple[int, int]) -> bool:
    """Do the statements of the two spans name a common referent (a person, a body, a place)?"""
    ca, cb = clause_of(claim, a_span), clause_of(evidence, b_span)
    na = [n for n in find_names(claim, evidence) if ca[0] <= n.start < ca[1]]
    nb = [n for n in find_names(evidence, claim) if cb[0] <= n.start < cb[1]]
    return any(same_referent(x.key, y.key) for x in na for y in nb)


def _quantity_at(text: str, span: tuple[int, int]):
    return next((q for q in find_quantities(text) if q.start < span[1] and span[0] < q.end), None)


def _scope_of(text: str, span: tuple[int, int]) -> str | None:
    q = _quantity_at(text, span)
    return None if q is None else figure_scope(text, q)


def _head(text: str, q) -> str | None:
    """The word a figure is the figure of, before it in its stretch: "Thanou, 30", "a £2.1bn boost"
    has "boost" after it (a counted noun) but "rose 12% to A$4.76" nothing sure."""
    for i, t in enumerate(reversed(tokenize(text[:q.start]))):
        if i == 0 and t.text == ",":
            continue  # "Thanou, 30"
        if t.text[0].isdigit() or t.text in ",;:()$£€":
            return None
        if t.is_word and t.norm not in STOPWORDS:
            return lemma(t.text)
    return None


def _same_measure(claim: str, a_span: tuple[int, int], evidence: str, b_span: tuple[int, int]) -> bool:
    """Do two figures measure the same thing: the same counted noun ("£2.1bn boost" is no "£6bn
    surplus"), else the same word right before them ("Thanou, 30" / "Thanou, 29")? Unknown is no."""
    x, y = _quantity_at(claim, a_span), _quantity_at(evidence, b_span)
    if x is None or y is None:
        return False
    nx, ny = x.nouns - CURRENCIES, y.nouns - CURRENCIES
    if nx and ny:
        return bool(nx & ny)
    hx, hy = _head(claim, x), _head(evidence, y)
    return hx is not None and hx == hy


RESTATED_SHARE = 0.8  # of a statement's words the other must say for a word, name or date difference
RESTATED_FIGURE_SHARE = 0.25  # ... and for a figure, which its counted noun and anchoring pin down more,
FAR_APART = 2.0  # unless one figure is more than twice the other: a revision or a rounding is not that far
NEAR_SLOT = 6  # tokens either side of a slot where a name is part of what the slot is said of
PRONOUNS = frozenset("it its they their them he his him she her this these those".split())


def _statement_words(text: str, span: tuple[int, int]) -> set[str]:
    lo, hi = clause_of(text, span)
    return {lemma(t.text) for t in content_words(tokenize(text))
            if lo <= t.start < hi and not (t.start < span[1] and span[0] < t.end)}


def restatement(claim: str, a_span: tuple[int, int], evidence: str, b_span: tuple[int, int]) -> float:
    """How much of one statement the other makes: the share of the longer statement's content words
    (the differing words left aside) that both say. 1.0: the same statement with one slot changed."""
    wa, wb = _statement_words(claim, a_span), _statement_words(evidence, b_span)
    return len(wa & wb) / (max(len(wa), len(wb)) or 1)


_OPENERS = frozenset("and but or yet so while whereas although though".split())


def _about_pronoun(text: str, span: tuple[int, int]) -> bool:
    """Does the slot's statement open with a pronoun ("It is the fifth in a series", "Its profit
    rose", "..., but they have failed to beat Celtic")? Who it is about is in another sentence."""
    lo, _ = clause_of(text, span)
    first = next((t for t in tokenize(text[lo:span[0]]) if t.is_word and t.norm not in _OPENERS), None)
    return first is not None and first.norm in PRONOUNS


def _which_one(text: str, span: tuple[int, int]) -> bool:
    """Is the figure an ordinal that says which one of a noun it is ("the second set", "his first
    day", "the fifth round"), rather than a rank or a count ("is currently sixth", "for the fourth
    time", "Mr Brown's eighth since 1997")?"""
    q = _quantity_at(text, span)
    if q is None or q.kind != "ordinal":
        return False
    nxt = _next_token(text, q.end)
    return (nxt is not None and nxt.is_word and nxt.norm not in STOPWORDS and nxt.norm not in _PREPOSITIONS
            and nxt.norm not in ("since", "time", "times"))


_WINDOW = re.compile(r"\b(?:last|past|first|final|next|previous|coming|opening|closing)\s+$", re.I)


def _a_window(text: str, span: tuple[int, int]) -> bool:
    """Is the figure the length of the stretch a statement is about ("their last six meetings", "in
    the final 10 minutes", "over the past five years")? Like a month, it says which period's fact it
    is: two windows are two facts."""
    q = _quantity_at(text, span)
    return q is not None and bool(_WINDOW.search(text[max(0, q.start - 12):q.start]))


_HEDGES = ("could", "may", "might")  # lower case: "May" is the month
_HEDGED = re.compile(r"\b(?:" + "|".join(_HEDGES) + r")\b")
_SUPPOSED = re.compile(r"\b(?:" + "|".join((*_HEDGES, "would")) + r")\b")


def _in_statement(pattern: re.Pattern, text: str, span: tuple[int, int]) -> bool:
    lo, hi = clause_of(text, span)
    return bool(pattern.search(text, lo, hi))


# Words that make a statement one of what is expected, forecast, wanted or possible, not of what is
# or was ("is expected to gross", "Forecasts ranged from", "wants to capture", "could receive", "is
# set to grow", "are to rise"); "may" in lower case only: "May" is the month.
_PROSPECTIVE = re.compile(r"\b(?:may|(?i:could|might|should|likely|unlikely|expects?|expected|expecting|forecasts?|"
                          r"predicts?|predicted|tipped|wants?|aims?|hopes?|intends?|targets?|plans?\s+to|seeks?|"
                          r"projected|(?:is|are)\s+(?:set\s+)?to\s+(?!be\b)[a-z]+|set\s+to))\b")


def _prospective(text: str, span: tuple[int, int]) -> bool:
    """Is the slot what its statement expects, forecasts, wants or holds possible ("Firefox wants to
    capture 10% of the market", "Analysts expected earnings of 27 cents", "the athletes could receive
    a maximum one-year suspension")? Such a word before it in its statement, with no other figure or
    date in between ("is expected to gross $10m from 2,900 theaters": the gross is expected, the
    theaters are not). What is expected and what is are two facts: both may hold."""
    lo, _ = clause_of(text, span)
    words = list(_PROSPECTIVE.finditer(text, lo, span[0]))
    if not words:
        return False
    at = words[-1].end()
    return not any(at <= f.start < span[0] for f in (*find_quantities(text), *find_dates(text)))


def _hedged(text: str, span: tuple[int, int]) -> bool:
    """Does the slot's statement say what could be ("Up to 30 MPs could oppose the scheme")? A
    possibility and what happened are two facts."""
    return _in_statement(_HEDGED, text, span)


def _supposed(text: str, span: tuple[int, int]) -> bool:
    """Does the slot's statement say what could or would be ("A merger between MCI and Verizon
    would be the fifth deal")? Two such statements naming two names are two possibilities, both of
    which may hold."""
    return _in_statement(_SUPPOSED, text, span)


def _names_near(text: str, span: tuple[int, int], other: str) -> list[Name]:
    toks = tokenize(text)
    inside = [i for i, t in enumerate(toks) if span[0] <= t.start < span[1]]
    if not inside:
        return []
    lo_tok, hi_tok = toks[max(0, inside[0] - NEAR_SLOT)], toks[min(len(toks) - 1, inside[-1] + NEAR_SLOT)]
    lo, hi = clause_of(text, span)
    return [n for n in find_names(text, other) if max(lo, lo_tok.start) <= n.start < min(hi, hi_tok.end + 1)
            and not (n.start < span[1] and span[0] < n.end)]


def _second_name(claim: str, a_span: tuple[int, int], evidence: str, b_span: tuple[int, int]) -> bool:
    """Does each statement name, next to the slot, something the other sentence never mentions ("seven
    nominations at this year's British Independent Film Awards" / "the Academy Awards after getting three
    nominations")? A second difference in what the statement is about: another fact."""
    def named(key: str, text: str, other: str) -> bool:  # "British" does not name "British Independent Film Awards"
        return any(len(n.key.split()) == len(key.split()) or n.key.split()[-1] == key.split()[-1]
                   for n in names_of(key, text, other))
    return (any(not named(n.key, evidence, claim) for n in _names_near(claim, a_span, evidence))
            and any(not named(n.key, claim, evidence) for n in _names_near(evidence, b_span, claim)))


def _joint_subject(text: str, span: tuple[int, int], other: str) -> bool:
    """Is the slot said of two names together ("Shrek 2 and The Incredibles took $436m"): its clause
    opens with a name (capitalized words, a number in it), "and", another name, and the slot comes
    after them? Their figure is of the two, not of either ("The Incredibles took $300m"), unless it
    is said of "each"."""
    lo, hi = clause_of(text, span)
    if re.search(r"\beach\b", text[span[1]:hi]):
        return False  # "Alicia Keys and Usher share eight nominations each": one's count
    for n in find_names(text, other):
        if not lo < n.start < span[0]:
            continue
        lead = tokenize(text[lo:n.start])
        words = [t.norm for t in lead]
        if "and" in words:
            i = words.index("and")
            return 0 < i and all(t.is_capitalized or t.text[0].isdigit() for t in lead[:i]) \
                and all(w == "the" for w in words[i + 1:])
    return False


def _counts_one_referent(a_span: tuple[int, int], ra: Name | None, b_span: tuple[int, int], rb: Name | None) -> bool:
    """Do both figures count a name of one referent (``ra``, ``rb``: their referents) inside their own
    noun phrase ("about 5,000 American military personnel" / "some 2,500 US troops")? Then however
    differently the rest is worded, they are one measure of one referent."""
    return (ra is not None and rb is not None and ra.start >= a_span[1] and rb.start >= b_span[1]
            and same_referent(ra.key, rb.key))


def _far_apart(claim: str, a_span: tuple[int, int], evidence: str, b_span: tuple[int, int]) -> bool:
    """Is one figure more than twice the other ("133m texts on New Year's Day" / "26 billion texts in
    2004", "$25m" / "$2.5m")? Two articles' figures for one fact differ by a revision, a rounding or
    a slip; figures this far apart are most often of two facts, so the rest of the statement must
    say which one (a slip of a digit in the same statement still shows)."""
    x, y = _quantity_at(claim, a_span), _quantity_at(evidence, b_span)
    if x is None or y is None or min(x.value, y.value) <= 0:
        return False
    return max(x.value, y.value) > FAR_APART * min(x.value, y.value)


def _a_day(text: str, span: tuple[int, int]) -> bool:
    """Does the date at ``span`` name a day ("on 12 December", "on Tuesday"), not a period (a month,
    a year), which in an article's own statement says which period's fact it is?"""
    return any(d.start < span[1] and span[0] < d.end and (d.day is not None or d.weekday is not None)
               for d in find_dates(text))


def restated(claim: str, evidence: str, c: Conflict) -> bool:
    """Is the difference ``c`` in one statement made twice (two articles' own statements, the corpus
    report)? Both statements (clauses) name a common referent and neither opens with a pronoun; an
    ordinal that says which one it is of ("the second set") makes two referents of two of them; a
    figure measures the same thing on both sides; a date names a day on both sides (a month or a
    year says which period's fact it is); a word, name or date difference needs the rest of the
    statement said the same, a figure a good part of it (``restatement``); neither names next to
    the slot what the other never mentions (``_second_name``); and the words right around the
    difference line up (``text.anchored``) or it is said of that referent."""
    if not _common_name(claim, c.claim_span, evidence, c.evidence_span):
        return False
    if _about_pronoun(claim, c.claim_span) or _about_pronoun(evidence, c.evidence_span):
        return False
    if c.kind == "number" and (_which_one(claim, c.claim_span) or _which_one(evidence, c.evidence_span)
                               or _a_window(claim, c.claim_span) or _a_window(evidence, c.evidence_span)
                               or not _same_measure(claim, c.claim_span, evidence, c.evidence_span)):
        return False
    if _hedged(claim, c.claim_span) != _hedged(evidence, c.evidence_span):
        return False
    if c.kind == "date" and not (_a_day(claim, c.claim_span) and _a_day(evidence, c.evidence_span)):
        return False  # "fewer jobs than expected in January" / "in December": which month's figure
    ra, rb = referent(claim, c.claim_span, evidence), referent(evidence, c.evidence_span, claim)
    far = c.kind == "number" and _far_apart(claim, c.claim_span, evidence, c.evidence_span)
    share = RESTATED_FIGURE_SHARE if c.kind == "number" and not far else RESTATED_SHARE
    if restatement(claim, c.claim_span, evidence, c.evidence_span) < share \
            and not (c.kind == "number" and not far and _counts_one_referent(c.claim_span, ra, c.evidence_span, rb)):
        return False
    if _second_name(claim, c.claim_span, evidence, c.evidence_span):
        return False
    if c.kind == "number" and _scope_of(claim, c.claim_span) != _scope_of(evidence, c.evidence_span):
        return False  # "took $300m outside the US" / "took $259m": which region's figure
    if _joint_subject(claim, c.claim_span, evidence) != _joint_subject(evidence, c.evidence_span, claim):
        return False  # "Shrek 2 and The Incredibles took $436m" / "The Incredibles took $300m"
    named = ((ra, evidence, claim), (_object(claim, c.claim_span, evidence), evidence, claim),
             (rb, claim, evidence), (_object(evidence, c.evidence_span, claim), claim, evidence))
    if any(r is not None and not mentioned(r.key, other, text) for r, other, text in named):
        return False  # "Snoop Dogg has been sued for $25m" / "A US TV network is being sued for $2.5m"
    if c.local:
        return True
    if c.kind != "number" and anchored(claim, c.claim_span, evidence, c.evidence_span):
        return True  # (a figure's own anchoring, its unit left aside, is the numbers analyzer's: c.local)
    return ra is not None and rb is not None and same_referent(ra.key, rb.key)


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
