"""The things that travel through the pipeline: small typed dataclasses, serialisable to JSON."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

def iso_date(text: str | None) -> date | None:
    """An ISO date (YYYY-MM-DD, longer ISO timestamps too) as a date; None when absent or unreadable."""
    try:
        return date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None


Verdict = Literal["contradicted", "supported", "unverified"]
Severity = Literal["contradiction", "note"]
FindingKind = Literal["number", "date", "negation", "antonym", "entity", "wording", "nli"]


@dataclass(frozen=True)
class Document:
    """One article: the unit the corpus is made of."""

    id: str
    title: str
    text: str
    published: str | None = None  # ISO date, YYYY-MM-DD
    source: str = ""
    url: str = ""  # where the article is published, when known


@dataclass(frozen=True)
class Sentence:
    """A sentence of a document, with character offsets [start, end) into ``Document.text``."""

    doc_id: str
    index: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Evidence:
    """A corpus sentence related to a claim, with where it comes from."""

    doc_id: str
    title: str
    published: str | None
    source: str
    sentence: str
    span: tuple[int, int]  # offsets into the document
    similarity: float
    url: str = ""  # the article's address, when known

    @property
    def published_date(self) -> date | None:
        """The publication date as a date, or None when unknown or unreadable."""
        return iso_date(self.published)

    def to_json(self) -> dict:
        d = dict(vars(self))  # its fields in order (asdict's deep copy took a third of a millisecond a check)
        d["span"] = list(self.span)
        d["similarity"] = round(float(self.similarity), 4)
        return d


@dataclass(frozen=True)
class Conflict:
    """What an analyzer reports for one pair of sentences: a span of each that disagree.

    Spans are character offsets into the two strings the analyzer was given. ``claim_text`` and
    ``evidence_text`` are the disagreeing surface forms, for messages.
    """

    kind: FindingKind
    claim_span: tuple[int, int]
    evidence_span: tuple[int, int]
    claim_text: str
    evidence_text: str
    confidence: float
    severity: Severity = "contradiction"
    detail: str = ""  # optional extra explanation ("figure changed over time", ...)
    # The words around the difference line up on both sides (text.anchored), so it stands against a
    # related sentence that is not a near-duplicate as a whole (a longer or shorter restatement).
    local: bool = False


@dataclass(frozen=True)
class Finding:
    """A conflict attached to the evidence it was found in, with a message a person understands."""

    kind: FindingKind
    message: str
    confidence: float
    claim_span: tuple[int, int]
    evidence_span: tuple[int, int]
    evidence: Evidence
    severity: Severity = "contradiction"
    replacements: tuple[str, ...] = ()  # what to write instead of the claim span: the archive's words

    def to_json(self) -> dict:
        return {
            "kind": self.kind,
            "severity": self.severity,
            "message": self.message,
            "confidence": round(float(self.confidence), 4),
            "claim_span": list(self.claim_span),
            "evidence_span": list(self.evidence_span),
            "replacements": [{"value": v} for v in self.replacements],
            "evidence": self.evidence.to_json(),
        }


@dataclass(frozen=True)
class CheckResult:
    claim: str
    verdict: Verdict
    confidence: float
    findings: list[Finding] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "claim": self.claim,
            "verdict": self.verdict,
            "confidence": round(float(self.confidence), 4),
            "findings": [f.to_json() for f in self.findings],
            "evidence": [e.to_json() for e in self.evidence],
        }
