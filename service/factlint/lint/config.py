"""Project configuration for `factlint check`: a factlint.toml, or [tool.factlint] in a
pyproject.toml, found in the directory of the checked files or the nearest one above it.

    data_dir = "archive-index"       # local index built by `factlint index` (relative to this file)
    server = "http://factlint:8000"  # or a running service (wins over data_dir)
    fail_on = "contradiction"        # contradiction | note | never
    exclude = ["drafts/old/**", "*.draft.html"]   # fnmatch patterns, relative to this file
    baseline = ".factlint-baseline.json"          # relative to this file
    docs_url = "https://github.com/you/factlint/blob/main/docs/rules/"  # where the rule pages are read
    [rules]                          # per kind: "contradiction" (default), "note" or "off"
    wording = "off"
    [check]                          # thresholds of the local checker (see config/default.toml)
    min_conflict = 0.6

Command-line options win over the file.
"""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from ..config import CheckSettings
from . import rules as rules_mod

FILE_NAME = "factlint.toml"


class _File(BaseModel):
    model_config = ConfigDict(extra="forbid")

    data_dir: str | None = None
    server: str | None = None
    fail_on: Literal["contradiction", "note", "never"] | None = None
    exclude: list[str] = []
    baseline: str | None = None
    docs_url: str | None = None
    rules: dict[str, Literal["contradiction", "note", "off"]] = {}
    check: CheckSettings | None = None


@dataclass
class LintConfig:
    path: Path | None = None  # the file it came from
    data_dir: str | None = None
    server: str | None = None
    fail_on: str | None = None
    exclude: list[str] = field(default_factory=list)
    baseline: str | None = None
    check: dict = field(default_factory=dict)  # overrides of the [check] settings
    rules: dict[str, str] = field(default_factory=dict)  # kind -> contradiction | note | off
    docs_url: str | None = None
    warnings: list[str] = field(default_factory=list)  # worth saying, not worth stopping for

    @property
    def root(self) -> Path:
        return self.path.parent if self.path else Path.cwd()

    def excluded(self, path: str | Path) -> bool:
        if not self.exclude:
            return False
        try:
            rel = Path(path).resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            rel = Path(path).as_posix()
        parts = rel.split("/")
        prefixes = ["/".join(parts[:i]) for i in range(1, len(parts) + 1)]
        return any(fnmatch(p, pat.rstrip("/")) for pat in self.exclude for p in prefixes)


def _table(path: Path) -> dict | None:
    with open(path, "rb") as fh:
        data = tomllib.load(fh)
    if path.name == "pyproject.toml":
        return data.get("tool", {}).get("factlint")
    return data


def find(start: Path) -> Path | None:
    """The nearest factlint.toml, or pyproject.toml with [tool.factlint], at or above ``start``."""
    start = start.resolve()
    for d in [start, *start.parents]:
        if (d / FILE_NAME).is_file():
            return d / FILE_NAME
        py = d / "pyproject.toml"
        if py.is_file():
            try:
                if _table(py) is not None:
                    return py
            except (OSError, tomllib.TOMLDecodeError):
                continue
    return None


def common_dir(paths: list[str]) -> Path:
    """The directory the configuration is searched from: the common parent of the files."""
    dirs = [Path(p).resolve() if Path(p).is_dir() else Path(p).resolve().parent for p in paths if p != "-"]
    if not dirs:
        return Path.cwd()
    return Path(os.path.commonpath([str(d) for d in dirs]))


def load(path: Path | None) -> LintConfig:
    """Read and validate one configuration file (ValueError with a one-line reason)."""
    if path is None:
        return LintConfig()
    try:
        raw = _table(path)
    except OSError as exc:
        raise ValueError(f"cannot read {path}: {exc.strerror or exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{path} is not valid TOML: {exc}") from exc
    if raw is None:
        raise ValueError(f"{path} has no [tool.factlint] table")
    try:
        cfg = _File.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(x) for x in err["loc"])
        raise ValueError(f"{path}: {where}: {err['msg']}") from exc
    base = path.parent

    def rel(p: str | None) -> str | None:
        return None if p is None else str((base / p) if not Path(p).is_absolute() else Path(p))

    warnings = [f"{path}: [rules] {kind}: unknown kind (known kinds: {rules_mod.known()})"
                for kind in rules_mod.unknown(cfg.rules)]
    return LintConfig(path, rel(cfg.data_dir), cfg.server, cfg.fail_on, list(cfg.exclude),
                      rel(cfg.baseline), cfg.check.model_dump(exclude_unset=True) if cfg.check else {},
                      {k: v for k, v in cfg.rules.items() if k in rules_mod.KINDS}, cfg.docs_url, warnings)
