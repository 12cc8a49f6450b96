"""The SQLite demo serves two people saving at once: one waits for the other, neither is refused."""

import threading

from django.db.utils import ConnectionHandler

SAVES = 200


def save_repeatedly(database: dict, start: threading.Barrier, failures: list) -> None:
    """Each save as a view makes it: in a transaction, read the record, then write what was read plus one."""
    connection = ConnectionHandler({"default": database})["default"]
    start.wait()
    try:
        for _ in range(SAVES):
            connection.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
            with connection.cursor() as cursor:
                cursor.execute("SELECT n FROM counter")
                (n,) = cursor.fetchone()
                cursor.execute("UPDATE counter SET n = %s", [n + 1])
            connection.commit()
            connection.set_autocommit(True)
    except Exception as error:  # noqa: BLE001  (the failure is what the test reports)
        failures.append(repr(error))
    finally:
        connection.close()


def test_two_people_save_at_once_on_the_sqlite_demo(settings_read_from, tmp_path, django_db_blocker):
    # A database of its own, not the suite's: the suite's guard is lifted for it alone.
    with django_db_blocker.unblock():
        two_people_save_at_once(settings_read_from, tmp_path)


def two_people_save_at_once(settings_read_from, tmp_path):
    database = settings_read_from(DATABASE_URL=None, SQLITE_PATH=str(tmp_path / "demo.sqlite3")).DATABASES["default"]
    assert database["ENGINE"] == "django.db.backends.sqlite3"
    setup = ConnectionHandler({"default": database})["default"]
    with setup.cursor() as cursor:
        cursor.execute("CREATE TABLE counter (n integer)")
        cursor.execute("INSERT INTO counter VALUES (0)")
        assert cursor.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    failures = []
    start = threading.Barrier(2)
    people = [threading.Thread(target=save_repeatedly, args=(database, start, failures)) for _ in range(2)]
    for person in people:
        person.start()
    for person in people:
        person.join()
    assert failures == []
    with setup.cursor() as cursor:
        assert cursor.execute("SELECT n FROM counter").fetchone() == (2 * SAVES,)
    setup.close()
