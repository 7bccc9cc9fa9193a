"""Drafts: the prose sentences of a draft (plain text, Markdown or HTML), with line and column.

What is not prose is blanked out with spaces before splitting, so every offset still points into
the original text:

- Markdown: front matter (YAML/TOML), fenced and indented code, inline code, HTML comments and
  tags, link and image targets, reference definitions, bare URLs, tables, heading/list/quote
  markers, emphasis markers.
- HTML: tags, comments, and the contents of script, style, code, pre and other non-prose
  elements; block-level tags end a sentence. Character references are decoded in the sentence text.

Soft line breaks inside a paragraph do not end a sentence (Markdown paragraph continuation, HTML
source newlines, and a hard-wrapped plain-text line that stops mid-sentence), so a wrapped sentence
is checked whole and reported at the line and column where it starts.
"""
from __future__ import annotations

import bisect
import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import PurePath

from .sentences import is_claim_like, split_spans

_MD_MASKS = [
    re.compile(r"\A---\n.*?\n---[ \t]*(?:\n|\Z)", re.S),      # YAML front matter
    re.compile(r"\A\+\+\+\n.*?\n\+\+\+[ \t]*(?:\n|\Z)", re.S),  # TOML front matter
    re.compile(r"^[ \t]*(```|~~~).*?(?:^[ \t]*\1[^\n]*$|\Z)", re.S | re.M),  # fenced code
    re.compile(r"<!--.*?(?:-->|\Z)", re.S),                      # HTML comments
    re.compile(r"(`+)(?!`)(?:[^\n]|\n(?![ \t]*\n))*?(?<!`)\1(?!`)"),  # inline code (in a paragraph)
    re.compile(r"(?<=\])\((?:[^()\s]|\([^()\s]*\))*(?:\s+(?:\"[^\"]*\"|'[^']*'))?\)"),  # link targets
    re.compile(r"(?<=\])\[[^\]\n]*\]"),                          # reference link labels
    re.compile(r"!\[[^\]\n]*\]"),                                # image alt text
    re.compile(r"</?[A-Za-z][^>\n]*>"),                          # HTML tags, autolinks
    re.compile(r"\b(?:https?|ftp)://[^\s<>()]+|\bwww\.[^\s<>()]+"),  # bare URLs
    re.compile(r"^(?: {4}|\t).*$", re.M),                        # indented code
    re.compile(r"^[ \t]*\|.*$", re.M),                           # table rows
    re.compile(r"^[ \t]*(?:[-*_][ \t]*){3,}$|^[ \t]*=+[ \t]*$", re.M),  # rules, setext underlines
    re.compile(r"^[ \t]*(?:>[ \t]?)*(?:#{1,6}|[-*+]|\d+[.)])[ \t]+", re.M),  # heading/list markers
    re.compile(r"^[ \t]*>+[ \t]?", re.M),                        # quote markers
    re.compile(r"^[ \t]*\[[^\]]+\]:.*$", re.M),                  # link reference definitions
]
# A Markdown line that starts a new block: the line break before it ends the sentence.
_MD_BLOCK_START = re.compile(r"[ \t]*(?:#{1,6}[ \t]|[-*+][ \t]|\d+[.)][ \t]|\||```|~~~|<)")
_MD_HEADING = re.compile(r"[ \t]*#{1,6}[ \t]")
_MD_QUOTE = re.compile(r"[ \t]*>")
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


def _blank(chars: list[str], start: int, end: int, fill: str = " ") -> None:
    for i in range(start, end):
        if chars[i] != "\n":
            chars[i] = fill


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line, without its newline."""
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def mask_markdown(text: str) -> str:
    """``text`` with everything that is not prose blanked out; soft line breaks become spaces."""
    chars = list(text)
    for pattern in _MD_MASKS:
        for m in pattern.finditer("".join(chars)):
            _blank(chars, m.start(), m.end())
    masked = re.sub(r"\[([^\]\n]+)\]", r" \1 ", "".join(chars))  # link text brackets
    # emphasis markers: keep the words, blank the asterisks/underscores around them
    masked = re.sub(r"(\*\*|__|\*|_)(?=\S)(.+?)(?<=\S)\1",
                    lambda m: " " * len(m.group(1)) + m.group(2) + " " * len(m.group(1)), masked)
    chars = list(masked)
    lines = _lines(text)
    for (s, e), (ns, ne) in zip(lines, lines[1:]):
        if not masked[s:e].strip() or not masked[ns:ne].strip():
            continue  # a blank line (or one with no prose left) ends the paragraph
        here, nxt = text[s:e], text[ns:ne]
        if _MD_HEADING.match(here) or _MD_BLOCK_START.match(nxt):
            continue
        if _MD_QUOTE.match(nxt) and not _MD_QUOTE.match(here):
            continue
        chars[e] = " "  # paragraph continuation
    return "".join(chars)


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


class _HtmlEvents(HTMLParser):
    """Records where each piece of the document starts: data (kept) and markup (blanked)."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=False)
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.events: list[tuple[int, str]] = []  # (offset, "keep" | "mask" | "break")
        self.skip = 0

    def _at(self, kind: str) -> None:
        line, col = self.getpos()
        self.events.append((self.line_starts[line - 1] + col, kind))

    def handle_starttag(self, tag, attrs):
        self._at("break" if tag in _HTML_BLOCK else "mask")
        if tag in _HTML_SKIP:
            self.skip += 1

    def handle_startendtag(self, tag, attrs):
        self._at("break" if tag in _HTML_BLOCK else "mask")

    def handle_endtag(self, tag):
        self._at("break" if tag in _HTML_BLOCK else "mask")
        if tag in _HTML_SKIP and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        self._at("mask" if self.skip else "keep")

    handle_entityref = handle_charref = handle_data

    def handle_comment(self, data):
        self._at("mask")

    handle_decl = handle_pi = unknown_decl = handle_comment


def mask_html(text: str) -> str:
    """HTML: only text content is kept (source newlines become spaces); block tags end sentences."""
    parser = _HtmlEvents(text)
    parser.feed(text)
    parser.close()
    chars = [" "] * len(text)
    events = parser.events + [(len(text), "end")]
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
