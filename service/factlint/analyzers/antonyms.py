"""Antonyms: words of opposite meaning standing in the same place (approve/reject, rise/fall).

The pairs come from the project's own lexicon (service/factlint/data/antonyms.tsv). In aligned sentences a
pair inside one difference is a conflict; in looser paraphrases a content-word pair found across the
whole sentences is a weaker one.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..models import Conflict
from ..text import Token, align, anchored, lemma, overlaps, predicate, tokenize
from . import names
from .lexicon import anchored_pairs as lexicon_pairs
from .lexicon import antonyms, exclusive, genres, kinds
from .negation import is_cue

# Function-word pairs are only trusted when aligned: "before"/"after" anywhere in two sentences
# proves nothing.
ALIGNED_ONLY = frozenset({"before", "after", "for", "against", "more", "less", "fewer", "first", "last",
                          "above", "below", "like", "unlike", "earlier", "later", "most", "least",
                          "in favour of", "in favor of", "alongside", "open", "close", "war", "peace"})


MIN_FUNCTION_OVERLAP = 0.7  # alignment overlap a function-word swap needs to count
# A prior: the development pairs hold no antonym swaps to measure (2026-11-21).
CONFIDENCE = 0.8


def _terms(tokens: tuple[Token, ...], text: str) -> list[tuple[str, tuple[int, int]]]:
    """Lemmas of the words and the lexicon phrases found among ``tokens``, with spans."""
    out = [(lemma(t.text), (t.start, t.end)) for t in tokens if t.is_word]
    for t in tokens:  # the words of a compound: "the fifth-worst film" / "the fifth best film"
        if t.is_word and "-" in t.text:
            at = t.start
            for part in t.text.split("-"):
                if part.isalpha():
                    out.append((lemma(part), (at, at + len(part))))
                at += len(part) + 1
    if tokens:
        s, e = tokens[0].start, tokens[-1].end
        for m in _phrases().finditer(text[s:e].lower()):
            out.append((m.group(), (s + m.start(), s + m.end())))
    return out


@lru_cache(maxsize=1)
def _phrases() -> re.Pattern:
    """The lexicon's phrases of several words, longest first, as one pattern."""
    phrases = sorted((k for k in antonyms() if " " in k), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(map(re.escape, phrases)) + r")\b")


def _compound_rest(text: str, span: tuple[int, int]) -> set[str]:
    """The other words of the compound a word is part of ("fifth" for "worst" in "fifth-worst")."""
    tok = next((t for t in tokenize(text) if t.start <= span[0] and span[1] <= t.end), None)
    if tok is None or (tok.start, tok.end) == span:
        return set()
    return {lemma(p) for p in tok.text.split("-") if p.isalpha()} - {lemma(text[span[0]:span[1]])}


def _words(text: str) -> set[str]:
    return {lemma(w) for t in tokenize(text) if t.is_word for w in (t.text, *t.text.split("-")) if w}


def _pairs(ta, tb):
    lex = antonyms()
    for ka, sa in ta:
        for kb, sb in tb:
            if kb in lex.get(ka, ()):
                yield ka, sa, kb, sb


_FIGURE_AFTER = re.compile(r"\s*(?:than\b|[$€£]?\s?\d|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*\b)", re.I)


def _in_figure(text: str, span: tuple[int, int]) -> bool:
    """"more than 5", "before 2018", "under 3%": the word is part of a bound, the numbers' business."""
    return bool(_FIGURE_AFTER.match(text, span[1]))


NEGATION_REACH = 3  # tokens before a word where a negator turns it


def _negated(text: str, span: tuple[int, int]) -> bool:
    """Is the word denied ("not difficult", "wasn't true", "never easy")? One opposite denied says
    what the other says: "was not difficult" / "was an easy one"."""
    before = tokenize(text[:span[0]])[-NEGATION_REACH:]
    return any(is_cue(t) for t in before)


_CAUSED = re.compile(r"\b(?:help|helps|helped|helping|let|lets|letting|allow|allows|allowed|allowing|enable|enables|"
                     r"enabled|enabling|permit|permits|permitted|permitting)\s+(?:[^\W\d_]+\s+){1,2}(?:to\s+)?$", re.I)


def _of_another_agent(text: str, span: tuple[int, int]) -> bool:
    """Is the word said of someone a causative verb brings in ("a company that helps customers buy
    drugs", "lets users borrow books")? Then it is their act, not the subject's: "sells drugs" / "helps
    customers buy drugs" tell one sale from its two sides."""
    return bool(_CAUSED.search(text[max(0, span[0] - 40):span[0]]))


_LISTED_BEFORE = re.compile(r"[^\W\d_]+\s*,\s*(?:(?:and|or)\s+)?$")
# after the word: the next item and a separator after it ("onions, eggs, tomatoes"; "red, green or"),
# not a clause after a comma ("a comedy drama film, set in and around Edinburgh")
_LISTED_AFTER = re.compile(r"\s*,\s*[^\W\d_]+\s*(?:,|(?:and|or)\s)|\s+(?:and|or)\s+[^\W\d_]+\s*,")


def _listed(text: str, tok: Token) -> bool:
    """Is the word one item of a list ("onions, eggs, tomatoes, beans")? Another item in its place
    is another selection, not another value of one thing."""
    return bool(_LISTED_BEFORE.search(text[max(0, tok.start - 30):tok.start]) or _LISTED_AFTER.match(text, tok.end))


_ARTICLES = frozenset({"a", "an", "the"})
_PREDICATE_END = frozenset("who whom whose that which where when of by for in from with on at as than within near "
                           "outside inside between among across throughout under into around along . ; : ( )".split())
_PAST = frozenset({"former", "retired", "ex", "ex-", "onetime", "erstwhile"})
# nouns that before "of" say how many or how something is, not what ("a series of talks", "a model
# of efficiency", "a party of tourists"; "the capital city of Argentina" is a city)
_OF_SOMETHING = frozenset({"series", "network", "model", "models", "party", "band", "company", "channel"})


def _predicate_kinds(text: str) -> tuple[frozenset[str], Token] | None:
    """What kinds of thing the sentence says its subject is, and the first word that says one: the
    nouns of a kind (data/kinds.tsv) that end a noun phrase in the predicate of its first copula,
    a list of them taken whole ("Lost is an American television drama series that ...": series;
    "is an actor, businessman and politician": all three); not one that before "of" says how many
    or how ("a series of talks") or one after "former" ("a former soldier": what it was). None when the predicate is denied
    ("is not a film") or names no kind."""
    span = predicate(text)
    if span is None:
        return None
    kinds_of = kinds()
    found: list[tuple[str, Token]] = []
    was = False  # "a former soldier", "a retired professional boxer": what the subject was
    for i, t in enumerate(span):
        if is_cue(t) or t.norm in _PREDICATE_END or (t.norm == "," and not found):
            break
        was = t.norm in _PAST or (was and t.norm not in (",", "and", "or"))
        kind = kinds_of.get(t.norm) if t.is_word and not t.is_capitalized and not was else None
        nxt = span[i + 1] if i + 1 < len(span) else None
        if kind and _heads(nxt) and not (nxt is not None and nxt.norm == "of" and t.norm in _OF_SOMETHING):
            found.append((kind, t))
    return (frozenset(k for k, _ in found), found[0][1]) if found else None


def _heads(nxt: Token | None) -> bool:
    """Does the word before ``nxt`` end its noun phrase ("a drama series that", "a singer and
    actress", "a film directed by"), rather than describe the next word ("a country music
    performer")?"""
    return nxt is None or not nxt.is_word or nxt.norm in _PREDICATE_END or nxt.norm in ("and", "or", "but") \
        or nxt.norm.endswith(("ed", "ing"))


def _another_kind(claim: str, evidence: str) -> list[Conflict]:
    """One subject that both sentences open with, said to be things of kinds that have none in
    common ("Mohra is a truck" / "Mohra (Pawn) is a 1994 Indian action thriller film"): anchored on
    the subject."""
    a, b = _predicate_kinds(claim), _predicate_kinds(evidence)
    if a is None or b is None or a[0] & b[0] or not names.one_subject(claim, evidence):
        return []
    x, y = a[1], b[1]
    return [Conflict("antonym", (x.start, x.end), (y.start, y.end), x.text, y.text, CONFIDENCE,
                     detail="another kind of thing", local=True)]


def _predicate_genres(text: str) -> tuple[frozenset[str], tuple[int, int]] | None:
    """The genres (data/genres.tsv) of what the sentence says its subject is, and the span of their
    words: those in the noun phrase after its first copula ("is a 1964 American psychological
    thriller film directed by": psychological, thriller), up to a comma or a word that ends it; not
    the phrase's own noun when it is a kind of thing ("is a country", not "a country singer"), nor
    a genre after "former" (what it was). None when the predicate is denied or names no genre."""
    span = predicate(text)
    if span is None:
        return None
    genres_of, kinds_of = genres(), kinds()
    found: list[tuple[str, Token]] = []
    for i, t in enumerate(span):
        if is_cue(t):
            return None
        if t.norm in _PREDICATE_END or t.norm == "," or t.norm in _PAST:
            break
        nxt = span[i + 1] if i + 1 < len(span) else None
        genre = genres_of.get(t.norm) if t.is_word and not t.is_capitalized else None
        if genre and not (t.norm in kinds_of and _heads(nxt)):
            found.append((genre, t))
    if not found:
        return None
    return frozenset(g for g, _ in found), (found[0][1].start, found[-1][1].end)


def _another_genre(claim: str, evidence: str) -> list[Conflict]:
    """One subject that both sentences open with, said to be works of genres that have none in
    common ("Marnie is a romantic film" / "Marnie is a 1964 American psychological thriller film"):
    anchored on the subject. A genre said on one side only is a detail the other leaves out."""
    a, b = _predicate_genres(claim), _predicate_genres(evidence)
    if a is None or b is None or a[0] & b[0] or not names.one_subject(claim, evidence):
        return []
    (sa, sb) = a[1], b[1]
    return [Conflict("antonym", sa, sb, claim[sa[0]:sa[1]], evidence[sb[0]:sb[1]], CONFIDENCE,
                     detail="another genre", local=True)]


def _class_value(toks: tuple[Token, ...]) -> tuple[str, tuple[Token, ...]] | None:
    """The value of a closed class (data/exclusive.tsv) that one side of a difference is, with its
    tokens: the whole of it past an article ("a saxophone", "the living room"), or its last word
    after one lower-case modifier ("an acoustic guitar": guitar). Names are no values."""
    words = list(toks)
    while words and words[0].norm in _ARTICLES:
        words.pop(0)
    if not words or len(words) > 2 or not all(t.is_word and not t.is_capitalized for t in words):
        return None
    excl = exclusive()
    phrase = " ".join(t.norm for t in words)
    if len(words) == 2 and phrase in excl:
        return phrase, tuple(words)
    key = lemma(words[-1].text)
    return (key, (words[-1],)) if key in excl else None


def _phrases_differing(al) -> list[tuple[tuple[Token, ...], tuple[Token, ...]]]:
    """The replacements of an alignment as (claim tokens, evidence tokens), each with a word deleted
    or inserted right after it ("acoustic" / "saxophone", then "guitar" deleted: "acoustic guitar" /
    "saxophone")."""
    pos_a = {id(t): i for i, t in enumerate(al.a)}
    pos_b = {id(t): i for i, t in enumerate(al.b)}
    out = []
    for d, nxt in zip(al.diffs, al.diffs[1:] + (None,)):
        if d.tag != "replace":
            continue
        a, b = d.a, d.b
        if nxt is not None and nxt.tag == "delete" and len(nxt.a) == 1 and nxt.a[0].is_word \
                and pos_a[id(nxt.a[0])] == pos_a[id(a[-1])] + 1:
            a += nxt.a
        elif nxt is not None and nxt.tag == "insert" and len(nxt.b) == 1 and nxt.b[0].is_word \
                and pos_b[id(nxt.b[0])] == pos_b[id(b[-1])] + 1:
            b += nxt.b
        out.append((a, b))
    return out


def analyze(claim: str, evidence: str) -> list[Conflict]:
    al = align(claim, evidence)
    said_a = {lemma(t.text) for t in al.a if t.is_word}
    said_b = {lemma(t.text) for t in al.b if t.is_word}
    out: list[Conflict] = []
    for d in al.diffs:
        for ka, sa, kb, sb in _pairs(_terms(d.a, claim), _terms(d.b, evidence)):
            if _in_figure(claim, sa) or _in_figure(evidence, sb):
                continue
            if ka in said_b or kb in said_a:
                continue  # both words in both sentences: "a girl ... a boy" reordered, not a swap
            if not (_compound_rest(claim, sa) <= _words(evidence) and _compound_rest(evidence, sb) <= _words(claim)):
                continue  # a word of a compound stands for the compound when the rest of it is said on both sides
            if (ka in ALIGNED_ONLY or kb in ALIGNED_ONLY) and not (sa == d.a_span and sb == d.b_span
                                                                 and al.overlap >= MIN_FUNCTION_OVERLAP):
                continue  # "for"/"against" only mean opposite things when they are all that differs
            out.append(Conflict("antonym", sa, sb, claim[sa[0]:sa[1]], evidence[sb[0]:sb[1]], CONFIDENCE,
                                local=anchored(claim, sa, evidence, sb)))
    # One value of a closed class for another in the same place ("the yellow line" / "the red line",
    # "an acoustic guitar" / "a saxophone", "the living room floor" / "the bathroom floor").
    if al.overlap >= MIN_FUNCTION_OVERLAP:
        excl = exclusive()
        for a, b in _phrases_differing(al):
            x, y = _class_value(a), _class_value(b)
            if x is None or y is None or y[0] not in excl.get(x[0], ()) \
                    or _listed(claim, x[1][0]) or _listed(evidence, y[1][-1]):
                continue
            sa, sb = (x[1][0].start, x[1][-1].end), (y[1][0].start, y[1][-1].end)
            if not any(c.claim_span == sa for c in out):
                out.append(Conflict("antonym", sa, sb, claim[sa[0]:sa[1]], evidence[sb[0]:sb[1]], CONFIDENCE,
                                    detail="another value of the same kind"))
    # Opposites wherever they stand in a longer or shorter restatement, when the words around them
    # line up ("voted against a resolution asking" / "voted in favour of a resolution, asking").
    for x, y in lexicon_pairs(claim, evidence, antonyms()):
        sa, sb = (x.start, x.end), (y.start, y.end)
        if lemma(x.text) in ALIGNED_ONLY or lemma(y.text) in ALIGNED_ONLY or _in_figure(claim, sa) \
                or _in_figure(evidence, sb) or any(c.claim_span == sa for c in out):
            continue
        out.append(Conflict("antonym", sa, sb, x.text, y.text, CONFIDENCE, local=True))
    out += [c for c in _another_kind(claim, evidence) + _another_genre(claim, evidence)
            if not any(overlaps(k.claim_span, c.claim_span) for k in out)]
    out = [c for c in out if _negated(claim, c.claim_span) == _negated(evidence, c.evidence_span)
           and _of_another_agent(claim, c.claim_span) == _of_another_agent(evidence, c.evidence_span)]
    # "far" inside "far away from": the longest explanation of the words
    return [c for c in out if not any(k is not c and k.claim_span[0] <= c.claim_span[0] and c.claim_span[1] <= k.claim_span[1]
                                      and k.claim_span != c.claim_span for k in out)]
