"""Cold run of `factlint check` on a 1,500-word Markdown draft (python -m bench.check_cli).

The archive is the seed articles plus 300 BBC articles (../shared/corpora/bbc, every 7th file),
indexed once into bench/work/check-index (not timed). The draft is built from indexed articles
with their figures changed (so there are contradictions to report) and from articles that are not
indexed. Each timed run is a fresh `factlint check` process: interpreter start, model and index
load, extraction, checking, output. A one-sentence draft gives the fixed cost of a run.
"""
from __future__ import annotations

import json
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

from factlint.drafts import draft_sentences

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / "work"
BBC = ROOT.parent / "shared" / "corpora" / "bbc"
DATA = WORK / "check-index"
RUNS = 3


def sh(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "factlint", *args], capture_output=True, text=True,
                          cwd=ROOT)


def build_index(files: list[Path]) -> None:
    if (DATA / "factlint.sqlite3").is_file():
        return
    stage = WORK / "check-archive"
    stage.mkdir(parents=True, exist_ok=True)
    for f in files:
        (stage / f.name).write_text(f.read_text(encoding="utf-8", errors="replace"), encoding="utf-8")
    proc = sh("index", "--data-dir", str(DATA), str(stage), str(ROOT / "seeds"))
    if proc.returncode:
        sys.exit(f"indexing failed: {proc.stderr.strip()}")


def bump(m: re.Match) -> str:
    return str(int(m.group()) + 3)


def build_draft(indexed: list[Path], fresh: list[Path], words: int = 1500) -> str:
    parts, count = ["---", "title: Bench draft", "---", ""], 0
    for i, f in enumerate(zip(indexed, fresh)):
        for src in f:
            lines = [line for line in src.read_text(encoding="utf-8", errors="replace").splitlines() if line]
            title, body = lines[0], lines[1:]
            if src in indexed:  # change the figures of an indexed article
                body = [re.sub(r"\b\d+\b", bump, p) for p in body]
            parts += [f"## {title}", ""]
            for p in body:
                parts += [p, ""]
                count += len(p.split())
                if count >= words:
                    return "\n".join(parts)
    return "\n".join(parts)


def timed(draft: Path) -> tuple[float, list]:
    t = time.perf_counter()
    proc = sh("check", str(draft), "--data-dir", str(DATA), "--format", "json", "--fail-on", "never")
    elapsed = time.perf_counter() - t
    print(f"  {draft.name}: {elapsed:.1f} s", file=sys.stderr)
    if proc.returncode:
        sys.exit(f"check failed: {proc.stderr.strip()}")
    return elapsed, json.loads(proc.stdout)


def main() -> None:
    if not BBC.is_dir():
        sys.exit(f"no BBC corpus at {BBC}")
    files = sorted(p for p in BBC.glob("*.txt"))
    indexed = files[::7][:300]
    fresh = [f for f in files[3::7] if f not in indexed]
    WORK.mkdir(parents=True, exist_ok=True)
    build_index(indexed)
    draft = WORK / "draft-1500.md"
    draft.write_text(build_draft(indexed[:40:4], fresh[:10]), encoding="utf-8")
    tiny = WORK / "draft-1.md"
    tiny.write_text("Quarterly profits at the media giant jumped sharply in the last three months.\n")
    n_words = len(re.sub(r"^(---|title:|##).*$", "", draft.read_text(), flags=re.M).split())
    base = [timed(tiny)[0] for _ in range(RUNS)]
    runs = [timed(draft) for _ in range(RUNS)]
    times = [t for t, _ in runs]
    findings = runs[0][1]
    sentences = len(draft_sentences(draft.read_text(encoding="utf-8"), "markdown"))
    print(f"archive: {DATA} (seeds + {len(indexed)} BBC articles)")
    print(f"draft: {draft.name}, {n_words} words, {sentences} prose sentences checked, "
          f"{sum(f['severity'] == 'contradiction' for f in findings)} contradictions, "
          f"{sum(f['severity'] == 'note' for f in findings)} notes")
    print(f"cold run, 1,500-word draft: median {statistics.median(times):.1f} s "
          f"(min {min(times):.1f}, max {max(times):.1f}, {RUNS} runs)")
    print(f"cold run, one-sentence draft (start-up, model and index load): median "
          f"{statistics.median(base):.1f} s")
    print(f"checking the draft itself: ~{statistics.median(times) - statistics.median(base):.1f} s")


if __name__ == "__main__":
    main()
