"""Past one machine: the PostgreSQL store, replicas and Dask ingestion (issue 12).

    python -m bench.scale                                  # 100k and 1M sentences
    python -m bench.scale --sizes 100000 --quick           # a shorter run
    python -m bench --store postgres ...                   # the same, from `make bench`

Measures, with the load average at each step (the machine may be shared):
- bulk write rate: sentences/s through the store's own write path (``upsert_many``, one
  transaction per 500 documents of 20 sentences), PostgreSQL against SQLite;
- replica cold start at each size, as a server opens an empty data directory over PostgreSQL
  (``Workspace(background=True)``): "ready" once every vector is read (one binary COPY) into the
  exact interim index; what a check's search costs against it (one claim, a 64-claim batch) while
  the configured index (``[index] kind = auto``: HNSW from 100k) builds in the background; "full
  index" once it is built, written as the checkpoint and swapped in, and its search cost; then a
  restart from that checkpoint (load + catch up);
- propagation: from the POST of a write to replica A (``POST /v1/documents``) until replica B's
  ``/readyz`` shows the change applied (B's follower, woken by NOTIFY; /readyz never syncs), p50
  and p99;
- ingestion, sentences/s on the same BBC articles: the raw encoder (all cores), plain
  ``factlint index`` (Workspace.add_paths) and ``--dask`` with 1 and 2 workers (one thread each;
  encoders loaded by a warm-up batch first, so the figure is the steady rate).

PostgreSQL: FACTLINT_BENCH_POSTGRES_URL (a database the bench may fill and empty), else a
throwaway server from Debian's binaries with PostgreSQL's default durability (fsync on). Writes
bench/SCALE.md and bench/scale.json.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "tests"))  # pgserver: the throwaway PostgreSQL the tests use too

import pgserver  # noqa: E402

from . import data  # noqa: E402

DOCS_PER_TXN = 500


def load() -> str:
    return "%.2f %.2f %.2f" % os.getloadavg()


def say(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')} load {load()}] {msg}", flush=True)


def pct(xs: list[float], p: float) -> float:
    return float(np.percentile(np.asarray(xs), p)) if xs else float("nan")


def items_for(texts, vectors, src, titles, start, stop):
    """upsert_many items for sentences [start, stop): documents of data.DOC_SENTENCES sentences."""
    from factlint.models import Document, Sentence

    out = []
    for a in range(start, stop, data.DOC_SENTENCES):
        b = min(stop, a + data.DOC_SENTENCES)
        doc_id = f"doc-{a // data.DOC_SENTENCES:07d}"
        sents, pos = [], 0
        for j in range(a, b):
            t = texts[int(src[j])]
            sents.append(Sentence(doc_id, j - a, pos, pos + len(t), t))
            pos += len(t) + 1
        out.append((Document(doc_id, titles[int(src[a])], " ".join(s.text for s in sents), "2005-01-01", "bench"),
                    sents, vectors[a:b]))
    return out


def fill(store, texts, vectors, src, titles) -> dict:
    """Write every sentence through ``upsert_many``: the bulk write rate."""
    n = len(vectors)
    step = DOCS_PER_TXN * data.DOC_SENTENCES
    t0 = time.perf_counter()
    for a in range(0, n, step):
        store.upsert_many(items_for(texts, vectors, src, titles, a, min(n, a + step)))
    secs = time.perf_counter() - t0
    return {"sentences": n, "seconds": secs, "sentences_per_s": n / secs, "load": load()}


def search_cost(ws, claims: np.ndarray) -> dict:
    """One claim's search (p50 of each claim alone, one FAISS thread) and a 64-claim batch (median
    of 3) through ``Workspace.search``, as a check searches."""
    one = []
    for q in claims[:32]:
        t0 = time.perf_counter()
        ws.search(q[None, :], 10)
        one.append(time.perf_counter() - t0)
    batch = []
    for _ in range(3):
        t0 = time.perf_counter()
        ws.search(claims[:64], 10)
        batch.append(time.perf_counter() - t0)
    return {"kind": ws.index.kind, "one_p50_ms": pct(one, 50) * 1000, "batch64_ms": statistics.median(batch) * 1000}


def cold_start(settings, embedder, data_dir: Path, store, claims: np.ndarray) -> dict:
    """A replica with an empty data directory, as a server opens it (``background=True``): ready
    once every vector is read into the exact interim index; the search cost of a check against it
    while the configured index builds in the background; the full index (built, written as the
    checkpoint, swapped in) and its search cost; then a restart from that checkpoint."""
    from factlint.workspace import Workspace

    shutil.rmtree(data_dir, ignore_errors=True)
    t0 = time.perf_counter()
    ws = Workspace(settings, embedder=embedder, store=store, background=True)
    ready = time.perf_counter() - t0
    building = ws.rebuild.kind if ws.rebuild else ws.index.kind
    out = {"sentences": len(ws.index), "ready_seconds": ready, "interim_kind": ws.index.kind,
           "index_kind": building, "load_at_ready": load()}
    if ws.rebuild is not None:
        out["interim_search"] = search_cost(ws, claims)
        out["interim_search"]["during_build"] = ws.rebuild is not None
        say(f"ready in {ready:.1f} s with the {ws.index.kind} index; a {building} index is building; "
            f"interim search: {out['interim_search']}")
    ws.wait_for_background()
    out["full_index_seconds"] = time.perf_counter() - t0
    assert ws.index.kind == building and ws.rebuild is None
    out["rebuild"] = dict(ws.timings)  # read (at start-up), build, catch_up, save, total
    out["full_search"] = search_cost(ws, claims)
    out["checkpoint_bytes"] = ws.index_path.stat().st_size
    out["load_at_full"] = load()
    n = len(ws.index)
    del ws
    t0 = time.perf_counter()
    ws = Workspace(settings, embedder=embedder, store=store, background=True)
    out["from_checkpoint_seconds"] = time.perf_counter() - t0
    assert len(ws.index) == n and ws.index.kind == building and ws.rebuild is None
    del ws
    out["load"] = load()
    return out


def propagation(url: str, work: Path, writes: int) -> dict:
    """From the POST of a write to replica A until replica B's index has the change (its /readyz):
    A's write (embedding, commit) included."""
    import requests

    from conftest import SEEDS, Server  # the tests' real-gunicorn helper

    key = "bench-key"
    env = {"FACTLINT_STORE_URL": url, "FACTLINT_API_KEY": key, "FACTLINT_PROGRESS": "0"}
    pair = [Server(work / name, workers=1, env=env) for name in ("a", "b")]
    try:
        for srv in pair:
            srv.wait_ready(timeout=600)
        a, b = pair
        lat = []
        for i in range(writes):
            t0 = time.perf_counter()  # from the write's request: write -> visible on replica B
            r = requests.post(a.url + "/v1/documents", headers={"Authorization": f"Bearer {key}"}, timeout=60,
                              json={"id": f"prop-{i}", "title": "Propagation", "published": "2024-01-01",
                                    "text": f"Propagation test number {i}: {i + 3} ferries sailed on time."})
            assert r.status_code in (200, 201), r.text
            head = requests.get(a.url + "/readyz", timeout=10).json()["store"]["head"]
            while requests.get(b.url + "/readyz", timeout=10).json()["store"]["change"] < head:
                time.sleep(0.002)
            lat.append(time.perf_counter() - t0)
            time.sleep(0.05)
    finally:
        for srv in pair:
            srv.stop()
    return {"writes": writes, "p50_ms": pct(lat, 50) * 1000, "p99_ms": pct(lat, 99) * 1000,
            "max_ms": max(lat) * 1000, "load": load()}


def ingestion(settings_for, embedder, files: list[Path], rounds: int) -> dict:
    """Sentences/s on the same articles: raw encoder, plain index, Dask with 1 and 2 workers, in
    ``rounds`` alternated rounds (the clusters stay up, their encoders loaded); medians, so that a
    load that comes and goes on a shared machine weighs on every kind alike."""
    from distributed import Client

    from factlint import ingest
    from factlint.corpus import read_article
    from factlint.embeddings import Embedder
    from factlint.sentences import split_sentences
    from factlint.workspace import Workspace

    texts = [s.text for f in files for s in split_sentences(read_article(f))]
    cores = os.cpu_count() or 1
    uncached = {"cache_size": 0}  # every round encodes every sentence (no vectors remembered from the last)
    embedder.encode_uncached(texts[:32])
    runs: dict[str, list[dict]] = {"raw_encoder": [], "plain_index": [], "dask_1": [], "dask_2": []}
    clusters, dask_settings = {}, {}
    try:
        for workers in (1, 2):
            settings, fresh = settings_for(f"dask{workers}")
            settings = settings.model_copy(update={"model": settings.model.model_copy(
                update={"threads": max(1, cores // workers), **uncached})})
            clusters[workers] = ingest.local_cluster(workers)
            with Client(clusters[workers].scheduler_address) as client:  # every worker loads its encoder
                client.run(ingest.ingest_batch, settings, [read_article(files[0])])
            dask_settings[workers] = (settings, fresh)
        plain_settings, plain_fresh = settings_for("plain")
        plain_embedder = Embedder.from_settings(plain_settings.model.model_copy(update=uncached))
        for r in range(rounds):
            t0 = time.perf_counter()
            embedder.encode_uncached(texts)
            runs["raw_encoder"].append({"seconds": time.perf_counter() - t0, "load": load()})
            plain_fresh()
            shutil.rmtree(plain_settings.store.data_dir, ignore_errors=True)
            ws = Workspace(plain_settings, embedder=plain_embedder)
            t0 = time.perf_counter()
            ws.add_paths(files)
            runs["plain_index"].append({"seconds": time.perf_counter() - t0, "load": load()})
            del ws
            for workers, (settings, fresh) in dask_settings.items():
                fresh()
                report = ingest.run(settings, files, clusters[workers].scheduler_address, batch=16)
                runs[f"dask_{workers}"].append({"seconds": report.seconds, "load": load()})
            say(f"ingestion round {r + 1}: " + ", ".join(f"{k} {len(texts) / v[-1]['seconds']:.1f}/s"
                                                          for k, v in runs.items()))
    finally:
        for cluster in clusters.values():
            cluster.close()
    out: dict = {"articles": len(files), "sentences": len(texts), "rounds": rounds}
    for kind, rs in runs.items():
        secs = statistics.median(r["seconds"] for r in rs)
        out[kind] = {"seconds": secs, "sentences_per_s": len(texts) / secs,
                     "rates": [len(texts) / r["seconds"] for r in rs], "load": [r["load"] for r in rs]}
    raw = out["raw_encoder"]["sentences_per_s"]
    for kind in runs:
        out[kind]["ratio_to_raw"] = out[kind]["sentences_per_s"] / raw
    out["ratio_dask2_to_raw"] = out["dask_2"]["ratio_to_raw"]
    out["ratio_plain_to_raw"] = out["plain_index"]["ratio_to_raw"]
    return out


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.scale", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="100000,1000000", help="corpus sizes in sentences (cold start)")
    ap.add_argument("--quick", action="store_true", help="fewer articles and writes")
    ap.add_argument("--real", type=int, default=2000, help="real BBC sentences encoded for the synthetic corpora")
    ap.add_argument("--workdir", default="/tmp/factlint-bench", help="where caches and data dirs go")
    ap.add_argument("--out", default=str(HERE), help="directory for SCALE.md and scale.json")
    ap.add_argument("--parts", default="writes,propagation,ingestion",
                    help="which measurements: writes (bulk write + cold start per size), propagation, ingestion")
    ap.add_argument("--postgres-url", default=os.environ.get("FACTLINT_BENCH_POSTGRES_URL", ""),
                    help="a PostgreSQL server to use (default: a throwaway one) [env FACTLINT_BENCH_POSTGRES_URL]")
    args = ap.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop the throwaway server on the way out
    sizes = [int(s) for s in args.sizes.split(",") if s]
    parts = set(args.parts.split(","))
    work = Path(args.workdir)
    work.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("FACTLINT_MODEL_ONNX_DIR", str(work / "onnx"))
    os.environ["FACTLINT_PROGRESS"] = "0"

    from factlint.config import load_settings
    from factlint.embeddings import Embedder
    from factlint.store import SQLiteStore
    from factlint.store.postgres import PostgresStore

    server = None
    base_url = args.postgres_url
    if not base_url:
        bindir = pgserver.binaries()
        if bindir is None:
            raise SystemExit("no PostgreSQL: install Debian's postgresql (make postgresql) or pass --postgres-url")
        server = pgserver.PostgresServer(bindir, durable=True).start()
        base_url = server.url()
    created: list[str] = []

    def database() -> str:
        name = f"factlint_bench_{uuid.uuid4().hex[:8]}"
        created.append(name)
        return pgserver.create_database(base_url, name)

    results: dict = {"started": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()), "cores": os.cpu_count(),
                     "load_at_start": load(), "postgres": "throwaway (fsync on)" if server else "given", "sizes": {}}
    results["measured"] = {part: results["started"] for part in parts}
    previous = Path(args.out) / "scale.json"
    if previous.exists():  # the parts not run now are kept from the run that measured them (it says which)
        old = json.loads(previous.read_text())
        for part, keys in PART_KEYS.items():
            if part not in parts and any(k in old for k in keys):
                results.update({k: old[k] for k in keys if k in old})
                results["measured"][part] = old.get("measured", {}).get(part, old["started"])
    try:
        settings = load_settings()
        embedder = Embedder.from_settings(settings.model)
        say("loading the BBC corpus")
        corpus = data.load_bbc()
        base_n = min(len(corpus.texts), args.real)
        cache = work / f"bbc-{base_n}.npy"
        if cache.exists():
            base = np.load(cache)
        else:
            say(f"encoding {base_n} real sentences once")
            base = embedder.encode_uncached(corpus.texts[:base_n])
            np.save(cache, base)
        titles = {d.id: d.title for d in corpus.docs}
        src_titles = [titles[s] for s in corpus.sources[:base_n]]
        texts = corpus.texts[:base_n]
        claims = embedder.encode_uncached(data.held_out_claims(corpus, 64))  # held-out BBC sentences

        # --- bulk writes and cold starts --------------------------------------------------------
        for n in sizes if "writes" in parts else []:
            vecs, src, calibration = data.grow(base, n)  # data.grow's corpora, as `python -m bench` grows them
            url = database()
            say(f"{n} sentences: writing them to PostgreSQL")
            r: dict = {"calibration": calibration,
                       "bulk_write_postgres": fill(PostgresStore(url), texts, vecs, src, src_titles)}
            say(f"bulk write PostgreSQL: {r['bulk_write_postgres']['sentences_per_s']:.0f} sentences/s")
            if n == sizes[0]:
                with tempfile.TemporaryDirectory(prefix="factlint-bench-sqlite-") as tmp:
                    r["bulk_write_sqlite"] = fill(SQLiteStore(Path(tmp) / "factlint.sqlite3"), texts, vecs, src,
                                                  src_titles)
                say(f"bulk write SQLite: {r['bulk_write_sqlite']['sentences_per_s']:.0f} sentences/s")
            del vecs
            replica_dir = work / f"replica-{n}"
            r["cold_start"] = cold_start(load_settings(store={"data_dir": str(replica_dir), "url": url}),
                                         embedder, replica_dir, PostgresStore(url), claims)
            shutil.rmtree(replica_dir, ignore_errors=True)
            say(f"cold start: {r['cold_start']}")
            results["sizes"][str(n)] = r
            pgserver.drop_database(base_url, created.pop())
            write(results, Path(args.out))

        # --- propagation between two real replicas ------------------------------------------------
        if "propagation" in parts:
            from conftest import SEEDS
            from factlint.workspace import Workspace

            url = database()
            Workspace(load_settings(store={"data_dir": str(work / "prop-seed"), "url": url}),
                      embedder=embedder).add_paths([SEEDS])
            shutil.rmtree(work / "prop", ignore_errors=True)
            (work / "prop").mkdir()
            results["propagation"] = propagation(url, work / "prop", 20 if args.quick else 100)
            say(f"propagation: {results['propagation']}")
            write(results, Path(args.out))

        # --- ingestion ----------------------------------------------------------------------------
        if "ingestion" in parts:
            files = [f for f in sorted(data.BBC.glob("*.txt")) if f.name.lower() != "readme.txt"][
                : 40 if args.quick else 160]

            def settings_for(name: str):
                url = database()
                d = work / f"ingest-{name}"
                shutil.rmtree(d, ignore_errors=True)

                def fresh():  # empty the store again, so each run writes the same new documents
                    store = PostgresStore(url)
                    with store._write() as db:
                        db.execute("TRUNCATE documents, sentences, vectors, changes")
                return load_settings(store={"data_dir": str(d), "url": url}), fresh

            results["ingestion"] = ingestion(settings_for, embedder, files, 1 if args.quick else 3)
            results["ingestion"]["run"] = f"{results['started']}, `--parts ingestion`" if parts == {"ingestion"} else ""
            write(results, Path(args.out))
    finally:
        for name in created:
            pgserver.drop_database(base_url, name)
        if server is not None:
            server.stop()
    results["finished"] = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())
    write(results, Path(args.out))
    print(f"wrote {Path(args.out) / 'SCALE.md'} and {Path(args.out) / 'scale.json'}")


PART_KEYS = {"writes": ("sizes",), "propagation": ("propagation",), "ingestion": ("ingestion", "ingestion_first_run")}


def _when(results: dict, part: str) -> str:
    """" (measured <when>)" for a part kept from an earlier run, "" for one this run measured."""
    when = results.get("measured", {}).get(part)
    return f" (measured {when})" if when and when != results["started"] else ""


def markdown(results: dict) -> str:
    lines = ["# Past one machine: PostgreSQL, replicas, Dask (`python -m bench.scale`)", "",
             f"Run {results['started']} → {results.get('finished', '(unfinished)')}, {results['cores']} cores, "
             f"load average at start {results['load_at_start']}; PostgreSQL {results['postgres']}.", ""]
    sizes = results.get("sizes", {})
    if sizes:
        if _when(results, "writes"):
            lines += [f"Bulk writes and replica cold starts{_when(results, 'writes')}:", ""]
        lines += ["| sentences | bulk write PostgreSQL, sentences/s | replica ready (every vector read into the "
                  "exact interim index) | a check's search until the full index: one claim p50 / 64-claim batch | "
                  "full index: kind, time from start (build / write checkpoint) | its search: one claim p50 / "
                  "batch | restart from checkpoint | load at ready / full |",
                  "| --- | --- | --- | --- | --- | --- | --- | --- |"]
        for n, r in sizes.items():
            c = r["cold_start"]
            if "ready_seconds" not in c:  # a run from before the interim index
                continue
            i, f, b = c.get("interim_search"), c["full_search"], c["rebuild"]
            interim = f"{i['one_p50_ms']:.1f} ms / {i['batch64_ms']:.0f} ms ({i['kind']})" if i else "–"
            lines.append(f"| {int(n):,} | {r['bulk_write_postgres']['sentences_per_s']:,.0f} | "
                         f"{c['ready_seconds']:.1f} s | {interim} | {c['index_kind']}: "
                         f"{c['full_index_seconds']:.1f} s ({b.get('build', 0):.1f} s / {b.get('save', 0):.1f} s) | "
                         f"{f['one_p50_ms']:.2f} ms / {f['batch64_ms']:.0f} ms | "
                         f"{c['from_checkpoint_seconds']:.2f} s | "
                         f"{c['load_at_ready']}; {c['load_at_full']} |")
        first = next(iter(sizes.values()))
        if "bulk_write_sqlite" in first:
            lines += ["", f"SQLite, same write path and corpus: {first['bulk_write_sqlite']['sentences_per_s']:,.0f} "
                          "sentences/s."]
        if len(sizes) > 1:
            (n1, r1), (n2, r2) = list(sizes.items())[0], list(sizes.items())[-1]
            c1, c2 = r1["cold_start"], r2["cold_start"]
            if "ready_seconds" in c1 and "ready_seconds" in c2:
                lines += ["", f"For {int(n2) / int(n1):.0f}x the sentences: ready grows "
                              f"{c2['ready_seconds'] / c1['ready_seconds']:.1f}x, the full index "
                              f"{c2['full_index_seconds'] / c1['full_index_seconds']:.1f}x."]
    p = results.get("propagation")
    if p:
        lines += ["", f"Propagation, POST of a write to replica A → applied by replica B ({p['writes']} writes): "
                      f"p50 {p['p50_ms']:.1f} ms, p99 {p['p99_ms']:.1f} ms, max {p['max_ms']:.1f} ms (load {p['load']})"
                      f"{_when(results, 'propagation')}."]
    g = results.get("ingestion")
    if g:
        when = _when(results, "ingestion") or (f" (run {g['run']})" if g.get("run") else "")
        lines += ["", f"Ingestion of {g['articles']} BBC articles ({g['sentences']} sentences) into PostgreSQL, "
                      f"median of {g['rounds']} alternated rounds{when}:", "",
                  "| | sentences/s | ÷ raw encoder | each round | load at each round |", "| --- | --- | --- | --- | --- |"]
        for label, key in (("raw encoder (all cores)", "raw_encoder"), ("plain `factlint index`", "plain_index"),
                           ("`--dask`, 1 worker", "dask_1"), ("`--dask`, 2 workers", "dask_2")):
            lines.append(f"| {label} | {g[key]['sentences_per_s']:.1f} | {g[key]['ratio_to_raw']:.2f} | "
                         f"{', '.join(f'{x:.1f}' for x in g[key]['rates'])} | {'; '.join(g[key]['load'])} |")
    lines += ["", "Targets: propagation p99 ≤ 1 s; Dask on 2 workers ≥ 0.90 of the raw encoder; a replica ready at "
                  "1M under 60 s."]
    t = targets(results)
    lines += [f"- {k}: {'met' if v['met'] else 'not met'} ({v['measured']})" for k, v in t.items()]
    return "\n".join(lines) + "\n"


def targets(results: dict) -> dict:
    out = {}
    p = results.get("propagation")
    if p:
        out["propagation p99 ≤ 1 s"] = {"measured": f"{p['p99_ms']:.1f} ms", "met": p["p99_ms"] <= 1000}
    g = results.get("ingestion")
    if g:
        out["Dask 2 workers ≥ 0.90 × raw encoder"] = {"measured": f"{g['ratio_dask2_to_raw']:.2f}",
                                                      "met": g["ratio_dask2_to_raw"] >= 0.9}
    big = results.get("sizes", {}).get("1000000")
    if big and "ready_seconds" in big["cold_start"]:
        c = big["cold_start"]
        out["replica ready at 1M < 60 s"] = {
            "measured": f"{c['ready_seconds']:.1f} s (full {c['index_kind']} index {c['full_index_seconds']:.0f} s)",
            "met": c["ready_seconds"] < 60}
    return out


def write(results: dict, out: Path) -> None:
    results["targets"] = targets(results)
    out.mkdir(parents=True, exist_ok=True)
    (out / "scale.json").write_text(json.dumps(results, indent=2) + "\n")
    (out / "SCALE.md").write_text(markdown(results))


if __name__ == "__main__":
    main()
