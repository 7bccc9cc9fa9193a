"""The embedder's backends: length-sorted batching keeps input order, the LRU cache for repeated
claims, and the ONNX backends (onnx, onnx-int8): within cosine 0.99 of torch on real sentences,
exported once and atomically, clear errors for models they cannot run, and no torch at run time."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from conftest import ROOT, SEEDS, make_settings
from factlint.corpus import iter_article_files, read_article
from factlint.embeddings import BACKENDS, Embedder, ModelNotFound, resolve_model
from factlint.encoders import onnx_export
from factlint.sentences import split_sentences

SENTENCES = [
    "The central bank raised interest rates by half a percentage point on Thursday.",
    "Shares fell.",
    "The company said its annual profit rose to 1.2 billion pounds, beating forecasts by analysts.",
    "Voters in the northern region will elect a new governor in March.",
    "The film won three awards, including best director, at the ceremony in Berlin last night.",
    "Rain is expected.",
]

# Beyond the seed articles' own sentences: what news text also holds.
EDGE_CASES = [
    "Yes.",
    "GDP grew 2.4% in Q3 2023 (vs. 1.9% a year earlier), the ONS said on 14/11/2023.",
    "Tickets cost $19.99 -- or £15 -- and 12,500 were sold by 9:30 a.m.",
    "\"We won't stop,\" she said; \"not now, not ever!\"",
    "Zoë Müller-Lüdenscheidt and François Hollande met in Zürich.",
    "Le président a déclaré que l'économie française était « en bonne voie ».",
    "東京の人口は約1400万人です。",
    "Москва — столица России.",
    "The match ended 3-1 after extra time!!! Fans cheered... 🎉",
    "e-mail: press@example.org; see https://example.org/report?id=42&lang=en",
    "  Leading and trailing spaces, and\ta tab.  ",
]

# Over 256 tokens (the model's max_seq_length): truncation must match sentence-transformers'.
LONG = " ".join(
    f"In {1990 + i} the council approved budget line {i}, worth {i * 1.5:.1f} million, after a vote "
    f"of {20 + i} to {i % 7}, and the mayor said the plan would be reviewed." for i in range(14))


def seed_sentences() -> list[str]:
    return [s.text for f in iter_article_files([SEEDS]) for s in split_sentences(read_article(f))]


@pytest.fixture(scope="module")
def sentences() -> list[str]:
    out = seed_sentences() + EDGE_CASES + [LONG, LONG[:1000]] + SENTENCES
    assert len(out) > 100
    return out


@pytest.fixture(scope="module")
def reference(embedder, sentences) -> np.ndarray:
    """The torch backend's vectors of ``sentences``: what the ONNX backends are held to."""
    return embedder.encode_uncached(sentences)


@pytest.fixture(scope="session")
def onnx_dir(shared_onnx_dir) -> Path:
    """The session's ONNX exports (plain and int8), made once here and reused by every later
    Embedder, server and CLI of the session (FACTLINT_MODEL_ONNX_DIR points at it)."""
    onnx_export.ensure_export(Path(resolve_model("packaged")), shared_onnx_dir, int8=True)
    return shared_onnx_dir


@pytest.fixture(scope="session")
def onnx_embedders(onnx_dir) -> dict[str, Embedder]:
    return {b: Embedder(backend=b, onnx_dir=onnx_dir) for b in ("onnx", "onnx-int8")}


@pytest.mark.parametrize("backend", BACKENDS)
def test_batch_sorted_by_length_keeps_each_sentence_in_place(embedder, onnx_embedders, backend):
    emb = embedder if backend == "torch" else onnx_embedders[backend]
    # int8: activations are quantized with one scale per batch, so a sentence's vector moves a
    # little with the company it is encoded in (0.998 measured); float backends only by rounding
    same = 0.995 if backend == "onnx-int8" else 0.9999
    texts = SENTENCES + [LONG]
    together = emb.encode_uncached(texts)
    for i, s in enumerate(texts):
        one = emb.encode_uncached([s])[0]
        assert float(one @ together[i]) > same
    assert together.dtype == np.float32 and together.shape == (len(texts), 384)
    assert np.allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-4)
    assert emb.encode_uncached([]).shape == (0, 384)


def test_onnx_batches_bound_padding_and_threads_follow_the_setting(onnx_dir):
    emb = Embedder(backend="onnx", batch_size=4, threads=1, onnx_dir=onnx_dir)
    lengths = np.array([12, 256, 9, 30, 11, 14, 13, 40, 200, 10, 12, 11])
    batches = emb.encoder.batches(lengths)
    assert sorted(np.concatenate(batches).tolist()) == list(range(len(lengths)))  # each row once
    for rows in batches:
        width = lengths[rows].max()
        assert len(rows) <= 4 and all(1.1 * lengths[r] >= width for r in rows)
        assert lengths[rows[0]] == width  # longest first
    # 256 | 200 | 40 | 30 | 14 13 | 12 12 11 11 | 10 | 9: no row padded by more than a tenth
    assert [len(b) for b in batches] == [1, 1, 1, 1, 2, 4, 1, 1]
    opts = emb.encoder.session.get_session_options()
    assert (opts.intra_op_num_threads, opts.inter_op_num_threads) == (1, 1)


def test_onnx_runtime_session_options_follow_the_model_settings(onnx_dir, embedder):
    from factlint.embeddings import runtime_options

    model = make_settings(Path("unused"), model={"graph_optimization": "basic", "spinning": "run",
                                                 "affinity": "2", "threads": 2}).model
    emb = Embedder(backend="onnx", threads=2, onnx_dir=onnx_dir, runtime=runtime_options(model))
    opts = emb.encoder.session.get_session_options()
    import onnxruntime as ort

    assert opts.graph_optimization_level == ort.GraphOptimizationLevel.ORT_ENABLE_BASIC
    assert opts.intra_op_num_threads == 2
    assert opts.get_session_config_entry("session.intra_op.allow_spinning") == "1"
    assert opts.get_session_config_entry("session.force_spinning_stop") == "1"
    assert opts.get_session_config_entry("session.intra_op_thread_affinities") == "2"
    # the default: idle threads sleep at once
    off = Embedder(backend="onnx", onnx_dir=onnx_dir).encoder.session.get_session_options()
    assert off.get_session_config_entry("session.intra_op.allow_spinning") == "0"
    assert off.graph_optimization_level == ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    # another graph optimization level computes the same vectors (cosine >= 0.99 to torch)
    cos = (emb.encode_uncached(SENTENCES) * embedder.encode_uncached(SENTENCES)).sum(1)
    assert cos.min() >= 0.99
    with pytest.raises(Exception):
        make_settings(Path("unused"), model={"spinning": "sometimes"})


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


@pytest.mark.parametrize("backend", ["onnx", "onnx-int8"])
def test_onnx_backends_stay_within_cosine_099_of_torch(embedder, onnx_embedders, backend, sentences,
                                                      reference):
    other = onnx_embedders[backend]
    assert (other.backend, other.dim) == (backend, embedder.dim)
    a, b = reference, other.encode_uncached(sentences)
    assert a.shape == b.shape == (len(sentences), 384)
    cos = (a * b).sum(axis=1)
    worst = int(cos.argmin())
    assert float(cos[worst]) >= 0.99, (float(cos[worst]), sentences[worst])
    if backend == "onnx":  # the same float32 graph: equal up to rounding
        assert float(cos.min()) > 0.9999
    # truncation at 256 tokens: a text longer than that encodes like its first 256 tokens
    cut = other.encode_uncached([LONG, LONG + " And then much more text was added at the end."])
    assert float(cut[0] @ cut[1]) > 0.9999


def test_export_is_reused_not_repeated(onnx_dir, monkeypatch):
    def no_export(*args):
        raise AssertionError("exported again")

    monkeypatch.setattr(onnx_export, "_export", no_export)
    monkeypatch.setattr(onnx_export, "_quantize", no_export)
    for backend in ("onnx", "onnx-int8"):
        assert Embedder(backend=backend, onnx_dir=onnx_dir).encode(["Shares fell."]).shape == (1, 384)
    made = [p.name for p in onnx_dir.iterdir() if p.is_dir()]
    assert len(made) == 1  # one export directory for the model
    assert sorted(f.name for f in (onnx_dir / made[0]).iterdir()) == [onnx_export.INT8_FILE,
                                                                       onnx_export.ONNX_FILE]


def test_a_crashed_export_leaves_nothing_half_written(tmp_path, monkeypatch):
    import torch

    def crash(model, args, path, **kwargs):
        Path(path).write_bytes(b"\x08\x07half an ONNX file")
        raise RuntimeError("killed mid-export")

    monkeypatch.setattr(torch.onnx, "export", crash)
    model = Path(resolve_model("packaged"))
    with pytest.raises(RuntimeError, match="killed mid-export"):
        onnx_export.ensure_export(model, tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == [".export.lock"]  # no export dir, no temp dir


def test_concurrent_exports_wait_for_one(tmp_path, monkeypatch):
    calls = []

    def slow_export(model_dir, out):
        calls.append(out)
        time.sleep(0.3)
        tmp = out.parent / ".export-fake"
        tmp.mkdir()
        (tmp / onnx_export.ONNX_FILE).write_bytes(b"onnx")
        os.replace(tmp, out)

    monkeypatch.setattr(onnx_export, "_export", slow_export)
    model = Path(resolve_model("packaged"))
    got = []
    threads = [threading.Thread(target=lambda: got.append(onnx_export.ensure_export(model, tmp_path)))
               for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1 and len(set(got)) == 1 and got[0].read_bytes() == b"onnx"


def copy_model(dst: Path) -> Path:
    """The packaged model's small files (no weights) in ``dst``."""
    src = Path(resolve_model("packaged"))
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns("*.safetensors", "*.bin", "*.onnx"))
    return dst


def test_models_the_onnx_backends_cannot_run_fail_clearly(tmp_path):
    with pytest.raises(ModelNotFound, match="neither a directory nor in the local Hugging Face cache"):
        Embedder("no-such-org/no-such-model-xyz", backend="onnx", onnx_dir=tmp_path / "x")
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ModelNotFound, match="not a model directory: it has no config.json"):
        Embedder(str(empty), backend="onnx", onnx_dir=tmp_path / "x")

    weighted = copy_model(tmp_path / "weighted")
    conf = json.loads((weighted / "1_Pooling" / "config.json").read_text())
    conf.update(pooling_mode_mean_tokens=False, pooling_mode_weightedmean_tokens=True)
    (weighted / "1_Pooling" / "config.json").write_text(json.dumps(conf))
    with pytest.raises(ModelNotFound, match=r"pooling .*\(weightedmean\) is not supported.*torch"):
        Embedder(str(weighted), backend="onnx", onnx_dir=tmp_path / "x")

    dense = copy_model(tmp_path / "dense")
    modules = json.loads((dense / "modules.json").read_text())
    modules.insert(2, {"idx": 2, "name": "2", "path": "2_Dense", "type": "sentence_transformers.models.Dense"})
    (dense / "modules.json").write_text(json.dumps(modules))
    with pytest.raises(ModelNotFound, match="Transformer, Pooling, Dense.*not supported"):
        Embedder(str(dense), backend="onnx-int8", onnx_dir=tmp_path / "x")

    broken = copy_model(tmp_path / "broken")
    (broken / "model.safetensors").write_bytes(b"not safetensors at all")
    with pytest.raises(ModelNotFound, match="cannot load the weights"):
        Embedder(str(broken), backend="onnx", onnx_dir=tmp_path / "x")
    assert not any(p.is_dir() for p in (tmp_path / "x").iterdir())  # nothing half-exported

    no_tokenizer = copy_model(tmp_path / "no-tokenizer")
    (no_tokenizer / "tokenizer.json").unlink()
    with pytest.raises(ModelNotFound, match="has no tokenizer.json"):
        Embedder(str(no_tokenizer), backend="onnx", onnx_dir=tmp_path / "x")


def test_a_damaged_export_file_fails_clearly(onnx_dir, tmp_path):
    good = onnx_export.export_dir(Path(resolve_model("packaged")), onnx_dir)
    bad_dir = onnx_export.export_dir(Path(resolve_model("packaged")), tmp_path)
    bad_dir.mkdir(parents=True)
    (bad_dir / onnx_export.ONNX_FILE).write_bytes((good / onnx_export.ONNX_FILE).read_bytes()[:5000])
    with pytest.raises(ModelNotFound, match="cannot load"):
        Embedder(backend="onnx", onnx_dir=tmp_path)


NO_TORCH = r"""
import json, sys
from factlint.embeddings import Embedder
emb = Embedder(backend=sys.argv[1], onnx_dir=sys.argv[2])
v = emb.encode(["The central bank raised interest rates.", "Shares fell."])
from factlint.cli import cli
try:
    cli.main(["check", sys.argv[3], "--data-dir", sys.argv[4], "--format", "json"], standalone_mode=False)
except SystemExit:
    pass
heavy = sorted(m for m in ("torch", "transformers", "sentence_transformers") if m in sys.modules)
print(json.dumps({"shape": list(v.shape), "heavy": heavy}))
"""


@pytest.mark.parametrize("backend", ["onnx", "onnx-int8"])
def test_onnx_backends_do_not_import_torch_once_exported(onnx_dir, onnx_embedders, backend, tmp_path):
    from factlint.workspace import Workspace

    data = tmp_path / "data"
    Workspace(make_settings(data, model={"backend": backend, "onnx_dir": str(onnx_dir)}),
              embedder=onnx_embedders[backend]).add_paths([SEEDS])
    draft = tmp_path / "draft.md"
    draft.write_text("# Notes\n\nThe film won three awards at the ceremony in Berlin.\n")
    env = {**os.environ, "FACTLINT_MODEL_BACKEND": backend, "FACTLINT_MODEL_ONNX_DIR": str(onnx_dir),
           "FACTLINT_NLI_MODEL": ""}
    out = subprocess.run([sys.executable, "-c", NO_TORCH, backend, str(onnx_dir), str(draft), str(data)],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got == {"shape": [2, 384], "heavy": []}
