"""Which index to serve at which size: candidates measured on the bench's corpora (python -m bench.ann).

    python -m bench.ann --sizes 37356,100000,1000000    # every candidate at every size
    python -m bench.ann --sizes 1000000 --candidates ivf-hnsw,hnsw

For each size the corpus is grown from the real BBC vectors as `python -m bench` grows it (noise
calibrated to real text's nearest-neighbour similarities, bench/data.py); queries are held-out
BBC claims; the truth is exact search. For each candidate and each value of its search parameter:
recall@10 (ties counted: measure.recall_with_ties; by id too), one query's p50 on one FAISS thread and on all of them, and a batch of 64 claims per
claim (one call, all threads). The smallest parameter reaching recall@10 >= 0.98 is the candidate's
operating point; memory is the serialized index per sentence. IVF candidates are served as the
service serves them (written, memory-mapped, no prefetch threads); at the operating point they are
also timed with FAISS's 32 prefetch threads (alternated) and with each ``parallel_mode``; HNSW is
also timed with 1% of the sentences excluded by a selector (deletes). The load average is logged
with every candidate. Prints one JSON object per line and writes bench/ann.json.
"""
from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

import faiss
import numpy as np

from . import data, measure

HERE = Path(__file__).resolve().parent
TARGET = 0.98
CANDIDATES = ("flat", "ivf", "ivf-hnsw", "hnsw")


def build(name: str, vecs: np.ndarray):
    """(index, search-parameter setter, parameter values to sweep) for a candidate."""
    d, n = vecs.shape[1], len(vecs)
    ip = faiss.METRIC_INNER_PRODUCT
    if name == "flat":
        index = faiss.IndexFlatIP(d)
        index.add(vecs)
        return index, lambda v: None, [0]
    if name in ("ivf", "ivf-hnsw"):
        from factlint.index.ivf import default_nlist

        if name == "ivf":  # the service's IVF: ~2 sqrt(n) cells, flat coarse quantizer
            nlist, quantizer = default_nlist(n), faiss.IndexFlatIP(d)
        else:  # many more cells, found through an HNSW graph over the centroids
            nlist = int(min(65536, max(256, 2 ** round(np.log2(4 * np.sqrt(n))))))
            quantizer = faiss.IndexHNSWFlat(d, 32, ip)
            quantizer.hnsw.efSearch = 128
        index = faiss.IndexIVFFlat(quantizer, d, nlist, ip)
        index.cp.seed, index.cp.niter = 1234, 12
        index.cp.max_points_per_centroid = 64 if name == "ivf" else 24
        if name == "ivf-hnsw":  # k-means assignment through HNSW too, or training takes an hour
            index.clustering_index = faiss.IndexHNSWFlat(d, 32, ip)
        index.train(vecs)
        index.add(vecs)
        probes = sorted({p for p in (1, 2, 4, 8, 16, 24, 32, 48, 64, 96, 128, 160, 192, 256, 384, 512)
                         if p <= nlist})

        def set_nprobe(v, index=index):
            index.nprobe = v
        return index, set_nprobe, probes
    if name == "hnsw":
        index = faiss.IndexHNSWFlat(d, 32, ip)
        index.hnsw.efConstruction = 64
        index.add(vecs)

        def set_ef(v, index=index):
            index.hnsw.efSearch = v
        return index, set_ef, [16, 32, 48, 64, 96, 128, 192, 256, 384, 512, 768, 1024]
    raise ValueError(name)


def timed_queries(index, queries: np.ndarray, threads: int, params=None) -> list[float]:
    faiss.omp_set_num_threads(threads)
    lat = []
    for q in queries:
        t0 = time.perf_counter()
        index.search(q[None, :], 10, params=params) if params is not None else index.search(q[None, :], 10)
        lat.append(time.perf_counter() - t0)
    return lat


def measure_candidate(name: str, vecs: np.ndarray, queries: np.ndarray, truth: np.ndarray,
                      truth_scores: np.ndarray, work: Path) -> dict:
    from factlint.index import recall_at_k
    from factlint.index.base import BATCH_THREADS
    from factlint.index.ivf import no_prefetch

    faiss.omp_set_num_threads(BATCH_THREADS)
    t0 = time.perf_counter()
    index, set_param, values = build(name, vecs)
    out = {"candidate": name, "sentences": len(vecs), "build_seconds": time.perf_counter() - t0,
           "load_at_build": os.getloadavg()[0]}
    if hasattr(index, "nlist"):
        # serve it as the service does: written, then memory-mapped from the file, no prefetch threads
        path = work / f"ann-{name}.faiss"
        faiss.write_index(index, str(path))
        out["nlist"] = int(index.nlist)
        del index
        index = faiss.read_index(str(path), faiss.IO_FLAG_MMAP | faiss.IO_FLAG_READ_ONLY)
        no_prefetch(index)
        out["bytes_per_sentence"] = path.stat().st_size / len(vecs)

        def set_param(v, index=index):
            index.nprobe = v
    else:
        out["bytes_per_sentence"] = len(faiss.serialize_index(index)) / len(vecs)
    single = queries[:100]
    sweep = []
    for v in values:
        set_param(v)
        faiss.omp_set_num_threads(BATCH_THREADS)
        _, got = index.search(queries, 10)
        recall = measure.recall_with_ties(queries, vecs, truth_scores, got, 10)
        by_id = recall_at_k(truth, got, 10)
        timed_queries(index, single[:10], 1)  # touch the pages
        one = timed_queries(index, single, 1)
        both = timed_queries(index, single, BATCH_THREADS)
        faiss.omp_set_num_threads(BATCH_THREADS)
        batch = queries[:64]
        t0 = time.perf_counter()
        index.search(batch, 10)
        per_claim = (time.perf_counter() - t0) / len(batch)
        row = {"param": v, "recall_at_10": round(recall, 4), "recall_at_10_by_id": round(by_id, 4), "one_thread_ms_p50": measure.pct(one, 50) * 1000,
               "all_threads_ms_p50": measure.pct(both, 50) * 1000, "batch64_ms_per_claim": per_claim * 1000,
               "load": os.getloadavg()[0]}
        sweep.append(row)
        if recall >= TARGET:
            break
    out["sweep"] = sweep
    ok = [r for r in sweep if r["recall_at_10"] >= TARGET]
    out["operating_point"] = ok[0] if ok else None
    if name == "hnsw" and ok:
        # deletes by an exclusion selector (HNSW cannot remove): 1% of the ids excluded
        sel = faiss.IDSelectorNot(faiss.IDSelectorBatch(np.arange(0, len(vecs), 100, dtype=np.int64)))
        params = faiss.SearchParametersHNSW(sel=sel, efSearch=ok[0]["param"])
        lat = timed_queries(index, single, 1, params)
        out["with_1pct_deleted_ms_p50"] = measure.pct(lat, 50) * 1000
    if hasattr(index, "nprobe") and ok:
        # FAISS's default for mapped lists: 32 prefetch threads per search (factlint sets 0)
        lists = faiss.downcast_InvertedLists(faiss.extract_index_ivf(index).invlists)
        set_param(ok[0]["param"])
        faiss.omp_set_num_threads(1)
        same = True
        lat: dict = {0: [], 32: []}
        for r in range(3):
            for threads in ((0, 32) if r % 2 == 0 else (32, 0)):
                lists.prefetch_nthread = threads
                lat[threads].append(measure.median(timed_queries(index, single, 1)))
            same = same and bool((index.search(queries, 10)[1] == got_at(index, lists, queries)).all())
        lists.prefetch_nthread = 0
        out["prefetch"] = {"threads_0_ms_p50": measure.median(lat[0]) * 1000,
                           "threads_32_ms_p50": measure.median(lat[32]) * 1000, "identical": same}
    if hasattr(index, "parallel_mode"):
        modes = {}
        for mode in (0, 1, 3):
            faiss.extract_index_ivf(index).parallel_mode = mode
            lat = timed_queries(index, single, BATCH_THREADS)
            faiss.omp_set_num_threads(BATCH_THREADS)
            t0 = time.perf_counter()
            index.search(queries[:64], 10)
            modes[str(mode)] = {"one_query_all_threads_ms_p50": measure.pct(lat, 50) * 1000,
                                "batch64_ms_per_claim": (time.perf_counter() - t0) / 64 * 1000}
        out["parallel_mode"] = modes
    if hasattr(index, "nlist"):
        del index
        path.unlink(missing_ok=True)  # the mapped file is only this measurement's
    return out


def got_at(index, lists, queries: np.ndarray) -> np.ndarray:
    """The ids a mapped IVF index returns with no prefetch threads."""
    before = lists.prefetch_nthread
    lists.prefetch_nthread = 0
    try:
        return index.search(queries, 10)[1]
    finally:
        lists.prefetch_nthread = before


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.ann", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="37356,100000,1000000")
    ap.add_argument("--candidates", default=",".join(CANDIDATES))
    ap.add_argument("--workdir", default="/tmp/factlint-bench")
    ap.add_argument("--out", default=str(HERE / "ann.json"))
    args = ap.parse_args(argv)
    work = Path(args.workdir)
    base, claims_vecs = data.base_and_claims(work)
    out = Path(args.out)
    # runs accumulate: a (size, candidate) measured again replaces its earlier row
    results = json.loads(out.read_text()) if out.exists() else []
    for n in [int(s) for s in args.sizes.split(",") if s]:
        vecs, _, cal = data.grow(base, n)
        exact = faiss.IndexFlatIP(vecs.shape[1])
        exact.add(vecs)
        truth_scores, truth = exact.search(claims_vecs, 10)
        del exact
        print(json.dumps({"sentences": n, "calibration": cal}), flush=True)
        for name in args.candidates.split(","):
            r = measure_candidate(name, vecs, claims_vecs, truth, truth_scores, work)
            r["calibration"], r["measured"] = cal, time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
            results = [x for x in results if (x["sentences"], x["candidate"]) != (n, name)] + [r]
            print(json.dumps(r), flush=True)
            out.write_text(json.dumps(sorted(results, key=lambda x: (x["sentences"], x["candidate"])), indent=1) + "\n")
        del vecs


if __name__ == "__main__":
    main()
