"""Turning a table editor's edit state into inserts, updates and deletes by primary key.

A data editor names rows by their position in the frame it was given, so the ids of that
frame's rows (in order) are needed to know which row an edit belongs to; `sync_step` keeps
them, with what of the edit state is saved already.
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


# --- saving a table editor's edits as they are made, without restarting it -----------------
#
# Restarting the editor after each save (a new key, fresh rows) dropped the focus and the keys
# typed meanwhile: Tab after a value moved to nowhere, and the start of a new row's text was
# lost. So the editor keeps the rows it was given for as long as it is on screen, and each
# rerun saves only what its edit state adds to what was saved before.

_MISSING = object()


def _blank(value: object) -> bool:
    return value is None or value == ""


@dataclass
class AddedRow:
    """A row added in the editor: the id it was saved as (None until saved), and its fields
    as saved."""

    id: int | None = None
    saved: dict = field(default_factory=dict)


@dataclass
class EditorSync:
    """What of one editor's edit state is saved. `ids` and `originals` are the rows the editor
    was given, by position; the rest is bookkeeping across reruns."""

    ids: list[int]
    originals: list[dict]
    saved_edits: dict[int, dict] = field(default_factory=dict)
    saved_deleted: set[int] = field(default_factory=set)
    seen_added: list[dict] = field(default_factory=list)
    added: list[AddedRow] = field(default_factory=list)
    pending_deletes: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class SyncStep:
    """The changes one rerun's edit state adds, and what the bookkeeping becomes once saved."""

    changes: TableChanges
    edits: dict[int, dict]
    deleted: frozenset[int]
    seen_added: list[dict]
    added: list[AddedRow]
    new_offsets: list[int]  # the offsets in `added` of the rows `changes.added` inserts, in order
    pending_deletes: list[int]
    waiting: int  # added rows not saved yet because a required field is still empty


def _aligned(previous: list[dict], rows: list[AddedRow], current: list[dict]) -> tuple[list[AddedRow], list[int]]:
    """The saved state of each of the editor's added rows now, and the ids of saved rows it no
    longer has. The editor removes a deleted added row from its list, so rows that went are
    found by matching the last run's rows in order."""
    if len(current) >= len(previous):
        return [*rows, *(AddedRow() for _ in range(len(current) - len(previous)))], []
    to_remove = len(previous) - len(current)
    kept, removed, j = [], [], 0
    for fields, row in zip(previous, rows, strict=True):
        if to_remove and (j >= len(current) or fields != current[j]):
            to_remove -= 1
            if row.id is not None:
                removed.append(row.id)
        else:
            kept.append(row)
            j += 1
    return kept, removed


def sync_step(sync: EditorSync, state: Mapping, *, required: Sequence[str] = ()) -> SyncStep:
    """What to save for the editor's cumulative `state` ({"edited_rows", "added_rows",
    "deleted_rows"}) beyond what `sync` says is saved. An added row is saved once every field
    in `required` is filled (until then it is being typed, and no error is shown); a saved
    added row's later edits become updates of its id."""
    count = len(sync.ids)
    deleted = frozenset(int(p) for p in state.get("deleted_rows", []) if 0 <= int(p) < count)
    edits = {
        int(p): {k: _clean(v) for k, v in fields.items() if k != "id"}
        for p, fields in (state.get("edited_rows") or {}).items()
        if 0 <= int(p) < count
    }
    current = [{k: _clean(v) for k, v in fields.items() if k != "id"} for fields in state.get("added_rows") or []]
    added, removed = _aligned(sync.seen_added, sync.added, current)
    pending_deletes = [*sync.pending_deletes, *removed]
    updated: dict[int, tuple[int, dict]] = {}
    for position, fields in edits.items():
        if position in deleted:
            continue
        before = sync.saved_edits.get(position, {})
        diff = {k: v for k, v in fields.items() if before.get(k, _MISSING) != v}
        diff |= {k: sync.originals[position].get(k) for k in before if k not in fields}
        if diff:
            updated[sync.ids[position]] = (position + 1, diff)
    new_rows, new_offsets, waiting = [], [], 0
    for offset, (fields, row) in enumerate(zip(current, added, strict=True)):
        number = count + offset + 1
        if row.id is not None:
            diff = {k: v for k, v in fields.items() if row.saved.get(k, _MISSING) != v}
            if diff:
                updated[row.id] = (number, diff)
        elif all(not _blank(fields.get(k)) for k in required) and any(not _blank(v) for v in fields.values()):
            new_rows.append((number, fields))
            new_offsets.append(offset)
        elif any(not _blank(v) for v in fields.values()):
            waiting += 1
    newly_deleted = [sync.ids[p] for p in sorted(deleted - sync.saved_deleted)]
    return SyncStep(
        changes=TableChanges(added=new_rows, updated=updated, deleted=[*newly_deleted, *pending_deletes]),
        edits=edits, deleted=deleted, seen_added=current, added=added, new_offsets=new_offsets,
        pending_deletes=pending_deletes, waiting=waiting,
    )


def settle(sync: EditorSync, step: SyncStep, new_ids: Sequence[int]) -> None:
    """Record that `step.changes` was saved, its added rows as `new_ids` (in order)."""
    if len(new_ids) != len(step.new_offsets):
        raise ValueError(f"{len(step.new_offsets)} rows were added but {len(new_ids)} ids came back.")
    for offset, new_id in zip(step.new_offsets, new_ids, strict=True):
        step.added[offset] = AddedRow(id=new_id)
    for offset, row in enumerate(step.added):
        if row.id is not None:
            row.saved = dict(step.seen_added[offset])
    sync.saved_edits = {p: dict(fields) for p, fields in step.edits.items() if p not in step.deleted}
    sync.saved_deleted = set(step.deleted)
    sync.seen_added, sync.added, sync.pending_deletes = step.seen_added, step.added, []


def keep_unsaved(sync: EditorSync, step: SyncStep) -> None:
    """Record a rerun whose changes could not be saved: nothing counts as saved, but the added
    rows stay matched to the editor's, and saved rows it removed are still to be deleted."""
    sync.seen_added, sync.added, sync.pending_deletes = step.seen_added, step.added, step.pending_deletes


def rows_shown(sync: EditorSync) -> int:
    """How many rows the table has as saved."""
    return len(sync.ids) - len(sync.saved_deleted) + sum(row.id is not None for row in sync.added)
