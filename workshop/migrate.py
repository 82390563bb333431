"""Schema migrations (Alembic), run by the CLI and the start command, never by a page."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from workshop import storage
from workshop.errors import DatabaseNotReady

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def _config() -> Config:
    alembic_config = Config()
    alembic_config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return alembic_config


@cache
def head_revision() -> str:
    return ScriptDirectory.from_config(_config()).get_current_head()


def current_revision(engine: Engine | None = None) -> str | None:
    with (engine or storage.engine()).connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(revision: str = "head", *, engine: Engine | None = None) -> None:
    """Bring the schema to `revision` (default: the newest); idempotent."""
    _run(command.upgrade, revision, engine)


def downgrade(revision: str, *, engine: Engine | None = None) -> None:
    """Take the schema back to `revision` (`"base"` drops every table)."""
    _run(command.downgrade, revision, engine)


def _run(operation, revision: str, engine: Engine | None) -> None:  # noqa: ANN001
    alembic_config = _config()
    with (engine or storage.engine()).begin() as connection:
        alembic_config.attributes["connection"] = connection
        operation(alembic_config, revision)


def ensure_ready(engine: Engine | None = None) -> None:
    """Raise `DatabaseNotReady` unless the schema is at the newest revision."""
    try:
        current = current_revision(engine)
    except Exception as exc:  # the server may be down or the file unreadable
        raise DatabaseNotReady(f"The database cannot be reached: {exc}") from exc
    head = head_revision()
    if current != head:
        raise DatabaseNotReady(
            f"The database schema is at {current or 'nothing'}, this version needs {head}: "
            "run `python -m workshop db upgrade`.",
            current=current or "-",
            head=head,
        )
