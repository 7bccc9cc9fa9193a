"""Suppression comments in a draft.

    <!-- factlint-disable-next-line -->            the next line
    <!-- factlint-disable-next-line number date --> only those finding kinds on the next line
    <!-- factlint-disable -->  ...  <!-- factlint-enable -->   every line in between
    <!-- factlint-disable entity --> ... <!-- factlint-enable -->   only those kinds in between

A finding is suppressed when any line of its sentence is. The comments work in every draft format
(they are HTML comments, invisible in rendered Markdown and HTML).
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from .rules import KINDS

_DIRECTIVE = re.compile(r"<!--\s*factlint-(disable-next-line|disable|enable)((?:[ \t]+[\w-]+)*)\s*-->")
ALL = frozenset({"*"})


@dataclass
class Suppressions:
    lines: dict[int, frozenset[str]] = field(default_factory=dict)  # line -> kinds ("*" = all)
    unknown: list[tuple[int, str]] = field(default_factory=list)  # (line, kind) not a finding kind

    def _add(self, line: int, kinds: frozenset[str]) -> None:
        self.lines[line] = self.lines.get(line, frozenset()) | kinds

    def covers(self, first_line: int, last_line: int, kind: str) -> bool:
        for line in range(first_line, last_line + 1):
            kinds = self.lines.get(line)
            if kinds and ("*" in kinds or kind in kinds):
                return True
        return False


def parse(text: str) -> Suppressions:
    out = Suppressions()
    line_of = _line_finder(text)
    n_lines = text.count("\n") + 1
    open_block: tuple[int, frozenset[str]] | None = None
    for m in _DIRECTIVE.finditer(text):
        verb, kinds = m.group(1), frozenset(m.group(2).split()) or ALL
        first, last = line_of(m.start()), line_of(m.end())
        out.unknown += [(first, k) for k in sorted(kinds - ALL - set(KINDS))]
        if verb == "disable-next-line":
            out._add(last + 1, kinds)
        elif verb == "disable":
            if open_block is None:
                open_block = (first, kinds)
            else:  # nested disable: widen the open block
                open_block = (open_block[0], open_block[1] | kinds)
        elif open_block is not None:  # enable
            for line in range(open_block[0], first + 1):
                out._add(line, open_block[1])
            open_block = None
    if open_block is not None:  # disabled to the end of the file
        for line in range(open_block[0], n_lines + 1):
            out._add(line, open_block[1])
    return out


def _line_finder(text: str):
    starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def line_of(offset: int) -> int:
        return bisect.bisect_right(starts, offset)

    return line_of
