"""Turning a table editor's edit state into inserts, updates and deletes by primary key.

A data editor names rows by their position in the frame it was given, so the ids of that
frame's rows (in order) are needed to know which row an edit belongs to.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class TableChanges:
    # (row number as shown, the row's fields); rows added at the end of the table.
    added: list[tuple[int, dict]] = field(default_factory=list)
    # id → (row number as shown, the changed fields only).
    updated: dict[int, tuple[int, dict]] = field(default_factory=dict)
    deleted: list[int] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.updated or self.deleted)


def _clean(value: object) -> object:
    """The editor sends NaN for an emptied number cell; treat it like an empty cell."""
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def changes_from_editor(*, ids: Sequence[int], state: Mapping) -> TableChanges:
    """The changes in a data editor's `state` ({"edited_rows", "added_rows", "deleted_rows"})
    for a frame whose rows had `ids`. Rows both edited and deleted count as deleted; added
    rows that are completely empty are ignored."""
    deleted_positions = {int(p) for p in state.get("deleted_rows", [])}
    deleted = [ids[p] for p in sorted(deleted_positions) if 0 <= p < len(ids)]
    updated = {}
    for position, fields in (state.get("edited_rows") or {}).items():
        position = int(position)
        if position in deleted_positions or not 0 <= position < len(ids):
            continue
        updated[ids[position]] = (position + 1, {k: _clean(v) for k, v in fields.items()})
    added = []
    for offset, fields in enumerate(state.get("added_rows") or []):
        cleaned = {k: _clean(v) for k, v in fields.items() if k != "id"}
        if any(v not in (None, "") for v in cleaned.values()):
            added.append((len(ids) + offset + 1, cleaned))
    return TableChanges(added=added, updated=updated, deleted=deleted)
