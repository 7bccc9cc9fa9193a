"""Request bodies: JSON objects and NDJSON lines, parsed and validated into schema models, with a
4xx ApiError for everything a client can get wrong (never a 500).

The body is read whole before anything is parsed: at most ``[limits] max_body_bytes`` whether the
client sent a Content-Length or a chunked body (413 beyond, nothing used); a malformed chunked body
is 400, a client too slow to send it 408 (factlint.api.gworker). The text must be UTF-8: JSON's other
encodings and a byte order mark are refused, as the error message says.
"""
from __future__ import annotations

import json

from flask import current_app, g, request
from gunicorn.http.errors import NoMoreData, ParseException
from pydantic import BaseModel, ValidationError
from werkzeug.exceptions import RequestEntityTooLarge

from .errors import ApiError, describe_validation
from .gworker import ReadTimeout

NDJSON_TYPES = ("application/x-ndjson", "application/jsonl", "application/json-lines", "application/x-jsonlines")


def _loads(raw: str, where: str = "the body"):
    """Parse JSON text; 400 for anything that is not valid JSON (including nesting too deep for the
    parser and lone surrogates, which could not be stored)."""
    try:
        data = json.loads(raw)
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except (ValueError, RecursionError, UnicodeError):
        raise ApiError(400, "malformed_json", f"{where} is not valid JSON (UTF-8)") from None
    return data


def _read_whole(stream, limit: int) -> bytes:
    """At most ``limit`` bytes of a stream that ends by itself (a chunked body); 413 beyond."""
    parts, size = [], 0
    while size <= limit:
        part = stream.read(min(65536, limit + 1 - size))
        if not part:
            break
        parts.append(part)
        size += len(part)
    if size > limit:
        raise RequestEntityTooLarge()
    return b"".join(parts)


def _raw() -> bytes:
    """The request body, read once."""
    if "body" not in g:
        try:
            if request.content_length is not None:
                g.body = request.get_data(cache=True)  # 413 beyond [limits] max_body_bytes
            else:  # chunked: werkzeug would cut it at the limit rather than refuse it
                g.body = _read_whole(request.environ["wsgi.input"], current_app.config["MAX_CONTENT_LENGTH"])
        except ReadTimeout as exc:
            raise ApiError(408, "request_timeout", str(exc)) from None
        except (ParseException, NoMoreData) as exc:
            # gunicorn closes the connection after it: where the next request would start is unknown
            raise ApiError(400, "malformed_body", f"the request body is malformed: {str(exc)[:200]}") from None
    return g.body


def _text() -> str:
    try:
        return _raw().decode("utf-8")
    except UnicodeDecodeError:
        raise ApiError(400, "malformed_json", "the body is not UTF-8") from None


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
    lines = _text().split("\n")  # not splitlines(): U+2028, U+2029, U+0085 may stand inside a JSON string
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
