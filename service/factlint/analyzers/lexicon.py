"""The word lists the analyzers share: antonym pairs and commonly confused words, owned by the project."""
from __future__ import annotations

from functools import lru_cache
from importlib import resources

from ..text import anchored, lemma, said_of_the_same, tokenize


@lru_cache(maxsize=1)
def antonyms() -> dict[str, frozenset[str]]:
    """Antonyms by lemma (single words) or lower-case phrase, both directions."""
    return _pairs("antonyms.tsv")


@lru_cache(maxsize=1)
def confusables() -> dict[str, frozenset[str]]:
    """Commonly confused words by lemma, both directions."""
    return _pairs("confusables.tsv")


@lru_cache(maxsize=1)
def exclusive() -> dict[str, frozenset[str]]:
    """Words by lemma -> the other members of their class of mutually exclusive values (colours)."""
    text = resources.files("factlint").joinpath("data", "exclusive.tsv").read_text(encoding="utf-8")
    out: dict[str, frozenset[str]] = {}
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            words = {_key(w) for w in line.split("\t") if w.strip()}
            for w in words:
                out[w] = frozenset(words - {w}) | out.get(w, frozenset())
    return out


@lru_cache(maxsize=1)
def genres() -> dict[str, str]:
    """Genre words (lower case, as written) -> their genre's first word (data/genres.tsv)."""
    text = resources.files("factlint").joinpath("data", "genres.tsv").read_text(encoding="utf-8")
    out: dict[str, str] = {}
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            words = [w.strip().lower() for w in line.split("\t") if w.strip()]
            out.update({w: words[0] for w in words})
    return out


@lru_cache(maxsize=1)
def kinds() -> dict[str, str]:
    """Nouns, singular and plural (lower case) -> the kind of thing they say something is
    (data/kinds.tsv: person, animal, film, city ...). Matched as written, not by lemma: "trained"
    is no "train"."""
    text = resources.files("factlint").joinpath("data", "kinds.tsv").read_text(encoding="utf-8")
    out: dict[str, str] = {}
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            kind, *words = [w.strip().lower() for w in line.split("\t") if w.strip()]
            for w in words:
                plural = w if w.endswith("s") else w[:-1] + "ies" if w.endswith("y") else \
                    w + "es" if w.endswith(("ch", "sh", "x")) else w + "s"
                out.update({w: kind, plural: kind})
    return out


def _pairs(name: str) -> dict[str, frozenset[str]]:
    text = resources.files("factlint").joinpath("data", name).read_text(encoding="utf-8")
    out: dict[str, set[str]] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        a, b = (_key(w) for w in line.split("\t")[:2])
        out.setdefault(a, set()).add(b)
        out.setdefault(b, set()).add(a)
    return {k: frozenset(v) for k, v in out.items()}


def _key(phrase: str) -> str:
    words = phrase.strip().lower().split()
    return lemma(words[0]) if len(words) == 1 else " ".join(words)



def anchored_pairs(claim: str, evidence: str, lex: dict[str, frozenset[str]], any_order: bool = False):
    """Words of the two sentences that the lexicon pairs (single words, by lemma) and whose
    neighbours line up (text.anchored), wherever they stand: (claim token, evidence token). With
    ``any_order``, also words among the same neighbours in another order (text.said_of_the_same):
    for look-alike pairs, which two sentences seldom hold by chance; opposites (rise / fall, buy /
    sell) stand among the same words in many sentences about other things."""
    ta = [t for t in tokenize(claim) if t.is_word]
    tb = [t for t in tokenize(evidence) if t.is_word]
    by_lemma: dict[str, list] = {}
    for y in tb:
        by_lemma.setdefault(lemma(y.text), []).append(y)
    in_claim = {lemma(x.text) for x in ta}
    for x in ta:
        if lemma(x.text) in by_lemma:
            continue  # the evidence says this word too: a pair of both, not a swap ("a girl ... a boy")
        for other in lex.get(lemma(x.text), ()):
            if other in in_claim:
                continue
            for y in by_lemma.get(other, ()):
                sa, sb = (x.start, x.end), (y.start, y.end)
                if anchored(claim, sa, evidence, sb) or (any_order and said_of_the_same(claim, sa, evidence, sb)):
                    yield x, y
