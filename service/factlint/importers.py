"""Importers: an archive's files and exports read into Documents, one source at a time.

Articles have the suffixes of ``factlint check``'s drafts (``drafts.SUFFIX_FORMATS``):

- Plain text (``.txt``, ``.text``): the title and date lines near the top are found and page
  furniture dropped (``corpus.parse_article``).
- Markdown (``.md``, ``.markdown``, ...): front matter (YAML between ``---`` lines, or TOML between
  ``+++``) gives ``title``, ``date`` (or ``published``) and ``url``; without a title the first
  heading is the title. The prose is what ``factlint check`` reads in a draft.
- HTML (``.html``, ``.htm``, ``.xhtml``): the title from ``og:title``, the first ``<h1>`` or
  ``<title>``; the date from ``article:published_time`` (and its kin) or the first ``<time
  datetime>``; the URL from ``<link rel="canonical">`` or ``og:url``; the text of the
  ``<article>`` (else ``<main>``, else ``<body>``) without its navigation, header, footer, asides
  and forms.
- Exports, one article a record: JSON Lines (``.jsonl``, ``.ndjson``) and CSV (``.csv``), with the
  fields ``id``, ``title``, ``published``, ``url``, ``text`` and ``source`` (other names through
  ``Columns``). A record without a title is read like a text file.

A file's id is its path relative to the indexed root (the directory named, or the parent of a
file named) without the suffix, directories joined by ``:`` (``a/index.md`` -> ``a:index``); two
sources with one id are an error naming both. Whatever cannot be read is a ``Problem`` naming the
file (and line), and the rest goes on.
"""
from __future__ import annotations

import csv
import json
import re
import sys
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import Path

import yaml

from .corpus import clean_title, document_from, find_date, parse_article
from .drafts import SUFFIX_FORMATS, draft_sentences
from .models import Document, iso_date

ARTICLE_FORMATS = SUFFIX_FORMATS  # what `factlint check` reads in a draft, it reads in an archive
EXPORT_FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv"}
SUFFIXES = {**ARTICLE_FORMATS, **EXPORT_FORMATS}
FIELDS = ("id", "title", "published", "url", "text", "source")
ID_SEPARATOR = ":"
_BAD_ID = re.compile(r"[/\\\x00-\x1f\x7f]")
MAX_ID = 200


@dataclass(frozen=True)
class Columns:
    """Which field of an export record holds each part of a document."""

    id: str = "id"
    title: str = "title"
    published: str = "published"
    url: str = "url"
    text: str = "text"
    source: str = "source"

    @classmethod
    def parse(cls, specs: Iterable[str]) -> "Columns":
        """From ``FIELD=NAME`` specs (``text=body``); ValueError on a bad one."""
        names = {}
        for spec in specs:
            field, sep, name = spec.partition("=")
            if not sep or field not in FIELDS or not name:
                raise ValueError(f"--column {spec!r}: expected FIELD=NAME with FIELD one of {', '.join(FIELDS)}")
            names[field] = name
        return cls(**names)


@dataclass(frozen=True)
class Problem:
    """Something that could not be read, and where."""

    where: str  # "archive/page.html" or "export.csv:12"
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass(frozen=True)
class Source:
    path: Path
    root: Path  # ids and sources are relative to it

    @property
    def name(self) -> str:
        return self.path.relative_to(self.root).as_posix()

    @property
    def kind(self) -> str:
        return SUFFIXES.get(self.path.suffix.lower(), "text")

    def count(self) -> int:
        """Documents it holds (records of an export, counted without parsing them; 1 for an
        article), for a progress bar."""
        if self.kind == "jsonl":
            with open(self.path, "rb") as fh:
                return sum(1 for line in fh if line.strip())
        if self.kind == "csv":
            try:
                with open(self.path, encoding="utf-8-sig", newline="") as fh:
                    return max(0, sum(1 for _ in csv.reader(fh)) - 1)
            except (UnicodeError, csv.Error):
                return 1
        return 1


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") or part == "node_modules" for part in path.relative_to(root).parts)


def find_sources(paths: Iterable[str | Path]) -> tuple[list[Source], list[Problem]]:
    """The files to read: files named (their root is their directory) and the article and export
    files under directories named (hidden ones and node_modules skipped), in a stable order."""
    sources, problems = [], []
    for p in map(Path, paths):
        if p.is_dir():
            sources += [Source(f, p) for f in sorted(p.rglob("*"))
                        if f.is_file() and f.suffix.lower() in SUFFIXES and not _hidden(f, p)]
        elif p.is_file():
            sources.append(Source(p, p.parent))
        else:
            problems.append(Problem(str(p), "no such file or directory"))
    return sources, problems


def total(sources: Iterable[Source]) -> int:
    """Documents the sources hold, for a progress bar (one that cannot be counted counts 1:
    reading it will say what is wrong)."""
    n = 0
    for source in sources:
        try:
            n += source.count()
        except OSError:
            n += 1
    return n


def file_id(source: Source) -> str:
    """``a/index.md`` under the root -> ``a:index``."""
    return ID_SEPARATOR.join(source.path.relative_to(source.root).with_suffix("").parts)


def read(paths: Iterable[str | Path], columns: Columns | None = None) -> Iterator[Document | Problem]:
    """Every document of the paths, and a Problem for whatever cannot be read."""
    sources, problems = find_sources(paths)
    yield from problems
    yield from read_sources(sources, columns)


def read_sources(sources: list[Source], columns: Columns | None = None) -> Iterator[Document | Problem]:
    """The documents of the sources; a second document with an id already read is a Problem
    naming both places."""
    columns = columns or Columns()
    seen: dict[str, str] = {}
    for source in sources:
        for where, item in _read_source(source, columns):
            if isinstance(item, Document):
                if item.id in seen:
                    item = Problem(where, f"its id {item.id!r} is already the id of {seen[item.id]}: rename "
                                   "one of them (ids are paths relative to the indexed directory, without suffix)")
                else:
                    seen[item.id] = where
            yield item


def _read_source(source: Source, columns: Columns) -> Iterator[tuple[str, Document | Problem]]:
    shown = str(source.path)
    try:
        if source.kind == "jsonl":
            yield from _jsonl(source, columns)
        elif source.kind == "csv":
            yield from _csv(source, columns)
        else:
            raw = source.path.read_text(encoding="utf-8")
            yield shown, _ARTICLE_READERS[source.kind](raw, file_id(source), source.name)
    except UnicodeDecodeError as exc:
        yield shown, Problem(shown, f"not UTF-8 text (byte {exc.start})")
    except OSError as exc:
        yield shown, Problem(shown, f"cannot read it: {exc.strerror or exc}")
    except ValueError as exc:  # the readers' reasons
        yield shown, Problem(shown, str(exc))


# --- dates ------------------------------------------------------------------------------------
def normalize_date(value) -> str | None:
    """A publication date as YYYY-MM-DD from what exports and pages write (ISO dates and
    timestamps, "20-Feb-2020", "Jan. 5, 2020", ...); None when empty; ValueError when unreadable."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    day = iso_date(text) if re.match(r"\d{4}-\d{2}-\d{2}", text) else None
    found = day or (find_date(text) or (None,))[0]
    if found is None:
        raise ValueError(f"cannot read the date {text!r}")
    return found.isoformat()


def _best_effort_date(value) -> str | None:
    try:
        return normalize_date(value)
    except ValueError:
        return None


# --- Markdown ---------------------------------------------------------------------------------
_FRONT_MATTER = re.compile(r"\A(?:---[ \t]*\n(?P<yaml>.*?)\n(?:---|\.\.\.)|\+\+\+[ \t]*\n(?P<toml>.*?)\n\+\+\+)[ \t]*(?:\n|\Z)",
                           re.S)
_HEADING = re.compile(r"^[ \t]{0,3}#[ \t]+(.+?)[ \t#]*$", re.M)


def front_matter(text: str) -> tuple[dict, str]:
    """The front matter of a Markdown text as a mapping, and the text after it (ValueError when
    it is not a mapping of YAML or TOML)."""
    m = _FRONT_MATTER.match(text)
    if not m:
        return {}, text
    try:
        meta = yaml.safe_load(m.group("yaml")) if m.group("yaml") is not None else tomllib.loads(m.group("toml"))
    except (yaml.YAMLError, tomllib.TOMLDecodeError) as exc:
        raise ValueError(f"its front matter is not valid {'YAML' if m.group('yaml') is not None else 'TOML'}: "
                         f"{str(exc).splitlines()[0]}") from exc
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise ValueError("its front matter is not a mapping of keys to values")
    return meta, text[m.end():]


def prose(text: str, fmt: str) -> str:
    """The prose of a Markdown or HTML text as ``factlint check`` reads it: its sentences, joined
    by a line break where a line break or a tag stands between them."""
    out = []
    last = 0
    for s in draft_sentences(text, fmt):
        if out:
            gap = text[last:s.start]
            out.append("\n" if "\n" in gap or "<" in gap else " ")
        out.append(s.text)
        last = s.end
    return "".join(out)


def read_markdown(raw: str, doc_id: str, source: str) -> Document:
    """A Markdown article (ValueError when its front matter cannot be read)."""
    meta, body = front_matter(raw.replace("\r\n", "\n"))
    published = normalize_date(meta.get("date", meta.get("published")))
    title = str(meta["title"]).strip() if meta.get("title") else None
    if title is None:
        heading = _HEADING.search(body)
        if heading:
            title = heading.group(1).strip()
            body = body[:heading.start()] + body[heading.end():]
    url = str(meta.get("url") or meta.get("link") or "")
    text = prose(body, "markdown")
    if title is None:  # read like a text file: a title line and a dateline near the top
        return parse_article(text, doc_id, source=source, published=published, url=url)
    if published is None:
        published = _dateline(body)
    return Document(doc_id, title, text, published, source, url)


def _dateline(text: str) -> str | None:
    """A date near the top of an article's text (a byline's)."""
    hit = find_date("\n".join(text.split("\n")[:12]))
    return hit[0].isoformat() if hit else None


# --- HTML -------------------------------------------------------------------------------------
_REGIONS = ("article", "main", "body")
_FURNITURE = {"nav", "header", "footer", "aside", "form", "noscript"}
_FURNITURE_ROLES = {"navigation", "banner", "contentinfo", "complementary", "search"}
_DATE_META = ("article:published_time", "og:published_time", "datepublished", "date", "pubdate",
              "publishdate", "dc.date", "dc.date.issued", "sailthru.date", "parsely-pub-date")


class _PageParser(HTMLParser):
    """Collects a page's metadata and the offsets of the elements that matter for its text."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.text = text
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.meta: dict[str, str] = {}
        self.canonical = ""
        self.title = ""
        self.h1 = ""
        self.times: list[str] = []
        self.elements: list[tuple[str, int, int]] = []  # (tag or "furniture", start, end)
        self._open: list[tuple[str, int, bool]] = []  # (tag, start, is furniture)
        self._in: str | None = None  # "title" or "h1" while collecting its text
        self._buf: list[str] = []

    def _offset(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    def handle_starttag(self, tag, attrs):
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            key = (a.get("property") or a.get("name") or a.get("itemprop") or "").lower()
            if key and a.get("content") and key not in self.meta:
                self.meta[key] = a["content"].strip()
        elif tag == "link" and "canonical" in a.get("rel", "").lower().split():
            self.canonical = self.canonical or a.get("href", "").strip()
        elif tag == "time" and a.get("datetime"):
            self.times.append(a["datetime"])
        if tag in ("title", "h1") and not getattr(self, tag) and self._in is None:
            self._in, self._buf = tag, []
        furniture = tag in _FURNITURE or a.get("role", "").lower() in _FURNITURE_ROLES
        if tag in _REGIONS or furniture:
            self._open.append((tag, self._offset(), furniture))

    def handle_endtag(self, tag):
        if tag == self._in:
            setattr(self, tag, re.sub(r"\s+", " ", "".join(self._buf)).strip())
            self._in = None
        for i in range(len(self._open) - 1, -1, -1):
            if self._open[i][0] == tag:
                name, start, furniture = self._open.pop(i)
                end = self.text.find(">", self._offset())
                self._record(name, start, len(self.text) if end < 0 else end + 1, furniture)
                break

    def handle_data(self, data):
        if self._in:
            self._buf.append(data)

    def _record(self, tag: str, start: int, end: int, furniture: bool) -> None:
        self.elements.append(("furniture" if furniture else tag, start, end))
        if furniture and tag in _REGIONS:  # <main role="search">: a region all the same
            self.elements.append((tag, start, end))

    def finish(self) -> None:
        self.close()
        while self._open:  # unclosed elements run to the end of the page
            name, start, furniture = self._open.pop()
            self._record(name, start, len(self.text), furniture)


def _region(page: _PageParser) -> tuple[int, int]:
    """Where the article is: the largest <article>, else <main>, else <body>, else the page."""
    for tag in _REGIONS:
        spans = [(s, e) for t, s, e in page.elements if t == tag]
        if spans:
            return max(spans, key=lambda span: span[1] - span[0])
    return 0, len(page.text)


def read_html(raw: str, doc_id: str, source: str) -> Document:
    """An HTML page's article (ValueError when it holds no article text)."""
    page = _PageParser(raw)
    page.feed(raw)
    page.finish()
    region = _region(page)
    chars = list(raw[region[0]:region[1]])
    for tag, s, e in page.elements:
        if tag == "furniture" and region[0] <= s and e <= region[1] and (s, e) != region:
            for i in range(s - region[0], e - region[0]):
                if chars[i] != "\n":
                    chars[i] = " "
    text = prose("".join(chars), "html")
    if not text.strip():
        raise ValueError("no article text found in the page")
    meta = page.meta
    title = (meta.get("og:title") or page.h1 or clean_title(page.title)).strip()
    published = next((d for d in (_best_effort_date(meta.get(k)) for k in _DATE_META) if d), None) \
        or next((d for d in map(_best_effort_date, page.times) if d), None)
    url = page.canonical or meta.get("og:url", "")
    if not title:
        return parse_article(text, doc_id, source=source, published=published, url=url)
    return Document(doc_id, title, text, published or _dateline(text), source, url)


_ARTICLE_READERS = {
    "text": lambda raw, doc_id, source: parse_article(raw, doc_id, source=source),
    "markdown": read_markdown,
    "html": read_html,
}


# --- exports ----------------------------------------------------------------------------------
def record_document(record: dict, columns: Columns, source: str) -> Document:
    """One export record as a Document (ValueError with the reason when it cannot be one)."""
    def field(name: str) -> str:
        value = record.get(getattr(columns, name))
        if value is None:
            return ""
        if isinstance(value, (dict, list)):
            raise ValueError(f"field {getattr(columns, name)!r} is not text")
        return str(value)

    text = field("text")
    if not text.strip():
        raise ValueError(f"no text (field {columns.text!r})")
    doc_id = field("id").strip()
    if _BAD_ID.search(doc_id) or len(doc_id) > MAX_ID:
        raise ValueError(f"id {doc_id[:40]!r} must be at most {MAX_ID} characters without / \\ or control characters")
    return document_from(text, doc_id or None, field("title"), normalize_date(record.get(columns.published)),
                         field("source").strip() or source, field("url").strip())


def _records(where: str, rows: Iterator[tuple[int, object]], columns: Columns,
             source: str) -> Iterator[tuple[str, Document | Problem]]:
    for line, row in rows:
        at = f"{where}:{line}"
        if isinstance(row, Problem):
            yield at, row
            continue
        if not isinstance(row, dict):
            yield at, Problem(at, "not a JSON object")
            continue
        try:
            yield at, record_document(row, columns, source)
        except ValueError as exc:
            yield at, Problem(at, str(exc))


def _jsonl(source: Source, columns: Columns) -> Iterator[tuple[str, Document | Problem]]:
    def rows():
        with open(source.path, encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                if line.strip():
                    try:
                        yield n, json.loads(line)
                    except json.JSONDecodeError as exc:
                        yield n, Problem(f"{source.path}:{n}", f"not JSON: {exc.msg}")

    yield from _records(str(source.path), rows(), columns, source.name)


def _csv(source: Source, columns: Columns) -> Iterator[tuple[str, Document | Problem]]:
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # an article is longer than csv's 128 KiB default
    with open(source.path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        try:
            header = reader.fieldnames or []
        except csv.Error as exc:
            raise ValueError(f"not CSV: {exc}") from exc
        if columns.text not in header:
            raise ValueError(f"no {columns.text!r} column (the header has: {', '.join(header) or 'nothing'}); "
                              "name the text column with --column text=NAME")

        def rows():
            while True:
                try:
                    row = next(reader)
                except StopIteration:
                    return
                except csv.Error as exc:
                    yield reader.line_num, Problem(f"{source.path}:{reader.line_num}", f"not CSV: {exc}")
                    return
                yield reader.line_num, row

        yield from _records(str(source.path), rows(), columns, source.name)
