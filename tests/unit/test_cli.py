"""The command line, run as a person would: `python -m workshop …` in a fresh data folder."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

from workshop.config import PROJECT_ROOT


def _cli(*args: str, data_dir) -> subprocess.CompletedProcess:
    env = {**os.environ, "OPPORTUNITY_MAP_DATA_DIR": str(data_dir)}
    env.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "workshop", *args], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_help_lists_every_command(tmp_path):
    result = _cli("--help", data_dir=tmp_path)
    assert result.returncode == 0
    for command in ("db", "demo", "backup", "restore"):
        assert command in result.stdout


def test_upgrade_demo_backup_restore_round_trip(tmp_path):
    assert _cli("db", "upgrade", data_dir=tmp_path).returncode == 0
    demo = _cli("demo", "--if-empty", data_dir=tmp_path)
    assert demo.returncode == 0, demo.stderr
    assert demo.stdout.startswith("Demo cohort loaded: 9 companies")
    assert _cli("demo", "--if-empty", data_dir=tmp_path).stdout.startswith("Demo cohort not loaded")

    backup_file = tmp_path / "backups" / "b.db"
    assert _cli("backup", str(backup_file), data_dir=tmp_path).returncode == 0
    database = tmp_path / "opportunity_map.db"
    with sqlite3.connect(database) as connection:
        connection.execute("DELETE FROM vote")
    restored = _cli("restore", str(backup_file), data_dir=tmp_path)
    assert restored.returncode == 0, restored.stderr
    with sqlite3.connect(database) as connection:
        assert connection.execute("SELECT count(*) FROM vote").fetchone()[0] > 0


def test_demo_on_unmigrated_database_fails_clearly(tmp_path):
    result = _cli("demo", data_dir=tmp_path)
    assert result.returncode == 1
    assert "db upgrade" in result.stderr
    assert "Traceback" not in result.stderr


def test_restore_of_garbage_fails_clearly(tmp_path):
    _cli("db", "upgrade", data_dir=tmp_path)
    garbage = tmp_path / "garbage.db"
    garbage.write_text("hello")
    result = _cli("restore", str(garbage), data_dir=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("error:")
