"""Output formats of `factlint check`: text, json, sarif (2.1.0), github (workflow commands),
rdjsonl (reviewdog).

Every format points at the disputed words (the figure, the name), not the whole sentence: line and
column of their start and end. Columns are characters (Unicode code points) everywhere except in
rdjsonl, whose columns are UTF-8 bytes as reviewdog's protocol says.
"""
from __future__ import annotations

import json
from importlib.metadata import PackageNotFoundError, version
from urllib.parse import quote

import click

from . import rules
from .run import LintFinding, Report

FORMATS = ("text", "json", "sarif", "github", "rdjsonl")
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
JSON_VERSION = 1  # of the json format (factlint/lint/check.schema.json)


def _tool_version() -> str:
    try:
        return version("factlint")
    except PackageNotFoundError:
        return "0"


def evidence_line(article: dict) -> str:
    """An article as the text format and the annotations show it: title (date) <url>: sentence."""
    when = f" ({article['published']})" if article.get("published") else ""
    where = f" <{article['url']}>" if article.get("url") else ""
    return f"{article.get('title') or article.get('doc_id', '')}{when}{where}: {article.get('sentence', '')}"


def _evidence_text(f: LintFinding) -> str:
    return "\n".join(f"Evidence: {evidence_line(a)}" for a in f.evidence)


def summary(report: Report) -> dict:
    return {"files": report.files, "sentences": report.sentences,
            "contradictions": sum(f.severity == "contradiction" for f in report.findings),
            "notes": sum(f.severity == "note" for f in report.findings),
            "suppressed": report.suppressed, "baselined": report.baselined,
            "outside_diff": report.outside_diff}


def render_text(report: Report, color: bool) -> str:
    def style(s: str, **kw) -> str:
        return click.style(s, **kw) if color else s

    out = []
    for f in report.findings:
        kind_color = "red" if f.severity == "contradiction" else "yellow"
        where = style(f"{f.path}:{f.line}:{f.column}:", bold=True)
        kind = style(f"{f.kind}:" if f.severity == "contradiction" else f"{f.kind} (note):",
                     fg=kind_color, bold=True)
        out.append(f"{where} {kind} {f.message}")
        out += [style(f"    evidence: {evidence_line(a)}", dim=True) for a in f.evidence]
        out += [style(f"    replace with: {v}", fg="green") for v in f.replacements]
    s = summary(report)
    tail = [f"{s['contradictions']} contradiction{'s' * (s['contradictions'] != 1)}",
            f"{s['notes']} note{'s' * (s['notes'] != 1)}"]
    extra = [f"{s[k]} {label}" for k, label in (("suppressed", "suppressed"), ("baselined", "in baseline"))
             if s[k]]
    line = f"{', '.join(tail)} in {s['files']} file{'s' * (s['files'] != 1)}" + \
        (f" ({', '.join(extra)})" if extra else "")
    out.append(style(line, fg="red" if s["contradictions"] else None, bold=bool(s["contradictions"])))
    if report.findings:
        out.append(style(f"'factlint explain KIND' says what a kind checks ({', '.join(_kinds(report))})", dim=True))
    return "\n".join(out)


def _kinds(report: Report) -> list[str]:
    return sorted({f.kind for f in report.findings})


def render_json(report: Report, docs_url: str | None = None) -> str:
    """{"version", "tool", "summary", "findings"}: the format the JSON Schema
    factlint/lint/check.schema.json describes."""
    return json.dumps({"version": JSON_VERSION, "tool": {"name": "factlint", "version": _tool_version()},
                       "summary": summary(report), "findings": [f.to_json() for f in report.findings]},
                      indent=2, ensure_ascii=False)


def _uri(path: str) -> str:
    """A draft's path as a relative URI reference (percent-encoded; stdin is "stdin")."""
    return "stdin" if path == "-" else quote(path.replace("\\", "/"), safe="/")


def _region(f: LintFinding) -> dict:
    return {"startLine": f.line, "startColumn": f.column, "endLine": f.end_line, "endColumn": f.end_column}


def render_sarif(report: Report, docs_url: str | None = None) -> str:
    kinds = _kinds(report)
    driver_rules = [{"id": k, "name": f"{k.capitalize()}Contradiction",
                     "shortDescription": {"text": rules.summary(k)},
                     "fullDescription": {"text": rules.summary(k)},
                     "helpUri": rules.url(k, docs_url),
                     "help": {"text": rules.page(k), "markdown": rules.page(k)},
                     "defaultConfiguration": {"level": "error"}} for k in kinds]
    results = []
    for f in report.findings:
        uri = _uri(f.path)
        result = {
            "ruleId": f.kind,
            "ruleIndex": kinds.index(f.kind),
            "level": "error" if f.severity == "contradiction" else "note",
            "message": {"text": f"{f.message}\n{_evidence_text(f)}"},
            "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": uri},
                "region": _region(f),
                "contextRegion": {"startLine": f.sentence_line, "startColumn": f.sentence_column,
                                  "snippet": {"text": f.sentence}}}}],
            "partialFingerprints": {"factlintSentence/v1": f.fingerprint},
            "properties": {"severity": f.severity, "confidence": f.confidence, "evidence": f.evidence},
        }
        if f.replacements:
            result["fixes"] = [{"description": {"text": f"Write what the archive says: {v}"},
                                "artifactChanges": [{"artifactLocation": {"uri": uri}, "replacements": [
                                    {"deletedRegion": _region(f), "insertedContent": {"text": v}}]}]}
                               for v in f.replacements]
        results.append(result)
    return json.dumps({
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "factlint", "version": _tool_version(), "rules": driver_rules}},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }, indent=2, ensure_ascii=False)


def _gh_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_prop(s: str) -> str:
    return _gh_data(s).replace(":", "%3A").replace(",", "%2C")


def render_github(report: Report, docs_url: str | None = None) -> str:
    out = []
    for f in report.findings:
        cmd = "error" if f.severity == "contradiction" else "warning"
        props = ",".join([f"file={_gh_prop(f.path)}", f"line={f.line}", f"col={f.column}",
                          f"endLine={f.end_line}", f"endColumn={f.end_column}",
                          f"title={_gh_prop('factlint ' + f.kind)}"])
        fix = "".join(f"\nReplace with: {v}" for v in f.replacements)
        out.append(f"::{cmd} {props}::{_gh_data(f.message + fix + chr(10) + _evidence_text(f))}")
    return "\n".join(out)


def render_rdjsonl(report: Report, docs_url: str | None = None) -> str:
    out = []
    for f in report.findings:
        span = {"start": {"line": f.line, "column": f.byte_column},
                "end": {"line": f.end_line, "column": f.end_byte_column}}
        diagnostic = {
            "message": f"{f.message}\n{_evidence_text(f)}",
            "location": {"path": f.path, "range": span},
            "severity": "ERROR" if f.severity == "contradiction" else "WARNING",
            "source": {"name": "factlint"},
            "code": {"value": f.kind, "url": rules.url(f.kind, docs_url)},
            "original_output": f"{f.path}:{f.line}:{f.column}: {f.kind}: {f.message}",
        }
        if f.replacements:
            diagnostic["suggestions"] = [{"range": span, "text": v} for v in f.replacements]
        out.append(json.dumps(diagnostic, ensure_ascii=False))
    return "\n".join(out)


def render(fmt: str, report: Report, color: bool = False, docs_url: str | None = None) -> str:
    if fmt == "text":
        return render_text(report, color)
    return {"json": render_json, "sarif": render_sarif, "github": render_github,
            "rdjsonl": render_rdjsonl}[fmt](report, docs_url)
