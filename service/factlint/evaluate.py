"""``factlint eval``: measure the checker on labelled data (never tuned to it, never special-cased).

- seed_claims.jsonl: claims against the seed articles; verdict accuracy per kind.
- vitaminc_numeric_dev.jsonl, rte3_dev.jsonl: sentence pairs; precision, recall and accuracy of
  "contradiction" through /v1/compare's logic (hypothesis as claim, premise as evidence).
- false alarms: the share of pairs that should not be flagged but are: VitaminC entailment pairs
  (rewordings that keep or bound the figures), and number-preserving rewordings of BBC corpus
  sentences made here by rule (see ``rewordings``).
"""
from __future__ import annotations

import json
import random
import re
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import click
import numpy as np

from .checker import Checker, compare_texts, load_nli
from .config import PROJECT_DIR, Settings
from .workspace import Workspace


def _rows(path: Path) -> list[dict]:
    if not path.is_file():
        raise FileNotFoundError(f"evaluation file not found: {path}")
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def seed_claims(eval_dir: Path, settings: Settings, ws: Workspace) -> dict:
    checker = Checker.configured(ws, settings)
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


_NLI: dict = {}


def _compare(ws: Workspace, settings: Settings, a: str, b: str, sim: float):
    """/v1/compare's logic, with the NLI cross-encoder when one is configured (loaded once)."""
    key = (settings.nli.model, settings.nli.contradiction_label)
    if key not in _NLI:
        _NLI[key] = load_nli(settings.nli)
    return compare_texts(ws.embedder, settings.check, a, b, sim, nli=_NLI[key], nli_settings=settings.nli)


def pairs(path: Path, settings: Settings, ws: Workspace) -> dict:
    rows = _rows(path)
    texts = sorted({t for r in rows for t in (r["hypothesis"], r["premise"])})
    vecs = dict(zip(texts, ws.embedder.encode(texts)))
    tp = fp = fn = tn = 0
    entail = entail_flagged = 0
    for r in rows:
        sim = float(np.clip(vecs[r["hypothesis"]] @ vecs[r["premise"]], 0, 1))
        rel, _, _ = _compare(ws, settings, r["hypothesis"], r["premise"], sim)
        pred, gold = rel == "contradiction", r["label"] == "contradiction"
        tp += pred and gold
        fp += pred and not gold
        fn += gold and not pred
        tn += not pred and not gold
        entail += r["label"] == "entailment"
        entail_flagged += pred and r["label"] == "entailment"
    n = tp + fp + fn + tn
    return {"n": n, "precision": tp / (tp + fp) if tp + fp else 0.0, "recall": tp / (tp + fn) if tp + fn else 0.0,
            "accuracy": (tp + tn) / n if n else 0.0, "flagged": tp + fp,
            "entailment": entail, "entailment_flagged": entail_flagged}


# Rewordings that keep every figure: formats of the same number, and wording that says the same.
_REWORDS = [
    (re.compile(r"(\d),(\d{3})\b"), r"\1\2"),                       # 5,000 -> 5000
    (re.compile(r"(\d)%"), r"\1 per cent"),                           # 5% -> 5 per cent
    (re.compile(r"([$£€])(\d+(?:\.\d+)?)m\b"), r"\1\2 million"),       # £5m -> £5 million
    (re.compile(r"([$£€])(\d+(?:\.\d+)?)bn\b"), r"\1\2 billion"),
    (re.compile(r"\bsaid\b"), "stated"),
    (re.compile(r"\bcompany\b"), "firm"),
    (re.compile(r"\bbut\b"), "however"),
    (re.compile(r"\babout\b"), "around"),
    (re.compile(r"\bnearly\b"), "almost"),
    (re.compile(r"\bmore than\b"), "over"),
    (re.compile(r"\bbegan\b"), "started"),
    (re.compile(r"\bbuy\b"), "purchase"),
]


def rewordings(corpus_dir: Path, limit: int = 400, seed: int = 7) -> list[tuple[str, str]]:
    """(reworded, original) pairs from sentences with a figure in the BBC corpus: every rule that
    applies is applied, and sentences no rule changes are skipped. Sampled with a fixed seed."""
    from .corpus import read_article
    from .sentences import split_sentences

    files = sorted(p for p in corpus_dir.glob("*.txt") if p.name[0].islower())
    random.Random(seed).shuffle(files)
    out: list[tuple[str, str]] = []
    for path in files:
        doc = read_article(path)
        for sent in split_sentences(doc):
            text = sent.text
            if not re.search(r"\d", text) or len(text) > 300:
                continue
            new = text
            for pattern, repl in _REWORDS:
                new = pattern.sub(repl, new)
            if new != text:
                out.append((new, text))
                break
        if len(out) >= limit:
            break
    return out


def false_alarms(pairs_: list[tuple[str, str]], settings: Settings, ws: Workspace) -> dict:
    texts = sorted({t for pair in pairs_ for t in pair})
    vecs = dict(zip(texts, ws.embedder.encode(texts)))
    flagged = []
    for a, b in pairs_:
        sim = float(np.clip(vecs[a] @ vecs[b], 0, 1))
        rel, _, conflicts = _compare(ws, settings, a, b, sim)
        if rel == "contradiction":
            flagged.append((a, b, conflicts))
    return {"n": len(pairs_), "flagged": len(flagged), "rate": len(flagged) / len(pairs_) if pairs_ else 0.0,
            "examples": flagged[:5]}


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
        click.echo(f"\n{'false alarms (should not be flagged)':<40} {'n':>5} {'flagged':>7} {'rate':>6}")
        vc = out.get("vitaminc_numeric_dev.jsonl")
        if vc:
            rate = vc["entailment_flagged"] / vc["entailment"] if vc["entailment"] else 0.0
            click.echo(f"{'VitaminC entailment pairs':<40} {vc['entailment']:>5} {vc['entailment_flagged']:>7} {rate:>6.3f}")
        bbc = eval_dir.parent / "corpora" / "bbc"
        if bbc.is_dir():
            fa = false_alarms(rewordings(bbc), settings, ws)
            out["bbc_rewordings"] = {k: v for k, v in fa.items() if k != "examples"}
            click.echo(f"{'BBC number-preserving rewordings':<40} {fa['n']:>5} {fa['flagged']:>7} {fa['rate']:>6.3f}")
            for a, b, cs in fa["examples"]:
                click.echo(f"  flagged: {a!r} vs {b!r}: {[(c.claim_text, c.evidence_text) for c in cs]}")
    click.echo(f"\n({time.time() - t0:.0f} s)")
    return out
