"""Negation: one sentence negates what the other asserts, however the two are phrased.

A word both sentences say (the predicate: "passed", "binding", "strong") has a polarity in each: the
parity of the negation cues before it in its stretch of the sentence (up to the nearest comma or
other punctuation). Cues: not, no, never, n't, without, neither/nor (once), cannot, none, nothing,
and words that negate what follows them ("stop selling" = "not sell", "failed to pass", "declined
to give", "unable to attend", "incapable of writing", "has yet to appear"). "Not only" and "not the only" are not negations. Where the shared word's polarity differs,
and the stretches around it share another word (the subject, the object) or the two sentences open
with one named subject, the sentences conflict;
said once per negation cue. A non-/un-/in-/dis- prefix of the other side's word in the same place
(non-binding / binding) is a negation too.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..models import Conflict
from ..text import STOPWORDS, Token, align, lemma, tokenize
from . import names

CUES = frozenset({"not", "no", "never", "without", "neither", "nor", "none", "nobody", "nothing", "cannot",
                  "unless"})
# Verbs that negate the verb after them: "stop selling" says what "not sell" says.
NEGATIVE_VERBS = frozenset({"stop", "stops", "stopped", "stopping", "cease", "ceased", "ceases", "fail",
                            "failed", "fails", "failing", "failure", "refuse", "refused", "refuses", "refusal",
                            "decline", "declined", "declines", "lack", "lacks", "lacked", "unable", "incapable"})
# Verbs that keep what follows from happening: not cues of their own (they say more than "not"),
# but a sentence with one says what a negation says ("stop using" / "preventing from using").
KEEPING_VERBS = frozenset({"prevent", "prevented", "prevents", "preventing", "halt", "halted", "halts",
                           "halting", "suspend", "suspended", "suspends", "ban", "banned", "bans", "banning",
                           "bar", "barred", "bars", "barring", "protect", "protects", "protected", "protecting",
                           "avoid", "avoided", "avoids", "avoiding", "remove", "removed", "removes", "removing",
                           "exclude", "excluded", "excludes", "excluding"})
_PREFIXES = ("non-", "non", "un", "in", "il", "im", "ir", "dis")
_NOT_A_NEGATION = ("only", "just", "merely", "least")  # "not only X but Y", "not the only", "not least"
DETERMINERS = frozenset({"no", "none", "nothing", "nobody"})
DETERMINER_SCOPE = 2  # "gave no details": the noun phrase after "no"
SCOPE = 4  # "will not stop training Iraqi forces": the verb phrase after "not"
_STRETCH = re.compile(r"[,;:()—–]|\s-\s|--")
_INSERTED = re.compile(r"\[[^\[\]]*\]")  # an editor's words in a quote: "it's not in [designing new] instruction set"
MIN_SHARED = 2  # content words (the negated one included) the two stretches must share,
MIN_SHARED_SENTENCE = 5  # ...or the two sentences ("neither for training" / "accept soldiers on the base for training")
# A prior: the development pairs hold too few negations to measure (3 of 4 right, 2026-11-21).
CONFIDENCE = 0.8


def is_cue(tok: Token) -> bool:
    return tok.norm in CUES or tok.norm.endswith("n't") or tok.norm == "ain't"


_ADJECTIVE = ("able", "ible", "ful", "al", "ive", "ous", "ent", "ant", "ic", "ary", "ar", "ing", "y")
_HEDGES = ("ly",)  # "unlikely" / "likely" hedge two statements, each its own


def negated_form(word: str, other: str) -> bool:
    """Is ``word`` the negative-prefixed form of ``other`` (non-binding / binding, inoperative /
    operative)? "non-" negates anything; un-, in-, dis- only adjectives ("uncovered" is no "not
    covered")."""
    w, o = word.lower(), other.lower()
    if len(o) < 4 or len(w) <= len(o) or not w.endswith(o):
        return False
    if w in ("non-" + o, "non" + o):
        return True
    return o.endswith(_ADJECTIVE) and not o.endswith(_HEDGES) and any(w == p + o for p in _PREFIXES)


def _content(t: Token) -> bool:
    return t.is_word and t.norm not in STOPWORDS and len(t.norm) > 2 and not is_cue(t) \
        and t.norm not in NEGATIVE_VERBS and t.norm != "yet"


def _stretches(text: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for m in _STRETCH.finditer(text):
        out.append((start, m.start()))
        start = m.end()
    out.append((start, len(text)))
    return out


def _family(t: Token) -> str:
    """Which negation a cue makes: "not" for the plain ones, else the negating verb's lemma."""
    return "not" if is_cue(t) else lemma(t.norm)[:4]


def _cues(toks: list[Token]) -> list[Token]:
    """The negation cues of one stretch that count: not "not only", not "nor" after "neither", and a
    negating verb only before the verb it negates ("stop selling", "failed to pass")."""
    out = []
    for k, t in enumerate(toks):
        nxt = toks[k + 1] if k + 1 < len(toks) else None
        after = [x.norm for x in toks[k + 1:k + 3]]
        if is_cue(t):
            if any(w in _NOT_A_NEGATION for w in after) or (t.norm == "nor" and any(x.norm == "neither" for x in out)):
                continue
            out.append(t)
        elif t.norm in NEGATIVE_VERBS and nxt is not None and nxt.is_word and (
                nxt.norm == "to" or nxt.norm.endswith("ing") or t.norm.startswith("lack")
                or (t.norm == "incapable" and nxt.norm == "of")
                or (nxt.norm not in STOPWORDS and not nxt.norm.endswith("ly"))):
            out.append(t)  # "stop selling", "failed to pass", "declined comment"; not "declined 5%"
        elif t.norm == "yet" and nxt is not None and nxt.norm == "to" and not any(is_cue(x) for x in toks[max(0, k - 2):k]):
            out.append(t)  # "has yet to appear" says "has not appeared"; "not yet to" is one negation
    return out


def _split_non(text: str, tok: Token) -> bool:
    return bool(re.search(r"\bnon-?\s*$", text[max(0, tok.start - 6):tok.start], re.I))


def _same_rest(neg: "_Word", other: set[str]) -> bool:
    """A negation denies its whole statement: "Gin does not derive its flavour from juniper berries"
    contradicts "Gin derives its flavour from cranberries" only if the rest after the negated word
    is said by the other sentence too (two thirds of its content words, up to a coordinator)."""
    rest = []
    for t in neg.after:
        if t.norm in ("nor", "or", "and", "but"):
            break  # "neither for training nor for advice": the next item is not the rest
        if _content(t):
            rest.append(lemma(t.text))
    return not rest or 3 * sum(w in other for w in rest) >= 2 * len(rest)


def _governs_predicate(neg: "_Word", pos: "_Word") -> bool:
    """"No passenger was ejected": a determiner's negation is of what is said of its noun, so the
    other sentence must say the same of it (the stretches share two more words)."""
    return len(neg.lemmas & pos.lemmas) >= MIN_SHARED + 2


_LIGHT = frozenset("be is are was were been being have has had do does did to ever even yet so very "
                   "a an the any i my our your their his her its mr mrs ms dr".split())


def _governed(toks: list[Token], cue: Token) -> Token | None:
    """The word a cue negates: the first content word after it ("was not passed": passed)."""
    for t in toks[toks.index(cue) + 1:]:
        if t.is_word and t.norm not in _LIGHT and t.norm not in STOPWORDS and not t.norm.endswith("ly") and not is_cue(t) \
                and t.norm not in NEGATIVE_VERBS:
            return t
    return None


@dataclass(frozen=True)
class _Word:
    tok: Token
    cues: tuple[Token, ...]  # the cues that negate it
    lemmas: frozenset[str]  # the content lemmas of its stretch
    stretch: int
    tokens: tuple[Token, ...] = ()  # its stretch's tokens, the word at ``at``
    at: int = 0

    @property
    def negated(self) -> bool:
        return len(self.cues) % 2 == 1

    @property
    def after(self) -> tuple[Token, ...]:
        """The rest of its stretch."""
        return self.tokens[self.at + 1:]


@lru_cache(maxsize=8192)  # a claim is read against each of its evidence sentences, and they against many claims
def _read(text: str) -> dict[str, list[_Word]]:
    """Each content word's lemma -> its occurrences, with the cues that negate each (callers do not
    change it: it is cached). Words an editor inserted in square brackets are not the speaker's: left
    out, so a cue before them governs the speaker's next word."""
    toks = tokenize(text)
    inserted = [m.span() for m in _INSERTED.finditer(text)]
    toks = tuple(t for t in toks if not any(a <= t.start < b for a, b in inserted))
    out: dict[str, list[_Word]] = {}
    for k, (lo, hi) in enumerate(_stretches(text)):
        st = tuple(t for t in toks if lo <= t.start < hi)
        content = {i: lemma(t.text) for i, t in enumerate(st) if _content(t)}
        lemmas = frozenset(content.values())
        negating: dict[Token, list[Token]] = {}
        for cue in _cues(st):
            w = _governed(st, cue)
            if w is not None:
                negating.setdefault(w, []).append(cue)
        for i, lem in content.items():
            out.setdefault(lem, []).append(_Word(st[i], tuple(negating.get(st[i], ())), lemmas, k, st, i))
    return out


def _has_cue(text: str) -> bool:
    return any(is_cue(t) or t.norm in NEGATIVE_VERBS or t.norm == "yet" for t in tokenize(text))


def analyze(claim: str, evidence: str) -> list[Conflict]:
    out: list[Conflict] = []
    if _has_cue(claim) or _has_cue(evidence):  # else every word has one polarity on both sides
        out += _polarities(claim, evidence)
    for d in align(claim, evidence).diffs:
        ends: dict[str, list[Token]] = {}  # a prefixed form ends as its word does: only those are tried
        for y in d.b:
            ends.setdefault(y.text.lower()[-4:], []).append(y)
        for x in d.a:
            for y in ends.get(x.text.lower()[-4:], ()):
                if not (negated_form(x.text, y.text) or negated_form(y.text, x.text)):
                    continue
                if not (_split_non(claim, x) or _split_non(evidence, y)):  # "non- operative": written apart
                    out.append(Conflict("negation", (x.start, x.end), (y.start, y.end), x.text, y.text, CONFIDENCE))
    return out


def _polarities(claim: str, evidence: str) -> list[Conflict]:
    """A word both sentences say, negated in one and not in the other."""
    ra, rb = _read(claim), _read(evidence)
    whole_a, whole_b = set(ra), set(rb)
    out: list[Conflict] = []
    for key in ra.keys() & rb.keys():
        pa, pb = {w.negated for w in ra[key]}, {w.negated for w in rb[key]}
        if len(pa) != 1 or pa == pb or len(pb) != 1:
            continue  # said with the same polarity somewhere on both sides
        a, b = ra[key][0], rb[key][0]
        if len(a.lemmas & b.lemmas) < MIN_SHARED and len(whole_a & whole_b) < MIN_SHARED_SENTENCE \
                and (a.tok.is_capitalized or not names.one_opening(claim, evidence)):
            continue  # nothing else in common around it: the word is used of something else
        neg, other = (a, rb) if a.negated else (b, ra)
        cue = neg.cues[-1]
        other_text = evidence if a.negated else claim
        cancelled = {c for ws in other.values() for w in ws if not w.negated for c in w.cues}
        if any(t not in cancelled for t in tokenize(other_text) if t.norm in NEGATIVE_VERBS or t.norm in KEEPING_VERBS):
            continue  # "failed to get" / "their failure ... to get", "stop using" / "preventing from using"
        if any(w.negated and w.lemmas & neg.lemmas for ws in other.values() for w in ws):
            continue  # the other sentence negates a neighbouring word: the same negation, placed elsewhere
        if cue.norm in DETERMINERS and not _governs_predicate(neg, a if neg is b else b):
            continue
        if not _same_rest(neg, whole_b if a.negated else whole_a):
            continue  # "not an album by Danny Devito" / "an album by Pink Floyd": not that, but true
        ca = (cue.start, cue.end) if a.negated else (a.tok.start, a.tok.end)
        cb = (cue.start, cue.end) if b.negated else (b.tok.start, b.tok.end)
        if any(c.claim_span == ca or c.evidence_span == cb for c in out):
            continue
        out.append(Conflict("negation", ca, cb, claim[ca[0]:ca[1]], evidence[cb[0]:cb[1]], CONFIDENCE))
    return out
