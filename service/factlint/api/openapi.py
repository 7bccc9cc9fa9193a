"""GET /openapi.json: the whole API as OpenAPI 3.1, generated from the app itself.

Every route of the app's URL map is listed. A view decorated with ``@doc(...)`` names its request
model (an attribute of the app's Schemas, the very models that validate the bodies, with this
app's [limits]), its response model and query parameters; a view without ``@doc`` (added by some
other blueprint) is still listed, from its docstring. Views marked ``@access(...)`` get the bearer
security requirement when the configuration asks for a key.
"""
from __future__ import annotations

import inspect
from typing import Any

from flask import Blueprint, Flask, current_app, jsonify
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from .auth import access, needs_key, view_access
from .metrics import VERSION

bp = Blueprint("openapi", __name__)
REF = "#/components/schemas/{model}"


def doc(summary: str, *, request: str | None = None, ndjson: bool = False, response: type[BaseModel] | None = None,
        status: int = 200, query: str | None = None, path_param: str | None = None,
        description: str = "") -> Any:
    """Describe a view for /openapi.json. ``request`` and ``query`` name models of the app's Schemas."""
    def mark(view):
        view.openapi = {"summary": summary, "request": request, "ndjson": ndjson, "response": response,
                        "status": status, "query": query, "path_param": path_param, "description": description}
        return view
    return mark


ERRORS = {
    400: "Malformed JSON or body, or a Host header not in [server] allowed_hosts.",
    401: "Missing or invalid API key.",
    404: "No such resource.",
    408: "The client did not send the whole request within [server] read_timeout.",
    413: "Body larger than [limits] max_body_bytes (also when sent chunked).",
    414: "Request line longer than the server's limit (8,190 bytes).",
    415: "Wrong content type.",
    422: "Invalid request (missing, mistyped or out-of-limit fields).",
    503: "Still loading, busy with its share of long requests ([server] long_requests), or past "
         "[server] request_timeout (Retry-After says when to try again).",
}


def _path(rule: str) -> tuple[str, list[str]]:
    """Flask's /v1/documents/<doc_id> as OpenAPI's /v1/documents/{doc_id}, with the names."""
    names: list[str] = []
    out = []
    for part in rule.split("/"):
        if part.startswith("<") and part.endswith(">"):
            name = part[1:-1].split(":")[-1]
            names.append(name)
            part = "{" + name + "}"
        out.append(part)
    return "/".join(out), names


def build(app: Flask) -> dict:
    from . import schemas as S

    schemas: S.Schemas = app.extensions["factlint.schemas"]
    settings = app.extensions["factlint"].settings
    models: dict[str, type[BaseModel]] = {"ErrorResponse": S.ErrorResponse}
    ops: list[tuple[str, str, str, Any, dict | None]] = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.endpoint == "static" or rule.endpoint.endswith(".static"):  # files, not API
            continue
        view = app.view_functions[rule.endpoint]
        meta = getattr(view, "openapi", None)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            ops.append((rule.rule, rule.endpoint, method.lower(), view, meta))
        if meta:
            if meta["request"]:
                models[meta["request"]] = getattr(schemas, meta["request"])
            if meta["response"]:
                models[meta["response"].__name__] = meta["response"]

    keyed = [(m, "validation" if name in S.Schemas.__dataclass_fields__ else "serialization")
             for name, m in models.items()]
    _, defs = models_json_schema(keyed, ref_template=REF)
    components = defs.get("$defs", {})

    paths: dict[str, dict] = {}
    for rule, endpoint, method, view, meta in ops:
        path, names = _path(rule)
        op: dict[str, Any] = {"operationId": f"{view.__name__}_{method}",
                              "summary": (meta or {}).get("summary") or _first_line(view),
                              "responses": {}}
        if meta and meta["description"]:
            op["description"] = meta["description"]
        params = [{"name": n, "in": "path", "required": True,
                   "schema": {"type": "string", "minLength": 1, "pattern": "^[^/]+$"}} for n in names]
        if meta and meta["query"]:
            q = getattr(schemas, meta["query"]).model_json_schema()
            for name, prop in q["properties"].items():
                params.append({"name": name, "in": "query", "required": name in q.get("required", []),
                               "schema": {k: v for k, v in prop.items() if k not in ("title", "description")},
                               "description": prop.get("description", "")})
        if params:
            op["parameters"] = params
        ok = {"description": "OK"}
        if meta and meta["response"]:
            ok["content"] = {"application/json": {"schema": {"$ref": REF.format(model=meta["response"].__name__)}}}
        op["responses"][str(meta["status"] if meta else 200)] = ok
        if meta and meta["status"] == 201:
            op["responses"]["200"] = {**ok, "description": "OK (every document replaced an existing one)"}
        codes = [400, 414]  # every route: a bad Host header, a request line over gunicorn's limit
        if meta and meta["request"]:
            ref = {"$ref": REF.format(model=meta["request"])}
            content = {"application/json": {"schema": ref}}
            if meta["ndjson"]:  # one JSON object per line
                content["application/x-ndjson"] = {"schema": ref}
            op["requestBody"] = {"required": True, "content": content}
            codes += [408, 413, 415, 422]
        if meta and meta["query"]:
            codes.append(422)
        if names:
            codes.append(404)
        access = view_access(view, endpoint)
        if access != "open":
            codes.append(503)
            if needs_key(settings.auth, access):
                op["security"] = [{"bearer": []}]
                codes.append(401)
        for code in sorted(set(codes)):
            op["responses"][str(code)] = {"description": ERRORS[code], "content": {
                "application/json": {"schema": {"$ref": REF.format(model="ErrorResponse")}}}}
        paths.setdefault(path, {})[method] = op

    return {
        "openapi": "3.1.0",
        "info": {"title": "factlint", "version": VERSION,
                 "description": "Fact-consistency checks against an archive of articles. Errors are "
                                "{\"error\": {\"code\", \"message\"}}."},
        "paths": paths,
        "components": {"schemas": components,
                       "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                                      "description": "[auth] api_key / FACTLINT_API_KEY"}}},
    }


def _first_line(view) -> str:
    return (inspect.getdoc(view) or view.__name__).splitlines()[0]


@bp.get("/openapi.json")
@access("open")
def openapi():
    spec = current_app.extensions.get("factlint.openapi")
    if spec is None:
        spec = current_app.extensions["factlint.openapi"] = build(current_app)
    return jsonify(spec)
