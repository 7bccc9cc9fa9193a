"""Corpus: read articles (messy web text) into Documents with a title and a publication date."""
from __future__ import annotations

import hashlib
import re
from datetime import date
from pathlib import Path

from dateutil import parser as dateparser

from .models import Document

# Lines that are page furniture rather than article text.
_NOISE = re.compile(
    r"^(?:twitter|facebook|share( this)?|related (topics|articles)|leave a reply|back to top( button)?"
    r"|comments are closed\.?|like this story\?.*|updated:?|follow us.*|advertisement|read more"
    r"|also on \S+ .*)$",
    re.IGNORECASE,
)
_ICON_WORD = re.compile(r"icon", re.IGNORECASE)

_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
          r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
DATE_PATTERNS = [
    re.compile(r"\b\d{4}-\d{2}-\d{2}\b"),                        # 2020-01-05
    re.compile(rf"\b\d{{1,2}}-{_MONTH}-\d{{4}}\b", re.I),        # 20-Feb-2020
    re.compile(r"\b\d{1,2}/\d{1,2}/\d{4}\b"),                   # 1/5/2020 (month first)
    re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)? {_MONTH},? \d{{4}}\b", re.I),  # 5 Jan, 2020
    re.compile(rf"\b{_MONTH} \d{{1,2}}(?:st|nd|rd|th)?,? \d{{4}}\b", re.I),  # Jan. 5, 2020
]
_HEAD_LINES = 12  # the title and dateline are looked for this near the top


def parse_date(text: str) -> date | None:
    """Parse one date expression (as found by DATE_PATTERNS); month-first for slashed dates."""
    try:
        return dateparser.parse(text.replace(".", " "), dayfirst=False, fuzzy=False).date()
    except (ValueError, OverflowError):
        return None


def find_date(line: str) -> tuple[date, int, int] | None:
    """The first full date in a line, with its offsets."""
    hits = [m for p in DATE_PATTERNS for m in p.finditer(line)]
    for m in sorted(hits, key=lambda m: m.start()):
        d = parse_date(m.group())
        if d:
            return d, m.start(), m.end()
    return None


def is_noise(line: str) -> bool:
    s = line.strip()
    if not s:
        return True
    words = s.split()
    if len(words) >= 5 and sum(bool(_ICON_WORD.search(w)) for w in words) / len(words) > 0.3:
        return True
    return bool(_NOISE.match(s))


def _is_dateline(line: str) -> bool:
    """A line that is essentially a date (and maybe a time), e.g. '5 Jan, 2020 22:28'."""
    hit = find_date(line)
    if not hit:
        return False
    rest = (line[: hit[1]] + line[hit[2]:]).strip()
    return len(re.sub(r"[\d:\s,.apmAPMGUTC+-]", "", rest)) == 0


def _looks_like_title(line: str) -> bool:
    words = line.split()
    return 4 <= len(words) <= 30 and not line.rstrip().endswith((".", ",", ";")) and not is_noise(line)


def clean_title(title: str) -> str:
    """"Headline – World News": a short trailing section or site name dropped."""
    m = re.match(r"^(.*\S)\s+[–|-]\s+(\S+(?:\s\S+){0,2})$", title)
    return m.group(1) if m else title.strip()


def doc_id_for(text: str, name: str | None = None) -> str:
    """A stable id: ``name`` when there is one, else a hash of the text."""
    if name:
        return name
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def parse_article(raw: str, doc_id: str, source: str = "", title: str | None = None,
                  published: str | None = None, url: str = "") -> Document:
    """Turn one article's raw text into a Document.

    The first title-like line near the top is the title, the first dateline (or date near the top)
    the publication date; page furniture and the title/date lines are dropped from the body.
    Explicit ``title``/``published`` win over what is found (with a ``title`` given, no line of the
    text is taken for one).
    """
    lines = raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    found_title, found_date, drop = None, None, set()
    for i, line in enumerate(lines[:_HEAD_LINES]):
        s = line.strip()
        if is_noise(s):
            drop.add(i)
            continue
        if _is_dateline(s):
            drop.add(i)
            found_date = found_date or find_date(s)[0]
            continue
        if found_title is None and title is None and _looks_like_title(s):
            found_title = s
            drop.add(i)
        elif s and s == (title or found_title):
            drop.add(i)  # the title repeated by the page template
    if found_date is None:  # a date in a caption or byline near the top
        for line in lines[:_HEAD_LINES]:
            hit = find_date(line)
            if hit:
                found_date = hit[0]
                break
    body = [ln.strip() for i, ln in enumerate(lines) if i not in drop and not is_noise(ln)]
    return Document(
        id=doc_id,
        title=title or clean_title(found_title or (body[0] if body else doc_id)),
        text="\n".join(body),
        published=published or (found_date.isoformat() if found_date else None),
        source=source,
        url=url,
    )


def document_from(text: str, id: str | None = None, title: str | None = None, published: str | None = None,
                  source: str = "", url: str = "") -> Document:
    """A document from its fields (an export's record, a POST, the Python API): without ``id`` the
    id is a hash of the text (the same text is stored once); without ``title`` the text is read
    like an article file (title and date lines found, page furniture dropped). ValueError when no
    text is left."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ValueError("the document has no text")
    doc_id = id or doc_id_for(text)
    if title and title.strip():
        return Document(doc_id, title.strip(), text, published, source, url)
    doc = parse_article(text, doc_id, source=source, published=published, url=url)
    if not doc.text.strip():
        raise ValueError(f"document {doc_id!r}: no text is left once the title line is taken out; "
                         "send a longer text or a title")
    return doc


def iter_article_files(paths: list[str | Path]):
    """Files named by ``paths`` and the article files under directories named, in a stable order
    (``importers.find_sources``; FileNotFoundError for a path that does not exist)."""
    from .importers import find_sources  # the importers build on this module

    sources, problems = find_sources(paths)
    if problems:
        raise FileNotFoundError(f"no such file or directory: {problems[0].where}")
    yield from (s.path for s in sources)


def read_article(path: str | Path) -> Document:
    """One article file, read by its format (``importers``); its id is its name without suffix."""
    from .importers import Source, read_sources

    path = Path(path)
    item = next(read_sources([Source(path, path.parent)]))
    if not isinstance(item, Document):
        raise ValueError(str(item))
    return item
