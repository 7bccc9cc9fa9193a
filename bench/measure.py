"""Measurements: machine peak, encoder (and its ONNX Runtime options), ingest, served index and
in-process checks, memory, HTTP latency and worker scaling, CLI. Every function returns a dict with
the load average (1 min) at its start, ``load``: the machine is shared and timings are noisy."""
from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent


def pct(values: list[float], p: float) -> float:
    return float(np.percentile(np.asarray(values), p)) if values else float("nan")


def recall_with_ties(queries: np.ndarray, vectors: np.ndarray, truth_scores: np.ndarray,
                     got_rows: np.ndarray, k: int = 10) -> float:
    """recall@k that counts a returned sentence as right when its exact similarity to the query is
    at least the exact k-th best's: a corpus with duplicate sentences (BBC repeats itself, and the
    grown corpora copy some sentences exactly) has ties, and an index returning another copy of a
    tied vector than exact search happened to list is not wrong. ``got_rows`` are row numbers of
    ``vectors`` (-1 = none)."""
    hits = 0
    for q, kth, rows in zip(queries, truth_scores[:, k - 1], got_rows):
        rows = np.unique(rows[:k][rows[:k] >= 0])
        hits += min(k, int((vectors[rows] @ q >= kth - 1e-5).sum()))
    return hits / (k * len(queries))


def load() -> float:
    """The 1-minute load average, logged with every measurement."""
    return round(os.getloadavg()[0], 2)


def sgemm_peak(n: int = 1024, repeats: int = 7) -> dict:
    """The machine's float32 matrix-multiply peak (numpy's BLAS on every core), best of ``repeats``:
    what the encoder's GFLOP/s are measured against."""
    rng = np.random.default_rng(0)
    a, b = (rng.standard_normal((n, n), dtype=np.float32) for _ in range(2))
    a @ b
    best = min(_timed(lambda: a @ b) for _ in range(repeats))
    return {"gflops": 2 * n ** 3 / best / 1e9, "n": n, "load": load()}


class Flops:
    """FLOPs of the model's transformer for sentences of given token counts (multiply-adds of the
    projections and feed-forward layers, attention scores and weighted sums; no padding counted)."""

    def __init__(self, model_name: str):
        from factlint.embeddings import resolve_model
        from factlint.encoders.pipeline import model_dir, read_pipeline
        from tokenizers import Tokenizer

        pipe = read_pipeline(model_dir(resolve_model(model_name)))
        conf = json.loads((pipe.transformer_dir / "config.json").read_text())
        self.layers, self.h = conf["num_hidden_layers"], conf["hidden_size"]
        self.ff = conf.get("intermediate_size", 4 * self.h)
        self.tokenizer = Tokenizer.from_file(str(pipe.tokenizer_file))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_length=pipe.max_seq_length)

    def of(self, texts: list[str]) -> float:
        lengths = np.array([len(e.ids) for e in self.tokenizer.encode_batch(list(texts))], dtype=np.float64)
        per_layer = 2 * lengths * (4 * self.h ** 2 + 2 * self.h * self.ff) + 4 * lengths ** 2 * self.h
        return float(self.layers * per_layer.sum())


def encoder(embedder, texts: list[str], singles: int, flops: Flops | None = None) -> dict:
    """Raw encoder: batch throughput on ``texts`` and single-sentence latency (no cache); with
    ``flops``, the GFLOP/s both achieve."""
    at = load()
    embedder.encode_uncached(texts[:32])  # warm up
    secs = _timed(lambda: embedder.encode_uncached(texts))
    lat = []
    for t in texts[:singles]:
        lat.append(_timed(lambda: embedder.encode_uncached([t])))
    out = {"sentences": len(texts), "seconds": secs, "sentences_per_s": len(texts) / secs,
           "single_ms_p50": pct(lat, 50) * 1000, "single_ms_p99": pct(lat, 99) * 1000, "load": at}
    if flops:
        out["batch_gflops"] = flops.of(texts) / secs / 1e9
        out["single_gflops"] = float(np.median([flops.of([t]) / x for t, x in zip(texts, lat)])) / 1e9
    return out


def encoder_options(variants: dict, singles: list[str], batch: list[str], rounds: int,
                    flops: Flops, reference: np.ndarray | None = None) -> dict:
    """ONNX Runtime session options side by side: ``variants`` maps a name to an Embedder. In each
    of ``rounds`` rounds every variant (in turn, alternated) encodes each of ``singles`` alone and
    ``batch`` in one call; the medians over rounds are kept, and each variant's minimum cosine to
    ``reference`` (the torch vectors of ``batch``) when given."""
    one: dict = {k: [] for k in variants}
    many: dict = {k: [] for k in variants}
    loads = []
    for emb in variants.values():
        emb.encode_uncached(batch[:8])
    for r in range(rounds):
        loads.append(load())
        names = list(variants) if r % 2 == 0 else list(variants)[::-1]
        for name in names:
            emb = variants[name]
            one[name].append(median([_timed(lambda t=t: emb.encode_uncached([t])) for t in singles]))
            many[name].append(_timed(lambda: emb.encode_uncached(batch)))
    f_one = float(np.median([flops.of([t]) for t in singles]))
    f_batch = flops.of(batch)
    out = {}
    for name, emb in variants.items():
        o, m = median(one[name]), median(many[name])
        row = {"single_ms_p50": o * 1000, "batch_claims_per_s": len(batch) / m,
               "single_gflops": f_one / o / 1e9, "batch_gflops": f_batch / m / 1e9}
        if reference is not None:
            row["min_cosine_vs_torch"] = float((emb.encode_uncached(batch) * reference).sum(1).min())
        out[name] = row
    return {"variants": out, "rounds": rounds, "singles": len(singles), "batch": len(batch), "loads": loads}


def ingest(settings_for, embedder, files: list[Path], flops: Flops | None = None) -> dict:
    """What `factlint index FILES` does (Workspace.add_paths: read, split, encode, SQLite, index,
    save), in-process on real article files, against the raw encoder on exactly the same sentences,
    alternated (raw, index, raw, index, raw; each index run into a fresh directory): the ratio of the
    medians is the pipeline's overhead."""
    from factlint.corpus import read_article
    from factlint.sentences import split_sentences
    from factlint.workspace import Workspace

    at = load()
    texts = [s.text for f in files for s in split_sentences(read_article(f))]
    embedder.encode_uncached(texts[:32])
    raw, runs = [], []
    with tempfile.TemporaryDirectory(prefix="factlint-bench-ingest-") as tmp:
        for i in range(2):
            raw.append(_timed(lambda: embedder.encode_uncached(texts)))
            ws = Workspace(settings_for(Path(tmp) / f"data-{i}"), embedder=embedder)
            embedder._cache.clear()
            runs.append(_timed(lambda: ws.add_paths(files)))
        raw.append(_timed(lambda: embedder.encode_uncached(texts)))
    secs, rsecs = median(runs), median(raw)
    out = {"documents": len(files), "sentences": len(texts), "seconds": secs,
           "sentences_per_s": len(texts) / secs, "raw_encoder_seconds": rsecs,
           "raw_encoder_sentences_per_s": len(texts) / rsecs, "ratio": rsecs / secs, "load": at}
    if flops:
        out["ingest_gflops"] = flops.of(texts) / secs / 1e9
    return out


def _timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def served_search(index, queries: np.ndarray, k: int = 10) -> dict:
    """One query at a time through the VectorIndex interface (its thread policy: one thread for one
    query), after a warm-up pass that touches a mapped index's pages; and the whole set in one call."""
    for q in queries[:20]:
        index.search(q[None, :], k)
    lat = [_timed(lambda q=q: index.search(q[None, :], k)) for q in queries]
    batch = _timed(lambda: index.search(queries, k))
    return {"search_ms_p50": pct(lat, 50) * 1000, "search_ms_p99": pct(lat, 99) * 1000,
            "batch_ms_per_query": batch / len(queries) * 1000}


def check_breakdown(ws, claims: list[str], batch: int = 64) -> dict:
    """In-process /v1/check work per claim on the workspace's (served) index, without HTTP: the
    encoder, the index search, and the rest (SQLite evidence rows, analyzers, verdict) =
    Checker.check total - encoder - search; then Checker.check_many on ``batch`` claims against the
    raw encoder on the same claims (alternated, medians of 3), split into its encoding and retrieval."""
    from factlint.checker import Checker

    at = load()
    checker = Checker(ws, ws.settings.check)
    enc, search, total = [], [], []
    for c in claims:
        t0 = time.perf_counter()
        v = ws.embedder.encode_uncached([c])
        t1 = time.perf_counter()
        ws.index.search(v, ws.settings.check.top_k)
        t2 = time.perf_counter()
        ws.embedder._cache.clear()
        checker.check(c)
        t3 = time.perf_counter()
        enc.append(t1 - t0)
        search.append(t2 - t1)
        total.append(t3 - t2)
    group = claims[:batch]
    raw, many, retrieve = [], [], []
    for _ in range(3):
        raw.append(_timed(lambda: ws.embedder.encode_uncached(group)))
        ws.embedder._cache.clear()
        many.append(_timed(lambda: checker.check_many(group)))
        vecs = ws.embedder.encode_uncached(group)
        retrieve.append(_timed(lambda: checker.retrieve(vecs, ws.settings.check.top_k)))
    return {"encode_ms_p50": pct(enc, 50) * 1000, "search_ms_p50": pct(search, 50) * 1000,
            "check_ms_p50": pct(total, 50) * 1000, "check_ms_p99": pct(total, 99) * 1000,
            "rest_ms_p50": (pct(total, 50) - pct(enc, 50) - pct(search, 50)) * 1000,
            "batch": len(group), "batch_raw_encoder_claims_per_s": len(group) / median(raw),
            "batch_check_many_claims_per_s": len(group) / median(many),
            "batch_retrieve_ms": median(retrieve) * 1000, "load": at}


def rss_kb(pid: int | str = "self") -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


MEMORY_SCRIPT = r"""
import json, sys, time
import numpy as np
from bench.measure import rss_kb
from factlint.config import load_settings
from factlint.embeddings import Embedder
from factlint.workspace import Workspace
settings = load_settings(store={"data_dir": sys.argv[1]})
emb = Embedder.from_settings(settings.model)
q = np.load(sys.argv[2])
emb.encode(["warm up the encoder"])
before = rss_kb()
t0 = time.perf_counter()
ws = Workspace(settings, embedder=emb)
load = time.perf_counter() - t0
after_load = rss_kb()
for i in range(0, len(q), 1):
    ws.index.search(q[i:i + 1], 10)
after = rss_kb()
print(json.dumps({"load_seconds": load, "rss_model_kb": before, "rss_after_load_kb": after_load,
                  "rss_after_queries_kb": after, "kind": ws.index.kind, "count": len(ws.index)}))
"""


def memory_and_load(data_dir: Path, queries: np.ndarray, env: dict) -> dict:
    """In a fresh process: RSS with the model loaded, then after opening the workspace (index load)
    and running the queries; the growth is what the index costs in memory."""
    qfile = data_dir.parent / "queries.npy"
    np.save(qfile, queries)
    out = subprocess.run([sys.executable, "-c", MEMORY_SCRIPT, str(data_dir), str(qfile)], cwd=ROOT,
                         env={**os.environ, **env}, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


class Server:
    def __init__(self, data_dir: Path, workers: int, env: dict):
        import socket

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(data_dir.parent / f"server-{self.port}.log", "w+")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "factlint", "serve", "--port", str(self.port), "--workers",
             str(workers), "--data-dir", str(data_dir)], cwd=ROOT, stdout=self.log,
            stderr=subprocess.STDOUT, env={**os.environ, **env}, start_new_session=True)

    def wait_ready(self, timeout: float = 600) -> float:
        import requests

        t0 = time.perf_counter()
        while time.perf_counter() - t0 < timeout:
            if self.proc.poll() is not None:
                raise RuntimeError("server exited; see " + self.log.name)
            try:
                if requests.get(self.url + "/readyz", timeout=2).status_code == 200:
                    return time.perf_counter() - t0
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise TimeoutError("server not ready; see " + self.log.name)

    def stop(self) -> None:
        import signal

        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.log.close()


def floor_of(embedder, index, k: int = 10):
    """The floor of one check, for a claim: (the encoder on it alone, one search of ``index``), in s."""
    def floor(claim: str) -> tuple[float, float]:
        t0 = time.perf_counter()
        v = embedder.encode_uncached([claim])
        t1 = time.perf_counter()
        index.search(v, k)
        return t1 - t0, time.perf_counter() - t1
    return floor


def http(data_dir: Path, workers: int, claims: list[str], env: dict, sequential: int,
         per_level: int, levels: tuple[int, ...] = (1, 2, 4), batches: int = 3, batch: int = 64,
         embedder=None, floor=None) -> dict:
    """/v1/check through gunicorn (the config in the tree), every request with a claim the server has
    not seen (no cache hits) except where said: sequential latency, each request alternated with
    ``floor(claim)`` in this process (the encoder on the same claim + one in-memory search: the
    floor, measured at the same moments); the same claims again (cache hits); claims/s with c
    client threads for each c in ``levels``; /v1/check/batch with ``batch`` claims per request, each
    batch alternated with ``embedder``'s raw encoding of the same claims (the floor of a batch).
    Needs 4*workers + sequential + len(levels)*per_level + batches*batch distinct claims."""
    import requests

    srv = Server(data_dir, workers, env)
    try:
        ready = srv.wait_ready()
        sess = requests.Session()
        at = load()
        todo = iter(claims)
        take = lambda n: [next(todo) for _ in range(n)]  # noqa: E731
        for c in take(4 * workers):  # warm every worker
            sess.post(srv.url + "/v1/check", json={"claim": c}).raise_for_status()
        seq_claims = take(sequential)
        lat, enc, search = [], [], []
        for c in seq_claims:
            lat.append(_timed(lambda c=c: sess.post(srv.url + "/v1/check", json={"claim": c}).raise_for_status()))
            if floor is not None:
                e, s = floor(c)
                enc.append(e)
                search.append(s)
        again = [_timed(lambda c=c: sess.post(srv.url + "/v1/check", json={"claim": c}).raise_for_status())
                 for c in seq_claims[: max(1, sequential // 2)]]
        local = __import__("threading").local()

        def one(c):
            s = getattr(local, "s", None) or requests.Session()
            local.s = s
            s.post(srv.url + "/v1/check", json={"claim": c}).raise_for_status()

        scaling = {}
        for level in levels:
            group, level_load = take(per_level), load()
            with ThreadPoolExecutor(level) as pool:
                secs = _timed(lambda: list(pool.map(one, group)))
            scaling[str(level)] = {"claims_per_s": len(group) / secs, "load": level_load}
        served, raw = [], []
        for _ in range(batches):
            group = take(batch)
            served.append(_timed(lambda: sess.post(srv.url + "/v1/check/batch",
                                                   json={"claims": group}).raise_for_status()))
            if embedder is not None:
                raw.append(_timed(lambda: embedder.encode_uncached(group)))
        rss = sum(rss_kb(p) for p in _children(srv.proc.pid))
        out = {"workers": workers, "ready_seconds": ready, "load": at,
               "check_ms_p50": pct(lat, 50) * 1000, "check_ms_p99": pct(lat, 99) * 1000,
               "check_cached_ms_p50": pct(again, 50) * 1000, "sequential_requests": len(lat),
               "scaling": scaling, "batch_size": batch, "batch_claims_per_s": batch / median(served),
               "server_rss_kb": rss}
        if raw:
            out["batch_raw_encoder_claims_per_s"] = batch / median(raw)
        if enc:
            out.update(encoder_ms_p50=pct(enc, 50) * 1000, search_ms_p50=pct(search, 50) * 1000,
                       floor_ms_p50=pct([a + b for a, b in zip(enc, search)], 50) * 1000)
        return out
    finally:
        srv.stop()


def _children(pid: int) -> list[int]:
    out = [pid]
    for p in Path("/proc").iterdir():
        if p.name.isdigit():
            try:
                if int((p / "stat").read_text().split(") ")[1].split()[1]) in out:
                    out.append(int(p.name))
            except (OSError, IndexError, ValueError):
                pass
    return out


def cli_check(data_dir: Path, draft: str, env: dict) -> dict:
    """`factlint check` on a draft, as a new process (cold: model and index loaded from disk). The
    ONNX export (made once, at `factlint index` time for a real data directory) is made first,
    untimed."""
    path = data_dir.parent / "draft.md"
    path.write_text(draft)
    load = ("import sys; from factlint.config import load_settings; from factlint.embeddings import "
            "Embedder, prepare_model; m = load_settings(store={'data_dir': sys.argv[1]}).model; ")
    run = lambda code: subprocess.run([sys.executable, "-c", load + code, str(data_dir)], cwd=ROOT,  # noqa: E731
                                      env={**os.environ, **env}, capture_output=True, check=True)
    run("prepare_model(m, sys.argv[1])")
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "factlint", "check", str(path), "--data-dir",
                          str(data_dir), "--fail-on", "never", "--format", "json"], cwd=ROOT,
                         env={**os.environ, **env}, capture_output=True, text=True)
    secs = time.perf_counter() - t0
    if out.returncode not in (0, 1):
        raise RuntimeError(f"factlint check failed: {out.stderr.strip()[-500:]}")
    t0 = time.perf_counter()  # the part no index choice can shorten: start Python, load the model
    run("Embedder.from_settings(m, sys.argv[1])")
    return {"words": len(draft.split()), "seconds": secs, "model_load_seconds": time.perf_counter() - t0}


def median(xs):
    return statistics.median(xs) if xs else float("nan")
