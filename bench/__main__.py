"""`python -m bench`: run the benchmarks and write bench/RESULTS.md and bench/results.json.

    python -m bench                               # 10k, 100k, 1M sentences (the full run)
    python -m bench --sizes 10000,100000 --quick  # fewer real sentences encoded, fewer requests
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import time
from importlib import metadata
from pathlib import Path

import numpy as np

from . import data, measure, report

HERE = Path(__file__).resolve().parent


def versions() -> dict:
    out = {"python": platform.python_version()}
    for pkg in ("torch", "sentence-transformers", "transformers", "faiss-cpu", "onnxruntime", "gunicorn"):
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            pass
    return out


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="10000,100000,1000000", help="corpus sizes in sentences")
    ap.add_argument("--quick", action="store_true", help="fewer real sentences, requests and repeats")
    ap.add_argument("--workdir", default="/tmp/factlint-bench", help="where data dirs are built")
    ap.add_argument("--out", default=str(HERE), help="directory for RESULTS.md and results.json")
    ap.add_argument("--real", type=int, default=0,
                    help="real BBC sentences to encode (default: all; 2000 with --quick)")
    ap.add_argument("--workers", default="1,2", help="gunicorn worker counts to measure")
    ap.add_argument("--no-http", action="store_true", help="skip the gunicorn measurements")
    ap.add_argument("--quantization", default=None, choices=["none", "fp16", "int8"],
                    help="[index] quantization for the built indexes (default: the config's)")
    ap.add_argument("--backends", default="onnx,onnx-int8,torch", help="encoder backends to compare, e.g. torch,onnx,onnx-int8")
    ap.add_argument("--store", choices=["sqlite", "postgres"], default="sqlite",
                    help="postgres: run bench/scale.py instead (PostgreSQL store, replicas, Dask ingestion)")
    args = ap.parse_args(argv)
    if args.store == "postgres":
        from . import scale

        return scale.main(["--sizes", args.sizes, "--workdir", args.workdir, "--out", args.out]
                          + (["--quick"] if args.quick else []))
    sizes = [int(s) for s in args.sizes.split(",") if s]
    workers = [int(w) for w in args.workers.split(",") if w]
    work = Path(args.workdir)
    work.mkdir(parents=True, exist_ok=True)

    from factlint.config import load_settings
    from factlint.embeddings import Embedder
    from factlint.index import recall_at_k

    env = {"FACTLINT_MODEL_THREADS": "0"}
    if args.quantization:
        env["FACTLINT_INDEX_QUANTIZATION"] = args.quantization
    os.environ.update(env)
    settings = load_settings()
    results: dict = {"started": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()),
                     "cores": os.cpu_count(), "versions": versions(), "quick": args.quick,
                     "noise_per_dim": data.NOISE, "index": settings.index.model_dump(),
                     "model": settings.model.model_dump(), "sizes": {}}
    print(f"loading the BBC corpus from {data.BBC}", flush=True)
    corpus = data.load_bbc()
    results["bbc"] = {"indexed_articles": len(corpus.docs), "held_out_articles": len(corpus.held_out),
                      "real_sentences": len(corpus.texts)}
    embedder = Embedder.from_settings(settings.model)
    n_claims = 60 if args.quick else 400
    claims = data.held_out_claims(corpus, n_claims)

    # --- encoder and ingest ------------------------------------------------------------------
    enc_texts = corpus.texts[: 300 if args.quick else 4000]
    results["encoder"] = {}
    for backend in args.backends.split(","):
        emb = embedder if backend == settings.model.backend else Embedder(
            settings.model.name, settings.model.batch_size, settings.model.threads, backend=backend,
            onnx_dir=work / "onnx")
        r = measure.encoder(emb, enc_texts, 30 if args.quick else 100)
        if backend != settings.model.backend:
            a, b = embedder.encode_uncached(enc_texts[:500]), emb.encode_uncached(enc_texts[:500])
            r["min_cosine_vs_default"] = float((a * b).sum(1).min())
        results["encoder"][backend] = r
        print(f"encoder {backend}: {r}", flush=True)
    enc = results["encoder"][settings.model.backend]
    ingest_docs = corpus.docs[: 12 if args.quick else 160]
    results["ingest"] = measure.ingest(
        lambda d: load_settings(store={"data_dir": str(d)}), embedder, ingest_docs)
    print(f"ingest: {results['ingest']}", flush=True)

    # --- real vectors, then each size --------------------------------------------------------
    base_n = min(len(corpus.texts), args.real or (2000 if args.quick else len(corpus.texts)))
    cache = work / f"bbc-{base_n}.npy"
    if cache.exists():
        base = np.load(cache)
    else:
        print(f"encoding {base_n} real sentences once", flush=True)
        t0 = time.perf_counter()
        base = embedder.encode_uncached(corpus.texts[:base_n])
        results["base_encode_seconds"] = time.perf_counter() - t0
        np.save(cache, base)
    titles = {d.id: d.title for d in corpus.docs}
    src_titles = [titles[s] for s in corpus.sources[:base_n]]
    qvecs = embedder.encode_uncached(claims)
    draft = data.draft_of_words(corpus, 1500)

    for n in sizes:
        print(f"--- {n} sentences", flush=True)
        r: dict = {"sentences": n, "real_sentences": min(n, base_n)}
        ddir = work / f"size-{n}" / "data"
        if ddir.parent.exists():
            shutil.rmtree(ddir.parent)
        vecs, src = data.grow(base, n)
        r["store_write_seconds"] = data.write_store(ddir, corpus.texts[:base_n], vecs, src, src_titles)
        from factlint.workspace import Workspace

        t0 = time.perf_counter()
        ws = Workspace(load_settings(store={"data_dir": str(ddir)}), embedder=embedder)
        r["index_build_seconds"] = time.perf_counter() - t0  # read vectors from SQLite + build + save
        r["index"] = {"kind": ws.index.kind, **ws.index.params()}
        r["index_file_bytes"] = ws.index_path.stat().st_size
        r["sqlite_bytes"] = sum(p.stat().st_size for p in ddir.glob("factlint.sqlite3*"))
        # recall@10 of the index against exact search, held-out claims as queries
        import faiss

        exact = faiss.IndexFlatIP(vecs.shape[1])
        exact.add(vecs)
        _, truth = exact.search(qvecs, 10)
        del exact
        truth = truth + 1  # sentence ids are row + 1 (AUTOINCREMENT from 1, written in order)
        t0 = time.perf_counter()
        _, got = ws.index.search(qvecs, 10)
        r["search_ms_per_query_batched"] = (time.perf_counter() - t0) / len(qvecs) * 1000
        lat = []
        for q in qvecs:
            t1 = time.perf_counter()
            ws.index.search(q[None, :], 10)
            lat.append(time.perf_counter() - t1)
        r["search_ms_p50"] = measure.pct(lat, 50) * 1000
        r["recall_at_10"] = recall_at_k(truth, got, 10)
        r["in_process"] = measure.check_breakdown(ws, claims[:40 if args.quick else 150])
        del ws, vecs
        r["memory"] = measure.memory_and_load(ddir, qvecs, env)
        r["memory"]["bytes_per_sentence"] = (r["memory"]["rss_after_queries_kb"]
                                             - r["memory"]["rss_model_kb"]) * 1024 / n
        print(f"index: {r}", flush=True)
        if not args.no_http:
            r["http"] = []
            for w in workers:
                h = measure.http(ddir, w, claims, env, concurrency=2 * w + 2,
                                 sequential=50 if args.quick else 200,
                                 concurrent=100 if args.quick else 400)
                r["http"].append(h)
                print(f"http: {h}", flush=True)
        r["cli_check"] = measure.cli_check(ddir, draft, env)
        print(f"cli: {r['cli_check']}", flush=True)
        results["sizes"][str(n)] = r
        write(results, Path(args.out))  # after every size: a long run that stops keeps what it has
    print(f"wrote {Path(args.out) / 'RESULTS.md'} and {Path(args.out) / 'results.json'}")


def write(results: dict, out: Path) -> None:
    results["targets"] = report.targets(results)
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    (out / "RESULTS.md").write_text(report.markdown(results))


if __name__ == "__main__":
    main()
