"""The command line, run as a person would: `python -m workshop …` in a fresh data folder."""

from __future__ import annotations

import getpass
import os
import sqlite3
import subprocess
import sys

import pytest
from argon2 import PasswordHasher

from workshop import accounts
from workshop.__main__ import main
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
    for command in ("db", "demo", "backup", "restore", "account"):
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


def test_account_create_from_a_password_file_then_list(tmp_path):
    _cli("db", "upgrade", data_dir=tmp_path)
    secret = tmp_path / "password.txt"
    secret.write_text("correct horse battery\nthe second line is not read\n", encoding="utf-8")
    created = _cli(
        "account", "create", "--email", " Anna@Example.se", "--name", "Anna Berg", "--role", "admin",
        "--password-file", str(secret), data_dir=tmp_path,
    )
    assert created.returncode == 0, created.stderr
    assert created.stdout == "Account 1 created: anna@example.se, Anna Berg (admin).\n"
    assert "correct horse" not in created.stdout + created.stderr
    with sqlite3.connect(tmp_path / "opportunity_map.db") as connection:
        [stored] = connection.execute("SELECT password_hash FROM staff_account").fetchone()
    assert PasswordHasher().verify(stored, "correct horse battery") is True
    listed = _cli("account", "list", data_dir=tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.splitlines() == [
        "id\temail\tname\trole\tstatus\tlast login",
        "1\tanna@example.se\tAnna Berg\tadmin\tactive\tnever",
    ]


def test_account_create_refusals_exit_1_with_the_reason(tmp_path):
    _cli("db", "upgrade", data_dir=tmp_path)
    secret = tmp_path / "password.txt"
    secret.write_text("correct horse battery\n", encoding="utf-8")
    args = ("account", "create", "--email", "anna@example.se", "--name", "Anna", "--role", "advisor")
    assert _cli(*args, "--password-file", str(secret), data_dir=tmp_path).returncode == 0
    duplicate = _cli(*args, "--password-file", str(secret), data_dir=tmp_path)
    assert (duplicate.returncode, duplicate.stdout) == (1, "")
    assert duplicate.stderr == "error: There is already an account for anna@example.se.\n"
    secret.write_text("short\n", encoding="utf-8")
    weak = _cli("account", "create", "--email", "bo@example.se", "--name", "Bo", "--role", "admin",
                "--password-file", str(secret), data_dir=tmp_path)
    assert weak.returncode == 1
    assert weak.stderr.startswith("error: The password must have at least 12 characters")
    missing = _cli(*args, "--password-file", str(tmp_path / "nowhere.txt"), data_dir=tmp_path)
    assert missing.returncode == 1
    assert missing.stderr.startswith("error: cannot read the password file")
    assert "Traceback" not in duplicate.stderr + weak.stderr + missing.stderr
    assert _cli("account", "list", data_dir=tmp_path).stdout.count("@example.se") == 1


def test_account_create_without_a_file_asks_twice_for_the_password(sqlite_db, monkeypatch, capsys):
    # In-process: a subprocess has no terminal for getpass to prompt on.
    args = ["account", "create", "--email", "anna@example.se", "--name", "Anna", "--role", "admin"]
    typed = iter(["correct horse battery", "correct horse batterY"])
    monkeypatch.setattr(getpass, "getpass", lambda prompt: next(typed))
    with pytest.raises(SystemExit) as refused:
        main(args)
    assert str(refused.value) == "error: the two passwords differ; no account was created."
    assert accounts.list_accounts() == []
    typed = iter(["correct horse battery", "correct horse battery"])
    assert main(args) == 0
    assert capsys.readouterr().out == "Account 1 created: anna@example.se, Anna (admin).\n"
    assert accounts.authenticate(email="anna@example.se", password="correct horse battery", client_key="cli").role == "admin"
