"""Tokens with offsets, and the token alignment of two sentences that the analyzers share."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from cydifflib import SequenceMatcher  # difflib's algorithm compiled: the same opcodes, faster

_LETTERS = r"[^\W\d_](?:[^\W\d_]|[\u0300-\u036f])*"  # letters, accents written apart too (L'Oréal)
_TOKEN = re.compile(
    r"\d+(?:[.,]\d+)*(?:st|nd|rd|th)?"          # numbers: 5,000  24.5  31st
    r"|(?:[A-Z]\.)+[A-Z]\.?(?![^\W\d_])"          # initials: U.S.  N.Y.  A.D
    rf"|{_LETTERS}(?:[-'’]{_LETTERS}|-\d+\b)*(?:[’']s)?"   # words: al-Amiri  won't  Iraq's  COVID-19
    r"|[$€£%]"
    r"|[^\s\w]",
    re.UNICODE,
)

STOPWORDS = frozenset(
    "a an the of to in on at for by with from and or but as is are was were be been being that which "
    "who whom this these those it its their his her he she they we you i also has have had will would "
    "there than then when where while so such into over after before about said says say".split()
)
COPULAS = frozenset({"is", "was", "are", "were"})  # what a subject is said to be follows one


# Contractions written without their apostrophe (a common slip of web copy): "dont" is "don't".
_CONTRACTIONS = {w.replace("'", ""): w for w in (
    "don't doesn't didn't isn't aren't wasn't weren't haven't hasn't hadn't can't couldn't "
    "shouldn't wouldn't mustn't won't").split()}


class Token(NamedTuple):
    """A word, number or sign of a text at [start, end). A tuple, made tens of thousands of times a
    second; ``norm`` and ``is_word``, read many times by every analyzer, are computed once."""
    text: str
    start: int
    end: int
    norm: str  # lower case, curly apostrophe straight, NFC; "dont" as "don't"
    is_word: bool

    @property
    def is_capitalized(self) -> bool:
        return self.text[0].isupper()


def alternation(words) -> str:
    """A regex matching any of ``words``, the longest first where one begins another: what
    ``"|".join(sorted(words, key=len, reverse=True))`` matches, written as a trie of their letters
    (``t(?:en|wenty(?:-one)?)``), so that a position no word starts at is given up after one letter,
    not after trying every word. Case as written (compile with re.I to ignore it)."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        branches = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body
    return emit(trie)


_new_token = tuple.__new__  # Token(...) without NamedTuple's keyword handling: tokenize is the hottest loop


@lru_cache(maxsize=4096)
def tokenize(text: str) -> tuple[Token, ...]:
    out = []
    for m in _TOKEN.finditer(text):
        w = m.group()
        n = w.lower()
        if not n.isascii():  # NFC and the straight apostrophe change nothing in ASCII
            n = unicodedata.normalize("NFC", n.replace("’", "'"))
        out.append(_new_token(Token, (w, m.start(), m.end(), _CONTRACTIONS.get(n, n), w[0].isalpha())))
    return tuple(out)


@dataclass(frozen=True)
class Diff:
    """One stretch where the two sentences differ: claim tokens a[i1:i2] stand where evidence
    tokens b[j1:j2] stand (either side may be empty)."""

    tag: str  # replace | insert | delete
    a: tuple[Token, ...]
    b: tuple[Token, ...]
    a_span: tuple[int, int]  # character span; for an empty side, the neighbouring token's
    b_span: tuple[int, int]
    a_before: tuple[Token, ...]  # up to three aligned tokens on each side of the difference
    a_after: tuple[Token, ...]
    b_after: tuple[Token, ...]


@dataclass(frozen=True)
class Alignment:
    a: tuple[Token, ...]
    b: tuple[Token, ...]
    diffs: tuple[Diff, ...]
    overlap: float  # share of the shorter sentence's word tokens that align exactly
    containment: float  # share of the claim's (first sentence's) words found aligned, inflections too


def _side_span(toks: tuple[Token, ...], i1: int, i2: int) -> tuple[int, int]:
    if i2 > i1:
        return toks[i1].start, toks[i2 - 1].end
    near = toks[i1] if i1 < len(toks) else toks[i1 - 1] if i1 else None
    return (near.start, near.end) if near else (0, 0)


def span_of(tokens: tuple[Token, ...] | list[Token]) -> tuple[int, int]:
    return (tokens[0].start, tokens[-1].end) if tokens else (0, 0)


def overlaps(a, b) -> bool:
    """Do the character spans ``a`` and ``b`` (start, end) share a character?"""
    return a[0] < b[1] and b[0] < a[1]


def _key(t: Token) -> str:
    """What two tokens must share to align: the word, with "an" as "a" (the article changes with
    the next word: "a Thai woman" / "an Indian woman")."""
    return "a" if t.norm == "an" else t.norm


def _opcodes(a: tuple[Token, ...], b: tuple[Token, ...]):
    """difflib's opcodes, with one refinement: where a replacement runs to the end (or from the
    start) of one sentence, only as many tokens of the other are paired with it and the rest is an
    insertion. "...passed unanimously." against "...passed anonymously, instructed the government
    to ..." pairs "unanimously" with "anonymously" and leaves the rest as extra evidence."""
    sm = SequenceMatcher(None, [_key(t) for t in a], [_key(t) for t in b], autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        n, m = i2 - i1, j2 - j1
        if tag != "replace" or n == m:
            yield tag, i1, i2, j1, j2
            continue
        a_ends = not any(t.is_word for t in a[i2:])
        b_ends = not any(t.is_word for t in b[j2:])
        a_starts = not any(t.is_word for t in a[:i1])
        b_starts = not any(t.is_word for t in b[:j1])
        k = min(n, m)
        if (a_ends and n < m) or (b_ends and m < n):  # pair the left ends
            yield "replace", i1, i1 + k, j1, j1 + k
            yield ("insert" if n < m else "delete"), i1 + k, i2, j1 + k, j2
        elif (a_starts and n < m) or (b_starts and m < n):  # pair the right ends
            yield ("insert" if n < m else "delete"), i1, i2 - k, j1, j2 - k
            yield "replace", i2 - k, i2, j2 - k, j2
        else:
            yield tag, i1, i2, j1, j2


@lru_cache(maxsize=2048)
def align(claim: str, evidence: str) -> Alignment:
    a, b = tokenize(claim), tokenize(evidence)
    diffs, same, inflected = [], 0, 0
    for tag, i1, i2, j1, j2 in _opcodes(a, b):
        if tag == "equal":
            same += sum(t.is_word for t in a[i1:i2])
            continue
        if tag == "replace" and i2 - i1 == j2 - j1:  # "instructing" for "instructed"
            inflected += sum(x.is_word and lemma(x.text) == lemma(y.text) for x, y in zip(a[i1:i2], b[j1:j2]))
        diffs.append(Diff(tag, a[i1:i2], b[j1:j2], _side_span(a, i1, i2), _side_span(b, j1, j2),
                          a[max(0, i1 - 3):i1], a[i2:i2 + 3], b[j2:j2 + 3]))
    words_a, words_b = sum(t.is_word for t in a), sum(t.is_word for t in b)
    return Alignment(a, b, tuple(diffs), same / (min(words_a, words_b) or 1), (same + inflected) / (words_a or 1))


@lru_cache(maxsize=65536)
def lemma(word: str) -> str:
    """A crude English lemma, enough to tell inflections of one word from different words."""
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    for suffix, repl in (("ies", "y"), ("ied", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", ""), ("e", "")):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            return w[: len(w) - len(suffix)] + repl
    return w


def content_words(tokens) -> list[Token]:
    return [t for t in tokens if t.is_word and t.norm not in STOPWORDS and len(t.norm) > 1]


# Where one statement of a sentence ends and the next begins: "India grew 6.9%, while China grew
# 9.5%" holds two. Commas alone do not end one ("Smith, 29, scored"): only before a conjunction.
_CLAUSE_END = re.compile(r"[;:()\[\]]|\s[—–-]{1,2}\s|,\s+(?=(?:but|while|whereas|although|though|and|"
                         r"or(?!\s+(?:about\s+|nearly\s+|almost\s+|some\s+)?[$£€]?\d)|who|"
                         r"which|after|before|when|as|compared|up from|down from|from)\b)"
                         r"|\s(?=(?:while|whereas|but|compared with|compared to)\s)"
                         r"|\b(?:said|says|announced|reported|claimed|added|warned)\s+that\s+(?!(?:it|its|he|his|she|her|they|their|we|our)\b)",
                         re.I)  # "IBM said that another machine clocked up 36.01": what is said is the statement;
# ", or 7.6%," after a figure says it again in other units ("up 56 pence, or 7.6%, at 797p"): one statement


# A sentence ends a statement too, when a passage holds several ("A Madea Halloween and Geostorm. On
# Rotten Tomatoes, the film has..."): a full stop after a word of two letters or more that is no
# abbreviation ("Mr.", "Corp.", "U.S.", "Jan."), then a capital.
_SENTENCE_END = re.compile(r"(?<=[^\W\d_]{2}[.!?])\s+(?=[\"“‘']?[A-Z])")
_ABBREVIATIONS = frozenset("mr mrs ms dr st jr sr gen lt col sgt capt cmdr adm rep sen gov prof rev inc co corp ltd "
                           "bros vs no mt ft ave jan feb mar apr jun jul aug sep sept oct nov dec est approx".split())


def _sentence_ends(text: str) -> list[re.Match]:
    out = []
    for m in _SENTENCE_END.finditer(text):
        word = text[:m.start()].rsplit(None, 1)[-1].rstrip(".!?")  # the word the full stop ends
        if "." not in word and word.lower() not in _ABBREVIATIONS:
            out.append(m)
    return out


@lru_cache(maxsize=8192)
def clauses(text: str) -> tuple[tuple[int, int], ...]:
    """Character spans of the statements of a sentence (see _CLAUSE_END) or of a passage."""
    out, start = [], 0
    for m in sorted([*_CLAUSE_END.finditer(text), *_sentence_ends(text)], key=lambda m: m.start()):
        if m.start() > start:
            out.append((start, m.start()))
        start = max(start, m.end())
    out.append((start, len(text)))
    return tuple(out)


def clause_of(text: str, span: tuple[int, int]) -> tuple[int, int]:
    """The statement of ``text`` the span starts in."""
    return next((c for c in clauses(text) if c[0] <= span[0] < c[1]), (0, len(text)))


ANCHOR_TOKENS = 3  # aligned tokens looked at on each side of a word


NEIGHBOURHOOD = 3  # content words on each side of a word that say what it is said of


def _neighbourhood(text: str, span: tuple[int, int]) -> set[str]:
    words = [t for t in tokenize(text) if t.is_word and t.norm not in STOPWORDS and len(t.text) > 2]
    before = [t for t in words if t.end <= span[0]][-NEIGHBOURHOOD:]
    after = [t for t in words if t.start >= span[1]][:NEIGHBOURHOOD]
    return {lemma(t.text) for t in before + after}


def said_of_the_same(a: str, a_span: tuple[int, int], b: str, b_span: tuple[int, int]) -> bool:
    """Do two words stand among the same words, in any order ("Lawmakers passed the resolution
    [unanimously]" / "The resolution, which was passed [anonymously]")? Two of the three content
    words on each side of one are among the three on each side of the other."""
    return len(_neighbourhood(a, a_span) & _neighbourhood(b, b_span)) >= 2


def anchored(a: str, a_span: tuple[int, int], b: str, b_span: tuple[int, int]) -> bool:
    """Do the words around ``a_span`` in ``a`` and ``b_span`` in ``b`` line up, whatever the rest of
    the two sentences says? The tokens right before (or right after) both spans are the same, at
    least two of them and one a content word ("was passed [unanimously] by" / "was passed
    [anonymously], instructed"; "[Major] General Qassem Soleimani" / "[Lieutenant] General Qassem"),
    or three on both sides together ("is an [English] actor" / "is an [American] actor and"; "a" and
    "an" are one word, as in the alignment: "is a [British] actor" / "is an [Indian] actor")."""
    ta, tb = tokenize(a), tokenize(b)
    ia = [i for i, t in enumerate(ta) if a_span[0] <= t.start < a_span[1]]
    ib = [i for i, t in enumerate(tb) if b_span[0] <= t.start < b_span[1]]
    if not ia or not ib:
        return False

    def run(xs, ys) -> list[Token]:
        same = []
        for x, y in zip(xs, ys):
            if _key(x) != _key(y) and not (x.is_word and lemma(x.text) == lemma(y.text)):
                break
            same.append(x)
        return same
    before = run(reversed(ta[max(0, ia[0] - ANCHOR_TOKENS):ia[0]]), reversed(tb[max(0, ib[0] - ANCHOR_TOKENS):ib[0]]))
    after = run(ta[ia[-1] + 1:ia[-1] + 1 + ANCHOR_TOKENS], tb[ib[-1] + 1:ib[-1] + 1 + ANCHOR_TOKENS])
    def content(side) -> bool:  # a word of its own: not a scale letter ("$305m (")
        return any(t.is_word and len(t.text) > 2 and t.norm not in STOPWORDS for t in side)
    return any(len(side) >= 2 and content(side) for side in (before, after)) or (
        bool(before) and bool(after) and len(before) + len(after) >= 3 and content(before + after))


COPULA_REACH = 40  # tokens from the sentence's start within which its copula stands (past "(born ...)")
PREDICATE_REACH = 16  # tokens after the copula within which what the subject is said to be stands


def copula_at(toks: tuple[Token, ...]) -> int | None:
    """Where the sentence's first copula stands among its tokens ("Lost [is] ..."), if it has one."""
    return next((i for i, t in enumerate(toks[:COPULA_REACH]) if t.norm in COPULAS), None)


@lru_cache(maxsize=8192)  # an evidence sentence is read against many claims
def predicate(text: str) -> tuple[Token, ...] | None:
    """The tokens after the sentence's first copula ("Lost [is] an American television drama series
    that ..."), where what its subject is said to be stands; None without one."""
    toks = tokenize(text)
    at = copula_at(toks)
    return None if at is None else toks[at + 1:at + 1 + PREDICATE_REACH]
