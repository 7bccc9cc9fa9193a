"""Store backends behind one interface (base.Store), chosen by ``[store] url``:

- empty (the default): SQLite, one file in ``[store] data_dir`` (sqlite.SQLiteStore);
- ``postgresql://…``: PostgreSQL, shared by any number of replicas (postgres.PostgresStore).
"""
from __future__ import annotations

from pathlib import Path

from .base import (CHANGES_KEPT, PRUNE_EVERY, SCHEMA_VERSION, Delta, DocumentInfo, Store, StoreError,
                   StoreUnavailable, Written)
from .sqlite import SQLiteStore

DB_FILE = "factlint.sqlite3"
URL_SCHEMES = ("postgresql://", "postgres://")


def is_postgres(url: str) -> bool:
    return url.startswith(URL_SCHEMES)


def open_store(settings) -> Store:
    """The store ``settings`` (a Settings) name: PostgreSQL for a postgresql:// ``[store] url``,
    else the SQLite file in ``data_dir``."""
    url = settings.store.url
    if not url:
        return SQLiteStore(Path(settings.store.data_dir) / DB_FILE)
    if not is_postgres(url):
        raise StoreError(f"[store] url must be empty (SQLite in data_dir) or postgresql://..., not {url[:40]!r}")
    from .postgres import PostgresStore

    return PostgresStore(url)


def store_exists(settings) -> bool:
    """Whether there is a store to read without creating one: always for a server (its schema is
    created on first use), only when the file exists for SQLite."""
    return bool(settings.store.url) or (Path(settings.store.data_dir) / DB_FILE).is_file()


def describe(settings) -> str:
    """Where the store is, for messages: the data directory or the URL without its password."""
    if not settings.store.url:
        return str(settings.store.data_dir)
    from .postgres import redact

    return redact(settings.store.url)


__all__ = ["CHANGES_KEPT", "DB_FILE", "PRUNE_EVERY", "SCHEMA_VERSION", "Delta", "DocumentInfo", "SQLiteStore",
           "Store", "StoreError", "StoreUnavailable", "Written", "describe", "is_postgres", "open_store",
           "store_exists"]
