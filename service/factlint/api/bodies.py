"""Request bodies: JSON objects and NDJSON lines, parsed and validated into schema models, with a
4xx ApiError for everything a client can get wrong (never a 500)."""
from __future__ import annotations

import json

from flask import request
from pydantic import BaseModel, ValidationError

from .errors import ApiError, describe_validation

NDJSON_TYPES = ("application/x-ndjson", "application/jsonl", "application/json-lines", "application/x-jsonlines")


def _loads(raw: bytes | str, where: str = "the body"):
    """Parse JSON text; 400 for anything that is not valid JSON in UTF-8 (including nesting too
    deep for the parser and lone surrogates, which could not be stored)."""
    try:
        data = json.loads(raw)
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except (ValueError, RecursionError, UnicodeError):
        raise ApiError(400, "malformed_json", f"{where} is not valid JSON (UTF-8)") from None
    return data


def _text() -> bytes:
    return request.get_data(cache=True)  # raises 413 beyond [limits] max_body_bytes


def json_object(model: type[BaseModel]) -> BaseModel:
    """The body as one JSON object validated by ``model`` (415 / 400 / 422 otherwise)."""
    if not request.is_json:
        raise ApiError(415, "unsupported_media_type", "send a JSON body with content-type: application/json")
    data = _loads(_text())
    if not isinstance(data, dict):
        raise ApiError(422, "invalid_request", "the body must be a JSON object")
    return model.model_validate(data)


def is_ndjson() -> bool:
    return request.mimetype in NDJSON_TYPES


def json_objects(model: type[BaseModel], max_items: int) -> list[BaseModel]:
    """One JSON object (application/json) or many, one per line (application/x-ndjson), each
    validated by ``model``; all are checked before any is used."""
    if request.is_json:
        return [json_object(model)]
    if not is_ndjson():
        raise ApiError(415, "unsupported_media_type",
                       "send one JSON document (content-type: application/json) or JSON Lines "
                       "(content-type: application/x-ndjson)")
    try:
        lines = _text().decode("utf-8").splitlines()
    except UnicodeDecodeError:
        raise ApiError(400, "malformed_json", "the body is not UTF-8") from None
    items = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        if len(items) == max_items:
            raise ApiError(422, "too_many_documents",
                           f"more than {max_items} documents in one request ([limits] max_documents)")
        data = _loads(line, f"line {n}")
        if not isinstance(data, dict):
            raise ApiError(422, "invalid_request", f"line {n}: each line must be a JSON object")
        try:
            items.append(model.model_validate(data))
        except ValidationError as exc:
            raise ApiError(422, "invalid_request", f"line {n}: {describe_validation(exc)}") from None
    if not items:
        raise ApiError(422, "invalid_request", "the body holds no document")
    return items
