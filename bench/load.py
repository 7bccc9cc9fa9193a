"""A bounded load test of the service: concurrent writes, deletes and checks against a 2-worker
gunicorn on loopback, for a fixed time, then an audit of the corpus.

    python bench/load.py                 # starts its own server (temporary data dir), 60 s
    python bench/load.py --seconds 20 --writers 2 --checkers 2
    python bench/load.py --url http://127.0.0.1:8000 --key KEY   # an already running server

Writers POST new documents, now and then replace one (same id, new text) or delete one. Checkers
take a document whose write was acknowledged and check its sentence: the answer (from whichever
worker) must cite it; a deleted document must no longer be cited. At the end every acknowledged,
undeleted document must be listed by GET /v1/documents and nothing else. Prints one JSON report;
exits 1 on any error, lost document or stale answer.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
WORDS = {
    "who": ["council", "hospital trust", "rail operator", "university", "water board", "police force", "museum",
            "football club", "ferry company", "school board", "energy firm", "port authority", "library"],
    "did": ["hired", "counted", "ordered", "repaired", "planted", "recalled", "delivered", "inspected",
            "approved", "rejected", "sold", "bought", "painted"],
    "what": ["buses", "nurses", "bridges", "trees", "laptops", "ambulances", "boats", "lamps", "tickets",
             "benches", "windows", "bicycles", "ovens"],
    "where": ["Leeds", "Cardiff", "Aberdeen", "Hull", "Bristol", "Derry", "Exeter", "Stirling", "Norwich",
              "Swansea", "Carlisle", "Truro", "Inverness"],
    "when": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
}


def sentence(rng: random.Random, tag: str) -> str:
    w = {k: rng.choice(v) for k, v in WORDS.items()}
    return (f"The {w['where']} {w['who']} {w['did']} {rng.randint(2, 9999)} {w['what']} on {w['when']} "
            f"under plan {tag}.")


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.errors: list[str] = []
        self.stale: list[str] = []

    def time(self, op: str, seconds: float) -> None:
        with self.lock:
            self.latency[op].append(seconds)

    def error(self, msg: str) -> None:
        with self.lock:
            self.errors.append(msg)


class Corpus:
    """What the client side knows: acknowledged live documents (id -> sentence) and deleted ids."""

    def __init__(self):
        self.lock = threading.Lock()
        self.live: dict[str, str] = {}
        self.deleted: dict[str, str] = {}  # id -> its last text (deleted ids are never reused)
        self.busy: set[str] = set()  # ids with a write in flight (their state is not known yet)

    def take(self, rng: random.Random) -> tuple[str, str] | None:
        with self.lock:
            ids = [i for i in self.live if i not in self.busy]
            if not ids:
                return None
            doc_id = rng.choice(ids)
            self.busy.add(doc_id)
            return doc_id, self.live[doc_id]

    def release(self, doc_id: str) -> None:
        with self.lock:
            self.busy.discard(doc_id)


def writer(n: int, url: str, headers: dict, corpus: Corpus, stats: Stats, stop: threading.Event, seed: int):
    rng = random.Random(seed)
    s = requests.Session()
    i = 0
    while not stop.is_set():
        roll = rng.random()
        picked = corpus.take(rng) if roll < 0.25 else None
        try:
            if picked and roll < 0.1:  # delete
                doc_id, _ = picked
                t = time.perf_counter()
                r = s.delete(f"{url}/v1/documents/{doc_id}", headers=headers, timeout=120)
                stats.time("delete", time.perf_counter() - t)
                if r.status_code != 200:
                    stats.error(f"delete {doc_id}: {r.status_code} {r.text[:200]}")
                else:
                    with corpus.lock:
                        corpus.deleted[doc_id] = corpus.live.pop(doc_id)
                continue
            doc_id = picked[0] if picked else f"w{n}-{i}"
            text = sentence(rng, f"{doc_id}-{i}")
            t = time.perf_counter()
            r = s.post(f"{url}/v1/documents", headers=headers, timeout=120,
                       json={"id": doc_id, "title": f"Load {doc_id}", "published": "2025-01-02", "text": text})
            stats.time("replace" if picked else "create", time.perf_counter() - t)
            if r.status_code not in (200, 201):
                stats.error(f"post {doc_id}: {r.status_code} {r.text[:200]}")
            else:
                with corpus.lock:
                    corpus.live[doc_id] = text
        except requests.RequestException as exc:
            stats.error(f"writer {n}: {exc}")
        finally:
            if picked:
                corpus.release(picked[0])
            i += 1


def check(url: str, claim: str, stats: Stats) -> tuple[set[str] | None, str | None]:
    """POST a claim, timed: (doc ids of its evidence, the worker that answered); None on an error."""
    t = time.perf_counter()
    # a fresh connection each time, so the two workers take turns answering
    r = requests.post(f"{url}/v1/check", json={"claim": claim, "top_k": 5},
                      headers={"Connection": "close"}, timeout=120)
    stats.time("check", time.perf_counter() - t)
    if r.status_code != 200:
        stats.error(f"check: {r.status_code} {r.text[:200]}")
        return None, None
    return {e["doc_id"] for e in r.json()["evidence"]}, r.headers.get("X-Factlint-Worker")


def checker(n: int, url: str, corpus: Corpus, stats: Stats, stop: threading.Event, seed: int):
    rng = random.Random(seed)
    while not stop.is_set():
        picked = corpus.take(rng)
        if picked is None:
            time.sleep(0.05)
            continue
        doc_id, text = picked
        try:
            cited, worker = check(url, text, stats)
            if cited is not None and doc_id not in cited:
                stats.stale.append(f"worker {worker} did not cite {doc_id}")
            with corpus.lock:
                gone = rng.choice(sorted(corpus.deleted)) if corpus.deleted else None
                gone_text = corpus.deleted.get(gone)
            if gone:  # a deleted document must not be cited by any worker any more
                cited, worker = check(url, gone_text, stats)
                if cited is not None and gone in cited:
                    stats.stale.append(f"worker {worker} cited deleted {gone}")
        except requests.RequestException as exc:
            stats.error(f"checker {n}: {exc}")
        finally:
            corpus.release(doc_id)


def listed_ids(url: str, headers: dict) -> set[str]:
    ids, after = set(), None
    while True:
        params = {"limit": 500, **({"after": after} if after else {})}
        page = requests.get(f"{url}/v1/documents", params=params, headers=headers, timeout=60).json()
        ids |= {d["id"] for d in page["documents"]}
        after = page["next"]
        if not after:
            return ids


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(data_dir: Path, key: str, workers: int) -> tuple[subprocess.Popen, str, Path]:
    port = free_port()
    log = data_dir.parent / "server.log"
    proc = subprocess.Popen([sys.executable, "-m", "factlint", "serve", "--port", str(port),
                             "--workers", str(workers), "--data-dir", str(data_dir)],
                            cwd=ROOT, stdout=open(log, "w"), stderr=subprocess.STDOUT,
                            env={**os.environ, "FACTLINT_API_KEY": key}, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 600
    ready: set[str] = set()
    while len(ready) < workers:  # wait until every worker has loaded (not just the first)
        if proc.poll() is not None or time.time() > deadline:
            raise SystemExit(f"server did not start; see {log}")
        try:
            r = requests.get(url + "/readyz", headers={"Connection": "close"}, timeout=5)
            if r.status_code == 200:
                ready.add(r.headers.get("X-Factlint-Worker", ""))
        except requests.RequestException:
            pass
        time.sleep(0.3)
    return proc, url, log


def sync_lag(url: str) -> dict:
    """From /metrics: how many changes workers applied from other workers' writes, and how late."""
    text = requests.get(url + "/metrics", timeout=30).text
    buckets = {}
    for line in text.splitlines():
        if line.startswith("factlint_sync_lag_seconds_bucket{"):
            le = line.split('le="')[1].split('"')[0]
            buckets[le] = buckets.get(le, 0) + float(line.rsplit(" ", 1)[1])
    total = buckets.get("+Inf", 0)
    return {"changes_applied_by_other_workers": int(total),
            **{f"within_{le}s": round(n / total, 3) for le, n in buckets.items() if le in ("0.05", "0.25", "1.0") and total}}


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return round(xs[min(len(xs) - 1, int(p * len(xs)))] * 1000, 1) if xs else 0.0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--writers", type=int, default=3)
    ap.add_argument("--checkers", type=int, default=3)
    ap.add_argument("--workers", type=int, default=2, help="gunicorn workers of the server it starts")
    ap.add_argument("--url", help="use a running server instead of starting one")
    ap.add_argument("--key", default="", help="its API key (FACTLINT_API_KEY)")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()

    tmp = proc = None
    key = args.key
    if args.url:
        url = args.url.rstrip("/")
    else:
        tmp = Path(tempfile.mkdtemp(prefix="factlint-load-"))
        key = key or "load-test-key"
        t = time.time()
        proc, url, log = start_server(tmp / "data", key, args.workers)
        print(f"server with {args.workers} workers ready in {time.time() - t:.1f}s at {url} (log {log})",
              file=sys.stderr)
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    before = listed_ids(url, headers)

    corpus, stats, stop = Corpus(), Stats(), threading.Event()
    threads = [threading.Thread(target=writer, args=(i, url, headers, corpus, stats, stop, args.seed * 100 + i))
               for i in range(args.writers)]
    threads += [threading.Thread(target=checker, args=(i, url, corpus, stats, stop, args.seed * 1000 + i))
                for i in range(args.checkers)]
    t0 = time.time()
    for t in threads:
        t.start()
    time.sleep(args.seconds)
    stop.set()
    for t in threads:
        t.join(180)
    elapsed = time.time() - t0

    after = listed_ids(url, headers) - before
    lost = sorted(set(corpus.live) - after)
    ghosts = sorted(after - set(corpus.live))
    report = {
        "seconds": round(elapsed, 1), "writers": args.writers, "checkers": args.checkers,
        "requests": {op: len(v) for op, v in stats.latency.items()},
        "throughput_rps": round(sum(len(v) for v in stats.latency.values()) / elapsed, 1),
        "latency_ms": {op: {"p50": pct(v, 0.5), "p95": pct(v, 0.95), "p99": pct(v, 0.99),
                            "mean": round(statistics.fmean(v) * 1000, 1)} for op, v in stats.latency.items()},
        "documents_live": len(corpus.live), "documents_deleted": len(corpus.deleted),
        "errors": len(stats.errors), "lost_documents": len(lost), "deleted_but_listed": len(ghosts),
        "stale_answers": len(stats.stale),
        "sync_lag": sync_lag(url),
        "examples": (stats.errors + stats.stale + lost + ghosts)[:10],
    }
    print(json.dumps(report, indent=2))
    if proc is not None:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(60)
        shutil.rmtree(tmp, ignore_errors=True)
    return 1 if stats.errors or lost or ghosts or stats.stale else 0


if __name__ == "__main__":
    sys.exit(main())
