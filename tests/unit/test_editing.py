"""Table edits: editor state to changes, and all-or-nothing application with row errors."""

from __future__ import annotations

import math

import pytest

from tests.factories import make_workshop
from workshop import content, editing
from workshop.editing import TableChanges
from workshop.errors import (
    CrossWorkshopReference,
    DuplicateName,
    EmptyName,
    NotANumber,
    OutOfRange,
    TableErrors,
    UnknownChoice,
)


def test_a_fresh_editors_changes_map_positions_to_ids():
    state = {
        "edited_rows": {0: {"name": "A"}, 2: {"hours_per_week": math.nan}, 1: {"name": "gone"}},
        "added_rows": [{"name": "New", "area": "production"}, {}, {"name": None}],
        "deleted_rows": [1],
    }
    changes = editing.sync_step(editing.EditorSync(ids=[10, 20, 30], originals=[{}, {}, {}]), state).changes
    assert changes == TableChanges(
        added=[(4, {"name": "New", "area": "production"})],
        updated={10: (1, {"name": "A"}), 30: (3, {"hours_per_week": None})},
        deleted=[20],
    )


def test_changes_from_empty_state_is_empty():
    assert editing.sync_step(editing.EditorSync(ids=[1], originals=[{}]), {}).changes.empty


def _process_names(workshop_id):
    return [p.name for p in content.list_processes(workshop_id=workshop_id)]


def test_process_table_adds_updates_and_deletes_together(db):
    ids = make_workshop(use_cases=0)
    first = content.add_process(workshop_id=ids["workshop_id"], area="finance_admin", name="Fakturering")
    changes = TableChanges(
        added=[(3, {"area": "sales_marketing", "name": "Offerter", "hours_per_week": 6, "data_availability": None})],
        updated={first: (2, {"hours_per_week": 12.5, "system": "Fortnox"})},
        deleted=[ids["process_id"]],
    )
    content.apply_process_changes(workshop_id=ids["workshop_id"], changes=changes)
    rows = content.list_processes(workshop_id=ids["workshop_id"])
    assert [(p.name, p.hours_per_week, p.system, p.data_availability) for p in rows] == [
        ("Fakturering", 12.5, "Fortnox", "none"),
        ("Offerter", 6.0, "", "none"),
    ]


@pytest.mark.parametrize(
    ("row", "field", "error"),
    [
        ({"area": "production", "name": "  "}, "process_name", EmptyName),
        ({"area": "production", "name": "orderplanering"}, "name", DuplicateName),
        ({"area": "production", "name": "X", "hours_per_week": -2}, "hours_per_week", OutOfRange),
        ({"area": "production", "name": "X", "hours_per_week": "många"}, "hours_per_week", NotANumber),
        ({"area": "production", "name": "X", "people_involved": 2.5}, "people_involved", NotANumber),
        ({"area": "production", "name": "X", "hours_per_week": 10**9}, "hours_per_week", OutOfRange),
        ({"area": "moon", "name": "X"}, "area", UnknownChoice),
    ],
)
def test_bad_process_row_rejects_whole_edit(db, row, field, error):
    ids = make_workshop(use_cases=0)
    good = (2, {"area": "production", "name": "Lager"})
    changes = TableChanges(added=[good, (3, row)], updated={ids["process_id"]: (1, {"system": "Excel"})})
    with pytest.raises(TableErrors) as raised:
        content.apply_process_changes(workshop_id=ids["workshop_id"], changes=changes)
    [(row_number, problem_field, problem)] = raised.value.problems
    assert (row_number, problem_field, type(problem)) == (3, field, error)
    assert _process_names(ids["workshop_id"]) == ["Orderplanering"]
    assert content.list_processes(workshop_id=ids["workshop_id"])[0].system == ""


def test_renaming_two_processes_to_the_same_name_is_a_duplicate(db):
    ids = make_workshop(use_cases=0)
    other = content.add_process(workshop_id=ids["workshop_id"], area="production", name="Lager")
    changes = TableChanges(updated={ids["process_id"]: (1, {"name": "Inköp"}), other: (2, {"name": "INKÖP"})})
    with pytest.raises(TableErrors) as raised:
        content.apply_process_changes(workshop_id=ids["workshop_id"], changes=changes)
    assert [(r, f) for r, f, _ in raised.value.problems] == [(2, "name")]


def test_swapping_names_is_allowed(db):
    ids = make_workshop(use_cases=0)
    other = content.add_process(workshop_id=ids["workshop_id"], area="production", name="Lager")
    changes = TableChanges(updated={ids["process_id"]: (1, {"name": "Lager"}), other: (2, {"name": "Orderplanering"})})
    content.apply_process_changes(workshop_id=ids["workshop_id"], changes=changes)
    assert _process_names(ids["workshop_id"]) == ["Lager", "Orderplanering"]


def test_add_process_with_existing_name_raises(db):
    ids = make_workshop(use_cases=0)
    with pytest.raises(DuplicateName):
        content.add_process(workshop_id=ids["workshop_id"], area="production", name=" orderplanering ".strip())


def test_use_case_table_rejects_process_of_another_workshop(db):
    first = make_workshop(cohort_name="A", use_cases=1)
    second = make_workshop(cohort_name="B", use_cases=0)
    changes = TableChanges(
        updated={first["use_case_ids"][0]: (1, {"process_id": second["process_id"]})},
        added=[(2, {"title": "Ny idé"})],
    )
    with pytest.raises(TableErrors) as raised:
        content.apply_use_case_changes(workshop_id=first["workshop_id"], changes=changes)
    [(row, field, problem)] = raised.value.problems
    assert (row, field, type(problem)) == (1, "process_id", CrossWorkshopReference)
    assert [u.title for u in content.list_use_cases(workshop_id=first["workshop_id"])] == ["Användningsfall 0"]


def test_use_case_table_adds_with_defaults_and_deletes(db):
    ids = make_workshop(use_cases=2)
    changes = TableChanges(
        added=[(3, {"title": "Chattbot", "process_id": ids["process_id"], "ai_capability": "generative_assistant"})],
        deleted=[ids["use_case_ids"][0]],
    )
    content.apply_use_case_changes(workshop_id=ids["workshop_id"], changes=changes)
    rows = content.list_use_cases(workshop_id=ids["workshop_id"])
    assert [(u.title, u.process_id, u.ai_capability, u.stage, u.position) for u in rows] == [
        ("Användningsfall 1", ids["process_id"], "other", "idea", 2),
        ("Chattbot", ids["process_id"], "generative_assistant", "idea", 3),
    ]


def test_participant_table_allows_empty_names(db):
    ids = make_workshop(participants=1, use_cases=0)
    changes = TableChanges(added=[(2, {"name": None, "role": "Ekonomi"})], updated={ids["participant_ids"][0]: (1, {"role": "VD"})})
    content.apply_participant_changes(workshop_id=ids["workshop_id"], changes=changes)
    assert [(p.name, p.role) for p in content.list_participants(workshop_id=ids["workshop_id"])] == [
        ("Deltagare 0", "VD"),
        ("", "Ekonomi"),
    ]


# --- saving an editor's edits as they are made (sync_step) ----------------------------------

from workshop.editing import EditorSync, keep_unsaved, rows_shown, settle, sync_step  # noqa: E402


def _sync() -> EditorSync:
    return EditorSync(ids=[10, 11], originals=[{"name": "A", "hours": 1.0}, {"name": "B", "hours": 2.0}])


def test_sync_saves_only_what_each_run_adds():
    sync = _sync()
    first = sync_step(sync, {"edited_rows": {"0": {"name": "A2"}}})
    assert first.changes.updated == {10: (1, {"name": "A2"})}
    settle(sync, first, [])
    again = sync_step(sync, {"edited_rows": {"0": {"name": "A2", "hours": 5.0}}})
    assert again.changes.updated == {10: (1, {"hours": 5.0})}


def test_sync_adds_a_new_row_once_its_required_field_is_filled_then_updates_it_by_id():
    sync = _sync()
    typing = sync_step(sync, {"added_rows": [{"area": "sales"}]}, required=("name",))
    assert typing.changes.empty and typing.waiting == 1
    settle(sync, typing, [])
    named = sync_step(sync, {"added_rows": [{"area": "sales", "name": "C"}]}, required=("name",))
    assert named.changes.added == [(3, {"area": "sales", "name": "C"})]
    settle(sync, named, [12])
    hours = sync_step(sync, {"added_rows": [{"area": "sales", "name": "C", "hours": 3.0}]}, required=("name",))
    assert (hours.changes.added, hours.changes.updated) == ([], {12: (3, {"hours": 3.0})})
    settle(sync, hours, [])
    assert rows_shown(sync) == 3


def test_sync_deletes_a_saved_added_row_the_editor_removed():
    sync = _sync()
    two = sync_step(sync, {"added_rows": [{"name": "C"}, {"name": "D"}]})
    settle(sync, two, [12, 13])
    removed = sync_step(sync, {"added_rows": [{"name": "D"}]})
    assert removed.changes.deleted == [12] and removed.changes.updated == {}
    settle(sync, removed, [])
    assert rows_shown(sync) == 3


def test_sync_after_a_failed_save_retries_everything_not_saved():
    sync = _sync()
    first = sync_step(sync, {"edited_rows": {"1": {"hours": -1.0}}, "deleted_rows": [0]})
    keep_unsaved(sync, first)
    fixed = sync_step(sync, {"edited_rows": {"1": {"hours": 4.0}}, "deleted_rows": [0]})
    assert fixed.changes.updated == {11: (2, {"hours": 4.0})} and fixed.changes.deleted == [10]


def test_sync_restores_the_original_when_an_edit_is_taken_back():
    sync = _sync()
    edited = sync_step(sync, {"edited_rows": {"0": {"hours": 9.0}}})
    settle(sync, edited, [])
    back = sync_step(sync, {"edited_rows": {"0": {}}})
    assert back.changes.updated == {10: (1, {"hours": 1.0})}
