"""Backup while the app writes, restore, integrity: the restore drill."""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest

from tests.factories import make_workshop
from workshop import backup, content, demo, storage
from workshop.errors import DomainError

TABLES_TO_COMPARE = ("cohort", "company", "workshop", "participant", "process", "use_case", "vote", "action_item")


def _snapshot(path) -> dict[str, list[tuple]]:
    with sqlite3.connect(path) as connection:
        return {t: connection.execute(f"SELECT * FROM {t} ORDER BY id").fetchall() for t in TABLES_TO_COMPARE}


def _database_path() -> str:
    return str(storage.engine().url).split("///", 1)[1]


def _backup_while_writing(workshop_id: int, destination) -> tuple:  # noqa: ANN001
    """The demo cohort, then a backup taken while another thread adds processes P0, P1 …
    to the workshop as fast as it can; the backup's path and every process id written."""
    demo.load_demo()
    stop = threading.Event()
    written: list[int] = []

    def keep_writing() -> None:
        n = 0
        while not stop.is_set():
            written.append(content.add_process(workshop_id=workshop_id, area="production", name=f"P{n}"))
            n += 1

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        while len(written) < 5:
            time.sleep(0.01)
        target = backup.backup(destination)
    finally:
        stop.set()
        writer.join()
    return target, written


def test_backup_during_writes_then_restore_gives_identical_content(sqlite_db, tmp_path):
    ids = make_workshop(use_cases=0)
    target, _written = _backup_while_writing(ids["workshop_id"], tmp_path / "backup.db")
    assert backup.integrity_problems(target) == []
    backed_up = _snapshot(target)
    assert len(backed_up["process"]) >= 5
    assert len(_snapshot(_database_path())["process"]) >= len(backed_up["process"])

    content.add_process(workshop_id=ids["workshop_id"], area="production", name="Efter backup")
    backup.restore(target)
    assert _snapshot(_database_path()) == backed_up
    assert backup.integrity_problems(_database_path()) == []


def test_backup_refuses_to_overwrite(sqlite_db, tmp_path):
    (tmp_path / "taken.db").write_text("x")
    with pytest.raises(DomainError):
        backup.backup(tmp_path / "taken.db")


@pytest.mark.parametrize("content_bytes", [b"not a database at all", b""])
def test_restore_refuses_non_database_and_changes_nothing(sqlite_db, tmp_path, content_bytes):
    demo.load_demo()
    before = _snapshot(_database_path())
    bogus = tmp_path / "bogus.db"
    bogus.write_bytes(content_bytes)
    with pytest.raises(DomainError):
        backup.restore(bogus)
    assert _snapshot(_database_path()) == before


def test_restore_missing_file_raises(sqlite_db, tmp_path):
    with pytest.raises(DomainError):
        backup.restore(tmp_path / "missing.db")


# --- PostgreSQL: pg_dump / pg_restore through the same commands ------------------------------


def _table_snapshot() -> dict[str, list[tuple]]:
    """Every row of every table, in primary-key order, read through the app's engine."""
    from sqlalchemy import select

    from workshop.models import Base

    with storage.read() as session:
        return {
            table.name: [tuple(row) for row in session.execute(select(table).order_by(*table.primary_key.columns))]
            for table in Base.metadata.sorted_tables
        }


@pytest.mark.parametrize("backend", ["postgresql"])
def test_postgresql_backup_during_writes_then_restore_gives_identical_content(db, tmp_path):
    ids = make_workshop(use_cases=0)
    target, written = _backup_while_writing(ids["workshop_id"], tmp_path / "backup.dump")

    # Restore into the same database after more changes: the snapshot comes back, and it is
    # consistent — a gap-free prefix of the writes that ran meanwhile.
    content.add_process(workshop_id=ids["workshop_id"], area="production", name="Efter backup")
    backup.restore(target)
    first = _table_snapshot()
    names = [process.name for process in content.list_processes(workshop_id=ids["workshop_id"]) if process.name != "Orderplanering"]
    assert 5 <= len(names) <= len(written)
    assert sorted(names, key=lambda name: int(name[1:])) == [f"P{n}" for n in range(len(names))]
    # A second restore of the same file gives the same content again (identical, not merely similar).
    content.add_process(workshop_id=ids["workshop_id"], area="production", name="Igen")
    backup.restore(target)
    assert _table_snapshot() == first
    # The restored database works: the app writes to it and its constraints hold.
    content.add_process(workshop_id=ids["workshop_id"], area="production", name="Efter återställning")


@pytest.mark.parametrize("backend", ["postgresql"])
@pytest.mark.parametrize("content_bytes", [b"not a dump at all", b""])
def test_postgresql_restore_refuses_a_bad_archive_and_changes_nothing(db, tmp_path, content_bytes):
    demo.load_demo()
    before = _table_snapshot()
    bogus = tmp_path / "bogus.dump"
    bogus.write_bytes(content_bytes)
    with pytest.raises(DomainError):
        backup.restore(bogus)
    assert _table_snapshot() == before
