"""Drafts: the prose sentences of a draft (plain text, Markdown or HTML), with line and column.

What is not prose is blanked out with spaces before splitting, so every offset still points into
the original text:

- Markdown is parsed by a CommonMark parser (markdown-it-py, with GFM tables): only the text of
  paragraphs and headings is prose, found in the source through the parser's tokens. Front matter
  (YAML/TOML), fenced and indented code, inline code, HTML comments and tags, link and image
  targets, reference definitions, bare URLs, tables, heading/list/quote markers and emphasis
  markers are blanked; HTML blocks are read like HTML.
- HTML: tags, comments, and the contents of script, style, code, pre and other non-prose
  elements; block-level tags end a sentence. Character references are decoded in the sentence text.

Soft line breaks inside a paragraph do not end a sentence (Markdown paragraph continuation, HTML
source newlines, and a hard-wrapped plain-text line that stops mid-sentence), so a wrapped sentence
is checked whole and reported at the line and column where it starts.

Every step takes time linear in the draft's length (no backtracking pattern over user text): a
draft is user input on the HTTP API (tests/test_drafts_linear.py times pathological ones).
"""
from __future__ import annotations

import bisect
import html
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import PurePath

from markdown_it import MarkdownIt
from markdown_it.helpers import parseLinkDestination, parseLinkTitle

from .sentences import is_claim_like, split_spans

# Anchored at the very start (one attempt), lazy up to the first closing line: linear.
_FRONT_MATTER = re.compile(r"\A(?:---\n.*?\n---|\+\+\+\n.*?\n\+\+\+)[ \t]*(?:\n|\Z)", re.S)
_BARE_URL = re.compile(r"\b(?:https?|ftp)://[^\s<>()]+|\bwww\.[^\s<>()]+")
_TABLE_ROW = re.compile(r"[ \t>]*\|")  # a paragraph line that is a table row without a delimiter row
_TERMINAL = ".!?:;\"'”’)»"

FORMATS = ("text", "markdown", "html")
SUFFIX_FORMATS = {".md": "markdown", ".markdown": "markdown", ".mdown": "markdown", ".mkd": "markdown",
                  ".txt": "text", ".text": "text", ".html": "html", ".htm": "html", ".xhtml": "html"}


@dataclass(frozen=True)
class DraftSentence:
    start: int
    end: int
    text: str
    line: int  # 1-based
    column: int  # 1-based, in characters
    end_line: int = 0  # where the sentence ends (1-based; the column is exclusive)
    end_column: int = 0


def format_for(path: str | PurePath) -> str:
    """The draft format of a file, from its suffix (plain text when unknown)."""
    return SUFFIX_FORMATS.get(PurePath(str(path)).suffix.lower(), "text")


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line, without its newline."""
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


# --- Markdown -----------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    # text_join off: an escape or entity stays its own token, whose markup is its source text
    return MarkdownIt("commonmark").enable("table").disable("text_join")


@lru_cache(maxsize=8)
def _backticks(n: int) -> re.Pattern:
    return re.compile(rf"(?<!`)`{{{n}}}(?!`)")


def _skip_space(src: str, pos: int, end: int) -> int:
    while pos < end and src[pos] in " \t\n":
        pos += 1
    return pos


def _after_link(src: str, pos: int, end: int) -> int:
    """From the end of a link's text: the position after its closing bracket and its destination
    and title (``](dest "title")``) or reference label (``][ref]``)."""
    close = src.find("]", pos, end)
    if close < 0:
        return pos
    pos = close + 1
    if src.startswith("(", pos):
        at = _skip_space(src, pos + 1, end)
        dest = parseLinkDestination(src, at, end)
        after = _skip_space(src, dest.pos if dest.ok else at, end)
        if dest.ok and after > dest.pos:  # a title only after white space
            title = parseLinkTitle(src, after, end)
            after = _skip_space(src, title.pos, end) if title.ok else after
        return after + 1 if src.startswith(")", after) else pos
    if src.startswith("[", pos):
        close = src.find("]", pos + 1, end)
        return close + 1 if close >= 0 else pos
    return pos


def _after_brackets(src: str, pos: int, end: int) -> int:
    """From an opening bracket: the position of its matching closing one (escapes skipped)."""
    depth, pos = 0, pos
    while pos < end:
        c = src[pos]
        if c == "\\":
            pos += 1
        elif c == "[":
            depth += 1
        elif c == "]":
            depth -= 1
            if not depth:
                return pos
        pos += 1
    return end


def _keep_inline(src: str, keep: list[bool], inline, start: int, end: int) -> None:
    """Mark the prose characters of one paragraph or heading (``inline``: its token, ``start`` and
    ``end``: its lines in ``src``). Its tokens come in source order, so each is looked for after
    the previous one; what lies between them (markers, link targets, code) stays blank. A token
    not found stops the walk: the rest of the block stays blank."""
    pos, skip_until = start, None
    for tok in inline.children or []:
        kind = tok.type
        if skip_until is not None:  # inside an autolink: its text is the URL
            if kind == skip_until:
                close = src.find(">", pos, end)
                pos, skip_until = (close + 1 if close >= 0 else pos), None
            continue
        if kind == "text" or kind == "text_special":
            piece = tok.content if kind == "text" else tok.markup
            at = src.find(piece, pos, end) if piece else pos
            if at < 0:
                return
            first, pos = (at + 1 if tok.info == "escape" else at), at + len(piece)  # an escape's backslash is markup
            keep[first:pos] = [True] * (pos - first)
        elif kind == "code_inline":
            opened = _backticks(len(tok.markup)).search(src, pos, end)
            closed = opened and _backticks(len(tok.markup)).search(src, opened.end(), end)
            if not closed:
                return
            pos = closed.end()
        elif kind == "html_inline":
            at = src.find(tok.content, pos, end)
            if at < 0:
                return
            pos = at + len(tok.content)
        elif kind == "link_open" and tok.markup == "autolink":
            skip_until = "link_close"
        elif kind == "link_close":
            pos = _after_link(src, pos, end)
        elif kind == "image":
            at = src.find("![", pos, end)
            if at < 0:
                return
            pos = _after_link(src, _after_brackets(src, at + 1, end), end)


def mask_markdown(text: str) -> str:
    """``text`` with everything that is not prose blanked out; soft line breaks become spaces."""
    src = text.replace("\r", " ").replace("\x00", "\ufffd")  # what the parser would change: same length
    front = _FRONT_MATTER.match(src)
    if front:
        src = re.sub(r"[^\n]", " ", front.group()) + src[front.end():]
    lines = _lines(src)
    keep = [False] * len(src)
    chars = list(src)
    tokens = _markdown().parse(src)
    in_table = False
    for i, tok in enumerate(tokens):
        if tok.type in ("table_open", "table_close"):
            in_table = tok.type == "table_open"
        elif tok.type == "html_block" and tok.map:
            s, e = lines[tok.map[0]][0], lines[tok.map[1] - 1][1]
            chars[s:e] = mask_html(src[s:e])
            keep[s:e] = [True] * (e - s)
        elif tok.type == "inline" and tok.map and not in_table:
            first, last = tok.map[0], tok.map[1] - 1
            _keep_inline(src, keep, tok, lines[first][0], lines[last][1])
            for n in range(first, last + 1):
                s, e = lines[n]
                if _TABLE_ROW.match(src, s, e) and tokens[i - 1].type == "paragraph_open":
                    keep[s:e] = [False] * (e - s)
            for n in range(first, last):  # a soft line break inside the paragraph: keep the sentence whole
                (s, e), (ns, ne) = lines[n], lines[n + 1]
                if any(keep[s:e]) and any(keep[ns:ne]):
                    keep[e] = True
                    chars[e] = " "
    masked = "".join(c if k or c == "\n" else " " for c, k in zip(chars, keep))
    return _BARE_URL.sub(lambda m: " " * len(m.group()), masked)


def mask_text(text: str) -> str:
    """Plain text: join a hard-wrapped line that stops mid-sentence with the next one."""
    chars = list(text)
    lines = _lines(text)
    for (s, e), (ns, ne) in zip(lines, lines[1:]):
        here, nxt = text[s:e].rstrip(), text[ns:ne].lstrip()
        if not here or not nxt or here[-1] in _TERMINAL:
            continue
        if nxt[0].islower() or nxt[0].isdigit() or len(here) >= 60:
            chars[e] = " "
    return "".join(chars)


_HTML_SKIP = {"script", "style", "code", "pre", "noscript", "template", "svg", "math", "head",
              "textarea", "select", "button", "kbd", "samp", "var", "object", "iframe", "canvas"}
_HTML_BLOCK = {"address", "article", "aside", "blockquote", "body", "br", "caption", "dd", "details",
               "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form",
               "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "html", "li", "main", "nav", "ol",
               "p", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "title",
               "tr", "ul"} | _HTML_SKIP


# One pass over the document, HTML5's way: a tag, comment or declaration that is never closed runs
# to the end of the document, so nothing is scanned twice (html.parser rescans an unclosed "<a "
# from every later "<": quadratic).
# A tag's name, then the rest up to its ">": two patterns, so that no character can be read by both
# (one pattern would backtrack between the name and the attributes: quadratic on "<a<a<a...").
_TAG_NAME = re.compile(r"</?([A-Za-z][^\s/>]*)")
_TAG_REST = re.compile(r"(?:[^>\"']|\"[^\"]*\"|'[^']*')*>")
_MARKUP_END = {"<!--": "-->", "<![CDATA[": "]]>", "<!": ">", "<?": ">"}
_RAW_TEXT = ("script", "style")  # their content is not markup: it ends at their end tag only


@lru_cache(maxsize=4)
def _raw_end(tag: str) -> re.Pattern:
    return re.compile(rf"</{tag}[\s/>]", re.I)


def _html_events(text: str) -> list[tuple[int, str]]:
    """Where each piece of an HTML document starts: (offset, "keep" | "mask" | "break"): text
    (kept unless inside a non-prose element), markup (blanked), block-level tags (a break)."""
    events: list[tuple[int, str]] = []
    skip, pos, n = 0, 0, len(text)
    while pos < n:
        lt = text.find("<", pos)
        if lt < 0:
            lt = n
        if lt > pos:
            events.append((pos, "mask" if skip else "keep"))
        if lt == n:
            break
        name = _TAG_NAME.match(text, lt)
        if name:
            rest = _TAG_REST.match(text, name.end())
            if rest is None:  # a tag never closed: the rest of the document is inside it
                events.append((lt, "mask"))
                break
            tag, closing = name.group(1).lower(), text[lt + 1] == "/"
            events.append((lt, "break" if tag in _HTML_BLOCK else "mask"))
            pos = rest.end()
            if tag in _HTML_SKIP and not rest.group().endswith("/>"):
                skip = max(0, skip - 1) if closing else skip + 1
            if tag in _RAW_TEXT and not closing:
                end = _raw_end(tag).search(text, pos)
                if end is None:  # never closed: the rest is its content
                    events.append((pos, "mask"))
                    break
                if end.start() > pos:
                    events.append((pos, "mask"))
                pos = end.start()
            continue
        opener = next((o for o in _MARKUP_END if text.startswith(o, lt)), None)
        if opener is None:  # a lone "<": text
            events.append((lt, "mask" if skip else "keep"))
            pos = lt + 1
            continue
        close = text.find(_MARKUP_END[opener], lt + len(opener))
        events.append((lt, "mask"))
        if close < 0:
            break
        pos = close + len(_MARKUP_END[opener])
    return events


def mask_html(text: str) -> str:
    """HTML: only text content is kept (source newlines become spaces); block tags end sentences."""
    chars = [" "] * len(text)
    events = _html_events(text) + [(len(text), "end")]
    for (start, kind), (end, _) in zip(events, events[1:]):
        if kind == "keep":
            chars[start:end] = [" " if c in "\r\n" else c for c in text[start:end]]
        elif kind == "break" and start < end:
            chars[start] = "\n"
    return "".join(chars)


_MASKERS = {"text": mask_text, "markdown": mask_markdown, "html": mask_html}


def draft_sentences(text: str, fmt: str = "text") -> list[DraftSentence]:
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    prose = _MASKERS[fmt](text)
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def position(offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(line_starts, offset)
        return line, offset - line_starts[line - 1] + 1

    out = []
    for start, end in split_spans(prose):
        sentence = prose[start:end]
        if fmt == "html":
            sentence = html.unescape(sentence)
        sentence = re.sub(r"\s+", " ", sentence).strip()
        sentence = re.sub(r" (?=[.,;:!?](?:\s|$))", "", sentence)  # left by a masked link target
        if not is_claim_like(sentence):
            continue
        line, column = position(start)
        end_line, end_column = position(end)
        out.append(DraftSentence(start, end, sentence, line, column, end_line, end_column))
    return out
