"""Drafts: the prose sentences of a draft (plain text or Markdown), with line and column.

Markdown that is not prose (front matter, fenced and indented code, inline code, HTML comments
and tags, link targets, heading and list markers) is blanked out with spaces before splitting,
so every offset still points into the original text.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from .sentences import is_claim_like, split_spans

_MD_MASKS = [
    re.compile(r"\A---\n.*?\n---[ \t]*\n", re.S),            # YAML front matter
    re.compile(r"\A\+\+\+\n.*?\n\+\+\+[ \t]*\n", re.S),      # TOML front matter
    re.compile(r"^[ \t]*(```|~~~).*?^[ \t]*\1[^\n]*$", re.S | re.M),  # fenced code
    re.compile(r"<!--.*?-->", re.S),                          # HTML comments
    re.compile(r"`[^`\n]+`"),                                 # inline code
    re.compile(r"(?<=\])\([^)\s]*(?:\s+\"[^\"]*\")?\)"),      # link targets
    re.compile(r"!\[[^\]]*\]"),                               # image alt text
    re.compile(r"</?[A-Za-z][^>\n]*>"),                       # HTML tags
    re.compile(r"^(?: {4}|\t).*$", re.M),                     # indented code
    re.compile(r"^[ \t]*(?:#{1,6}|>|[-*+]|\d+[.)])[ \t]+", re.M),  # heading, quote, list markers
    re.compile(r"^\[[^\]]+\]:.*$", re.M),                     # link reference definitions
]
FORMATS = ("text", "markdown")


@dataclass(frozen=True)
class DraftSentence:
    start: int
    end: int
    text: str
    line: int  # 1-based
    column: int  # 1-based, in characters


def mask_markdown(text: str) -> str:
    chars = list(text)
    for pattern in _MD_MASKS:
        for m in pattern.finditer("".join(chars)):
            for i in range(m.start(), m.end()):
                if chars[i] != "\n":
                    chars[i] = " "
    masked = re.sub(r"\[([^\]\n]+)\]", r" \1 ", "".join(chars))  # link text brackets
    # emphasis markers: keep the words, blank the asterisks/underscores around them
    return re.sub(r"(\*\*|__|\*|_)(?=\S)(.+?)(?<=\S)\1", lambda m: " " * len(m.group(1)) + m.group(2)
                  + " " * len(m.group(1)), masked)


def draft_sentences(text: str, fmt: str = "text") -> list[DraftSentence]:
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    prose = mask_markdown(text) if fmt == "markdown" else text
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    out = []
    for start, end in split_spans(prose):
        sentence = prose[start:end]
        if not is_claim_like(sentence):
            continue
        line = bisect.bisect_right(line_starts, start)
        out.append(DraftSentence(start, end, re.sub(r"\s+", " ", sentence), line,
                                 start - line_starts[line - 1] + 1))
    return out
