"""SNI 2007 (the Swedish NACE Rev. 2): sections and divisions, from the shipped file."""

from __future__ import annotations

import json
from functools import cache

from workshop.config import SHIPPED_DATA_DIR
from workshop.errors import UnknownChoice

SNI_FILE = SHIPPED_DATA_DIR / "sni2007.json"


@cache
def sections() -> dict[str, dict]:
    """Section code → {"sv", "en", "divisions": {code: {"sv", "en"}}}."""
    document = json.loads(SNI_FILE.read_text(encoding="utf-8"))
    return {
        section["code"]: {
            "sv": section["sv"],
            "en": section["en"],
            "divisions": {d["code"]: {"sv": d["sv"], "en": d["en"]} for d in section["divisions"]},
        }
        for section in document["sections"]
    }


def check_sni(section: str, division: str) -> tuple[str, str]:
    """The (section, division) pair if valid; both may be empty, a division needs its section.

    Raises `UnknownChoice` for an unknown section or a division outside its section.
    """
    section = (section or "").strip().upper()
    division = (division or "").strip()
    if division.isdigit() and len(division) == 1:
        division = "0" + division
    if not section and not division:
        return "", ""
    known = sections()
    if section not in known:
        raise UnknownChoice(f"{section!r} is not an SNI 2007 section (A–U).", field="sni_section", value=section)
    if division and division not in known[section]["divisions"]:
        raise UnknownChoice(
            f"{division!r} is not an SNI 2007 division of section {section}.",
            field="sni_division",
            value=division,
        )
    return section, division


def label(section: str, division: str, language: str) -> str:
    """"C 25 – Tillverkning av metallvaror…" or the section alone; empty when unknown."""
    entry = sections().get(section)
    if entry is None:
        return ""
    if division and division in entry["divisions"]:
        return f"{section} {division} – {entry['divisions'][division][language]}"
    return f"{section} – {entry[language]}"
