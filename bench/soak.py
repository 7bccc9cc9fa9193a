"""Soak test (`make soak`, not part of `make test`): for N minutes, mixed load against a 2-worker
gunicorn on loopback, killed with SIGKILL (the whole server) at a random moment of every trial and
started again over the same data directory; after each restart an audit of what was lost.

    python -m bench.soak                       # 5 minutes
    python -m bench.soak --minutes 30 --writers 4 --checkers 2

Each trial: writers create, replace and delete documents, checkers check acknowledged ones, for
5-20 s; then SIGKILL. A write in flight at the kill may or may not have been committed: it is
"unknown" and settled from the listing after the restart. Then, with the server up again:

- lost: acknowledged documents (created or replaced, not deleted since) that are not listed;
- ghosts: documents listed that were acknowledged as deleted, or never written;
- index mismatches: a worker whose index does not hold exactly the store's sentences;
- temp files: index temp files left in the data directory after the restart;
- stale: a check (any worker) that did not cite an acknowledged document, or cited a deleted one.

Prints one JSON report; "lost" (and every other count) must be 0; exits 1 otherwise.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

from bench.load import listed_ids, sentence, start_server

KEY = "soak-key"
HEADERS = {"Authorization": f"Bearer {KEY}"}


class Ledger:
    """What the clients know: acknowledged live documents (id -> text), acknowledged deletions, and
    writes in flight (their outcome unknown until the next audit)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.live: dict[str, str] = {}
        self.deleted: set[str] = set()
        self.inflight: dict[str, str | None] = {}  # id -> the text being written (None: a delete)
        self.acked = 0
        self.errors: list[str] = []
        self.stale: list[str] = []


def writer(n: int, url: str, ledger: Ledger, stop: threading.Event, rng: random.Random, trial: int) -> None:
    s = requests.Session()
    i = 0
    while not stop.is_set():
        i += 1
        with ledger.lock:
            idle = [d for d in ledger.live if d not in ledger.inflight]
            roll = rng.random()
            if idle and roll < 0.1:
                doc_id, text = rng.choice(idle), None
            else:
                doc_id = rng.choice(idle) if idle and roll < 0.25 else f"t{trial}-w{n}-{i}"
                text = sentence(rng, doc_id)
            ledger.inflight[doc_id] = text
        try:
            if text is None:
                r = s.delete(f"{url}/v1/documents/{doc_id}", headers=HEADERS, timeout=60)
            else:
                r = s.post(f"{url}/v1/documents", headers=HEADERS, timeout=60,
                           json={"id": doc_id, "title": f"Soak {doc_id}", "published": "2025-03-04", "text": text})
        except requests.RequestException:
            return  # the server was killed: this write stays in flight (unknown)
        with ledger.lock:
            del ledger.inflight[doc_id]
            if r.status_code not in (200, 201):
                ledger.errors.append(f"{r.status_code} {r.text[:200]}")
            elif text is None:
                ledger.live.pop(doc_id, None)
                ledger.deleted.add(doc_id)
                ledger.acked += 1
            else:
                ledger.live[doc_id] = text
                ledger.acked += 1


def checker(url: str, ledger: Ledger, stop: threading.Event, rng: random.Random) -> None:
    while not stop.is_set():
        with ledger.lock:
            idle = [d for d in ledger.live if d not in ledger.inflight]
            pick = rng.choice(idle) if idle else None
            text = ledger.live.get(pick)
            if pick:
                ledger.inflight[pick] = text  # not rewritten while it is checked
        if pick is None:
            time.sleep(0.05)
            continue
        try:
            r = requests.post(f"{url}/v1/check", json={"claim": text, "top_k": 5},
                              headers={"Connection": "close"}, timeout=60)
            if r.status_code != 200:
                ledger.errors.append(f"check {r.status_code} {r.text[:200]}")
            elif pick not in {e["doc_id"] for e in r.json()["evidence"]}:
                ledger.stale.append(f"worker {r.headers.get('X-Factlint-Worker')} did not cite {pick}")
        except requests.RequestException:
            return
        finally:
            with ledger.lock:
                ledger.inflight.pop(pick, None)


def worker_indexes(url: str, workers: int) -> dict[str, int]:
    """Each worker's index size (/readyz, fresh connections until every worker answered)."""
    seen: dict[str, int] = {}
    deadline = time.time() + 120
    while len(seen) < workers and time.time() < deadline:
        r = requests.get(url + "/readyz", headers={"Connection": "close"}, timeout=30)
        if r.status_code == 200:
            seen[r.headers["X-Factlint-Worker"]] = r.json()["sentences"]
    return seen


def store_sentences(url: str) -> int:
    count, after = 0, None
    while True:
        page = requests.get(f"{url}/v1/documents", params={"limit": 500, **({"after": after} if after else {})},
                            headers=HEADERS, timeout=60).json()
        count += sum(d["sentences"] for d in page["documents"])
        after = page["next"]
        if not after:
            return count


def audit(url: str, data: Path, ledger: Ledger, seeds: set[str], workers: int) -> dict:
    listed = listed_ids(url, HEADERS)
    with ledger.lock:
        unknown = set(ledger.inflight)
        lost = sorted(set(ledger.live) - listed - unknown)
        ghosts = sorted((listed & ledger.deleted) - unknown) + sorted(listed - set(ledger.live) - ledger.deleted
                                                                      - unknown - seeds)
        for doc_id, text in ledger.inflight.items():  # settle the writes in flight from the listing
            if doc_id in listed:
                got = requests.get(f"{url}/v1/documents/{doc_id}", timeout=30).json()
                ledger.live[doc_id] = got["text"]
                ledger.deleted.discard(doc_id)
            else:
                ledger.live.pop(doc_id, None)
                ledger.deleted.add(doc_id)
        ledger.inflight.clear()
    sentences = store_sentences(url)
    indexes = worker_indexes(url, workers)
    return {"lost": lost, "ghosts": ghosts, "temp_files": sorted(p.name for p in data.glob("*.tmp")),
            "index_mismatches": {pid: n for pid, n in indexes.items() if n != sentences}
            | ({} if len(indexes) == workers else {"missing workers": workers - len(indexes)})}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--minutes", type=float, default=5)
    ap.add_argument("--writers", type=int, default=4)
    ap.add_argument("--checkers", type=int, default=2)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    tmp = Path(tempfile.mkdtemp(prefix="factlint-soak-"))
    data = tmp / "data"
    os.environ["FACTLINT_API_KEY"] = KEY
    ledger = Ledger()
    totals = {"trials": 0, "acknowledged_writes": 0, "lost": 0, "ghosts": 0, "temp_files": 0,
              "index_mismatches": 0, "stale_answers": 0, "errors": 0}
    examples: list = []
    end = time.time() + args.minutes * 60
    proc, url, log = start_server(data, KEY, args.workers)
    seeds = listed_ids(url, HEADERS)
    try:
        while time.time() < end:
            totals["trials"] += 1
            stop = threading.Event()
            threads = [threading.Thread(target=writer, args=(n, url, ledger, stop, random.Random(rng.random()),
                                                             totals["trials"])) for n in range(args.writers)]
            threads += [threading.Thread(target=checker, args=(url, ledger, stop, random.Random(rng.random())))
                        for _ in range(args.checkers)]
            for t in threads:
                t.start()
            time.sleep(rng.uniform(5, 20))
            os.killpg(proc.pid, signal.SIGKILL)  # the whole server, mid-load
            proc.wait(30)
            stop.set()
            for t in threads:
                t.join(120)
            proc, url, log = start_server(data, KEY, args.workers)
            found = audit(url, data, ledger, seeds, args.workers)
            for key in ("lost", "ghosts", "temp_files", "index_mismatches"):
                totals[key] += len(found[key])
                examples += [f"trial {totals['trials']} {key}: {x}" for x in list(found[key])[:3]]
            print(f"trial {totals['trials']}: {ledger.acked} writes acknowledged so far, "
                  f"{', '.join(f'{k} {len(v)}' for k, v in found.items())}", file=sys.stderr)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(60)
    totals["acknowledged_writes"] = ledger.acked
    totals["stale_answers"] = len(ledger.stale)
    totals["errors"] = len(ledger.errors)
    examples += (ledger.errors + ledger.stale)[:10]
    print(json.dumps({**totals, "examples": examples[:20]}, indent=2))
    shutil.rmtree(tmp, ignore_errors=True)
    bad = sum(v for k, v in totals.items() if k not in ("trials", "acknowledged_writes"))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
