"""Backup and restore of the embedded SQLite database through SQLite's online backup API.

The backup is a consistent snapshot even while the app writes; a restore copies a checked
backup into the live database page by page, so open connections see the restored content.
For PostgreSQL use the server's own tools (pg_dump / pg_restore), see the README.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from workshop import access, config, migrate, storage
from workshop.errors import DomainError

# Pages copied per step: small steps let concurrent writers in between.
BACKUP_PAGES_PER_STEP = 256


class BackupError(DomainError):
    message_key = "error.backup"


def _sqlite_path() -> Path:
    url = config.database_url() if storage._engine is None else str(storage.engine().url)
    if not url.startswith("sqlite"):
        raise BackupError(
            "Backup and restore here are for the embedded SQLite database; for PostgreSQL use "
            "pg_dump and pg_restore (see the README)."
        )
    return Path(url.split("///", 1)[1])


def integrity_problems(path: Path) -> list[str]:
    """What `PRAGMA integrity_check` and a foreign-key check report; empty when sound."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
        problems = [row[0] for row in connection.execute("PRAGMA integrity_check") if row[0] != "ok"]
        problems += [f"foreign key: {row}" for row in connection.execute("PRAGMA foreign_key_check")]
    return problems


@access.administers
def backup(destination: Path) -> Path:
    """Write a consistent copy of the live database to `destination` and check it.

    Raises `BackupError` when the database is not SQLite, the destination exists, or the
    copy fails its integrity check (the bad copy is removed then).
    """
    source_path = _sqlite_path()
    destination = Path(destination)
    if destination.exists():
        raise BackupError(f"{destination} exists already; choose a new file name.", path=str(destination))
    destination.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(source_path, timeout=30)
    target = sqlite3.connect(destination)
    try:
        source.backup(target, pages=BACKUP_PAGES_PER_STEP)
    finally:
        target.close()
        source.close()
    problems = integrity_problems(destination)
    if problems:
        destination.unlink()
        raise BackupError(f"The backup failed its integrity check: {problems[:3]}")
    return destination


@access.administers
def restore(source_file: Path) -> None:
    """Replace the live database's content with a backup, after checking the backup.

    Raises `BackupError` when the file is missing, not a sound SQLite database, or not an
    Opportunity Map database at a schema revision this version knows; nothing changes then.
    """
    source_file = Path(source_file)
    target_path = _sqlite_path()
    if not source_file.is_file():
        raise BackupError(f"No backup file at {source_file}.", path=str(source_file))
    try:
        problems = integrity_problems(source_file)
        with sqlite3.connect(f"file:{source_file}?mode=ro", uri=True) as connection:
            revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{source_file} is not a readable backup: {exc}", path=str(source_file)) from exc
    if problems:
        raise BackupError(f"{source_file} failed its integrity check: {problems[:3]}", path=str(source_file))
    if revision is None or revision[0] != migrate.head_revision():
        raise BackupError(
            f"{source_file} is at schema revision {revision[0] if revision else 'none'}; "
            f"this version needs {migrate.head_revision()}.",
            path=str(source_file),
        )
    source = sqlite3.connect(f"file:{source_file}?mode=ro", uri=True)
    target = sqlite3.connect(target_path, timeout=30)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()
