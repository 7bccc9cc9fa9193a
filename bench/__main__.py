"""`python -m bench`: run the benchmarks and write bench/RESULTS.md and bench/results.json.

    python -m bench                     # the full run: 10k, 100k, 1M sentences (most of an hour or more)
    python -m bench --quick             # 10k only, fewer real sentences and requests
    python -m bench --sizes 10000,100000 --no-http --backends onnx

Steps, each printed with the load average: the machine's sgemm peak; the encoder backends and the
ONNX Runtime session options; ingest (`factlint index` in-process) against the raw encoder; then
for each size: a store grown from the real BBC vectors (bench/data.py), the index the service builds
for it, and, on the index as served (loaded from its file the way `factlint serve` loads it):
search, recall, Checker in-process, memory, gunicorn (1 and 2 workers, c = 1, 2, 4, batches) and
the cold CLI; last the comparison with txtai when it is installed (bench/vs_txtai.py).
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
# ONNX Runtime session options compared ([model], service/factlint/encoders/base.py RuntimeOptions):
# the configured ones, and each other value of one option at a time
ONNX_OPTIONS = {"graph_optimization": ("basic", "extended", "all"), "spinning": ("off", "run", "on"),
                "affinity": ("", "2")}


def onnx_variants(model) -> dict[str, dict]:
    out = {"configured": {}}
    for key, values in ONNX_OPTIONS.items():
        out.update({f"{key} = {v!r}": {key: v} for v in values if v != getattr(model, key)})
    return out


def versions() -> dict:
    out = {"python": platform.python_version()}
    for pkg in ("torch", "sentence-transformers", "transformers", "faiss-cpu", "onnxruntime", "gunicorn",
                "txtai"):
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            pass
    return out


def step(results: dict, name: str) -> None:
    """Print a step with the load average and keep it in results["steps"]."""
    results.setdefault("steps", []).append({"step": name, "load": measure.load(),
                                            "at": time.strftime("%H:%M:%S")})
    print(f"[{time.strftime('%H:%M:%S')} load {measure.load():.2f}] {name}", flush=True)


def parse(argv) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default=None, help="corpus sizes in sentences (default 10000,100000,1000000; "
                                                  "10000 with --quick)")
    ap.add_argument("--quick", action="store_true", help="fewer real sentences, requests and repeats")
    ap.add_argument("--workdir", default="/tmp/factlint-bench", help="where data dirs are built")
    ap.add_argument("--out", default=str(HERE), help="directory for RESULTS.md and results.json")
    ap.add_argument("--real", type=int, default=0,
                    help="real BBC sentences to encode (default: all; 2000 with --quick)")
    ap.add_argument("--workers", default="1,2", help="gunicorn worker counts to measure")
    ap.add_argument("--no-http", action="store_true", help="skip the gunicorn measurements")
    ap.add_argument("--no-txtai", action="store_true", help="skip the comparison with txtai")
    ap.add_argument("--quantization", default=None, choices=["none", "fp16", "int8"],
                    help="[index] quantization for the built indexes (default: the config's)")
    ap.add_argument("--backends", default="onnx,onnx-int8,torch",
                    help="encoder backends to compare, e.g. torch,onnx,onnx-int8")
    ap.add_argument("--store", choices=["sqlite", "postgres"], default="sqlite",
                    help="postgres: run bench/scale.py instead (PostgreSQL store, replicas, Dask ingestion)")
    args = ap.parse_args(argv)
    args.sizes_given = args.sizes
    args.sizes = [int(s) for s in (args.sizes or ("10000" if args.quick else "10000,100000,1000000")).split(",") if s]
    args.workers = [int(w) for w in args.workers.split(",") if w]
    return args


def main(argv=None) -> None:
    args = parse(argv)
    if args.store == "postgres":
        from . import scale

        return scale.main((["--sizes", args.sizes_given] if args.sizes_given else [])
                          + ["--workdir", args.workdir, "--out", args.out] + (["--quick"] if args.quick else []))
    work = Path(args.workdir)
    work.mkdir(parents=True, exist_ok=True)

    from factlint.config import load_settings
    from factlint.embeddings import Embedder

    # what the servers and subprocesses get on top of this environment: nothing of the model's, so
    # gunicorn gives each worker cores / workers encoder threads as `factlint serve` does
    env = {}
    if args.quantization:
        env["FACTLINT_INDEX_QUANTIZATION"] = args.quantization
    os.environ.update(env)
    settings = load_settings()
    results: dict = {"started": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()),
                     "cores": os.cpu_count(), "versions": versions(), "quick": args.quick,
                     "index": settings.index.model_dump(), "model": settings.model.model_dump(), "sizes": {}}
    t_start = time.perf_counter()
    step(results, f"loading the BBC corpus from {data.BBC}")
    corpus = data.load_bbc()
    results["bbc"] = {"indexed_articles": len(corpus.docs), "held_out_articles": len(corpus.held_out),
                      "real_sentences": len(corpus.texts)}
    embedder = Embedder.from_settings(settings.model, work)
    flops = measure.Flops(settings.model.name)
    claims = data.held_out_claims(corpus, 500 if args.quick else 1400)
    recall_claims = claims[:400]

    # --- the machine, the encoder, ingest ------------------------------------------------------
    step(results, "sgemm peak")
    peaks = [measure.sgemm_peak()]
    enc_texts = corpus.texts[: 300 if args.quick else 4000]
    results["encoder"] = {}
    others = {}
    for backend in args.backends.split(","):
        step(results, f"encoder {backend}")
        emb = embedder if backend == settings.model.backend else Embedder(
            settings.model.name, settings.model.batch_size, settings.model.threads, backend=backend,
            onnx_dir=work / "onnx")
        r = measure.encoder(emb, enc_texts, 30 if args.quick else 100, flops)
        if backend != settings.model.backend:
            a, b = embedder.encode_uncached(enc_texts[:500]), emb.encode_uncached(enc_texts[:500])
            r["min_cosine_vs_default"] = float((a * b).sum(1).min())
            others[backend] = emb
        results["encoder"][backend] = r
        print(f"  {r}", flush=True)
    if settings.model.backend.startswith("onnx"):
        step(results, "ONNX Runtime session options")
        variants = {name: Embedder(**_embedder_args(settings.model, work, over))
                    for name, over in onnx_variants(settings.model).items()}
        batch = claims[:64]
        torch_vecs = others["torch"].encode_uncached(batch) if "torch" in others else None
        results["onnx_options"] = measure.encoder_options(
            variants, claims[64:64 + (10 if args.quick else 30)], batch, 3 if args.quick else 7, flops, torch_vecs)
        del variants
        print(f"  {results['onnx_options']}", flush=True)
    peaks.append(measure.sgemm_peak())  # the peak is measured twice; the higher one counts
    results["peak"] = max(peaks, key=lambda p: p["gflops"])
    others.clear()
    step(results, "ingest (factlint index) against the raw encoder")
    files = data.article_files()[: 20 if args.quick else 200]
    results["ingest"] = measure.ingest(lambda d: load_settings(store={"data_dir": str(d)}), embedder, files, flops)
    print(f"  {results['ingest']}", flush=True)

    # --- real vectors, then each size --------------------------------------------------------
    base_n = min(len(corpus.texts), args.real or (2000 if args.quick else len(corpus.texts)))
    step(results, f"vectors of {base_n} real sentences (encoded once, cached in {work})")
    base = data.cached_vectors(work, f"bbc-{base_n}", corpus.texts[:base_n], embedder)
    titles = {d.id: d.title for d in corpus.docs}
    src_titles = [titles[s] for s in corpus.sources[:base_n]]
    qvecs = embedder.encode_uncached(recall_claims)
    draft = data.draft_of_words(corpus, 1500)
    for n in args.sizes:
        results["sizes"][str(n)] = size(args, results, n, work, env, corpus, base, src_titles, embedder,
                                        claims, qvecs, draft)
        write(results, Path(args.out))  # after every size: a long run that stops keeps what it has

    if not args.no_txtai:
        step(results, "txtai comparison")
        from . import vs_txtai

        results["txtai"] = vs_txtai.compare(work, corpus, base, claims[:100 if args.quick else 300], env,
                                            quick=args.quick)
        print(f"  {results['txtai']}", flush=True)
    results["total_seconds"] = time.perf_counter() - t_start
    write(results, Path(args.out))
    print(f"wrote {Path(args.out) / 'RESULTS.md'} and {Path(args.out) / 'results.json'} "
          f"({results['total_seconds'] / 60:.0f} min)")


def _embedder_args(model, work: Path, over: dict) -> dict:
    """Embedder arguments for the [model] settings with some ONNX Runtime options changed."""
    from factlint.embeddings import runtime_options

    m = model.model_copy(update=over)
    return {"model": m.name, "batch_size": m.batch_size, "threads": m.threads, "backend": m.backend,
            "cache_size": 0, "onnx_dir": work / "onnx", "runtime": runtime_options(m)}


def size(args, results: dict, n: int, work: Path, env: dict, corpus, base: np.ndarray, src_titles,
         embedder, claims: list[str], qvecs: np.ndarray, draft: str) -> dict:
    """Every measurement at one corpus size, on the store and index the service builds and serves."""
    from factlint.config import load_settings
    from factlint.index import recall_at_k
    from factlint.workspace import Workspace

    step(results, f"--- {n:,} sentences: growing the corpus (noise calibrated to real neighbours)")
    r: dict = {"sentences": n, "real_sentences": min(n, len(base))}
    ddir = work / f"size-{n}" / "data"
    if ddir.parent.exists():
        shutil.rmtree(ddir.parent)
    vecs, src, r["calibration"] = data.grow(base, n)
    print(f"  {r['calibration']}", flush=True)
    r["store_write_seconds"] = data.write_store(ddir, corpus.texts[:len(base)], vecs, src, src_titles)
    step(results, f"{n:,}: building the index")
    ddir_settings = load_settings(store={"data_dir": str(ddir)})
    t0 = time.perf_counter()
    ws = Workspace(ddir_settings, embedder=embedder)
    r["index_build_seconds"] = time.perf_counter() - t0  # read vectors from SQLite + build + save
    r["index"] = {"kind": ws.index.kind, **ws.index.params()}
    r["index_file_bytes"] = ws.index_path.stat().st_size
    r["sqlite_bytes"] = sum(p.stat().st_size for p in ddir.glob("factlint.sqlite3*"))
    step(results, f"{n:,}: the index in memory (as built) and as served (loaded from its file)")
    built = ws.index  # the floor's index: in memory, as built
    r["in_memory"] = measure.served_search(built, qvecs)
    ws = Workspace(ddir_settings, embedder=embedder)  # what `factlint serve` reads: the file, mapped
    r["served"] = measure.served_search(ws.index, qvecs)
    r["served"]["mapped"] = getattr(ws.index, "_mapped_from", None) is not None
    import faiss

    exact = faiss.IndexFlatIP(vecs.shape[1])
    exact.add(vecs)
    truth_scores, truth = exact.search(qvecs, 10)
    del exact
    got = ws.index.search(qvecs, 10)[1] - 1  # sentence ids are row + 1 (AUTOINCREMENT from 1, in order)
    r["recall_at_10"] = measure.recall_with_ties(qvecs, vecs, truth_scores, got, 10)
    r["recall_at_10_by_id"] = recall_at_k(truth, got, 10)
    del vecs
    print(f"  index {r['index']}, in memory {r['in_memory']}, served {r['served']}, "
          f"recall@10 {r['recall_at_10']:.3f}", flush=True)
    step(results, f"{n:,}: Checker in-process on the served index")
    r["in_process"] = measure.check_breakdown(ws, claims[:40 if args.quick else 150])
    print(f"  {r['in_process']}", flush=True)
    del ws
    step(results, f"{n:,}: memory and load time in a fresh process")
    r["memory"] = measure.memory_and_load(ddir, qvecs, env)
    r["memory"]["bytes_per_sentence"] = (r["memory"]["rss_after_queries_kb"]
                                         - r["memory"]["rss_model_kb"]) * 1024 / n
    if not args.no_http:
        r["http"] = []
        for w in args.workers:
            step(results, f"{n:,}: gunicorn, {w} worker(s)")
            h = measure.http(ddir, w, claims, env, sequential=40 if args.quick else 200,
                             per_level=40 if args.quick else 120, batches=2 if args.quick else 3,
                             embedder=embedder, floor=measure.floor_of(embedder, built))
            r["http"].append(h)
            print(f"  {h}", flush=True)
    del built
    step(results, f"{n:,}: cold CLI on a 1,500-word draft")
    r["cli_check"] = measure.cli_check(ddir, draft, env)
    print(f"  {r['cli_check']}", flush=True)
    return r


def write(results: dict, out: Path) -> None:
    results["targets"] = report.targets(results)
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    (out / "RESULTS.md").write_text(report.markdown(results))


if __name__ == "__main__":
    main()
