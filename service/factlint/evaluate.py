"""``factlint eval``: measure the checker on labelled data (never tuned to it, never special-cased).

- seed_claims.jsonl: claims against the seed articles; verdict accuracy per kind.
- sentence pairs, through /v1/compare's logic (hypothesis as claim, premise as evidence):
  vitaminc_numeric_dev (figures that changed), rte3_dev, fever_symmetric_dev: precision, recall and
  accuracy of "contradiction"; mrpc_train: paraphrases flagged (false alarms unless the two really
  state different values: each is listed, with its reading in eval/judged/mrpc-flagged.jsonl);
  breaking_nli_dev: recall by category and entailed pairs flagged.
- false alarms: number-preserving rewordings of BBC corpus sentences made here by rule (``rewordings``).
- the corpus report on ../shared/corpora/bbc: its size per 10,000 sentences, and a fixed random
  sample of its contradictions, each read by a person and labelled in eval/judged/bbc-report.jsonl
  (genuine / change over time / false alarm, with the reason). Labels are keyed by the two
  statements, so a re-run after a change of the rules lists the sampled items nobody read yet.
- the checker's rule on the same corpus: a fixed sample of its sentences checked as claims against
  their neighbours in other articles (what /v1/check and a draft's lint do), and a fixed sample of
  the pairs it flags, read and labelled alike in eval/judged/bbc-checker.jsonl.
"""
from __future__ import annotations

import hashlib
import json
import random
import re
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import click
import numpy as np

from . import progress
from .checker import Checker, article_text, compare_texts, load_nli
from .config import PROJECT_DIR, Settings
from .workspace import Workspace

JUDGED_DIR = PROJECT_DIR / "eval" / "judged"
CACHE_DIR = PROJECT_DIR / "data" / "eval-cache"  # embeddings and the BBC index, rebuilt when missing
SAMPLE = 50  # reported contradictions of the BBC report read by hand
REPORT_TARGET = 40 / 50  # of them genuine or a change over time
REPORT_LABELS = ("genuine", "change over time", "false alarm")


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


class VectorCache:
    """Embeddings of evaluation texts, kept on disk between runs (the rules change, the model does
    not): one .npy per 4,096 texts would be overkill, so one file of all, keyed by text hash."""

    def __init__(self, ws: Workspace, directory: Path | None):
        self.ws = ws
        self.path = directory / f"vectors-{ws.embedder.backend}.npz" if directory else None
        self.vecs: dict[str, np.ndarray] = {}
        if self.path and self.path.is_file():
            with np.load(self.path) as z:
                self.vecs = dict(zip(z["keys"].tolist(), z["vectors"]))
        self.dirty = False

    @staticmethod
    def _key(text: str) -> str:
        return hashlib.sha1(text.encode("utf-8")).hexdigest()

    def encode(self, texts: list[str], desc: str) -> dict[str, np.ndarray]:
        todo = sorted({t for t in texts if self._key(t) not in self.vecs})
        step = 256
        for i in progress.track(range(0, len(todo), step), desc=f"{desc}: embedding", unit="batch"):
            chunk = todo[i:i + step]
            for t, v in zip(chunk, self.ws.embedder.encode_uncached(chunk)):
                self.vecs[self._key(t)] = v
            self.dirty = True
        return {t: self.vecs[self._key(t)] for t in texts}

    def save(self) -> None:
        if self.path and self.dirty:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            keys = list(self.vecs)
            tmp = self.path.with_suffix(".tmp.npz")
            np.savez(tmp, keys=np.array(keys), vectors=np.stack([self.vecs[k] for k in keys]))
            tmp.replace(self.path)


_NLI: dict = {}


def _compare(ws: Workspace, settings: Settings, a: str, b: str, sim: float):
    """/v1/compare's logic, with the NLI cross-encoder when one is configured (loaded once)."""
    key = (settings.nli.model, settings.nli.contradiction_label)
    if key not in _NLI:
        _NLI[key] = load_nli(settings.nli)
    return compare_texts(ws.embedder, settings.check, a, b, sim, nli=_NLI[key], nli_settings=settings.nli)


@dataclass
class PairRun:
    """Every row of a pairs file with what the checker said about it."""

    name: str
    rows: list[dict]
    flagged: list[bool] = field(default_factory=list)
    conflicts: list[list] = field(default_factory=list)

    def metrics(self, where=lambda r: True) -> dict:
        tp = fp = fn = tn = 0
        for r, pred in zip(self.rows, self.flagged):
            if not where(r):
                continue
            gold = r["label"] == "contradiction"
            tp += pred and gold
            fp += pred and not gold
            fn += gold and not pred
            tn += not pred and not gold
        n = tp + fp + fn + tn
        return {"n": n, "tp": tp, "fp": fp, "fn": fn, "flagged": tp + fp,
                "precision": tp / (tp + fp) if tp + fp else 0.0,
                "recall": tp / (tp + fn) if tp + fn else 0.0, "accuracy": (tp + tn) / n if n else 0.0}

    def rate(self, where) -> tuple[int, int]:
        """(flagged, n) among the rows ``where`` holds."""
        sel = [f for r, f in zip(self.rows, self.flagged) if where(r)]
        return sum(sel), len(sel)


def run_pairs(path: Path, settings: Settings, ws: Workspace, cache: VectorCache) -> PairRun:
    rows = _rows(path)
    name = path.stem
    vecs = cache.encode([t for r in rows for t in (r["hypothesis"], r["premise"])], name)
    out = PairRun(name, rows)
    for r in progress.track(rows, desc=f"{name}: comparing", unit="pair"):
        sim = float(np.clip(vecs[r["hypothesis"]] @ vecs[r["premise"]], 0, 1))
        rel, _, conflicts = _compare(ws, settings, r["hypothesis"], r["premise"], sim)
        out.flagged.append(rel == "contradiction")
        out.conflicts.append(conflicts)
    return out


def pairs(path: Path, settings: Settings, ws: Workspace) -> dict:
    """Precision, recall and accuracy of "contradiction" on one pairs file (no embedding cache)."""
    run_ = run_pairs(path, settings, ws, VectorCache(ws, None))
    m = run_.metrics()
    m["entailment_flagged"], m["entailment"] = run_.rate(lambda r: r["label"] == "entailment")
    return m


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


def corpus_files(corpus_dir: Path) -> list[Path]:
    """The articles of a corpus directory (lower-case file names: not its README)."""
    return sorted(p for p in corpus_dir.glob("*.txt") if p.name[0].islower())


def rewordings(corpus_dir: Path, limit: int = 400, seed: int = 7) -> list[tuple[str, str]]:
    """(reworded, original) pairs from sentences with a figure in the BBC corpus: every rule that
    applies is applied, and sentences no rule changes are skipped. Sampled with a fixed seed."""
    from .corpus import read_article
    from .sentences import split_sentences

    files = corpus_files(corpus_dir)
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


def false_alarms(pairs_: list[tuple[str, str]], settings: Settings, ws: Workspace,
                 cache: VectorCache | None = None) -> dict:
    cache = cache or VectorCache(ws, None)
    vecs = cache.encode([t for pair in pairs_ for t in pair], "BBC rewordings")
    flagged = []
    for a, b in pairs_:
        sim = float(np.clip(vecs[a] @ vecs[b], 0, 1))
        rel, _, conflicts = _compare(ws, settings, a, b, sim)
        if rel == "contradiction":
            flagged.append((a, b, conflicts))
    return {"n": len(pairs_), "flagged": len(flagged), "rate": len(flagged) / len(pairs_) if pairs_ else 0.0,
            "examples": flagged[:5]}


# --- judged labels -------------------------------------------------------------------------------

def read_judged(path: Path) -> dict[str, dict]:
    """Labels read by a person, by key (later lines win)."""
    if not path.is_file():
        return {}
    return {r["key"]: r for r in _rows(path)}


def contradiction_key(c) -> str:
    """A report contradiction's key: its kind and its two statements (sentence and disputed words),
    in either order."""
    sides = sorted(f"{s.sentence}\x1f{s.text}" for s in (c.a, c.b))
    return hashlib.sha1("\x1e".join([c.kind, *sides]).encode("utf-8")).hexdigest()[:16]


def sample(items: list, key, n: int = SAMPLE) -> list:
    """A fixed random sample: the ``n`` items whose keys hash lowest. An item keeps its place as long
    as it is reported; a change of the rules only brings in new items or drops gone ones."""
    return sorted(items, key=lambda x: hashlib.sha1(f"sample:{key(x)}".encode()).hexdigest())[:n]


def _bbc_workspace(settings: Settings, corpus_dir: Path, cache_dir: Path) -> Workspace:
    """The BBC corpus indexed once into the cache directory (reindexed when the corpus changes)."""
    files = corpus_files(corpus_dir)
    stamp = hashlib.sha1("\n".join(f"{p.name}:{p.stat().st_size}" for p in files).encode()).hexdigest()[:12]
    data = cache_dir / f"bbc-{stamp}"
    s = settings.model_copy(update={"store": settings.store.model_copy(update={"data_dir": str(data)})})
    ws = Workspace(s)
    if ws.store.count_documents() < len(files):
        chunk = 100
        for i in progress.track(range(0, len(files), chunk), desc="BBC corpus: indexing", unit="100 docs"):
            ws.add_paths(files[i:i + chunk])
    return ws


def bbc_report(settings: Settings, corpus_dir: Path, cache_dir: Path, judged_path: Path) -> dict:
    from .report import build_report

    ws = _bbc_workspace(settings, corpus_dir, cache_dir)
    rep = build_report(ws, settings.check)
    found = [c for f in rep.facts for c in f.contradictions if c.severity == "contradiction"]
    facts = rep.select()
    judged = read_judged(judged_path)
    picked = sample(found, contradiction_key)
    labels = Counter(judged[contradiction_key(c)]["label"] if contradiction_key(c) in judged else "unjudged"
                     for c in picked)
    todo = [c for c in picked if contradiction_key(c) not in judged]
    # every labelled contradiction (of this and earlier states of the rules): how many the report holds
    held = Counter(judged[k]["label"] for k in {contradiction_key(c) for c in found} if k in judged)
    per10k = 10_000 / rep.sentences if rep.sentences else 0.0
    return {"documents": rep.documents, "sentences": rep.sentences, "facts": len(facts),
            "contradictions": len(found), "facts_per_10k": len(facts) * per10k,
            "contradictions_per_10k": len(found) * per10k, "by_kind": dict(Counter(c.kind for c in found)),
            "sample": len(picked), "labels": dict(labels), "todo": todo,
            "judged": dict(Counter(r["label"] for r in judged.values())), "judged_held": dict(held)}


CHECKER_SENTENCES = 3000  # BBC sentences checked as claims against their neighbours (a fixed sample)
CHECKER_SAMPLE = 40  # of the pairs they conflict with, read by hand


@dataclass(frozen=True)
class FlaggedPair:
    """A corpus sentence checked as a claim, a related sentence of another article, and what the
    checker's rule holds against it (kind, the claim's words, the evidence's words)."""

    claim: str
    evidence: str
    similarity: float
    conflicts: tuple[tuple[str, str, str], ...]

    @property
    def key(self) -> str:
        """The two sentences, in either order (a pair flagged both ways is one)."""
        return hashlib.sha1("\x1e".join(sorted((self.claim, self.evidence))).encode("utf-8")).hexdigest()[:16]


def checker_pairs(ws: Workspace, settings: Settings, ids: list[int],
                  vectors: np.ndarray) -> tuple[int, list[FlaggedPair]]:
    """The sentences ``ids`` of the corpus (their stored ``vectors``, row for row) checked as claims,
    each against its related sentences of other articles as ``/v1/check`` retrieves them: (pairs
    compared, the pairs a contradiction stands against, one per pair of sentences). The checker's
    rule (``Checker.conflicts``, the evidence's article at hand and the claim's own article as the
    draft it stands in, as a draft's lint checks it), not the corpus report's, which asks more of
    two articles' own statements."""
    from .compare import comparable, is_contradiction
    from .models import iso_date

    rows = ws.store.sentences_by_id(ids)
    kept = [p for p, sid in enumerate(ids) if sid in rows]
    ids, vectors = [ids[p] for p in kept], vectors[kept]
    checker = Checker(ws, settings.check)
    compared, found = 0, {}
    # every article, read once: the evidence's, and each claim's own as the draft it stands in
    articles: dict[str, str | None] = {d.id: article_text(d) for d in ws.store.documents()}
    for i in progress.track(range(0, len(ids), 512), desc="BBC checker sample: comparing", unit="batch"):
        chunk = ids[i:i + 512]
        related = checker.retrieve(vectors[i:i + 512], settings.check.top_k * 2)
        for sid, evs in zip(chunk, related):
            sent, doc = rows[sid]
            day = iso_date(doc.published)
            for ev in [ev for ev in evs if ev.doc_id != doc.id][:settings.check.top_k]:
                compared += 1
                near = comparable(sent.text, ev.sentence, ev.similarity, settings.check)
                cs = [c for c in checker.conflicts(sent.text, ev, day, articles, articles[doc.id])
                      if is_contradiction(c, settings.check, ev.similarity, near)]
                if cs:
                    pair = FlaggedPair(sent.text, ev.sentence, ev.similarity,
                                       tuple((c.kind, c.claim_text, c.evidence_text) for c in cs))
                    found.setdefault(pair.key, pair)
    return compared, list(found.values())


def bbc_checker(settings: Settings, corpus_dir: Path, cache_dir: Path, judged_path: Path) -> dict:
    """The checker's rule on real text: a fixed random sample of the BBC corpus's sentences checked
    as claims against their neighbours in other articles, and a fixed sample of the pairs it flags,
    each read by a person (``judged_path``: genuine / change over time / false alarm)."""
    ws = _bbc_workspace(settings, corpus_dir, cache_dir)
    id_array, vectors = ws.store.vectors(ws.embedder.dim)
    at = {int(sid): p for p, sid in enumerate(id_array)}
    ids = sorted(random.Random(7).sample(sorted(at), min(CHECKER_SENTENCES, len(at))))
    compared, flagged = checker_pairs(ws, settings, ids, vectors[[at[sid] for sid in ids]])
    judged = read_judged(judged_path)
    picked = sample(flagged, lambda p: p.key, CHECKER_SAMPLE)
    labels = Counter(judged[p.key]["label"] if p.key in judged else "unjudged" for p in picked)
    return {"sentences": len(ids), "pairs": compared, "flagged": len(flagged), "sample": len(picked),
            "labels": dict(labels), "todo": [p for p in picked if p.key not in judged]}


def todo_row(c) -> dict:
    """An unread sampled contradiction, as a line to label (label and reason left empty)."""
    return {"key": contradiction_key(c), "label": "", "reason": "", "kind": c.kind, "message": c.message,
            "a": {"title": c.a.title, "sentence": c.a.sentence, "text": c.a.text},
            "b": {"title": c.b.title, "sentence": c.b.sentence, "text": c.b.text}}


# --- the run -------------------------------------------------------------------------------------

def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def run(eval_dir: Path, settings: Settings, cache_dir: Path | None = CACHE_DIR,
        judged_dir: Path = JUDGED_DIR) -> dict:
    t0 = time.time()
    echo = click.echo
    out: dict = {}
    with tempfile.TemporaryDirectory(prefix="factlint-eval-") as tmp:
        model = settings.model
        if cache_dir and not model.onnx_dir:  # one ONNX export for every run, not one per temp dir
            model = model.model_copy(update={"onnx_dir": str(cache_dir / "onnx")})
        settings = settings.model_copy(update={
            "store": settings.store.model_copy(update={"data_dir": tmp}), "model": model})
        ws = Workspace(settings)
        cache = VectorCache(ws, cache_dir)
        ws.add_paths([PROJECT_DIR / "seeds"])
        seeds = seed_claims(eval_dir, settings, ws)
        echo(f"seed claims ({eval_dir / 'seed_claims.jsonl'}): {seeds['right']}/{seeds['total']} right")
        echo(f"  {'kind':<12} {'right':>5} {'total':>5}")
        for kind, (right, total) in sorted(seeds["per_kind"].items()):
            echo(f"  {kind:<12} {right:>5} {total:>5}")
        for r, got in seeds["wrong"]:
            echo(f"  wrong: [{r['kind']}] expected {r['expect']}, got {got}: {r['claim']}")
        out["seed_claims"] = {k: v for k, v in seeds.items() if k != "wrong"}

        runs = {}
        for name in ("vitaminc_numeric_dev", "rte3_dev", "fever_symmetric_dev", "breaking_nli_dev", "mrpc_train"):
            if (eval_dir / f"{name}.jsonl").is_file():
                runs[name] = run_pairs(eval_dir / f"{name}.jsonl", settings, ws, cache)
        cache.save()

        echo(f"\n{'pairs: contradiction':<24} {'n':>5} {'flagged':>7} {'precision':>9} {'recall':>7} "
             f"{'accuracy':>8}  target")
        targets = {"vitaminc_numeric_dev": "accuracy >= 0.86", "rte3_dev": "precision >= 0.6",
                   "fever_symmetric_dev": "precision >= 0.9, recall >= 0.4",
                   "breaking_nli_dev": "recall >= 0.6"}
        for name in ("vitaminc_numeric_dev", "rte3_dev", "fever_symmetric_dev", "breaking_nli_dev"):
            if name in runs:
                m = runs[name].metrics()
                out[name] = m
                echo(f"{name:<24} {m['n']:>5} {m['flagged']:>7} {m['precision']:>9.3f} {m['recall']:>7.3f} "
                     f"{m['accuracy']:>8.3f}  {targets[name]}")

        if "breaking_nli_dev" in runs:
            bn = runs["breaking_nli_dev"]
            echo(f"\nbreaking_nli_dev by category    {'contradictions':>14} {'found':>5} {'recall':>6}"
                 f"  {'entailed':>8} {'flagged':>7}")
            cats = sorted({r["category"] for r in bn.rows})
            out["breaking_nli_by_category"] = {}
            for cat in cats:
                m = bn.metrics(lambda r, c=cat: r["category"] == c)
                ef, en = bn.rate(lambda r, c=cat: r["category"] == c and r["label"] == "entailment")
                out["breaking_nli_by_category"][cat] = {"recall": m["recall"], "tp": m["tp"],
                                                        "contradictions": m["tp"] + m["fn"],
                                                        "entailed": en, "entailed_flagged": ef}
                echo(f"  {cat:<30} {m['tp'] + m['fn']:>14} {m['tp']:>5} {m['recall']:>6.3f}  {en:>8} {ef:>7}")

        echo(f"\n{'false alarms (should not be flagged)':<44} {'n':>5} {'flagged':>7} {'rate':>6}  target")
        alarms = []
        if "vitaminc_numeric_dev" in runs:
            alarms.append(("VitaminC entailment pairs", runs["vitaminc_numeric_dev"],
                           lambda r: r["label"] == "entailment", "< 3%"))
        if "breaking_nli_dev" in runs:
            alarms.append(("Breaking NLI entailed pairs", runs["breaking_nli_dev"],
                           lambda r: r["label"] == "entailment", "<= 1%"))
        if "fever_symmetric_dev" in runs:
            alarms.append(("FEVER-Symmetric supported claims", runs["fever_symmetric_dev"],
                           lambda r: r["label"] == "entailment", ""))
        if "mrpc_train" in runs:
            alarms.append(("MRPC paraphrases", runs["mrpc_train"], lambda r: r.get("paraphrase") == 1, "<= 3%"))
            alarms.append(("MRPC non-paraphrases (for reading)", runs["mrpc_train"],
                           lambda r: r.get("paraphrase") == 0, ""))
        for label, run_, where, target in alarms:
            f, n = run_.rate(where)
            out[f"alarms: {label}"] = {"n": n, "flagged": f}
            echo(f"{label:<44} {n:>5} {f:>7} {f / (n or 1):>6.3f}  {target}")
        bbc = eval_dir.parent / "corpora" / "bbc"
        if bbc.is_dir():
            fa = false_alarms(rewordings(bbc), settings, ws, cache)
            out["bbc_rewordings"] = {k: v for k, v in fa.items() if k != "examples"}
            echo(f"{'BBC number-preserving rewordings':<44} {fa['n']:>5} {fa['flagged']:>7} {fa['rate']:>6.3f}  < 3%")
            for a, b, cs in fa["examples"]:
                echo(f"  flagged: {a!r} vs {b!r}: {[(c.claim_text, c.evidence_text) for c in cs]}")
        cache.save()

        out["finding_precision"] = _kind_precision([runs[n] for n in ("vitaminc_numeric_dev", "rte3_dev",
                                                                       "fever_symmetric_dev", "breaking_nli_dev")
                                                    if n in runs], settings, echo)
        if "mrpc_train" in runs:
            _mrpc_listing(runs["mrpc_train"], settings, judged_dir / "mrpc-flagged.jsonl", echo, out)

    if bbc.is_dir() and cache_dir:
        rep = bbc_report(settings, bbc, cache_dir, judged_dir / "bbc-report.jsonl")
        out["bbc_report"] = {k: v for k, v in rep.items() if k != "todo"}
        echo(f"\ncorpus report on {bbc}: {rep['documents']} documents, {rep['sentences']:,} sentences")
        echo(f"  {rep['facts']} disputed facts, {rep['contradictions']} contradictions: "
             f"{rep['facts_per_10k']:.1f} facts and {rep['contradictions_per_10k']:.1f} contradictions "
             f"per 10,000 sentences; by kind {rep['by_kind']}")
        lab = rep["labels"]
        good = lab.get("genuine", 0) + lab.get("change over time", 0)
        echo(f"  judged sample of {rep['sample']} contradictions (eval/judged/bbc-report.jsonl): "
             + ", ".join(f"{lab.get(k, 0)} {k}" for k in (*REPORT_LABELS, "unjudged"))
             + f"; genuine or change over time {good}/{rep['sample']} = {good / (rep['sample'] or 1):.0%}"
             + f" (target >= 40 of 50 = {REPORT_TARGET:.0%}"
             + (", the whole report: it holds fewer than 50)" if rep["sample"] < SAMPLE else ")"))
        jl, jh = rep["judged"], rep["judged_held"]
        jgood, hgood = (sum(d.get(k, 0) for k in ("genuine", "change over time")) for d in (jl, jh))
        echo(f"  of all {sum(jl.values())} contradictions ever labelled ({jgood} genuine or change over time, "
             f"{jl.get('false alarm', 0)} false alarms), the report holds {hgood} and {jh.get('false alarm', 0)}")
        if rep["todo"]:
            todo = judged_dir / "bbc-report.todo.jsonl"
            todo.parent.mkdir(parents=True, exist_ok=True)
            todo.write_text("".join(json.dumps(todo_row(c), ensure_ascii=False) + "\n" for c in rep["todo"]),
                            encoding="utf-8")
            echo(f"  {len(rep['todo'])} sampled contradictions are new and need reading: {todo}")
        chk = bbc_checker(settings, bbc, cache_dir, judged_dir / "bbc-checker.jsonl")
        out["bbc_checker"] = {k: v for k, v in chk.items() if k != "todo"}
        lab = chk["labels"]
        good = lab.get("genuine", 0) + lab.get("change over time", 0)
        echo(f"\nthe checker's rule on {chk['sentences']:,} BBC sentences checked as claims against their "
             f"neighbours in other articles: {chk['flagged']:,} of {chk['pairs']:,} pairs flagged "
             f"({_pct(chk['flagged'] / (chk['pairs'] or 1))})")
        echo(f"  judged sample of {chk['sample']} flagged pairs (eval/judged/bbc-checker.jsonl): "
             + ", ".join(f"{lab.get(k, 0)} {k}" for k in (*REPORT_LABELS, "unjudged"))
             + f"; genuine or change over time {good}/{chk['sample']}")
        if chk["todo"]:
            todo = judged_dir / "bbc-checker.todo.jsonl"
            todo.write_text("".join(json.dumps({"key": p.key, "label": "", "reason": "", "claim": p.claim,
                                                "evidence": p.evidence, "conflicts": p.conflicts},
                                               ensure_ascii=False) + "\n" for p in chk["todo"]), encoding="utf-8")
            echo(f"  {len(chk['todo'])} sampled pairs are new and need reading: {todo}")
    echo(f"\n({time.time() - t0:.0f} s)")
    return out


def _kind_precision(runs: list[PairRun], settings: Settings, echo) -> dict:
    """Of the labelled pairs flagged, how many were contradictions, by the kind of finding that
    flagged them (the confidences in the README's table)."""
    from .compare import is_contradiction

    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for run_ in runs:
        for r, flagged, cs in zip(run_.rows, run_.flagged, run_.conflicts):
            if not flagged:
                continue
            for kind in {c.kind for c in cs if is_contradiction(c, settings.check)}:
                counts[kind][0] += r["label"] == "contradiction"
                counts[kind][1] += 1
    echo(f"\nfindings that flagged a pair ({', '.join(r.name for r in runs)})   right / flagged  precision")
    for kind, (right, n) in sorted(counts.items()):
        echo(f"  {kind:<12} {right:>6} / {n:<6} {right / n:.3f}")
    return {k: {"right": v[0], "flagged": v[1]} for k, v in counts.items()}


def _mrpc_listing(run_: PairRun, settings: Settings, judged_path: Path, echo, out: dict) -> None:
    """Every flagged MRPC paraphrase, with its reading when one was recorded (a real difference of
    value, or a false alarm)."""
    judged = read_judged(judged_path)
    listed = [(r, cs) for r, f, cs in zip(run_.rows, run_.flagged, run_.conflicts) if f and r.get("paraphrase") == 1]
    readings = Counter(judged.get(r["id"], {}).get("label", "unjudged") for r, _ in listed)
    out["mrpc_flagged_readings"] = dict(readings)
    echo(f"\nMRPC paraphrases flagged ({len(listed)}; readings in {judged_path.name}: "
         + ", ".join(f"{n} {k}" for k, n in sorted(readings.items())) + ")")
    from .compare import is_contradiction
    for r, cs in listed:
        said = "; ".join(f"{c.kind}: {c.claim_text!r} / {c.evidence_text!r}" for c in cs
                         if is_contradiction(c, settings.check))
        reading = judged.get(r["id"], {})
        echo(f"  {r['id']} [{reading.get('label', 'unjudged')}] {said}")
