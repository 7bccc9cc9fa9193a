"""Build one candidate over the cached 1M vectors, write it to /tmp/factlint-bench/search-1m/<name>.faiss
and its build time to <name>.json.  python build.py NAME [threads]"""
import json, os, sys, time
import faiss, numpy as np
from pathlib import Path
W = Path("/tmp/factlint-bench/search-1m")
name = sys.argv[1]
threads = int(sys.argv[2]) if len(sys.argv) > 2 else 2
faiss.omp_set_num_threads(threads)
vecs = np.load(W / "vecs.npy")
d, ip = vecs.shape[1], faiss.METRIC_INNER_PRODUCT
load0 = os.getloadavg()[0]
t0 = time.perf_counter()
info = {"name": name, "threads": threads}
if name.startswith("hnsw-"):  # hnsw-M-efC
    _, m, efc = name.split("-")
    index = faiss.IndexHNSWFlat(d, int(m), ip)
    index.hnsw.efConstruction = int(efc)
    index.add(vecs)
elif name.startswith("ivfhnsw"):  # ivfhnsw-NLIST-PPC
    _, nlist, ppc = name.split("-")
    nlist = int(nlist)
    quantizer = faiss.IndexHNSWFlat(d, 32, ip)
    quantizer.hnsw.efConstruction = 40
    index = faiss.IndexIVFFlat(quantizer, d, nlist, ip)
    index.cp.seed, index.cp.niter = 1234, 8
    index.cp.max_points_per_centroid = int(ppc)
    index.cp.verbose = True
    index.clustering_index = faiss.IndexHNSWFlat(d, 32, ip)  # assignment through a graph too
    index.train(vecs)
    info["train_seconds"] = time.perf_counter() - t0
    index.add(vecs)
elif name.startswith("hnswsq"):  # hnswsq-QT-M-efC[-refine]: graph over scalar-quantized vectors
    parts = name.split("-")
    qt = {"8": faiss.ScalarQuantizer.QT_8bit, "fp16": faiss.ScalarQuantizer.QT_fp16}[parts[1]]
    m, efc = int(parts[2]), int(parts[3])
    base = faiss.IndexHNSWSQ(d, qt, m, ip)
    base.hnsw.efConstruction = efc
    base.train(vecs)
    if len(parts) > 4:  # re-score the graph's candidates with fp16 vectors
        index = faiss.IndexRefine(base, faiss.IndexScalarQuantizer(d, faiss.ScalarQuantizer.QT_fp16, ip))
        index.train(vecs)
    else:
        index = base
    index.add(vecs)
else:
    raise SystemExit(name)
info["build_seconds"] = time.perf_counter() - t0
info["load_at_start"], info["load_at_end"] = load0, os.getloadavg()[0]
faiss.write_index(index, str(W / f"{name}.faiss"))
info["file_bytes"] = (W / f"{name}.faiss").stat().st_size
(W / f"{name}.json").write_text(json.dumps(info))
print(json.dumps(info), flush=True)
