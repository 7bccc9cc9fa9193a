"""Measure 1M-sentence index candidates in one run (see bench/search1m/README.md).

For each candidate and each value of its search effort (efSearch; nprobe) up to the first that
reaches recall@10 >= 0.98 on all three: recall@10 (a returned vector as similar as the exact k-th
counting as found, as index/calibrate.py counts) on the calibration's two kinds of query
(calibrate.queries: 300 synthetic, 300 own corpus vectors with k+1) and on the bench's 400 held-out
BBC claims. Then the single-query p50 on the claims (one query per call on one FAISS thread, as
VectorIndex.search runs one query) at every swept effort, candidates alternated over rounds
(order reversed every other round), medians of the rounds' p50s. IVF candidates are served as the
service serves IVF (memory-mapped, no prefetch threads).

    PYTHONPATH=service:. python bench/search1m/measure.py hnsw-32-64,hnsw-48-128 [--rounds 5]"""
import argparse, json, os, statistics, time
from pathlib import Path
import faiss, numpy as np
from factlint.index.ivf import no_prefetch

W = Path("/tmp/factlint-bench/search-1m")
TARGET = 0.98
K_FACTOR = 4  # an IndexRefine re-scores k_factor * k of the graph's candidates
FILES = {"hnsw-32-64": Path("/tmp/factlint-bench/size-1000000/data/index.faiss")}  # the bench's own build

ap = argparse.ArgumentParser()
ap.add_argument("cands"); ap.add_argument("--rounds", type=int, default=5)
ap.add_argument("--singles", type=int, default=200); ap.add_argument("--sweep-only", action="store_true")
ap.add_argument("--efforts", default="")
args = ap.parse_args()

vecs = np.load(W / "vecs.npy", mmap_mode="r")
cq = np.load(W / "calq.npz"); ct = np.load(W / "claims_truth.npz")
claims = np.load("/tmp/factlint-bench/claims-400.npy")
KINDS = {"synthetic": (cq["sample"], cq["sample_kth"], 10), "own": (cq["own"], cq["own_kth"], 11),
         "claims": (claims, ct["scores"][:, 9], 10)}


def recall(queries, kth, pos, k):
    hits = 0
    for q, bound, row in zip(queries, kth, pos):
        row = np.unique(row[:k][row[:k] >= 0])
        hits += min(k, int((np.asarray(vecs[row]) @ q >= bound - 1e-5).sum()))
    return hits / (k * len(queries))


class Cand:
    def __init__(self, name):
        self.name = name
        path = FILES.get(name, W / f"{name}.faiss")
        meta = W / f"{name}.json"
        self.build = json.loads(meta.read_text()) if meta.exists() else {"build_seconds": 574.3, "threads": 1, "note": "make bench, 2026-12-01 16:21, Workspace build"}
        self.ivf = name.startswith("ivf")
        t0 = time.perf_counter()
        if self.ivf:  # served as the service serves IVF: memory-mapped, no prefetch threads
            self.index = faiss.read_index(str(path), faiss.IO_FLAG_MMAP | faiss.IO_FLAG_READ_ONLY)
            no_prefetch(self.index)
            self.quant = faiss.downcast_index(self.index.quantizer)
            self.efforts = [128, 256, 384, 512, 768, 1024, 1536]
        else:
            self.index = faiss.read_index(str(path))
            self.efforts = [256, 384, 512, 768, 1024, 1536, 2048]
        self.load_s = time.perf_counter() - t0
        self.bytes_per_sentence = (self.build.get("file_bytes") or path.stat().st_size) / self.index.ntotal
        self.params = None

    def set(self, e):
        self.effort = e
        if self.name.endswith("-refine"):
            self.params = faiss.IndexRefineSearchParameters(
                k_factor=K_FACTOR, base_index_params=faiss.SearchParametersHNSW(efSearch=e))
        elif self.ivf:
            qef = max(e, 64)
            self.params = faiss.SearchParametersIVF(nprobe=e, quantizer_params=faiss.SearchParametersHNSW(efSearch=qef))
        else:
            self.params = faiss.SearchParametersHNSW(efSearch=e)

    def search(self, x, k):
        return self.index.search(x, k, params=self.params)[1]


def sweep(c):
    rows = []
    efforts = [int(e) for e in args.efforts.split(",")] if args.efforts else c.efforts
    for e in efforts:
        c.set(e)
        faiss.omp_set_num_threads(2)
        r = {}
        for kind, (x, kth, k) in KINDS.items():
            got = c.search(x, k)
            r[kind] = round(recall(x, kth, got, k), 4)
            if kind == "synthetic":  # its halves: moved by noise (even rows), between two vectors (odd)
                r["synthetic_moved"] = round(recall(x[0::2], kth[0::2], got[0::2], k), 4)
                r["synthetic_between"] = round(recall(x[1::2], kth[1::2], got[1::2], k), 4)
        r["calibration"] = min(r["synthetic"], r["own"])
        faiss.omp_set_num_threads(1)
        lat = []
        for x in claims[:100]:
            t0 = time.perf_counter(); c.search(x[None], 10); lat.append(time.perf_counter() - t0)
        r["claims_p50_ms_quick"] = round(statistics.median(lat) * 1000, 3)
        r["effort"] = e; r["load"] = os.getloadavg()[0]
        print(c.name, json.dumps(r), flush=True)
        rows.append(r)
        if min(r["calibration"], r["claims"]) >= TARGET:
            break
    return rows


cands = [Cand(n) for n in args.cands.split(",")]
results = {}
for c in cands:
    rows = sweep(c)
    ok = [r for r in rows if min(r["calibration"], r["claims"]) >= TARGET]
    results[c.name] = {"met": bool(ok), "sweep": rows, "op": (ok[0] if ok else rows[-1])["effort"]}
if not args.sweep_only:
    # every swept effort of every candidate timed in each round; candidates alternate (order reversed
    # every other round) so that the shared machine's load falls on all of them alike
    faiss.omp_set_num_threads(1)  # VectorIndex.search: one query, one thread
    lat = {(c.name, r["effort"]): [] for c in cands for r in results[c.name]["sweep"]}
    loads = []
    for rnd in range(args.rounds):
        order = cands if rnd % 2 == 0 else cands[::-1]
        for c in order:
            for r in results[c.name]["sweep"]:
                c.set(r["effort"])
                for x in claims[:20]:
                    c.search(x[None], 10)
                ts = []
                for x in claims[:args.singles]:
                    t0 = time.perf_counter(); c.search(x[None], 10); ts.append(time.perf_counter() - t0)
                lat[(c.name, r["effort"])].append(statistics.median(ts) * 1000)
        loads.append(round(os.getloadavg()[0], 2))
        print("round", rnd, "load", loads[-1], flush=True)
    print(f"\n{args.rounds} alternated rounds, {args.singles} held-out claims per effort and round, one query per call on one FAISS thread; loads {loads}\n")
    print("| candidate | B/sentence | build s | effort | recall@10 synthetic (moved / between) | own | calibration (min) | claims | p50 ms | p50 per round |")
    print("|---|---:|---:|---:|---|---:|---:|---:|---:|---|")
    for c in cands:
        for r in results[c.name]["sweep"]:
            v = lat[(c.name, r["effort"])]
            r["p50_ms"] = statistics.median(v); r["p50_rounds"] = v
            mark = " **op**" if r["effort"] == results[c.name]["op"] and results[c.name]["met"] else ""
            print(f"| {c.name} | {c.bytes_per_sentence:,.0f} | {c.build['build_seconds']:.0f} ({c.build.get('threads', 1)} thr) | {r['effort']}{mark} | {r['synthetic']:.3f} ({r['synthetic_moved']:.3f} / {r['synthetic_between']:.3f}) | "
                  f"{r['own']:.3f} | {r['calibration']:.3f} | {r['claims']:.3f} | {r['p50_ms']:.2f} | {' '.join(f'{x:.2f}' for x in v)} |")
    (W / f"measure-{int(time.time())}.json").write_text(json.dumps({"results": results, "loads": loads,
        "builds": {c.name: c.build for c in cands}}, indent=1))
