"""Sentences: split text into sentences with character offsets.

syntok does the splitting (measured on the seeds against pysbd and a regex: see
bench/splitters.py); two repairs follow it: a sentence that ends in a title abbreviation
("Maj.", "Gen.", "Lt.") is joined to the next one, and a fragment with no letters (a stray
closing quote) is joined to the one before.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

import syntok.segmenter as segmenter

from .models import Document, Sentence

_TITLE_ABBREV = re.compile(
    r"\b(?:Maj|Gen|Lt|Col|Capt|Cmdr|Sgt|Brig|Adm|Gov|Sen|Rep|Rev|Prof|Dr|Mr|Mrs|Ms|St|No|Jr|Sr)\.$"
)
_LETTER = re.compile(r"[^\W\d_]")
MIN_WORDS = 4  # shorter pieces (bylines, section names, captions' credits) are not claims


def _segments(text: str, base: int) -> Iterator[tuple[int, int]]:
    for paragraph in segmenter.analyze(text):
        for sent in paragraph:
            toks = [t for t in sent if t.value]
            if toks:
                yield base + toks[0].offset, base + toks[-1].offset + len(toks[-1].value)


def split_spans(text: str) -> list[tuple[int, int]]:
    """Sentence spans [start, end) of ``text``; a line break always ends a sentence."""
    spans: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\n]+", text):
        merged: list[list[int]] = []
        for start, end in _segments(line.group(), line.start()):
            if merged and (_TITLE_ABBREV.search(text[merged[-1][0]:merged[-1][1]])
                           or not _LETTER.search(text[start:end])):
                merged[-1][1] = end
            else:
                merged.append([start, end])
        spans.extend((s, e) for s, e in merged)
    return spans


def is_claim_like(sentence: str) -> bool:
    words = sentence.split()
    if len(words) < MIN_WORDS:
        return False
    # A short line without final punctuation is a heading or a credit, not a statement.
    return len(words) >= 8 or sentence.rstrip()[-1:] in ".!?\"'”’)"


def split_sentences(doc: Document) -> list[Sentence]:
    out: list[Sentence] = []
    for start, end in split_spans(doc.text):
        text = doc.text[start:end]
        if is_claim_like(text):
            out.append(Sentence(doc.id, len(out), start, end, text))
    return out
