"""Request and response schemas: pydantic models that validate every JSON body the API accepts and
from which /openapi.json is generated, so the documentation cannot drift from the checks.

The limits (claim length, batch size, top_k, document size) are settings ([limits]), so the
request models are built per app by ``make_schemas(limits)``. The module-level names are the
models for the default limits.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StrictStr

from ..config import LimitsSettings
from ..report import KINDS


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


# The characters Python's str.strip() removes (str.isspace()), as a class that JSON Schema's
# (ECMA-262) regular expressions and Python's read alike: a text is blank when it has none other.
_SPACE = r"\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
NOT_BLANK = f"[^{_SPACE}]"
_NOT_BLANK = re.compile(NOT_BLANK)


def _not_blank(v: str) -> str:
    if not _NOT_BLANK.search(v):
        raise ValueError("must not be empty")
    return v


def _integral(v):
    """51.0 is the integer 51 (JSON Schema's "integer" admits it); 51.5, "51" and true are not."""
    return int(v) if isinstance(v, float) and v.is_integer() else v


# Text that must hold something other than white space; the schema says so with its pattern.
NotBlank = [Field(json_schema_extra={"pattern": NOT_BLANK}), AfterValidator(_not_blank)]


def _iso_date(v: str | None) -> str | None:
    if v is None:
        return v
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", v):
            raise ValueError
        date.fromisoformat(v)
    except ValueError:
        raise ValueError("must be a date written YYYY-MM-DD") from None
    return v


# Checked by _iso_date (one clear message for every bad date); the pattern is for the OpenAPI schema.
IsoDate = Annotated[StrictStr, Field(json_schema_extra={"pattern": r"^\d{4}-\d{2}-\d{2}$", "format": "date"}),
                    AfterValidator(_iso_date)]
TextDate = IsoDate | None
_TEXT_DATE = ("The claims' own date, YYYY-MM-DD (a draft's date of publication): relative dates in them "
              "(\"yesterday\", \"last month\", \"on Monday\") are read against it, as those of the corpus are read "
              "against each article's date.")

# A document id: what a file's name gives (`factlint index`), without path separators or control
# characters, so that it fits in /v1/documents/<id>.
DOC_ID_PATTERN = r"^[^/\\\x00-\x1f\x7f]+$"
DocId = Annotated[StrictStr, Field(min_length=1, max_length=200, pattern=DOC_ID_PATTERN,
                                   description="Document id; re-using one replaces that document. Not "
                                   f"blank: it matches {NOT_BLANK} too."), AfterValidator(_not_blank)]


@dataclass(frozen=True)
class Schemas:
    """The request models of one app, built for its limits."""

    CheckRequest: type[BaseModel]
    BatchRequest: type[BaseModel]
    DocumentCheckRequest: type[BaseModel]
    CompareRequest: type[BaseModel]
    DocumentIn: type[BaseModel]
    ListQuery: type[BaseModel]
    ContradictionsQuery: type[BaseModel]
    limits: LimitsSettings


def make_schemas(limits: LimitsSettings) -> Schemas:
    """Request models whose bounds are ``limits``."""
    Claim = Annotated[StrictStr, Field(min_length=1, max_length=limits.max_claim_chars), *NotBlank]
    TopK = Annotated[Annotated[int, Field(ge=1, le=limits.max_top_k, strict=True), BeforeValidator(_integral)] | None,
                     Field(default=None, description="Candidates retrieved per claim (default [check] top_k).")]

    class CheckRequest(_Body):
        """Check one claim against the corpus."""

        claim: Claim
        top_k: TopK = None
        published: TextDate = Field(default=None, description=_TEXT_DATE, examples=["2020-01-07"])

    class BatchRequest(_Body):
        """Check several claims in one call."""

        claims: list[Claim] = Field(min_length=1, max_length=limits.max_batch)
        top_k: TopK = None
        published: TextDate = Field(default=None, description=_TEXT_DATE, examples=["2020-01-07"])

    class DocumentCheckRequest(_Body):
        """Check every prose sentence of a draft."""

        text: Annotated[StrictStr, Field(min_length=1, max_length=limits.max_document_chars), *NotBlank]
        format: Literal["text", "markdown", "html"] = "text"
        top_k: TopK = None
        published: TextDate = Field(default=None, description=_TEXT_DATE, examples=["2020-01-07"])

    class CompareRequest(_Body):
        """Compare two sentences: ``a`` is the claim, ``b`` the evidence."""

        a: Claim
        b: Claim
        a_published: TextDate = Field(default=None, description="The date of a's text, YYYY-MM-DD.")
        b_published: TextDate = Field(default=None, description="The date of b's text, YYYY-MM-DD.")

    class DocumentIn(_Body):
        """An article to add (or replace, when its id is already stored).

        Without ``title`` the text is read like an article file: the title and date lines are
        found near the top and page furniture is dropped. Without ``id`` the id is a hash of the
        text, so posting the same text twice stores it once."""

        id: DocId | None = None
        title: Annotated[StrictStr, Field(min_length=1, max_length=1000), *NotBlank] | None = None
        published: TextDate = Field(default=None, description="Publication date, YYYY-MM-DD.",
                                    examples=["2020-01-05"])
        source: StrictStr = Field(default="", max_length=2000)
        url: StrictStr = Field(default="", max_length=2000, description="Where the article is published.",
                               examples=["https://example.org/news/iraq-vote"])
        text: Annotated[StrictStr, Field(min_length=1, max_length=limits.max_document_chars), *NotBlank]

    class ListQuery(BaseModel):
        """Query parameters of GET /v1/documents (keyset paging in id order)."""

        model_config = ConfigDict(extra="ignore")
        limit: int = Field(default=50, ge=1, le=limits.max_page_size, description="Documents per page.")
        after: str | None = Field(default=None, max_length=200, description="Return the documents whose id "
                                  "sorts after this one: the `next` of the previous page.")

    return Schemas(CheckRequest, BatchRequest, DocumentCheckRequest, CompareRequest, DocumentIn, ListQuery,
                   ContradictionsQuery, limits)


class ContradictionsQuery(BaseModel):
    """Query parameters of GET /v1/contradictions (and of the /report page: kind and notes)."""

    model_config = ConfigDict(extra="ignore")
    kind: Literal[KINDS] | None = Field(default=None, description="Only facts with a conflict of this kind.")
    notes: bool = Field(default=False, description="Include facts whose conflicts are only notes.")
    page: int = Field(default=1, ge=1, le=1_000_000, description="Page, from 1.")
    per_page: int = Field(default=20, ge=1, le=100, description="Facts per page.")


# --- responses (documentation: /openapi.json) ------------------------------------------------
Span = Annotated[list[int], Field(min_length=2, max_length=2, description="[start, end) character offsets")]


class Error(BaseModel):
    code: str = Field(description="Machine-readable, e.g. invalid_request, unauthorized, not_found.")
    message: str


class ErrorResponse(BaseModel):
    error: Error


class Evidence(BaseModel):
    doc_id: str
    title: str
    published: str | None
    source: str
    sentence: str
    span: Span
    similarity: float
    url: str = Field(description="The article's address; empty when unknown.")


class Replacement(BaseModel):
    value: str = Field(description="Words to write instead of the claim span (LanguageTool-style).")


class Finding(BaseModel):
    kind: Literal["number", "date", "negation", "antonym", "entity", "wording", "nli"]
    severity: Literal["contradiction", "note"]
    message: str
    confidence: float
    claim_span: Span
    evidence_span: Span
    replacements: list[Replacement] = Field(description="The archive's words for the claim span, when the archive "
                                            "holds one value for it (no related sentence agrees with the claim "
                                            "and every contradicting one says the same); empty otherwise.")
    evidence: Evidence


class CheckResult(BaseModel):
    claim: str
    verdict: Literal["contradicted", "supported", "unverified"]
    confidence: float
    findings: list[Finding]
    evidence: list[Evidence]


class BatchResult(BaseModel):
    results: list[CheckResult]


class DraftResult(CheckResult):
    span: Span
    line: int
    column: int


class DocumentCheckResult(BaseModel):
    results: list[DraftResult]


class CompareFinding(BaseModel):
    kind: str
    severity: Literal["contradiction", "note"]
    message: str
    confidence: float
    a: str = Field(description="The words of a that differ.")
    b: str = Field(description="The words of b that differ.")
    a_span: Span
    b_span: Span
    detail: str = Field(description="More on how they differ; empty when nothing more.")


class CompareResult(BaseModel):
    verdict: Literal["contradiction", "consistent", "unrelated"]
    similarity: float
    findings: list[CompareFinding]


class DocumentWritten(BaseModel):
    id: str
    sentences: int = Field(description="Sentences indexed.")
    created: bool = Field(description="False when the id was already stored and its document replaced.")


class DocumentsWritten(BaseModel):
    documents: list[DocumentWritten]


class DocumentSummary(BaseModel):
    id: str
    title: str
    published: str | None
    source: str
    sentences: int
    added: float = Field(description="When it was stored (unix seconds).")
    url: str


class DocumentPage(BaseModel):
    documents: list[DocumentSummary]
    next: str | None = Field(description="Pass as ?after= for the next page; null on the last page.")
    total: int


class SentenceOut(BaseModel):
    index: int
    start: int
    end: int
    text: str


class DocumentDetail(BaseModel):
    id: str
    title: str
    published: str | None
    source: str
    url: str
    added: float
    text: str
    sentences: list[SentenceOut]


class Deleted(BaseModel):
    id: str
    deleted: bool


_default = make_schemas(LimitsSettings())
CheckRequest = _default.CheckRequest
BatchRequest = _default.BatchRequest
DocumentCheckRequest = _default.DocumentCheckRequest
CompareRequest = _default.CompareRequest
DocumentIn = _default.DocumentIn
MAX_CLAIM = _default.limits.max_claim_chars
MAX_TOP_K = _default.limits.max_top_k
MAX_BATCH = _default.limits.max_batch
MAX_DRAFT = _default.limits.max_document_chars
