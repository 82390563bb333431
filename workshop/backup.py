"""Backup and restore of the database, consistent while the app writes.

SQLite: the online backup API copies a snapshot page by page; a restore copies a checked
backup into the live file, so open connections see the restored content.
PostgreSQL: `pg_dump` in its custom format (one snapshot transaction) and `pg_restore` in a
single transaction after checking the archive and its schema revision, so a failed restore
changes nothing. The PostgreSQL client tools must be installed (postgresql-client).
"""

from __future__ import annotations

import glob
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url

from workshop import access, config, migrate, storage
from workshop.errors import DomainError

# Pages copied per step: small steps let concurrent writers in between.
BACKUP_PAGES_PER_STEP = 256


class BackupError(DomainError):
    message_key = "error.backup"


def _database_url() -> str:
    return config.database_url() if storage._engine is None else storage.engine().url.render_as_string(hide_password=False)


def _sqlite_path() -> Path:
    return Path(_database_url().split("///", 1)[1])


def _is_postgresql() -> bool:
    return _database_url().startswith("postgresql")


# --- PostgreSQL -------------------------------------------------------------------------


def _pg_tool(name: str) -> str:
    found = shutil.which(name) or next(iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None)
    if found is None:
        raise BackupError(f"{name} was not found; install the PostgreSQL client tools (postgresql-client).", path=name)
    return found


def _pg_connection() -> tuple[str, dict[str, str]]:
    """A libpq address without the password, and an environment carrying it (so it shows
    in no process list)."""
    url = make_url(_database_url())
    environment = dict(os.environ)
    if url.password:
        environment["PGPASSWORD"] = str(url.password)
    address = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    return address, environment


def _pg_run(arguments: list[str], *, what: str, path: Path) -> str:
    _address, environment = _pg_connection()
    result = subprocess.run(arguments, capture_output=True, text=True, env=environment, check=False)
    if result.returncode != 0:
        raise BackupError(f"{what} failed: {result.stderr.strip()[:500]}", path=str(path))
    return result.stdout


def _pg_archive_revision(archive: Path) -> str | None:
    """The schema revision stored in a pg_dump archive (its alembic_version row)."""
    script = _pg_run(
        [_pg_tool("pg_restore"), "--data-only", "--table=alembic_version", "--file=-", str(archive)],
        what=f"Reading {archive}", path=archive,
    )
    lines = script.splitlines()
    for number, line in enumerate(lines):
        if line.startswith("COPY ") and "alembic_version" in line and number + 1 < len(lines):
            value = lines[number + 1].strip()
            return None if value == "\\." else value
    return None


def _pg_backup(destination: Path) -> Path:
    address, _environment = _pg_connection()
    try:
        _pg_run([_pg_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={destination}", address],
                what="pg_dump", path=destination)
        # The archive must list its contents and carry this schema's revision.
        _pg_run([_pg_tool("pg_restore"), "--list", str(destination)], what="Checking the backup", path=destination)
        if _pg_archive_revision(destination) != migrate.head_revision():
            raise BackupError("The backup holds no schema revision.", path=str(destination))
    except BackupError:
        destination.unlink(missing_ok=True)
        raise
    return destination


def _pg_restore(source_file: Path) -> None:
    _pg_run([_pg_tool("pg_restore"), "--list", str(source_file)], what=f"Checking {source_file}", path=source_file)
    revision = _pg_archive_revision(source_file)
    if revision != migrate.head_revision():
        raise BackupError(
            f"{source_file} is at schema revision {revision or 'none'}; this version needs {migrate.head_revision()}.",
            path=str(source_file),
        )
    address, _environment = _pg_connection()
    storage.engine().dispose()  # our own idle connections would hold locks the restore needs
    _pg_run(
        [_pg_tool("pg_restore"), "--clean", "--if-exists", "--single-transaction", "--exit-on-error", "--no-owner",
         f"--dbname={address}", str(source_file)],
        what="pg_restore", path=source_file,
    )


def integrity_problems(path: Path) -> list[str]:
    """What `PRAGMA integrity_check` and a foreign-key check report; empty when sound."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
        problems = [row[0] for row in connection.execute("PRAGMA integrity_check") if row[0] != "ok"]
        problems += [f"foreign key: {row}" for row in connection.execute("PRAGMA foreign_key_check")]
    return problems


@access.administers
def backup(destination: Path) -> Path:
    """Write a consistent copy of the live database to `destination` and check it.

    Raises `BackupError` when the destination exists, or the copy fails (SQLite: its
    integrity check; PostgreSQL: pg_dump, or the archive's check) — the bad copy is removed
    then.
    """
    destination = Path(destination)
    if destination.exists():
        raise BackupError(f"{destination} exists already; choose a new file name.", path=str(destination))
    destination.parent.mkdir(parents=True, exist_ok=True)
    if _is_postgresql():
        return _pg_backup(destination)
    source_path = _sqlite_path()
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

    Raises `BackupError` when the file is missing, not a sound backup of this kind of
    database, or not an Opportunity Map database at a schema revision this version knows;
    nothing changes then.
    """
    source_file = Path(source_file)
    if not source_file.is_file():
        raise BackupError(f"No backup file at {source_file}.", path=str(source_file))
    if _is_postgresql():
        _pg_restore(source_file)
        return
    target_path = _sqlite_path()
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
