"""``factlint eval``: measure the checker on labelled data (never tuned to it, never special-cased).

- seed_claims.jsonl: claims against the seed articles; verdict accuracy per kind.
- vitaminc_numeric_dev.jsonl, rte3_dev.jsonl: sentence pairs; precision, recall and accuracy of
  "contradiction" through /v1/compare's logic (hypothesis as claim, premise as evidence).
"""
from __future__ import annotations

import json
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import click
import numpy as np

from .checker import Checker, compare_texts
from .config import PROJECT_DIR, Settings
from .workspace import Workspace


def _rows(path: Path) -> list[dict]:
    if not path.is_file():
        raise FileNotFoundError(f"evaluation file not found: {path}")
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def seed_claims(eval_dir: Path, settings: Settings, ws: Workspace) -> dict:
    checker = Checker(ws, settings.check)
    rows = _rows(eval_dir / "seed_claims.jsonl")
    results = checker.check_many([r["claim"] for r in rows])
    per_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    wrong = []
    for r, res in zip(rows, results):
        ok = res.verdict == r["expect"]
        if ok and r["expect"] == "contradicted" and r.get("evidence_doc"):
            ok = any(f.severity == "contradiction" and f.evidence.doc_id.startswith(r["evidence_doc"])
                     for f in res.findings)
        per_kind[r["kind"]][0] += ok
        per_kind[r["kind"]][1] += 1
        if not ok:
            wrong.append((r, res.verdict))
    return {"per_kind": dict(per_kind), "wrong": wrong,
            "right": sum(v[0] for v in per_kind.values()), "total": len(rows)}


def pairs(path: Path, settings: Settings, ws: Workspace) -> dict:
    rows = _rows(path)
    texts = sorted({t for r in rows for t in (r["hypothesis"], r["premise"])})
    vecs = dict(zip(texts, ws.embedder.encode(texts)))
    tp = fp = fn = tn = 0
    for r in rows:
        sim = float(np.clip(vecs[r["hypothesis"]] @ vecs[r["premise"]], 0, 1))
        rel, _, _ = compare_texts(ws.embedder, settings.check, r["hypothesis"], r["premise"], sim)
        pred, gold = rel == "contradiction", r["label"] == "contradiction"
        tp += pred and gold
        fp += pred and not gold
        fn += gold and not pred
        tn += not pred and not gold
    n = tp + fp + fn + tn
    return {"n": n, "precision": tp / (tp + fp) if tp + fp else 0.0, "recall": tp / (tp + fn) if tp + fn else 0.0,
            "accuracy": (tp + tn) / n if n else 0.0, "flagged": tp + fp}


def run(eval_dir: Path, settings: Settings) -> dict:
    t0 = time.time()
    with tempfile.TemporaryDirectory(prefix="factlint-eval-") as tmp:
        settings = settings.model_copy(update={"store": settings.store.model_copy(update={"data_dir": tmp})})
        ws = Workspace(settings)
        ws.add_paths([PROJECT_DIR / "seeds"])
        seeds = seed_claims(eval_dir, settings, ws)
        click.echo(f"seed claims ({eval_dir / 'seed_claims.jsonl'}): {seeds['right']}/{seeds['total']} right")
        click.echo(f"  {'kind':<12} {'right':>5} {'total':>5}")
        for kind, (right, total) in sorted(seeds["per_kind"].items()):
            click.echo(f"  {kind:<12} {right:>5} {total:>5}")
        for r, got in seeds["wrong"]:
            click.echo(f"  wrong: [{r['kind']}] expected {r['expect']}, got {got}: {r['claim']}")
        out = {"seed_claims": {k: v for k, v in seeds.items() if k != "wrong"}}
        click.echo(f"\n{'pairs':<28} {'n':>5} {'precision':>9} {'recall':>7} {'accuracy':>8}")
        for name in ("vitaminc_numeric_dev.jsonl", "rte3_dev.jsonl"):
            if (eval_dir / name).is_file():
                m = pairs(eval_dir / name, settings, ws)
                out[name] = m
                click.echo(f"{name:<28} {m['n']:>5} {m['precision']:>9.3f} {m['recall']:>7.3f} {m['accuracy']:>8.3f}")
    click.echo(f"\n({time.time() - t0:.0f} s)")
    return out
