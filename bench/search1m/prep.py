"""Grow the bench's 1M vectors once (bench/data.py, as `python -m bench` does) and cache them,
with the calibration queries (index/calibrate.queries) and the claims' exact answers."""
import time, numpy as np, faiss
from pathlib import Path
from bench import data
from factlint.index import calibrate
W = Path("/tmp/factlint-bench/search-1m")
t0 = time.time()
base = np.load("/tmp/factlint-bench/bbc-37356.npy"); claims = np.load("/tmp/factlint-bench/claims-400.npy")
q2 = np.load("/tmp/factlint-bench/size-1000000/queries.npy")
print("claims == bench queries.npy:", np.array_equal(claims, q2), flush=True)
vecs, src, cal = data.grow(base, 1_000_000)
print("grown", time.time() - t0, cal, flush=True)
np.save(W / "vecs.npy", vecs)
ids = np.arange(1, len(vecs) + 1, dtype=np.int64)
q = calibrate.queries(ids, vecs, 10)
np.savez(W / "calq.npz", sample=q.sample, sample_kth=q.sample_kth, own=q.own, own_kth=q.own_kth)
ex = faiss.IndexFlatIP(384); ex.add(vecs)
s, i = ex.search(claims, 10)
np.savez(W / "claims_truth.npz", scores=s, ids=i)
print("done", time.time() - t0, flush=True)
