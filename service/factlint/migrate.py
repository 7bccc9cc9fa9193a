"""`factlint migrate --to URL`: copy a store into another (a SQLite data directory into PostgreSQL).

Documents, sentences and their vectors are copied as they are (nothing is embedded again), in
id order, ``batch`` documents per transaction of the target. A document already in the target is
replaced (by id), so a migration that was interrupted is finished by running it again. The
target's change log records every copied document: replicas already running on it catch up.
"""
from __future__ import annotations

from collections.abc import Callable

from .store import Store


def copy_store(source: Store, target: Store, batch: int = 200,
               on_batch: Callable[[int], None] | None = None) -> tuple[int, int]:
    """Copy every document of ``source`` into ``target``: (documents, sentences) copied."""
    documents = sentences = 0
    after = None
    while True:
        page = source.list_documents(batch, after)
        if not page:
            return documents, sentences
        items = source.items([d.id for d in page])
        target.upsert_many(items)
        documents += len(items)
        sentences += sum(len(s) for _, s, _ in items)
        after = page[-1].id
        if on_batch is not None:
            on_batch(len(items))
