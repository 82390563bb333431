"""The README stays true: its two commands come first and every setting is documented."""

from __future__ import annotations

import re

from workshop.config import PROJECT_ROOT

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
MAKEFILE = (PROJECT_ROOT / "Makefile").read_text(encoding="utf-8")


def test_first_lines_give_run_and_test_commands():
    commands = [line.split("#")[0].strip() for line in README.splitlines()[:6] if line.startswith("    ")]
    assert commands == ["make run", "make test"]


def test_both_commands_are_make_targets():
    targets = set(re.findall(r"^([a-z-]+):", MAKEFILE, flags=re.MULTILINE))
    assert {"run", "test"} <= targets


def test_every_environment_setting_is_documented():
    sources = "\n".join(p.read_text(encoding="utf-8") for p in (PROJECT_ROOT / "workshop").rglob("*.py"))
    settings = set(re.findall(r"os\.environ\.get\(\"([A-Z_]+)\"", sources))
    assert settings == {"DATABASE_URL", "OPPORTUNITY_MAP_DATA_DIR", "OPPORTUNITY_MAP_PUBLIC_URL"}
    for setting in settings:
        assert f"`{setting}`" in README


def test_ci_runs_the_readme_test_command():
    assert "make test" in (PROJECT_ROOT / ".ci" / "run").read_text(encoding="utf-8")
