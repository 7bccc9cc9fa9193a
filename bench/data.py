"""Benchmark corpora from ../shared/corpora/bbc: real sentences, and bigger synthetic vector sets.

Real text: the BBC articles are parsed and split by the service's own corpus and sentence modules.
Past the real sentence count, a corpus of N sentences is grown by *perturbing real vectors*: sentence
j >= M (M real sentences) is real sentence j mod M's vector plus Gaussian noise shaped like the
corpus's own variation (covariance of the real vectors), scaled by ``s``, re-normalized to unit
length, stored with its source's text. ``s`` is *calibrated* (``calibrate_noise``): the median
similarity of a grown sentence to its nearest neighbour in the grown corpus equals the real
sentences' median among themselves, so the grown corpus has the neighbour structure of real text.
(Small isotropic noise instead, cosine 0.93 to the source, made each real sentence a tight cluster
of n/M near-copies: HNSW then reached recall@10 0.82 where on real text it reaches far more.)
Held-out articles (never indexed) give the query claims.
"""
from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from factlint.corpus import iter_article_files, read_article
from factlint.models import Document
from factlint.sentences import split_sentences
from factlint.store import SQLiteStore

BBC = Path(__file__).resolve().parent.parent.parent / "shared" / "corpora" / "bbc"
NN_SAMPLE = 500  # sentences whose nearest neighbour is looked up to compare distributions
QUANTILES = (10, 25, 50, 75, 90)
DOC_SENTENCES = 20  # synthetic documents group this many sentences


@dataclass
class Corpus:
    docs: list[Document]         # indexed articles
    held_out: list[Document]     # never indexed: claims and drafts come from these
    texts: list[str]             # the indexed articles' sentences, in order
    sources: list[str]           # each sentence's document id


def article_files() -> list[Path]:
    """The BBC article files, in the order load_bbc reads them."""
    return [f for f in iter_article_files([BBC]) if f.name.lower() != "readme.txt"]


def load_bbc(held_out_every: int = 10, limit: int = 0) -> Corpus:
    """Every ``held_out_every``-th article is held out for queries."""
    files = article_files()
    if limit:
        files = files[:limit]
    docs, held = [], []
    for i, f in enumerate(files):
        (held if i % held_out_every == held_out_every - 1 else docs).append(read_article(f))
    texts, sources = [], []
    for d in docs:
        for s in split_sentences(d):
            texts.append(s.text)
            sources.append(d.id)
    return Corpus(docs, held, texts, sources)


def held_out_claims(corpus: Corpus, n: int) -> list[str]:
    out = []
    for d in corpus.held_out:
        out += [s.text for s in split_sentences(d) if len(s.text.split()) >= 6]
        if len(out) >= n:
            break
    return out[:n]


def draft_of_words(corpus: Corpus, words: int = 1500) -> str:
    """A Markdown draft of about ``words`` words: held-out articles, each as a titled section."""
    parts, count = [], 0
    for d in corpus.held_out:
        for para in d.text.split("\n"):
            if not para.strip():
                continue
            if count == 0 or not parts:
                parts.append(f"# {d.title}\n")
            parts.append(para.strip() + "\n")
            count += len(para.split())
            if count >= words:
                return "\n".join(parts)
    return "\n".join(parts)


def nn_similarity(vectors: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Each of ``rows``' similarity to its nearest other sentence in ``vectors`` (exact search)."""
    import faiss

    index = faiss.IndexFlatIP(vectors.shape[1])
    index.add(vectors)
    scores, pos = index.search(np.ascontiguousarray(vectors[rows]), 2)
    return np.where(pos[:, 0] == rows, scores[:, 1], scores[:, 0])  # skip the row itself


def quantiles(sims: np.ndarray) -> dict:
    return {f"p{q}": round(float(np.percentile(sims, q)), 4) for q in QUANTILES}


def _noise(vectors: np.ndarray, count: int, seed: int) -> np.ndarray:
    """Gaussian noise with the covariance of ``vectors`` (the directions real sentences vary in)."""
    rng = np.random.default_rng(seed)
    cov = np.cov(vectors.astype(np.float64), rowvar=False)
    chol = np.linalg.cholesky(cov + 1e-9 * np.eye(len(cov))).astype(np.float32)
    out = np.empty((count, vectors.shape[1]), dtype=np.float32)
    for a in range(0, count, 100_000):
        b = min(count, a + 100_000)
        out[a:b] = rng.standard_normal((b - a, vectors.shape[1]), dtype=np.float32) @ chol.T
    return out


def _grown(vectors: np.ndarray, src: np.ndarray, noise: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """Real vectors first, then each grown row j: its source plus s_j times its noise, with s_j
    solved so that its cosine to the source is targets[j - M] (s_j = 0 for a target of 1: a copy)."""
    m = len(vectors)
    out = vectors[src]
    for a in range(m, len(src), 100_000):
        b = min(len(src), a + 100_000)
        v, nz, t = out[a:b], noise[a - m:b - m], targets[a - m:b - m].astype(np.float64)
        dot, sq = (v * nz).sum(1, dtype=np.float64), (nz * nz).sum(1, dtype=np.float64)
        # cos(v, v + s nz) = t  <=>  s^2 (dot^2 - t^2 sq) + 2 s dot (1 - t^2) + (1 - t^2) = 0
        qa, qb, qc = dot ** 2 - t ** 2 * sq, dot * (1 - t ** 2), 1 - t ** 2
        with np.errstate(divide="ignore", invalid="ignore"):
            scale = np.where(t < 1, (-qb - np.sqrt(np.maximum(qb ** 2 - qa * qc, 0))) / qa, 0.0)
        v += scale.astype(np.float32)[:, None] * nz
        v /= np.linalg.norm(v, axis=1, keepdims=True)
    return out


def grow(vectors: np.ndarray, n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray, dict]:
    """(vectors, source row of each, calibration) for ``n`` sentences from ``len(vectors)`` real
    ones: the real ones first, then noisy copies. Grown sentence j is drawn at cosine t_j from its
    source, t_j = 1 - f (1 - u_j) with u_j a real sentence's nearest-neighbour similarity (sampled
    from the real corpus: its duplicates too), and f found by bisection so that the grown sentences'
    median nearest-neighbour similarity in the grown corpus equals the real median: the grown
    corpus keeps the spread of real neighbour similarities, not only their middle.
    ``calibration`` holds f and both distributions' quantiles."""
    m = len(vectors)
    rng = np.random.default_rng(seed)
    real = nn_similarity(vectors, rng.choice(m, size=min(4 * NN_SAMPLE, m), replace=False))
    cal = {"noise_factor": 0.0, "real_nn": quantiles(real)}
    src = np.arange(n) % m
    if n <= m:
        return vectors[:n].copy(), src, cal
    noise = _noise(vectors, n - m, seed)
    drawn = rng.choice(real, size=n - m).astype(np.float32)
    rows = m + rng.choice(n - m, size=min(NN_SAMPLE, n - m), replace=False)
    target, lo, hi = float(np.median(real)), 0.0, 3.0
    for _ in range(8):  # the median falls as the noise grows
        mid = (lo + hi) / 2
        sims = nn_similarity(_grown(vectors, src, noise, 1 - mid * (1 - drawn)), rows)
        lo, hi = (mid, hi) if np.median(sims) > target else (lo, mid)
    factor = (lo + hi) / 2
    out = _grown(vectors, src, noise, 1 - factor * (1 - drawn))
    del noise
    cos = (out[rows] * vectors[src[rows]]).sum(1)
    cal.update(noise_factor=round(factor, 4), grown_nn=quantiles(nn_similarity(out, rows)),
               cosine_to_source=quantiles(cos),
               real_nn_in_grown=quantiles(nn_similarity(out, rng.choice(m, size=min(NN_SAMPLE, m), replace=False))))
    return out, src, cal


def write_store(data_dir: Path, texts: list[str], vectors: np.ndarray, src: np.ndarray,
                titles: list[str]) -> float:
    """Write a factlint SQLite store of ``len(vectors)`` sentences directly (one transaction),
    synthetic documents of DOC_SENTENCES sentences each. Returns seconds taken."""
    t0 = time.perf_counter()
    data_dir.mkdir(parents=True, exist_ok=True)
    from factlint.workspace import DB_FILE

    SQLiteStore(data_dir / DB_FILE)  # creates the schema
    db = sqlite3.connect(data_dir / DB_FILE, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=OFF")
    db.execute("BEGIN")
    n = len(vectors)
    now = time.time()
    for a in range(0, n, DOC_SENTENCES):
        b = min(n, a + DOC_SENTENCES)
        doc_id = f"doc-{a // DOC_SENTENCES:07d}"
        sents = [texts[int(src[j])] for j in range(a, b)]
        pos, spans = 0, []
        for t in sents:
            spans.append((pos, pos + len(t)))
            pos += len(t) + 1
        db.execute("INSERT INTO documents (id, title, published, source, text, added) VALUES (?,?,?,?,?,?)",
                   (doc_id, titles[int(src[a])], "2005-01-01", "bench", " ".join(sents), now))
        db.executemany('INSERT INTO sentences (id, doc_id, idx, start, "end", text) VALUES (?,?,?,?,?,?)',
                       [(j + 1, doc_id, j - a, spans[j - a][0], spans[j - a][1], sents[j - a]) for j in range(a, b)])
        db.executemany("INSERT INTO vectors (sentence_id, vector) VALUES (?,?)",
                       [(j + 1, vectors[j].tobytes()) for j in range(a, b)])
    db.execute("COMMIT")
    db.close()
    return time.perf_counter() - t0


def cached_vectors(work: Path, name: str, texts: list[str], embedder) -> np.ndarray:
    """``embedder``'s vectors of ``texts``, encoded once and kept in ``work``/``name``.npy."""
    path = Path(work) / f"{name}.npy"
    if path.exists():
        vecs = np.load(path)
        if len(vecs) == len(texts):
            return vecs
    vecs = embedder.encode_uncached(texts)
    Path(work).mkdir(parents=True, exist_ok=True)
    np.save(path, vecs)
    return vecs


def base_and_claims(work: Path, n_claims: int = 400) -> tuple[np.ndarray, np.ndarray]:
    """The real BBC sentences' vectors and held-out claims' vectors (the configured encoder)."""
    from factlint.config import load_settings
    from factlint.embeddings import Embedder

    corpus = load_bbc()
    embedder = Embedder.from_settings(load_settings().model)
    claims = held_out_claims(corpus, n_claims)
    return (cached_vectors(work, f"bbc-{len(corpus.texts)}", corpus.texts, embedder),
            cached_vectors(work, f"claims-{len(claims)}", claims, embedder))
