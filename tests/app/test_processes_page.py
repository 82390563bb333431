"""Processes: fast table entry saved per edit; bad rows refused with row and column, nothing half-saved."""

from __future__ import annotations

from tests.app.conftest import open_page, texts
from workshop import content


def _edit(at, workshop_id, version, state):  # noqa: ANN001
    at.session_state[f"processes_{workshop_id}_{version}"] = {"edited_rows": {}, "added_rows": [], "deleted_rows": []} | state
    return at.run()


def test_added_and_edited_rows_are_saved_at_once(small_workshop):
    workshop_id = small_workshop["workshop_id"]
    at = open_page("processes", workshop_id=workshop_id)
    _edit(at, workshop_id, 0, {
        "edited_rows": {0: {"hours_per_week": 12.5}},
        "added_rows": [{"area": "finance_admin", "name": "Fakturering", "hours_per_week": 6, "people_involved": 2, "data_availability": "structured", "system": "Fortnox"}],
    })
    rows = content.list_processes(workshop_id=workshop_id)
    assert [(p.name, p.hours_per_week, p.system) for p in rows] == [("Orderplanering", 12.5, ""), ("Fakturering", 6.0, "Fortnox")]
    assert texts(at.error) == []
    assert texts(at.caption)[-1] == "Sparat automatiskt · 2 rader"


def test_bad_rows_are_listed_and_nothing_is_saved(small_workshop):
    workshop_id = small_workshop["workshop_id"]
    at = open_page("processes", workshop_id=workshop_id)
    _edit(at, workshop_id, 0, {
        "edited_rows": {0: {"hours_per_week": -4}},
        "added_rows": [
            {"area": "production", "name": "Lager", "hours_per_week": 3},
            {"area": "production", "name": " "},
            {"area": "production", "name": "orderplanering"},
            {"area": "production", "name": "Svets", "hours_per_week": "många"},
        ],
    })
    assert texts(at.error) == [
        "Rader att rätta: 4. Inget av ändringen sparades; det du skrivit finns kvar i tabellen.\n\n"
        "- Rad 1, Timmar per vecka: Fältet Timmar per vecka måste vara mellan 0 och 168000.\n"
        "- Rad 3, Process: Fältet Process får inte vara tomt.\n"
        "- Rad 4, Namn: ”orderplanering” finns redan i tabellen; välj ett annat namn.\n"
        "- Rad 5, Timmar per vecka: Fältet Timmar per vecka måste vara ett tal."
    ]
    assert [(p.name, p.hours_per_week) for p in content.list_processes(workshop_id=workshop_id)] == [("Orderplanering", None)]
    # The editor keeps what was typed: fixing the rows then saves all of it.
    _edit(at, workshop_id, 0, {
        "edited_rows": {0: {"hours_per_week": 4}},
        "added_rows": [{"area": "production", "name": "Lager", "hours_per_week": 3}],
    })
    assert [(p.name, p.hours_per_week) for p in content.list_processes(workshop_id=workshop_id)] == [("Orderplanering", 4.0), ("Lager", 3.0)]


def test_deleting_a_row_removes_the_process(small_workshop):
    workshop_id = small_workshop["workshop_id"]
    at = open_page("processes", workshop_id=workshop_id)
    _edit(at, workshop_id, 0, {"deleted_rows": [0]})
    assert content.list_processes(workshop_id=workshop_id) == []
    assert [u.process_id for u in content.list_use_cases(workshop_id=workshop_id)] == [None, None]
