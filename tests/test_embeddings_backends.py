"""The embedder: length-sorted batching keeps input order, the LRU cache for repeated claims, and
the ONNX backends (when the optional onnx extra is installed) within cosine 0.99 of torch."""
from __future__ import annotations

import importlib.util
import threading

import numpy as np
import pytest

from service.embeddings import BACKENDS, Embedder

SENTENCES = [
    "The central bank raised interest rates by half a percentage point on Thursday.",
    "Shares fell.",
    "The company said its annual profit rose to 1.2 billion pounds, beating forecasts by analysts.",
    "Voters in the northern region will elect a new governor in March.",
    "The film won three awards, including best director, at the ceremony in Berlin last night.",
    "Rain is expected.",
]


def test_batch_sorted_by_length_keeps_each_sentence_in_place(embedder):
    together = embedder.encode_uncached(SENTENCES)
    for i, s in enumerate(SENTENCES):
        one = embedder.encode_uncached([s])[0]
        assert float(one @ together[i]) > 0.999
    assert np.allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-4)


def test_repeated_claims_come_from_the_cache(embedder, monkeypatch):
    emb = object.__new__(Embedder)  # the shared model, a fresh small cache
    emb.__dict__.update({**embedder.__dict__, "cache_size": 3, "_cache": type(embedder._cache)(),
                         "_lock": threading.Lock()})
    seen = []
    real = Embedder.encode_uncached

    def counting(self, texts):
        seen.append(list(texts))
        return real(self, texts)

    monkeypatch.setattr(Embedder, "encode_uncached", counting)
    first = emb.encode(SENTENCES[:2] + SENTENCES[:1])  # a duplicate inside one call is encoded once
    assert seen == [SENTENCES[:2]]
    again = emb.encode([SENTENCES[1], SENTENCES[0]])
    assert len(seen) == 1  # all hits
    np.testing.assert_array_equal(again, first[[1, 0]])
    np.testing.assert_array_equal(first[0], first[2])
    emb.encode(SENTENCES[2:4])  # cache holds 3: SENTENCES[1] (least recent) is evicted
    emb.encode([SENTENCES[1]])
    assert seen[-1] == [SENTENCES[1]] and len(emb._cache) == 3
    emb.cache_size = 0  # off: every call goes to the encoder
    emb.encode([SENTENCES[1]])
    assert seen[-1] == [SENTENCES[1]] and len(seen) == 4


def test_unknown_backend_is_refused():
    with pytest.raises(ValueError, match="unknown model backend"):
        Embedder(backend="tensorflow")
    assert set(BACKENDS) == {"torch", "onnx", "onnx-int8"}


HAS_ONNX = all(importlib.util.find_spec(m) for m in ("onnxruntime", "optimum"))


@pytest.mark.skipif(not HAS_ONNX, reason="the optional onnx extra (optimum-onnx, onnxruntime) is not installed")
@pytest.mark.parametrize("backend", ["onnx", "onnx-int8"])
def test_onnx_backends_stay_within_cosine_099_of_torch(embedder, backend, tmp_path_factory):
    onnx_dir = tmp_path_factory.getbasetemp() / "onnx-export"  # one export shared by both backends
    other = Embedder(backend=backend, onnx_dir=onnx_dir)
    a, b = embedder.encode_uncached(SENTENCES), other.encode_uncached(SENTENCES)
    assert a.shape == b.shape
    assert float((a * b).sum(axis=1).min()) >= 0.99
