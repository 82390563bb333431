"""Fixtures shared by every layer: a fresh, migrated database per test on SQLite and PostgreSQL.

Set OPPORTUNITY_MAP_REQUIRE_POSTGRES=1 (CI does) to make a missing PostgreSQL a failure
instead of a skip.
"""

from __future__ import annotations

import itertools
import os
import shutil
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.services import start_postgres
from workshop import access, funding, migrate, scoring_models, storage

BACKENDS = ("sqlite", "postgresql")
TEMPLATE_DATABASE = "om_template"
_database_numbers = itertools.count(1)


def _require(env: str) -> bool:
    return os.environ.get(env, "").strip() not in ("", "0", "false")


@pytest.fixture(scope="session", autouse=True)
def acting_as_system():
    """Tests arrange and inspect data as the system. The app's runs name their own caller
    (AppTest runs a page in a thread of its own), and the access tests name theirs."""
    with access.acting_as(access.SYSTEM):
        yield


@pytest.fixture(scope="session")
def postgres_server():
    try:
        server = start_postgres()
    except RuntimeError as exc:
        if _require("OPPORTUNITY_MAP_REQUIRE_POSTGRES"):
            pytest.fail(f"PostgreSQL is required here but could not start: {exc}")
        print(f"\nPostgreSQL tests skipped: {exc}")
        pytest.skip(f"PostgreSQL unavailable: {exc}")
    # Migrate once into a template; each test copies it (CREATE DATABASE … TEMPLATE) in ms.
    admin = create_engine(server.admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {TEMPLATE_DATABASE}"))
    template_engine = storage.make_engine(server.url(TEMPLATE_DATABASE))
    migrate.upgrade(engine=template_engine)
    template_engine.dispose()
    storage.use_url(server.url(TEMPLATE_DATABASE))
    scoring_models.install_default_model()
    funding.install_shipped_catalogue()
    storage.engine().dispose()
    yield server, admin
    admin.dispose()
    server.stop()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    storage.use_url(f"sqlite:///{path}")
    migrate.upgrade()
    scoring_models.install_default_model()
    funding.install_shipped_catalogue()
    storage.engine().dispose()
    return path


def fresh_database_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A migrated database with the default scoring model, new for this test."""
    if backend == "sqlite":
        template = request.getfixturevalue("sqlite_template")
        path = tmp_path / "test.db"
        shutil.copyfile(template, path)
        return f"sqlite:///{path}"
    server, admin = request.getfixturevalue("postgres_server")
    name = f"om_test_{next(_database_numbers)}"
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE_DATABASE}"))
    request.addfinalizer(lambda: _drop(admin, name))
    return server.url(name)


def _drop(admin, name: str) -> None:  # noqa: ANN001
    storage.engine().dispose()
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture
def db(backend, request, tmp_path, monkeypatch) -> str:
    """Point the storage layer at a fresh database of `backend`; returns its URL."""
    url = fresh_database_url(backend, request, tmp_path)
    monkeypatch.setenv("DATABASE_URL", url)
    storage.use_url(url)
    access.forget_grants()  # ids repeat from one test database to the next
    yield url
    storage.engine().dispose()


@pytest.fixture
def sqlite_db(request, tmp_path, monkeypatch) -> str:
    """A fresh SQLite database only (for what is SQLite-specific, like backups)."""
    url = fresh_database_url("sqlite", request, tmp_path)
    monkeypatch.setenv("DATABASE_URL", url)
    storage.use_url(url)
    access.forget_grants()
    yield url
    storage.engine().dispose()
