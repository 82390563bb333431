"""Real services for tests: a throwaway PostgreSQL server started from the installed binaries.

As root (developers' and CI's machines), initdb refuses to run, so the server runs as the
unprivileged `postgres` user through runuser.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def postgres_bin_dir() -> Path | None:
    """The folder holding initdb and pg_ctl, or None when no server is installed."""
    configured = os.environ.get("OPPORTUNITY_MAP_PG_BIN")
    candidates = [configured] if configured else []
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(str(Path(on_path).parent))
    for candidate in candidates:
        if candidate and (Path(candidate) / "initdb").exists() and (Path(candidate) / "pg_ctl").exists():
            return Path(candidate)
    return None


@dataclass
class PostgresServer:
    directory: Path
    port: int
    bin_dir: Path
    as_user: list[str]

    @property
    def admin_url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        """A new, empty database on this server; its URL."""
        from sqlalchemy import create_engine, text

        admin = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f"CREATE DATABASE {name}"))
        admin.dispose()
        return self.url(name)

    def stop(self) -> None:
        subprocess.run(
            [*self.as_user, str(self.bin_dir / "pg_ctl"), "-D", str(self.directory / "data"), "-m", "immediate", "stop"],
            capture_output=True,
            check=False,
        )
        shutil.rmtree(self.directory, ignore_errors=True)


def start_postgres() -> PostgresServer:
    """Start a fresh PostgreSQL server on a free loopback port; raise RuntimeError with its log
    when it cannot start."""
    bin_dir = postgres_bin_dir()
    if bin_dir is None:
        raise RuntimeError("no PostgreSQL server binaries (initdb, pg_ctl) found")
    directory = Path(tempfile.mkdtemp(prefix="om-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(directory, user="postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    port = free_port()
    init = subprocess.run(
        [*as_user, str(bin_dir / "initdb"), "-D", str(directory / "data"), "-A", "trust", "-U", "postgres", "-E", "UTF8"],
        capture_output=True,
        text=True,
        check=False,
    )
    if init.returncode != 0:
        raise RuntimeError(f"initdb failed: {init.stdout}\n{init.stderr}")
    options = f"-p {port} -k {directory} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
    start = subprocess.run(
        [*as_user, str(bin_dir / "pg_ctl"), "-D", str(directory / "data"), "-o", options, "-l", str(directory / "log"), "-w", "start"],
        capture_output=True,
        text=True,
        check=False,
    )
    if start.returncode != 0:
        log = (directory / "log").read_text() if (directory / "log").exists() else ""
        raise RuntimeError(f"PostgreSQL did not start: {start.stderr}\n{log}")
    return PostgresServer(directory=directory, port=port, bin_dir=bin_dir, as_user=as_user)


def benchmark_databases(folder: Path, name: str) -> tuple[list[tuple[str, str]], PostgresServer | None]:
    """A SQLite file in `folder` and, where the server binaries are installed, a fresh
    PostgreSQL database called `name`: [(kind, URL)] and the server to stop afterwards."""
    databases = [("sqlite", f"sqlite:///{Path(folder) / f'{name}.db'}")]
    try:
        server = start_postgres()
    except RuntimeError as exc:
        print(f"PostgreSQL skipped: {exc}")
        return databases, None
    databases.append(("postgresql", server.create_database(name)))
    return databases, server
