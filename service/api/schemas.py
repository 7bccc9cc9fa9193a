"""Request schemas: pydantic models that validate every JSON body the API accepts."""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictStr, field_validator

MAX_CLAIM = 2_000
MAX_TOP_K = 100
MAX_BATCH = 256
MAX_DRAFT = 200_000


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _not_blank(v: str) -> str:
    if not v.strip():
        raise ValueError("must not be empty")
    return v


class CheckRequest(_Body):
    claim: StrictStr = Field(max_length=MAX_CLAIM)
    top_k: int | None = Field(default=None, ge=1, le=MAX_TOP_K, strict=True)
    _v = field_validator("claim")(_not_blank)


class BatchRequest(_Body):
    claims: list[StrictStr] = Field(min_length=1, max_length=MAX_BATCH)
    top_k: int | None = Field(default=None, ge=1, le=MAX_TOP_K, strict=True)

    @field_validator("claims")
    @classmethod
    def _each(cls, v: list[str]) -> list[str]:
        for i, c in enumerate(v):
            if not c.strip():
                raise ValueError(f"claim {i} is empty")
            if len(c) > MAX_CLAIM:
                raise ValueError(f"claim {i} is longer than {MAX_CLAIM} characters")
        return v


class DocumentCheckRequest(_Body):
    text: StrictStr = Field(max_length=MAX_DRAFT)
    format: Literal["text", "markdown", "html"] = "text"
    top_k: int | None = Field(default=None, ge=1, le=MAX_TOP_K, strict=True)


class CompareRequest(_Body):
    a: StrictStr = Field(max_length=MAX_CLAIM)
    b: StrictStr = Field(max_length=MAX_CLAIM)
    _va = field_validator("a")(_not_blank)
    _vb = field_validator("b")(_not_blank)
