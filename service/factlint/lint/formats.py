"""Output formats of `factlint check`: text, json, sarif (2.1.0), github (workflow commands),
rdjsonl (reviewdog)."""
from __future__ import annotations

import json
from importlib.metadata import PackageNotFoundError, version

import click

from .run import LintFinding, Report

FORMATS = ("text", "json", "sarif", "github", "rdjsonl")
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
KIND_HELP = {
    "number": "A figure in the draft differs from the archive's figure for the same thing.",
    "date": "A date in the draft differs from the archive's date for the same event.",
    "negation": "The draft negates what the archive states (or the other way round).",
    "antonym": "The draft uses the opposite word (rose/fell, won/lost) of the archive.",
    "entity": "A name or title in the draft differs from the archive's.",
    "wording": "The draft uses a confusable word (anonymously/unanimously) where the archive differs.",
    "nli": "A model judges the draft sentence to contradict the archive sentence.",
}


def _tool_version() -> str:
    try:
        return version("factlint")
    except PackageNotFoundError:
        return "0"


def evidence_line(f: LintFinding) -> str:
    ev = f.evidence
    when = f" ({ev['published']})" if ev.get("published") else ""
    return f"{ev.get('title') or ev.get('doc_id', '')}{when}: {ev.get('sentence', '')}"


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
        out.append(style(f"    evidence: {evidence_line(f)}", dim=True))
    s = summary(report)
    tail = [f"{s['contradictions']} contradiction{'s' * (s['contradictions'] != 1)}",
            f"{s['notes']} note{'s' * (s['notes'] != 1)}"]
    extra = [f"{s[k]} {label}" for k, label in (("suppressed", "suppressed"), ("baselined", "in baseline"))
             if s[k]]
    line = f"{', '.join(tail)} in {s['files']} file{'s' * (s['files'] != 1)}" + \
        (f" ({', '.join(extra)})" if extra else "")
    out.append(style(line, fg="red" if s["contradictions"] else None, bold=bool(s["contradictions"])))
    return "\n".join(out)


def render_json(report: Report) -> str:
    """A list of findings (the text format's last line has the counts)."""
    return json.dumps([f.to_json() for f in report.findings], indent=2, ensure_ascii=False)


def render_sarif(report: Report) -> str:
    kinds = sorted({f.kind for f in report.findings})
    rules = [{"id": k, "name": f"{k.capitalize()}Contradiction",
              "shortDescription": {"text": f"{k} contradicts the archive"},
              "fullDescription": {"text": KIND_HELP.get(k, k)},
              "defaultConfiguration": {"level": "error"}} for k in kinds]
    results = []
    for f in report.findings:
        results.append({
            "ruleId": f.kind,
            "ruleIndex": kinds.index(f.kind),
            "level": "error" if f.severity == "contradiction" else "note",
            "message": {"text": f"{f.message}\nEvidence: {evidence_line(f)}"},
            "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": "stdin" if f.path == "-" else f.path.replace("\\", "/")},
                "region": {"startLine": f.line, "startColumn": f.column, "endLine": f.end_line,
                           "endColumn": f.end_column, "snippet": {"text": f.sentence}}}}],
            "partialFingerprints": {"factlintSentence/v1": f.fingerprint},
            "properties": {"severity": f.severity, "confidence": f.confidence,
                           "evidence": f.evidence},
        })
    return json.dumps({
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "factlint", "version": _tool_version(),
                                "rules": rules}},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }, indent=2, ensure_ascii=False)


def _gh_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_prop(s: str) -> str:
    return _gh_data(s).replace(":", "%3A").replace(",", "%2C")


def render_github(report: Report) -> str:
    out = []
    for f in report.findings:
        cmd = "error" if f.severity == "contradiction" else "warning"
        props = ",".join([f"file={_gh_prop(f.path)}", f"line={f.line}", f"col={f.column}",
                          f"endLine={f.end_line}", f"title={_gh_prop('factlint ' + f.kind)}"])
        out.append(f"::{cmd} {props}::{_gh_data(f.message + chr(10) + 'Evidence: ' + evidence_line(f))}")
    return "\n".join(out)


def render_rdjsonl(report: Report) -> str:
    out = []
    for f in report.findings:
        out.append(json.dumps({
            "message": f"{f.message} (evidence: {evidence_line(f)})",
            "location": {"path": f.path, "range": {
                "start": {"line": f.line, "column": f.column},
                "end": {"line": f.end_line, "column": f.end_column}}},
            "severity": "ERROR" if f.severity == "contradiction" else "WARNING",
            "source": {"name": "factlint"},
            "code": {"value": f.kind},
            "original_output": f"{f.path}:{f.line}:{f.column}: {f.kind}: {f.message}",
        }, ensure_ascii=False))
    return "\n".join(out)


def render(fmt: str, report: Report, color: bool = False) -> str:
    if fmt == "text":
        return render_text(report, color)
    return {"json": render_json, "sarif": render_sarif, "github": render_github,
            "rdjsonl": render_rdjsonl}[fmt](report)
