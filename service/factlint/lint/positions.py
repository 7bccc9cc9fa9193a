"""Where things are in a draft: offsets as line and column (in characters, and in UTF-8 bytes for
reviewdog), and a span of a checked sentence's text back in the draft it was read from.

A checked sentence is the draft's prose with the markup taken out and its whitespace joined
("About **5,000** soldiers" is checked as "About 5,000 soldiers"), so a finding's span into the
sentence is mapped back through the characters the two have in common, in order.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from difflib import SequenceMatcher


@dataclass(frozen=True)
class Position:
    line: int  # 1-based
    column: int  # 1-based, in characters (Unicode code points)
    byte_column: int  # 1-based, in UTF-8 bytes


class Lines:
    """Line and column of offsets into one text."""

    def __init__(self, text: str):
        self.text = text
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def position(self, offset: int) -> Position:
        line = bisect.bisect_right(self.starts, offset)
        start = self.starts[line - 1]
        return Position(line, offset - start + 1, len(self.text[start:offset].encode("utf-8")) + 1)


def locate(text: str, start: int, end: int, sentence: str, span: tuple[int, int]) -> tuple[int, int]:
    """Offsets into ``text`` of ``span`` (offsets into ``sentence``, the checked form of
    ``text[start:end]``); the whole sentence when the span is empty or cannot be found."""
    s, e = max(0, span[0]), min(len(sentence), span[1])
    if e <= s:
        return start, end
    region = text[start:end]
    mapped = [-1] * len(sentence)
    for a, b, n in SequenceMatcher(None, sentence, region, autojunk=False).get_matching_blocks():
        for k in range(n):
            mapped[a + k] = b + k
    inside = [mapped[i] for i in range(s, e) if mapped[i] >= 0]
    if not inside:
        return start, end
    return start + inside[0], start + inside[-1] + 1
