"""Benchmark corpora from ../shared/corpora/bbc: real sentences, and bigger synthetic vector sets.

Real text: the BBC articles are parsed and split by the service's own corpus and sentence modules.
Past the real sentence count, a corpus of N sentences is grown by *perturbing real vectors*: sentence
j >= M (M real sentences) is real sentence j mod M's vector plus Gaussian noise of standard deviation
``NOISE`` per dimension, re-normalized to unit length (cosine to its source ~0.93), stored with its
source's text. Held-out articles (never indexed) give the query claims.
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
NOISE = 0.02  # per dimension; |noise| ~ 0.02*sqrt(384) ~ 0.39 -> cosine to the source ~0.93
DOC_SENTENCES = 20  # synthetic documents group this many sentences


@dataclass
class Corpus:
    docs: list[Document]         # indexed articles
    held_out: list[Document]     # never indexed: claims and drafts come from these
    texts: list[str]             # the indexed articles' sentences, in order
    sources: list[str]           # each sentence's document id


def load_bbc(held_out_every: int = 10, limit: int = 0) -> Corpus:
    """Every ``held_out_every``-th article is held out for queries."""
    files = [f for f in iter_article_files([BBC]) if f.name.lower() != "readme.txt"]
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


def grow(vectors: np.ndarray, n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """(vectors, source row of each) for ``n`` sentences from ``len(vectors)`` real ones."""
    m = len(vectors)
    src = np.arange(n) % m
    out = vectors[src].copy()
    rng = np.random.default_rng(seed)
    step = 100_000
    for a in range(m, n, step):
        b = min(n, a + step)
        out[a:b] += rng.normal(0, NOISE, size=(b - a, vectors.shape[1])).astype(np.float32)
        out[a:b] /= np.linalg.norm(out[a:b], axis=1, keepdims=True)
    return out, src


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
