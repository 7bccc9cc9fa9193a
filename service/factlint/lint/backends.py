"""Where drafts are checked: a local index (model and index loaded once per run) or a running
factlint service (POST /v1/check/document). Both answer with the endpoint's JSON: one result per
prose sentence, with its span, line and column."""
from __future__ import annotations

import json
import urllib.error
from datetime import date
import urllib.request


class BackendError(Exception):
    pass


class LocalBackend:
    def __init__(self, settings, published: date | None = None):
        from ..checker import Checker
        from ..store import describe, store_exists
        from ..workspace import Workspace

        data_dir = describe(settings)  # the data directory, or the store's URL without its password
        if not store_exists(settings):
            raise BackendError(f"no index in {data_dir}: build one with 'factlint index --data-dir "
                               f"{data_dir} PATH...', or pass --server URL")
        try:
            self.ws = Workspace(settings)
        except Exception as exc:
            raise BackendError(f"cannot open the index in {data_dir}: {exc}") from exc
        if not self.ws.store.count_documents():
            raise BackendError(f"the corpus in {data_dir} is empty: run 'factlint index PATH...' first")
        self.checker = Checker.configured(self.ws, settings)
        self.where = data_dir
        self.published = published

    def check_document(self, text: str, fmt: str) -> list[dict]:
        from ..drafts import draft_sentences

        sentences = draft_sentences(text, fmt)
        results = self.checker.check_many([s.text for s in sentences], published=self.published, draft=text) \
            if sentences else []
        return [{**r.to_json(), "span": [s.start, s.end], "line": s.line, "column": s.column}
                for s, r in zip(sentences, results)]


class ServerBackend:
    def __init__(self, url: str, published: date | None = None, timeout: float = 300):
        if not url.startswith(("http://", "https://")):
            raise BackendError(f"--server must be an http:// or https:// URL, not {url!r}")
        self.url = url.rstrip("/") + "/v1/check/document"
        self.timeout = timeout
        self.where = url
        self.published = published

    def check_document(self, text: str, fmt: str) -> list[dict]:
        body = {"text": text, "format": fmt}
        if self.published:
            body["published"] = self.published.isoformat()
        req = urllib.request.Request(self.url, data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                data = json.load(resp)
        except urllib.error.HTTPError as exc:
            raise BackendError(f"{self.url} answered {exc.code}: {_error_message(exc)}") from exc
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise BackendError(f"cannot reach {self.url}: {reason}") from exc
        except ValueError as exc:
            raise BackendError(f"{self.url} did not answer JSON") from exc
        if not isinstance(data, dict) or not isinstance(data.get("results"), list):
            raise BackendError(f"{self.url} answered without a results list")
        return data["results"]


def _error_message(exc: urllib.error.HTTPError) -> str:
    try:
        return json.load(exc)["error"]["message"]
    except Exception:
        return exc.reason or "error"
