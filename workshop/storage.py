"""The one owner of the database: engine, connection settings and transaction boundary.

Service functions call `read()` or `write()` and return plain data. On SQLite, `write()`
begins with `BEGIN IMMEDIATE`, so a read-modify-write holds the write lock from its first
read and concurrent writers queue (busy timeout) instead of losing updates. On PostgreSQL
the same code runs at READ COMMITTED; services that read-modify-write lock their rows
(`with_for_update`) or use an atomic upsert.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.orm import Session, sessionmaker

from workshop import config

# How long a SQLite writer waits for the lock before giving up; a workshop write is short.
SQLITE_BUSY_TIMEOUT_MS = 15_000

_lock = threading.Lock()
_engine: Engine | None = None
_sessions: sessionmaker[Session] | None = None


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:  # noqa: ANN001
        # Let SQLAlchemy's "begin" event below emit BEGIN itself, with the mode we choose.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:  # noqa: ANN001
        mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")


def make_engine(url: str) -> Engine:
    """A configured engine for `url` (SQLite file or PostgreSQL); creates the SQLite folder."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False})
        _configure_sqlite(engine)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


def engine() -> Engine:
    """The process-wide engine for `config.database_url()`, made on first use."""
    global _engine, _sessions
    with _lock:
        if _engine is None:
            _engine = make_engine(config.database_url())
            _sessions = sessionmaker(_engine, expire_on_commit=False)
        return _engine


def use_url(url: str) -> Engine:
    """Point this process at another database (tests, CLI `--database`); disposes the old engine."""
    global _engine, _sessions
    with _lock:
        if _engine is not None:
            _engine.dispose()
        _engine = make_engine(url)
        _sessions = sessionmaker(_engine, expire_on_commit=False)
        return _engine


def is_sqlite() -> bool:
    return engine().dialect.name == "sqlite"


def _session_factory() -> sessionmaker[Session]:
    engine()
    assert _sessions is not None
    return _sessions


@contextmanager
def read() -> Iterator[Session]:
    """A session for reading; its transaction is rolled back at the end."""
    with _session_factory()() as session:
        try:
            yield session
        finally:
            session.rollback()


@contextmanager
def write() -> Iterator[Session]:
    """A session whose work commits together at the end or not at all.

    On SQLite the transaction takes the write lock at once (BEGIN IMMEDIATE).
    """
    with _session_factory()() as session:
        session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def table_names() -> set[str]:
    return set(inspect(engine()).get_table_names())
