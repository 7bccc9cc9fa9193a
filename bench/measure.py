"""Measurements: encoder, ingest, index build/load/recall, memory, HTTP latency, CLI."""
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


def encoder(embedder, texts: list[str], singles: int) -> dict:
    """Raw encoder: batch throughput on ``texts`` and single-sentence latency (no cache)."""
    embedder.encode_uncached(texts[:32])  # warm up
    t0 = time.perf_counter()
    embedder.encode_uncached(texts)
    secs = time.perf_counter() - t0
    lat = []
    for t in texts[:singles]:
        t1 = time.perf_counter()
        embedder.encode_uncached([t])
        lat.append(time.perf_counter() - t1)
    return {"sentences": len(texts), "seconds": secs, "sentences_per_s": len(texts) / secs,
            "single_ms_p50": pct(lat, 50) * 1000, "single_ms_p99": pct(lat, 99) * 1000}


def ingest(settings_for, embedder, docs) -> dict:
    """The whole write pipeline (split, encode, SQLite, index, save) on real articles, then the
    raw encoder on exactly the same sentences in the same process; their ratio is the overhead."""
    from factlint.sentences import split_sentences
    from factlint.workspace import Workspace

    with tempfile.TemporaryDirectory(prefix="factlint-bench-ingest-") as tmp:
        ws = Workspace(settings_for(Path(tmp) / "data"), embedder=embedder)
        texts = [s.text for d in docs for s in split_sentences(d)]
        embedder.encode_uncached(texts[:32])
        raw1 = _timed(lambda: embedder.encode_uncached(texts))
        secs = _timed(lambda: ws.add(docs))
        raw2 = _timed(lambda: embedder.encode_uncached(texts))
    raw = min(raw1, raw2)
    return {"documents": len(docs), "sentences": len(texts), "seconds": secs,
            "sentences_per_s": len(texts) / secs, "raw_encoder_seconds": raw,
            "raw_encoder_sentences_per_s": len(texts) / raw, "ratio": raw / secs}


def _timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def check_breakdown(ws, claims: list[str]) -> dict:
    """In-process /v1/check work per claim, without HTTP: encoder, index search, and the rest
    (SQLite evidence rows, analyzers, verdict) = Checker.check total - encoder - search."""
    from factlint.checker import Checker

    checker = Checker(ws, ws.settings.check)
    enc, search, total = [], [], []
    for c in claims:
        t0 = time.perf_counter()
        v = ws.embedder.encode_uncached([c])
        t1 = time.perf_counter()
        ws.index.search(v, ws.settings.check.top_k)
        t2 = time.perf_counter()
        ws.embedder._cache.clear() if hasattr(ws.embedder, "_cache") else None
        checker.check(c)
        t3 = time.perf_counter()
        enc.append(t1 - t0)
        search.append(t2 - t1)
        total.append(t3 - t2)
    return {"encode_ms_p50": pct(enc, 50) * 1000, "search_ms_p50": pct(search, 50) * 1000,
            "check_ms_p50": pct(total, 50) * 1000, "check_ms_p99": pct(total, 99) * 1000,
            "rest_ms_p50": (pct(total, 50) - pct(enc, 50) - pct(search, 50)) * 1000}


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


def http(data_dir: Path, workers: int, claims: list[str], env: dict, concurrency: int,
         sequential: int, concurrent: int) -> dict:
    """/v1/check through gunicorn: sequential latency (distinct claims: no cache hits), the same
    claims again (cache hits), claims/s under ``concurrency`` clients, and /v1/check/batch."""
    import requests

    srv = Server(data_dir, workers, env)
    try:
        ready = srv.wait_ready()
        sess = requests.Session()
        # warm every worker
        for c in claims[:4 * workers]:
            sess.post(srv.url + "/v1/check", json={"claim": c}).raise_for_status()
        seq_claims = claims[4 * workers: 4 * workers + sequential]
        lat = []
        for c in seq_claims:
            t0 = time.perf_counter()
            sess.post(srv.url + "/v1/check", json={"claim": c}).raise_for_status()
            lat.append(time.perf_counter() - t0)
        again = []
        for c in seq_claims[: max(1, sequential // 2)]:
            t0 = time.perf_counter()
            sess.post(srv.url + "/v1/check", json={"claim": c}).raise_for_status()
            again.append(time.perf_counter() - t0)
        conc_claims = (claims * (1 + concurrent // max(1, len(claims))))[:concurrent]
        local = __import__("threading").local()

        def one(c):
            s = getattr(local, "s", None) or requests.Session()
            local.s = s
            s.post(srv.url + "/v1/check", json={"claim": c}).raise_for_status()

        t0 = time.perf_counter()
        with ThreadPoolExecutor(concurrency) as pool:
            list(pool.map(one, conc_claims))
        conc_secs = time.perf_counter() - t0
        batches = [claims[i:i + 32] for i in range(0, min(len(claims), 256), 32)]
        t0 = time.perf_counter()
        for b in batches:
            sess.post(srv.url + "/v1/check/batch", json={"claims": b}).raise_for_status()
        batch_secs = time.perf_counter() - t0
        rss = sum(rss_kb(p) for p in _children(srv.proc.pid))
        return {"workers": workers, "ready_seconds": ready,
                "check_ms_p50": pct(lat, 50) * 1000, "check_ms_p99": pct(lat, 99) * 1000,
                "check_cached_ms_p50": pct(again, 50) * 1000, "sequential_requests": len(lat),
                "concurrency": concurrency, "concurrent_requests": len(conc_claims),
                "concurrent_claims_per_s": len(conc_claims) / conc_secs,
                "batch_claims_per_s": sum(map(len, batches)) / batch_secs, "server_rss_kb": rss}
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
