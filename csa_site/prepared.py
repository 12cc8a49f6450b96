"""Small look-ups run as statements prepared once per connection.

On PostgreSQL, planning a query of a few index look-ups takes longer than running it, and these
run on every request of pages that must cost little more than the stack itself (make bench).
"""

import hashlib
import re

from django.db.backends.signals import connection_created
from django.dispatch import receiver


def execute(cursor, label: str, sql: str, params: tuple = ()) -> None:
    """Runs `sql` (with %s placeholders) through `cursor`: on PostgreSQL as a statement named after
    `label` and the SQL, prepared the first time this connection runs it; elsewhere as it is."""
    if cursor.db.vendor != "postgresql":
        cursor.execute(sql, params or None)
        return
    name = f"{label}_{hashlib.sha256(sql.encode()).hexdigest()[:16]}"
    # Kept on the connection's wrapper, which a new connection empties (below): a persistent
    # connection (CONN_MAX_AGE) is closed and opened again under the same wrapper.
    prepared = cursor.db.__dict__.setdefault("prepared_statements", set())
    if name not in prepared:
        numbers = iter(range(1, len(params) + 1))
        numbered = re.sub("%s", lambda _: f"${next(numbers)}", sql)
        cursor.execute(f"PREPARE {name} AS {numbered}")  # not undone by a rollback: it lasts as long as the connection
        prepared.add(name)
    arguments = f"({', '.join(['%s'] * len(params))})" if params else ""
    cursor.execute(f"EXECUTE {name}{arguments}", params or None)


@receiver(connection_created)
def _forget_prepared(sender, connection, **kwargs) -> None:
    connection.prepared_statements = set()
