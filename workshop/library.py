"""The inspiration library: example AI use cases, filtered by sector and process area."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

from workshop import access, content
from workshop.config import SHIPPED_DATA_DIR
from workshop.errors import NotFound

LIBRARY_FILE = SHIPPED_DATA_DIR / "use_case_library.json"


@dataclass(frozen=True)
class Example:
    key: str
    sni_sections: tuple[str, ...]
    process_area: str
    ai_capability: str
    benefit_kind: str
    stage: str
    cost_band: str
    title: dict[str, str]
    description: dict[str, str]
    data_needed: dict[str, str]
    feasibility_notes: dict[str, str]

    @property
    def cross_sector(self) -> bool:
        return not self.sni_sections


@cache
def examples() -> tuple[Example, ...]:
    document = json.loads(LIBRARY_FILE.read_text(encoding="utf-8"))
    return tuple(
        Example(
            key=item["key"],
            sni_sections=tuple(item.get("sni_sections", [])),
            process_area=item["process_area"],
            ai_capability=item["ai_capability"],
            benefit_kind=item["benefit_kind"],
            stage=item.get("stage", "idea"),
            cost_band=item.get("cost_band", ""),
            title=item["title"],
            description=item["description"],
            data_needed=item["data_needed"],
            feasibility_notes=item["feasibility_notes"],
        )
        for item in document["examples"]
    )


def sections() -> list[str]:
    """The SNI sections that have sector-specific examples, in order."""
    return sorted({section for example in examples() for section in example.sni_sections})


def find(*, sni_section: str = "", process_area: str = "", text: str = "", language: str = "sv") -> list[Example]:
    """Examples for a sector (cross-sector ones always fit) and process area, both optional;
    `text` narrows to examples whose title or description contains it. Sector-specific
    examples come first, then by title."""
    needle = text.strip().casefold()
    found = [
        example
        for example in examples()
        if (not sni_section or example.cross_sector or sni_section in example.sni_sections)
        and (not process_area or example.process_area == process_area)
        and (not needle or needle in example.title[language].casefold() or needle in example.description[language].casefold())
    ]
    return sorted(found, key=lambda e: (e.cross_sector, e.title[language].casefold()))


@access.writes_workshop
def copy_to_workshop(*, workshop_id: int, key: str, language: str, process_id: int | None = None) -> int:
    """Add the example as an editable use case of the workshop, in `language`; its id.

    Raises `NotFound` for an unknown example, and what `content.add_use_case` raises.
    """
    example = next((e for e in examples() if e.key == key), None)
    if example is None:
        raise NotFound(f"No library example {key!r}.", kind="library_example", id=key)
    return content.add_use_case(
        workshop_id=workshop_id,
        process_id=process_id,
        title=example.title[language],
        description=example.description[language],
        ai_capability=example.ai_capability,
        benefit_kind=example.benefit_kind,
        data_needed=example.data_needed[language],
        stage=example.stage,
        cost_band=example.cost_band,
        library_key=example.key,
    )
