"""The "onnx" and "onnx-int8" backends: the exported transformer on ONNX Runtime, the model's own
tokenizer.json through ``tokenizers``, and its pooling in numpy. No torch, transformers or
sentence-transformers is imported here."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from .base import ModelNotFound, RuntimeOptions
from .pipeline import Pipeline, pool

LEVELS = {"disable": "ORT_DISABLE_ALL", "basic": "ORT_ENABLE_BASIC", "extended": "ORT_ENABLE_EXTENDED",
          "all": "ORT_ENABLE_ALL"}


# Padding a row may get, as a share of its length. `python -m bench.scale --parts ingestion` (Dask
# tasks of 16 articles, about 240 sentences, against the raw encoder on all 2,393 at once): 2
# workers made 0.82 of the raw encoder's sentences/s with 1.0 (twice a row's length), 1.04 with 0.1.
PAD_SHARE = 0.1


def session_options(threads: int, runtime: RuntimeOptions):
    """ONNX Runtime's SessionOptions for ``threads`` intra-op threads (0 = ORT's default) and ``runtime``."""
    import onnxruntime as ort

    opts = ort.SessionOptions()
    if threads > 0:
        opts.intra_op_num_threads = threads
    opts.inter_op_num_threads = 1
    opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    opts.graph_optimization_level = getattr(ort.GraphOptimizationLevel, LEVELS[runtime.graph_optimization])
    opts.log_severity_level = 3
    opts.add_session_config_entry("session.intra_op.allow_spinning", "0" if runtime.spinning == "off" else "1")
    if runtime.spinning == "run":
        opts.add_session_config_entry("session.force_spinning_stop", "1")
    if runtime.affinity:
        opts.add_session_config_entry("session.intra_op_thread_affinities", runtime.affinity)
    return opts


class OnnxEncoder:
    def __init__(self, onnx_file: Path, pipeline: Pipeline, batch_size: int = 64, threads: int = 0,
                 runtime: RuntimeOptions = RuntimeOptions()):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        opts = session_options(threads, runtime)
        self.runtime = runtime
        try:
            self.session = ort.InferenceSession(str(onnx_file), opts, providers=["CPUExecutionProvider"])
            tokenizer = Tokenizer.from_file(str(pipeline.tokenizer_file))
        except Exception as exc:  # a damaged file: onnxruntime and tokenizers raise their own types
            raise ModelNotFound(f"cannot load {onnx_file} or {pipeline.tokenizer_file}: {exc}") from exc
        self.inputs = [i.name for i in self.session.get_inputs()]
        self.pad_id = int((tokenizer.padding or {}).get("pad_id", 0))
        tokenizer.no_padding()  # each batch is padded to its own longest sentence below
        tokenizer.enable_truncation(max_length=pipeline.max_seq_length)
        self.tokenizer = tokenizer
        self.pipeline = pipeline
        self.batch_size = max(1, batch_size)
        self.dim = pipeline.dim

    def batches(self, lengths: np.ndarray) -> list[np.ndarray]:
        """Row indices, longest first, cut into batches of at most batch_size rows in which no
        row is padded by more than PAD_SHARE of its own length: one 256-token sentence among
        short ones costs one small batch, not a batch_size-row batch padded to 256 (4x slower),
        and a few hundred sentences (a Dask task's articles, a 64-claim batch) are encoded about as
        fast per sentence as thousands sorted together."""
        order = np.argsort(-lengths, kind="stable")
        out, start = [], 0
        while start < len(order):
            width, end = lengths[order[start]], start + 1
            while end < len(order) and end - start < self.batch_size \
                    and (1 + PAD_SHARE) * lengths[order[end]] >= width:
                end += 1
            out.append(order[start:end])
            start = end
        return out

    def encode(self, texts: list[str]) -> np.ndarray:
        """Tokenize all texts, run them longest first in batches of similar length (little
        padding), pool each batch and put every vector back at its text's position."""
        if self.pipeline.do_lower_case:
            texts = [t.lower() for t in texts]
        encodings = self.tokenizer.encode_batch(list(texts))
        lengths = np.array([len(e.ids) for e in encodings])
        out = np.empty((len(encodings), self.dim), dtype=np.float32)
        for rows in self.batches(lengths):
            width = int(lengths[rows[0]])
            ids = np.full((len(rows), width), self.pad_id, dtype=np.int64)
            types = np.zeros((len(rows), width), dtype=np.int64)
            mask = np.zeros((len(rows), width), dtype=np.int64)
            for r, i in enumerate(rows):
                e, n = encodings[i], lengths[i]
                ids[r, :n], types[r, :n], mask[r, :n] = e.ids, e.type_ids, 1
            feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
            hidden = self.session.run(None, {name: feed[name] for name in self.inputs})[0]
            out[rows] = pool(hidden, mask, self.pipeline.pooling)
        return out
