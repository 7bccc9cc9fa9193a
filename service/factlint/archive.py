"""The Python API: an archive opened for checking and writing, the same checker, store and index
the command line and the HTTP service use.

    import factlint

    archive = factlint.open("archive-index")         # a data directory (made when missing)
    archive.add({"id": "vote", "title": "Iraq votes", "published": "2020-01-05",
                 "text": "Iraq has about 5,000 American military personnel."})
    result = archive.check("Iraq has about 2,500 American military personnel.")
    result.verdict                                   # "contradicted"
    result.findings[0].message                       # "claim says about 2,500; 'Iraq votes' ..."
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .checker import Checker, comparison_json
from .config import Settings, load_settings
from .corpus import document_from
from .importers import normalize_date
from .models import CheckResult, Conflict, Document
from .workspace import Workspace

DOCUMENT_FIELDS = {"id", "title", "text", "published", "source", "url"}


@dataclass(frozen=True)
class Comparison:
    """How sentence ``a`` relates to sentence ``b``: contradiction, consistent or unrelated."""

    verdict: str
    similarity: float
    conflicts: list[Conflict]

    def to_json(self) -> dict:
        """What POST /v1/compare answers."""
        return comparison_json(self.verdict, self.similarity, self.conflicts)


def _day(value: date | str | None, what: str) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(normalize_date(value))
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{what}: expected a date or YYYY-MM-DD, not {value!r}") from exc


def _document(d: Document | Mapping) -> Document:
    if isinstance(d, Document):
        return d
    if not isinstance(d, Mapping):
        raise TypeError(f"a document is a factlint.models.Document or a mapping, not {type(d).__name__}")
    unknown = set(d) - DOCUMENT_FIELDS
    if unknown:
        raise ValueError(f"unknown document fields {sorted(unknown)}; the fields are {sorted(DOCUMENT_FIELDS)}")
    if not isinstance(d.get("text"), str):
        raise ValueError("a document needs its text (a string)")
    published = _day(d.get("published"), "published")
    return document_from(d["text"], d.get("id"), d.get("title"), published.isoformat() if published else None,
                         d.get("source") or "", d.get("url") or "")


class Archive:
    """A data directory (or, with the PostgreSQL store, a database) opened for use. Loading it
    loads the embedding model and the index once; every call after that is fast."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.workspace = Workspace(settings)
        self.checker = Checker.configured(self.workspace, settings)

    def check(self, claim: str, *, top_k: int | None = None, published: date | str | None = None) -> CheckResult:
        """A claim's verdict (contradicted, supported, unverified) with its findings and evidence;
        ``published`` is the claim's own date, against which its relative dates are read."""
        return self.check_many([claim], top_k=top_k, published=published)[0]

    def check_many(self, claims: Iterable[str], *, top_k: int | None = None,
                   published: date | str | None = None) -> list[CheckResult]:
        """Several claims in one batch (one encoder call, one index search)."""
        claims = list(claims)
        if not all(isinstance(c, str) and c.strip() for c in claims):
            raise ValueError("every claim must be a non-empty string")
        self.workspace.sync()
        return self.checker.check_many(claims, top_k, _day(published, "published")) if claims else []

    def compare(self, a: str, b: str, *, a_published: date | str | None = None,
                b_published: date | str | None = None) -> Comparison:
        """How two sentences relate, without the archive (``a`` is the claim, ``b`` the evidence)."""
        if not (isinstance(a, str) and a.strip() and isinstance(b, str) and b.strip()):
            raise ValueError("both sentences must be non-empty strings")
        rel, sim, conflicts = self.checker.compare(a, b, _day(a_published, "a_published"),
                                                   _day(b_published, "b_published"))
        return Comparison(rel, sim, conflicts)

    def add(self, documents: Document | Mapping | Iterable[Document | Mapping]) -> list[tuple[str, int]]:
        """Add or replace documents (a Document, a mapping of its fields, or several), in one
        transaction; returns (id, sentences indexed) for each. Without an id the id is a hash of
        the text; without a title the text is read like an article file."""
        if isinstance(documents, (Document, Mapping)):
            documents = [documents]
        docs = [_document(d) for d in documents]
        self.workspace.sync()
        return self.workspace.add(docs)

    def add_paths(self, *paths: str | Path) -> list[tuple[str, int]]:
        """Index article files, exports and directories of them, as `factlint index` does."""
        self.workspace.sync()
        return self.workspace.add_paths(list(paths))

    def delete(self, doc_id: str) -> bool:
        """Delete a document; False when there is no such document."""
        self.workspace.sync()
        return self.workspace.delete(doc_id)

    def report(self):
        """Where the archive contradicts itself, grouped by fact: a ``factlint.report.Report``
        (``select(kind, severity)`` its facts, ``to_json(kind, severity)`` the body of GET
        /v1/contradictions)."""
        from .report import build_report

        self.workspace.sync()
        return build_report(self.workspace, self.settings.check)


def open_archive(data_dir: str | Path | None = None, *, store_url: str | None = None,
                 config: str | Path | None = None, **sections: dict) -> Archive:
    """``factlint.open``: see its documentation."""
    store: dict = {}
    if data_dir is not None:
        store["data_dir"] = str(data_dir)
    if store_url is not None:
        store["url"] = store_url  # validated by the settings: a postgresql:// URL
    store = {**sections.pop("store", {}), **store}
    return Archive(load_settings(config, store=store, **sections))
