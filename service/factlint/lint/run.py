"""The lint run: find the draft files, check each one through a backend, and keep the findings
that no suppression comment, baseline entry or --diff filter removes."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from ..drafts import SUFFIX_FORMATS, format_for
from ..text import overlaps
from . import baseline as baseline_mod
from . import suppress
from .config import LintConfig
from .gitdiff import ChangedLines
from .positions import Lines, locate
from .rules import known as known_kinds

SKIP_DIRS = {".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__", ".tox", "_site"}
SEVERITY_RANK = {"contradiction": 2, "note": 1}
FAIL_LEVELS = {"contradiction": 2, "note": 1, "never": 99}


@dataclass(frozen=True)
class LintFinding:
    """One fact of a draft the archive disputes: where the disputed words are (line and column of
    their start, end line and exclusive end column; columns in characters, and in UTF-8 bytes for
    reviewdog), the sentence they are in, and every article that states it otherwise."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    sentence: str
    kind: str
    severity: str
    message: str
    confidence: float
    evidence: list[dict]  # the articles, newest first: Evidence + evidence_span, severity, message
    fingerprint: str  # of the sentence, the kind and the first article (baseline.fingerprint)
    claim_span: tuple[int, int] = (0, 0)  # the disputed words in ``sentence``
    sentence_line: int = 0
    sentence_column: int = 0
    byte_column: int = 0
    end_byte_column: int = 0
    replacements: tuple[str, ...] = ()  # what the archive writes instead, when it agrees on one value

    def to_json(self) -> dict:
        return {"path": self.path, "line": self.line, "column": self.column, "end_line": self.end_line,
                "end_column": self.end_column, "kind": self.kind, "severity": self.severity,
                "message": self.message, "confidence": self.confidence,
                "replacements": [{"value": v} for v in self.replacements],
                "sentence": self.sentence, "sentence_line": self.sentence_line,
                "sentence_column": self.sentence_column, "claim_span": list(self.claim_span),
                "fingerprint": self.fingerprint, "evidence": self.evidence}


@dataclass
class Draft:
    path: str  # as shown in the report ("-" for stdin)
    text: str
    fmt: str


@dataclass
class Report:
    findings: list[LintFinding] = field(default_factory=list)
    files: int = 0
    sentences: int = 0
    suppressed: int = 0
    baselined: int = 0
    outside_diff: int = 0
    warnings: list[str] = field(default_factory=list)

    def failing(self, fail_on: str) -> bool:
        return any(SEVERITY_RANK.get(f.severity, 0) >= FAIL_LEVELS[fail_on] for f in self.findings)


def display_path(path: Path) -> str:
    """Relative to the current directory when under it (what CI annotations want)."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def find_files(paths: list[str], cfg: LintConfig) -> list[Path]:
    """The draft files named or under the named directories, minus the configured exclusions.
    Raises FileNotFoundError for a path that does not exist."""
    out: list[Path] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
                out.extend(Path(root) / f for f in sorted(files)
                           if Path(f).suffix.lower() in SUFFIX_FORMATS and not f.startswith("."))
        elif path.is_file():
            out.append(path)
        else:
            raise FileNotFoundError(f"no such file or directory: {p}")
    seen, unique = set(), []
    for f in out:
        key = f.resolve()
        if key not in seen and not cfg.excluded(f):
            seen.add(key)
            unique.append(f)
    return unique


def read_draft(path: Path) -> Draft:
    return Draft(display_path(path), path.read_text(encoding="utf-8"), format_for(path))


def changed_lines(drafts: list[Draft], files: list[Path], base: str) -> dict[str, set[int] | None]:
    """For --diff: the changed lines of each draft file (None: all of it). Raises GitError."""
    changed = ChangedLines(base)
    return {d.path: changed.of(f) for d, f in zip(drafts, files)}


def _facts(findings: list[dict]) -> list[list[dict]]:
    """A result's findings grouped by fact: one kind, overlapping words of the claim; one entry
    per article (its first, most relevant finding), in the checker's order."""
    groups: list[list[dict]] = []
    for f in findings:
        span = f.get("claim_span") or (0, 0)
        group = next((g for g in groups if g[0]["kind"] == f["kind"]
                      and overlaps(g[0].get("claim_span") or (0, 0), span)), None)
        if group is None:
            groups.append([f])
        elif all(g.get("evidence", {}).get("doc_id") != f.get("evidence", {}).get("doc_id") for g in group):
            group.append(f)
    return groups


def _newest_first(entries: list[dict]) -> list[dict]:
    dated = sorted((e for e in entries if e.get("published")), key=lambda e: e["published"], reverse=True)
    return dated + [e for e in entries if not e.get("published")]


def _article(f: dict) -> dict:
    return {**f.get("evidence", {}), "evidence_span": list(f.get("evidence_span") or (0, 0)),
            "severity": f["severity"], "message": f["message"]}


def lint(drafts: list[Draft], backend, *, changed: dict[str, set[int] | None] | None = None,
         accepted: set[str] | None = None, rules: dict[str, str] | None = None) -> Report:
    """Check the drafts; ``changed`` limits each to its changed lines, ``accepted`` holds the
    fingerprints of the baseline, ``rules`` the severity of each kind ("off": not reported)."""
    rules = rules or {}
    report = Report(files=len(drafts))
    for draft in drafts:
        lines_changed = changed.get(draft.path) if changed is not None else None
        if lines_changed is not None and not lines_changed:
            continue  # nothing changed in this file
        results = backend.check_document(draft.text, draft.fmt)
        sup = suppress.parse(draft.text)
        report.warnings += [f"{draft.path}:{line}: unknown kind {kind!r} in a suppression comment "
                            f"(known kinds: {known_kinds()})" for line, kind in sup.unknown]
        lines = Lines(draft.text)
        for r in results:
            start, end = r["span"]
            line, end_line = lines.position(start).line, lines.position(end).line
            if lines_changed is not None and not lines_changed.intersection(range(line, end_line + 1)):
                report.outside_diff += 1
                continue
            report.sentences += 1
            for group in _facts(r.get("findings", [])):
                kind = group[0]["kind"]
                level = rules.get(kind, "contradiction")
                if level == "off":
                    continue
                if sup.covers(line, end_line, kind):
                    report.suppressed += 1
                    continue
                fps = tuple(baseline_mod.fingerprint(r["claim"], kind, f.get("evidence", {}).get("doc_id", ""))
                            for f in group)
                if accepted is not None and set(fps) <= accepted:
                    report.baselined += 1
                    continue
                severity = "contradiction" if level == "contradiction" and any(
                    f["severity"] == "contradiction" for f in group) else "note"
                primary = next((f for f in group if f["severity"] == severity), group[0])
                span = tuple(primary.get("claim_span") or (0, 0))
                at, to = locate(draft.text, start, end, r["claim"], span)
                first, last = lines.position(at), lines.position(to)
                more = len(group) - 1
                message = primary["message"] + (f" (and {more} more article{'s' * (more != 1)})" if more else "")
                report.findings.append(LintFinding(
                    draft.path, first.line, first.column, last.line, last.column, r["claim"], kind, severity,
                    message, primary["confidence"], _newest_first([_article(f) for f in group]),
                    fps[group.index(primary)], span, r["line"], r["column"], first.byte_column,
                    last.byte_column, tuple(x["value"] for x in primary.get("replacements", ()))))
    report.findings.sort(key=lambda f: (f.path, f.line, f.column, -SEVERITY_RANK.get(f.severity, 0)))
    return report
