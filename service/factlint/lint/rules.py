"""The finding kinds as lint rules: their documentation pages (docs/rules/<kind>.md, shipped in
the package), links to them, and the severity a project gives each (``[rules]`` in factlint.toml).

    [rules]
    wording = "off"     # not reported
    entity = "note"     # reported as a note (fails only with --fail-on note)
    number = "contradiction"   # the default of every kind
"""
from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import get_args

from ..models import FindingKind

KINDS: tuple[str, ...] = get_args(FindingKind)
LEVELS = ("contradiction", "note", "off")


def known() -> str:
    return ", ".join(KINDS)


@lru_cache(maxsize=None)
def page(kind: str) -> str:
    """The documentation page of a kind (Markdown); KeyError for an unknown kind."""
    if kind not in KINDS:
        raise KeyError(kind)
    return resources.files("factlint").joinpath("rules", f"{kind}.md").read_text(encoding="utf-8")


def summary(kind: str) -> str:
    """The page's title line without the kind: what the rule finds, in one sentence."""
    title = page(kind).splitlines()[0].lstrip("# ").strip()
    return title.split(":", 1)[1].strip() if ":" in title else title


def url(kind: str, docs_url: str | None = None) -> str:
    """Where the kind's page is read: under ``docs_url`` (factlint.toml, where the project
    publishes docs/rules/) when set, else the page inside the installed package."""
    if docs_url:
        return f"{docs_url.rstrip('/')}/{kind}.md"
    return resources.files("factlint").joinpath("rules", f"{kind}.md").resolve().as_uri()


def unknown(kinds) -> list[str]:
    return sorted(set(kinds) - set(KINDS))
