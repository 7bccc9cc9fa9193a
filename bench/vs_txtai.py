"""factlint against txtai on the same sentences with the same model (part of `python -m bench`).

txtai (``pip install txtai``; `make bench` installs it) indexes the real BBC sentences with its
defaults (sentence-transformers on torch, its FAISS backend, content stored in SQLite) from the same
packaged all-MiniLM-L6-v2 directory, offline; factlint serves a store of the same sentences with
the same vectors. Measured:

- **cold start to first answer**: a fresh Python process that opens the saved index and answers
  one query (txtai: ``Embeddings.load`` + ``search``; factlint: ``Workspace`` + ``Checker.retrieve``
  of the encoded claim), wall time from spawn to exit, median of 3 alternated runs;
- **in-process retrieve p50**: one claim in, the top 10 with their text out (txtai ``search``,
  factlint ``encode`` + ``Checker.retrieve``), the two alternated claim by claim in one process.

The txtai index is built once and kept in the bench's work directory.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from . import data, measure

ROOT = Path(__file__).resolve().parent.parent

TXTAI_COLD = r"""
import sys
from txtai import Embeddings
e = Embeddings()
e.load(sys.argv[1])
print(len(e.search(sys.argv[2], 10)))
"""
FACTLINT_COLD = r"""
import sys
from factlint.checker import Checker
from factlint.config import load_settings
from factlint.workspace import Workspace
ws = Workspace(load_settings(store={"data_dir": sys.argv[1]}))
c = Checker(ws, ws.settings.check)
print(len(c.retrieve(ws.embedder.encode([sys.argv[2]]), 10)[0]))
"""


def available() -> bool:
    try:
        import txtai  # noqa: F401
    except ImportError:
        return False
    return True


def compare(work: Path, corpus, base: np.ndarray, claims: list[str], env: dict, quick: bool = False) -> dict:
    if not available():
        return {"skipped": "txtai is not installed (pip install txtai; `make bench` installs it)"}
    from txtai import Embeddings

    from factlint.checker import Checker
    from factlint.config import load_settings
    from factlint.embeddings import resolve_model
    from factlint.workspace import Workspace

    n = len(base)
    texts = corpus.texts[:n]
    model = resolve_model("packaged")
    out: dict = {"sentences": n, "load": measure.load()}
    tdir = work / f"txtai-{n}"
    if not (tdir / "config.json").exists() and not (tdir / "config").exists():
        t0 = time.perf_counter()
        emb = Embeddings(path=model, content=True)
        emb.index(list(enumerate(texts)))
        emb.save(str(tdir))
        out["txtai_index_seconds"] = time.perf_counter() - t0
        del emb
    fdir = work / f"factlint-{n}" / "data"
    if not (fdir / "index.faiss").exists():
        titles = {d.id: d.title for d in corpus.docs}
        data.write_store(fdir, texts, base, np.arange(n), [titles[s] for s in corpus.sources[:n]])
        Workspace(load_settings(store={"data_dir": str(fdir)}))
    run_env = {**os.environ, **env, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}

    def cold(script: str, where: Path) -> float:
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", script, str(where), claims[0]], cwd=ROOT, env=run_env,
                       check=True, capture_output=True)
        return time.perf_counter() - t0

    f_cold, t_cold = [], []
    for _ in range(3):
        f_cold.append(cold(FACTLINT_COLD, fdir))
        t_cold.append(cold(TXTAI_COLD, tdir))
    out["cold_seconds"] = {"factlint": measure.median(f_cold), "txtai": measure.median(t_cold)}

    ws = Workspace(load_settings(store={"data_dir": str(fdir)}))
    checker = Checker(ws, ws.settings.check)
    emb = Embeddings()
    emb.load(str(tdir))
    out["txtai_config"] = {k: v for k, v in emb.config.items() if k in ("backend", "path", "content", "faiss")}
    f_lat, t_lat = [], []
    for c in claims[:5]:  # warm both
        emb.search(c, 10)
        checker.retrieve(ws.embedder.encode_uncached([c]), 10)
    for c in claims:
        t0 = time.perf_counter()
        emb.search(c, 10)
        t1 = time.perf_counter()
        checker.retrieve(ws.embedder.encode_uncached([c]), 10)
        t2 = time.perf_counter()
        t_lat.append(t1 - t0)
        f_lat.append(t2 - t1)
    out["retrieve_ms_p50"] = {"factlint": measure.pct(f_lat, 50) * 1000, "txtai": measure.pct(t_lat, 50) * 1000}
    out["factlint_index"] = {"kind": ws.index.kind, **ws.index.params()}
    return json.loads(json.dumps(out, default=str))
