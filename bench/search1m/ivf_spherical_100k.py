"""IVF at 100k grown sentences: spherical k-means (unit centroids) against plain inner-product k-means."""
import faiss, numpy as np, time
from bench import data
from factlint.index import calibrate
faiss.omp_set_num_threads(1)
base = np.load("/tmp/factlint-bench/bbc-37356.npy"); claims = np.load("/tmp/factlint-bench/claims-400.npy")
v, _, _ = data.grow(base, 100_000)
ids = np.arange(1, len(v)+1)
q = calibrate.queries(ids, v, 10)
ex = faiss.IndexFlatIP(384); ex.add(v); cs, _ = ex.search(claims, 10)
def rec(x,kth,pos,k):
    h=0
    for qq,b,row in zip(x,kth,pos):
        row=np.unique(row[:k][row[:k]>=0]); h+=min(k,int((v[row]@qq>=b-1e-5).sum()))
    return h/(k*len(x))
for sph in (False, True):
    ix = faiss.IndexIVFFlat(faiss.IndexFlatIP(384), 384, 632, faiss.METRIC_INNER_PRODUCT)
    ix.cp.seed, ix.cp.niter, ix.cp.max_points_per_centroid, ix.cp.spherical = 1234, 12, 64, sph
    t=time.time(); ix.train(v); ix.add(v)
    print("spherical", sph, "build", round(time.time()-t,1), "imbalance", round(ix.invlists.imbalance_factor(),2), flush=True)
    for p in (8, 16, 32, 64, 96, 128):
        ix.nprobe = p
        print("  nprobe", p, [round(rec(x,kth,ix.search(x,k)[1],k),4) for x,kth,k in ((q.sample,q.sample_kth,10),(q.own,q.own_kth,11),(claims,cs[:,9],10))], flush=True)
