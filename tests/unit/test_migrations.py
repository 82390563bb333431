"""Migrations: empty → head, round trip, and no drift between models and migrations."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from workshop import migrate, storage
from workshop.models import Base

EXPECTED_TABLES = {t for t in Base.metadata.tables} | {"alembic_version"}


def _diff(engine):
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, Base.metadata)


def test_fresh_database_is_at_head_with_every_table(db):
    assert migrate.current_revision() == migrate.head_revision()
    assert set(inspect(storage.engine()).get_table_names()) == EXPECTED_TABLES


def test_models_and_migrations_do_not_drift(db):
    assert _diff(storage.engine()) == []


def test_downgrade_to_base_and_upgrade_again(db):
    migrate.downgrade("base")
    assert set(inspect(storage.engine()).get_table_names()) == {"alembic_version"}
    assert migrate.current_revision() is None
    migrate.upgrade()
    assert migrate.current_revision() == migrate.head_revision()
    assert _diff(storage.engine()) == []


def test_upgrade_is_idempotent(db):
    migrate.upgrade()
    migrate.upgrade()
    assert migrate.current_revision() == migrate.head_revision()


def test_ensure_ready_refuses_unmigrated_database(tmp_path):
    import pytest

    from workshop.errors import DatabaseNotReady

    engine = storage.make_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    with pytest.raises(DatabaseNotReady):
        migrate.ensure_ready(engine)
    migrate.upgrade(engine=engine)
    migrate.ensure_ready(engine)
    engine.dispose()
