"""Settings: config/default.toml, then FACTLINT_CONFIG's file, then FACTLINT_* environment variables."""
from __future__ import annotations

import os
import tomllib
from pathlib import Path

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

PROJECT_DIR = Path(__file__).resolve().parent.parent.parent
DEFAULT_CONFIG = PROJECT_DIR / "config" / "default.toml"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class StoreSettings(_Section):
    data_dir: str = "data"
    seed_dir: str = "seeds"
    # empty: SQLite in data_dir; postgresql://user:password@host:port/dbname: a shared PostgreSQL
    url: str = ""

    @field_validator("url")
    @classmethod
    def _url(cls, v: str) -> str:
        v = v.strip()
        if v and not v.startswith(("postgresql://", "postgres://")):
            raise ValueError("must be empty (SQLite in data_dir) or a postgresql:// URL")
        return v


class ModelSettings(_Section):
    name: str = "packaged"
    backend: Literal["torch", "onnx", "onnx-int8"] = "onnx"
    batch_size: int = 64
    threads: int = Field(0, ge=0)
    cache_size: int = Field(4096, ge=0)
    onnx_dir: str = ""
    graph_optimization: Literal["disable", "basic", "extended", "all"] = "all"
    spinning: Literal["off", "run", "on"] = "off"
    affinity: str = Field("", pattern=r"^[0-9,;-]*$")


class IndexSettings(_Section):
    kind: Literal["auto", "flat", "ivf", "hnsw"] = "auto"
    auto_threshold: int = Field(20_000, ge=0)
    hnsw_threshold: int = Field(100_000, ge=0)
    quantization: Literal["none", "fp16", "int8"] = "none"
    mmap: bool = True
    target_recall: float = Field(0.98, gt=0, le=1)
    nlist: int = Field(0, ge=0)
    nprobe: int = Field(0, ge=0)
    checkpoint_every: int = Field(1000, ge=1, le=10_000)  # within the change log kept (store.CHANGES_KEPT)


class CheckSettings(_Section):
    top_k: int = 10
    min_related: float = 0.35
    min_supported: float = 0.72
    min_coverage: float = 0.75
    min_coverage_related: float = 0.45
    min_conflict: float = 0.55
    min_containment: float = 0.75
    min_conflict_figures: float = 0.25
    min_confidence: float = 0.7


class NliSettings(_Section):
    model: str = ""  # empty: off
    min_probability: float = 0.9
    contradiction_label: int = 0


class ServerSettings(_Section):
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 2
    ready_wait: float = 60
    # gthread workers: each worker process answers up to `threads` requests at once (2 kept for short ones)
    threads: int = Field(8, ge=3, le=64)
    # long requests (drafts, batches, writes, the report) running at once per worker; more wait
    long_requests: int = Field(2, ge=1)
    # seconds a request may compute before it is answered 503 (checks of drafts and batches)
    request_timeout: float = Field(60, gt=0)
    # seconds a client has to send a request's head, and then as many for its body (then 408)
    read_timeout: float = Field(15, gt=0)
    # Host header values answered; empty: the bind address, localhost, 127.0.0.1 and ::1; "*": any
    allowed_hosts: list[str] = []
    # reverse proxies in front whose X-Forwarded-For / -Proto / -Host are believed (0: none)
    proxies: int = Field(0, ge=0, le=10)

    @field_validator("allowed_hosts", mode="before")
    @classmethod
    def _hosts_from_text(cls, v):
        """FACTLINT_SERVER_ALLOWED_HOSTS="a.example,b.example" as well as a TOML list."""
        return [h.strip() for h in v.split(",") if h.strip()] if isinstance(v, str) else v

    def trusted_hosts(self) -> list[str] | None:
        """The Host header values to answer (None: any), for Flask's TRUSTED_HOSTS."""
        if "*" in self.allowed_hosts:
            return None
        if self.allowed_hosts:
            return list(self.allowed_hosts)
        return list(dict.fromkeys([self.host.strip("[]"), "localhost", "127.0.0.1", "::1"]))


class LimitsSettings(_Section):
    """What one HTTP request may ask for; beyond these the API answers 413 or 422."""

    max_body_bytes: int = Field(default=1_000_000, ge=1_000)
    max_claim_chars: int = Field(default=2_000, ge=1)
    max_batch: int = Field(default=256, ge=1)
    max_top_k: int = Field(default=100, ge=1)
    max_document_chars: int = Field(default=200_000, ge=1)
    max_documents: int = Field(default=100, ge=1)
    max_page_size: int = Field(default=500, ge=1)


class AuthSettings(_Section):
    """API keys: writes need ``Authorization: Bearer <api_key>`` when a key is set."""

    api_key: str = ""
    protect_reads: bool = False


class Settings(_Section):
    store: StoreSettings = StoreSettings()
    model: ModelSettings = ModelSettings()
    index: IndexSettings = IndexSettings()
    check: CheckSettings = CheckSettings()
    nli: NliSettings = NliSettings()
    server: ServerSettings = ServerSettings()
    limits: LimitsSettings = LimitsSettings()
    auth: AuthSettings = AuthSettings()

    @property
    def data_dir(self) -> Path:
        return Path(self.store.data_dir)


def _merge(base: dict, over: dict) -> dict:
    out = dict(base)
    for k, v in over.items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


# Short names that also work; the long FACTLINT_<SECTION>_<KEY> form wins when both are set.
SHORT_ENV = {"FACTLINT_DATA_DIR": ("store", "data_dir"), "FACTLINT_API_KEY": ("auth", "api_key")}


def _env_overrides(env: dict[str, str]) -> dict:
    out: dict[str, dict] = {}
    for name, (section, key) in SHORT_ENV.items():
        if name in env:
            out.setdefault(section, {})[key] = env[name]
    for section, model in Settings.model_fields.items():
        for key in model.annotation.model_fields:
            name = f"FACTLINT_{section}_{key}".upper()
            if name in env:
                out.setdefault(section, {})[key] = env[name]
    return out


def load_settings(path: str | Path | None = None, env: dict[str, str] | None = None,
                  **overrides: dict) -> Settings:
    """Load settings; ``overrides`` are sections of values that win over everything (CLI flags)."""
    env = dict(os.environ) if env is None else env
    data: dict = {}
    for p in (DEFAULT_CONFIG, path or env.get("FACTLINT_CONFIG")):
        if p and Path(p).is_file():
            with open(p, "rb") as fh:
                data = _merge(data, tomllib.load(fh))
    data = _merge(data, _env_overrides(env))
    data = _merge(data, {k: {kk: vv for kk, vv in v.items() if vv is not None}
                         for k, v in overrides.items()})
    return Settings.model_validate(data)
