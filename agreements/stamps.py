"""Stamps of stored content: a stamp changes whenever the content does, so what is built from the
content can be cached under its stamp and never needs to be invalidated.

Every change to an agreement, an edition or a return leaves a history row (django-simple-history;
bulk writes go through its *_with_history helpers), so the newest history id of each table is such
a stamp, read in one query of index look-ups.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache

from django.apps import apps
from django.db import connection
from django.db.models import Model

from csa_site import prepared


@dataclass(frozen=True)
class Stamp:
    key: str
    # Whether no write was in flight when the stamp was read. PostgreSQL numbers a history row when
    # it is written, not when it is committed: while a transaction is open, a row numbered below
    # the newest visible one may still appear, and output built now would go stale under this stamp.
    settled: bool


def stamp(models: tuple[type[Model], ...]) -> Stamp:
    """The stamp of everything stored in these models."""
    sql = _stamp_sql(models, connection.vendor)
    with connection.cursor() as cursor:
        # PostgreSQL takes longer to plan the stamp's two dozen look-ups than to run them.
        prepared.execute(cursor, "stamp", sql)
        busy, *ids = cursor.fetchone()
    return Stamp(key=hashlib.sha256(repr(ids).encode()).hexdigest()[:32], settled=not busy)


@cache
def _stamp_sql(models: tuple[type[Model], ...], vendor: str) -> str:
    newest = ", ".join(
        f"(SELECT MAX(history_id) FROM {connection.ops.quote_name(m.history.model._meta.db_table)})" for m in models
    )
    # A transaction that has written holds a transaction id (backend_xid) until it ends. Only
    # clients write history rows; autovacuum's ANALYZE holds an id too, and would make every
    # stamp look unsettled while it runs.
    in_flight = ("EXISTS (SELECT 1 FROM pg_stat_activity WHERE datname = current_database()"
                 " AND backend_type = 'client backend'"
                 " AND backend_xid IS NOT NULL AND pid <> pg_backend_pid())")
    if vendor != "postgresql":
        in_flight = "FALSE"  # SQLite writes one transaction at a time: ids come in commit order
    return f"SELECT {in_flight}, {newest}"


@cache
def edition_sources() -> tuple[type[Model], ...]:
    """Every model an edition's document or its comparison with another is built from: the
    agreements (editions and their content) and the assessments (cycles, returns, partnerships)."""
    return tuple(
        model
        for label in ("agreements", "assessments")
        for model in apps.get_app_config(label).get_models()
        if getattr(model._meta, "simple_history_manager_attribute", None)
    )


# Keys carry the stamp, so an entry never goes stale; the timeout only frees the memory of entries
# nobody asks for any more.
KEEP_SECONDS = 60 * 60 * 24


def fragment_cache(models: tuple[type[Model], ...]) -> dict:
    """What a template's {% cache fragment.seconds NAME ... fragment.key %} needs to keep a fragment
    built from these models: a key that changes with them, and a time to keep it (none while a write
    is in flight). The fragment must hold nothing of the visitor's own, not even a CSRF token: its
    buttons post a form outside it (`form` and `formaction`)."""
    state = stamp(models)
    return {"key": state.key, "seconds": KEEP_SECONDS if state.settled else 0}
