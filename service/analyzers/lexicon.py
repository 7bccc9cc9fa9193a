"""The word lists the analyzers share: antonym pairs and equivalences the project owns."""
from __future__ import annotations

from functools import lru_cache
from importlib import resources

from ..text import lemma


@lru_cache(maxsize=1)
def antonyms() -> dict[str, frozenset[str]]:
    """Antonyms by lemma (single words) or lower-case phrase, both directions."""
    text = resources.files("service").joinpath("data", "antonyms.tsv").read_text(encoding="utf-8")
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

