"""--diff: the lines of a file changed since a git revision (what CI on a pull request checks).

The revision is compared with the working tree through the merge base of BASE and HEAD, so on a
pull-request branch only the branch's own changes count. A file git does not track yet counts as
changed everywhere.
"""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@", re.M)


class GitError(Exception):
    pass


def _git(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", "-C", str(cwd), *args], capture_output=True, text=True,
                              encoding="utf-8", errors="replace")
    except FileNotFoundError as exc:
        raise GitError("--diff needs git, which is not installed") from exc


class ChangedLines:
    """Which lines changed since ``base``, file by file (computed once per repository)."""

    def __init__(self, base: str):
        self.base = base
        self._rev: dict[Path, str] = {}

    def _revision(self, top: Path) -> str:
        if top not in self._rev:
            ok = _git(top, "rev-parse", "--verify", "--quiet", f"{self.base}^{{commit}}")
            if ok.returncode:
                raise GitError(f"--diff: {self.base!r} is not a revision of the git repository {top} "
                               "(put --diff after the files, or give BASE)")
            mb = _git(top, "merge-base", self.base, "HEAD")
            self._rev[top] = mb.stdout.strip() if mb.returncode == 0 and mb.stdout.strip() \
                else ok.stdout.strip()
        return self._rev[top]

    def of(self, path: str | Path) -> set[int] | None:
        """Changed line numbers of ``path``; None when the whole file is new to git."""
        path = Path(path).resolve()
        top_run = _git(path.parent, "rev-parse", "--show-toplevel")
        if top_run.returncode:
            raise GitError(f"--diff: {path} is not inside a git repository")
        top = Path(top_run.stdout.strip())
        rel = path.relative_to(top.resolve()).as_posix()
        rev = self._revision(top)
        tracked = _git(top, "ls-files", "--error-unmatch", "--", rel)
        in_base = _git(top, "cat-file", "-e", f"{rev}:{rel}")
        if tracked.returncode or in_base.returncode:
            return None
        diff = _git(top, "diff", "--no-color", "--no-ext-diff", "--unified=0", rev, "--", rel)
        if diff.returncode:
            raise GitError(f"--diff: git diff failed: {diff.stderr.strip().splitlines()[-1:]}")
        lines: set[int] = set()
        for m in _HUNK.finditer(diff.stdout):
            start, count = int(m.group(1)), int(m.group(2) if m.group(2) is not None else 1)
            lines.update(range(start, start + count))
        return lines
