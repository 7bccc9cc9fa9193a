"""factlint: find where claims and drafts contradict an archive of articles.

The Python API (``factlint.archive``): ``factlint.open(data_dir)`` opens an archive, whose
``check``, ``check_many``, ``compare``, ``add``, ``add_paths``, ``delete`` and ``report`` are what
the command line and the HTTP service do. Importing factlint loads nothing heavy; opening an
archive loads the model and the index.
"""
from __future__ import annotations

from pathlib import Path

__all__ = ["open"]


def open(data_dir: str | Path | None = None, *, store_url: str | None = None,  # noqa: A001 (like gzip.open)
         config: str | Path | None = None, **sections: dict):
    """Open an archive: a data directory (``data_dir``; made when missing, default the settings'
    ``[store] data_dir``) or a PostgreSQL store (``store_url``, the settings' ``[store] url``).
    ``config`` names a settings file (TOML, like config/default.toml); keyword arguments are
    sections of settings that win over everything, e.g. ``check={"min_confidence": 0.8}``.
    Returns a ``factlint.archive.Archive``."""
    from .archive import open_archive

    return open_archive(data_dir, store_url=store_url, config=config, **sections)
