"""The lint run: find the draft files, check each one through a backend, and keep the findings
that no suppression comment, baseline entry or --diff filter removes."""
from __future__ import annotations

import bisect
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..drafts import SUFFIX_FORMATS, format_for
from . import baseline as baseline_mod
from . import suppress
from .config import LintConfig
from .gitdiff import ChangedLines

SKIP_DIRS = {".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__", ".tox", "_site"}
SEVERITY_RANK = {"contradiction": 2, "note": 1}
FAIL_LEVELS = {"contradiction": 2, "note": 1, "never": 99}


@dataclass(frozen=True)
class LintFinding:
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
    evidence: dict
    fingerprint: str
    claim_span: tuple[int, int] = (0, 0)  # into ``sentence``
    evidence_span: tuple[int, int] = (0, 0)  # into the evidence sentence

    def to_json(self) -> dict:
        return {"path": self.path, "line": self.line, "column": self.column, "end_line": self.end_line,
                "end_column": self.end_column, "sentence": self.sentence, "kind": self.kind,
                "severity": self.severity, "message": self.message, "confidence": self.confidence,
                "claim_span": list(self.claim_span), "evidence_span": list(self.evidence_span),
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


def lint(drafts: list[Draft], backend, *, changed: dict[str, set[int] | None] | None = None,
         accepted: set[str] | None = None) -> Report:
    """Check the drafts; ``changed`` limits each to its changed lines, ``accepted`` holds the
    fingerprints of the baseline."""
    report = Report(files=len(drafts))
    for draft in drafts:
        lines_changed = changed.get(draft.path) if changed is not None else None
        if lines_changed is not None and not lines_changed:
            continue  # nothing changed in this file
        results = backend.check_document(draft.text, draft.fmt)
        sup = suppress.parse(draft.text)
        starts = [0] + [m.end() for m in re.finditer("\n", draft.text)]
        for r in results:
            start, end = r["span"]
            line = bisect.bisect_right(starts, start)
            end_line = bisect.bisect_right(starts, end)
            end_column = end - starts[end_line - 1] + 1
            if lines_changed is not None and not lines_changed.intersection(range(line, end_line + 1)):
                report.outside_diff += 1
                continue
            report.sentences += 1
            seen = set()
            for f in r.get("findings", []):
                ev = f.get("evidence", {})
                key = (f["kind"], f["severity"], f["message"])
                if key in seen:
                    continue
                seen.add(key)
                if sup.covers(line, end_line, f["kind"]):
                    report.suppressed += 1
                    continue
                fp = baseline_mod.fingerprint(r["claim"], f["kind"], ev.get("doc_id", ""))
                if accepted is not None and fp in accepted:
                    report.baselined += 1
                    continue
                report.findings.append(LintFinding(
                    draft.path, r["line"], r["column"], end_line, end_column, r["claim"], f["kind"],
                    f["severity"], f["message"], f["confidence"], ev, fp,
                    tuple(f.get("claim_span", (0, 0))), tuple(f.get("evidence_span", (0, 0)))))
    report.findings.sort(key=lambda f: (f.path, f.line, f.column, -SEVERITY_RANK.get(f.severity, 0)))
    return report
