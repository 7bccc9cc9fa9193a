"""How a sentence-transformers model directory turns token embeddings into a sentence vector,
read from its own files (modules.json, sentence_bert_config.json, the Pooling module's config,
tokenizer.json), and that pooling in numpy. Used by the ONNX backends, which run the transformer
without sentence-transformers; anything they cannot reproduce is refused with ModelNotFound."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .base import ModelNotFound

POOLING_MODES = ("mean", "cls", "max", "mean_sqrt_len")
# sentence-transformers' Pooling config flags, and the newer single "pooling_mode" names
_FLAGS = {"pooling_mode_mean_tokens": "mean", "pooling_mode_cls_token": "cls",
          "pooling_mode_max_tokens": "max", "pooling_mode_mean_sqrt_len_tokens": "mean_sqrt_len",
          "pooling_mode_weightedmean_tokens": "weightedmean", "pooling_mode_lasttoken": "lasttoken"}
_NAMES = {"mean": "mean", "mean_tokens": "mean", "cls": "cls", "cls_token": "cls", "max": "max",
          "max_tokens": "max", "mean_sqrt_len_tokens": "mean_sqrt_len", "mean_sqrt_len": "mean_sqrt_len"}


@dataclass(frozen=True)
class Pipeline:
    """What the ONNX backends need to reproduce the model's sentence-transformers pipeline."""

    transformer_dir: Path  # config.json, weights and tokenizer.json of the transformer
    tokenizer_file: Path
    max_seq_length: int  # tokens, special tokens included; longer texts are truncated
    do_lower_case: bool
    pooling: str  # one of POOLING_MODES
    dim: int


def model_dir(name: str) -> Path:
    """A model setting as a local directory: a directory as is, else a model name that must already
    be in the local Hugging Face cache (nothing is downloaded)."""
    path = Path(name).expanduser()
    if path.is_dir():
        return path
    try:
        from huggingface_hub import snapshot_download

        return Path(snapshot_download(name, local_files_only=True))
    except Exception as exc:
        raise ModelNotFound(f"cannot load embedding model {name!r} offline: it is neither a directory "
                            f"nor in the local Hugging Face cache ({type(exc).__name__})") from exc


def _json(path: Path) -> dict | list:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelNotFound(f"cannot read {path}: {exc}") from exc


def _kind(module: dict) -> str:
    return str(module.get("type", "")).rsplit(".", 1)[-1]


def _pooling_mode(conf: dict, where: Path) -> str:
    if isinstance(conf.get("pooling_mode"), str):
        modes = [_NAMES.get(conf["pooling_mode"], conf["pooling_mode"])]
    else:
        modes = [mode for flag, mode in _FLAGS.items() if conf.get(flag)]
    if len(modes) != 1 or modes[0] not in POOLING_MODES:
        raise ModelNotFound(f"the pooling of {where} ({', '.join(modes) or 'none'}) is not supported by "
                            f"the onnx backends (they support one of: {', '.join(POOLING_MODES)}); "
                            f"use backend = \"torch\"")
    return modes[0]


def read_pipeline(path: Path) -> Pipeline:
    """The pipeline of the sentence-transformers model in ``path``: Transformer, then Pooling, then
    optionally Normalize (vectors are always L2-normalized here, as Embedder asks of torch too).
    A directory without modules.json is a plain transformer: mean pooling, as sentence-transformers
    does for it."""
    path = Path(path)
    if not path.is_dir():
        raise ModelNotFound(f"the embedding model directory {path} does not exist")
    modules_file = path / "modules.json"
    if modules_file.is_file():
        modules = _json(modules_file)
        if not isinstance(modules, list):
            raise ModelNotFound(f"{modules_file} is not a list of modules")
        modules = sorted(modules, key=lambda m: m.get("idx", 0))
        kinds = [_kind(m) for m in modules]
        if kinds not in (["Transformer", "Pooling"], ["Transformer", "Pooling", "Normalize"]):
            raise ModelNotFound(f"the modules of {path} ({', '.join(kinds)}) are not supported by the "
                                f"onnx backends (Transformer, Pooling[, Normalize]); use backend = \"torch\"")
        transformer_dir = path / modules[0].get("path", "")
        pooling_conf = _json(path / modules[1].get("path", "") / "config.json")
        pooling = _pooling_mode(pooling_conf, path)
    else:
        transformer_dir, pooling_conf, pooling = path, {}, "mean"
    config_file = transformer_dir / "config.json"
    if not config_file.is_file():
        raise ModelNotFound(f"{path} is not a model directory: it has no {config_file.name}")
    config = _json(config_file)
    tokenizer_file = transformer_dir / "tokenizer.json"
    if not tokenizer_file.is_file():
        raise ModelNotFound(f"{transformer_dir} has no tokenizer.json (a fast tokenizer), which the "
                            f"onnx backends need; use backend = \"torch\"")
    st_file = transformer_dir / "sentence_bert_config.json"
    st_conf = _json(st_file) if st_file.is_file() else {}
    max_len = st_conf.get("max_seq_length")
    if not max_len:  # sentence-transformers: the smaller of the tokenizer's and the model's limits
        tok_conf = transformer_dir / "tokenizer_config.json"
        limits = [config.get("max_position_embeddings"),
                  (_json(tok_conf) if tok_conf.is_file() else {}).get("model_max_length")]
        limits = [int(x) for x in limits if isinstance(x, (int, float)) and 0 < x < 1_000_000]
        max_len = min(limits) if limits else 512
    dim = pooling_conf.get("word_embedding_dimension") or config.get("hidden_size") or config.get("dim")
    if not dim:
        raise ModelNotFound(f"cannot tell the embedding size of {path} (no hidden_size in {config_file})")
    return Pipeline(transformer_dir=transformer_dir, tokenizer_file=tokenizer_file,
                    max_seq_length=int(max_len), do_lower_case=bool(st_conf.get("do_lower_case")),
                    pooling=pooling, dim=int(dim))


def pool(hidden: np.ndarray, mask: np.ndarray, mode: str) -> np.ndarray:
    """Sentence vectors (unit length, float32) from token embeddings (batch, tokens, dim) and the
    attention mask (batch, tokens), as sentence-transformers' Pooling and Normalize compute them."""
    m = mask[..., None].astype(hidden.dtype)
    if mode == "cls":
        out = hidden[:, 0]
    elif mode == "max":
        out = np.where(m > 0, hidden, np.finfo(hidden.dtype).min).max(axis=1)
    else:
        summed = (hidden * m).sum(axis=1)
        counts = np.clip(m.sum(axis=1), 1e-9, None)
        out = summed / (counts if mode == "mean" else np.sqrt(counts))
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return np.ascontiguousarray(out / np.clip(norms, 1e-12, None), dtype=np.float32)
