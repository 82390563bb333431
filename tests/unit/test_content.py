"""Processes, use cases and action items; references never cross workshops."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.factories import make_workshop
from workshop import content, storage
from workshop.errors import CrossWorkshopReference, EmptyName, NotFound, UnknownChoice, ValidationError
from workshop.models import ActionItem, Process, UseCase


def _count(model) -> int:
    with storage.read() as session:
        return session.scalar(select(func.count(model.id)))


def test_add_and_list_processes_in_order(db):
    ids = make_workshop(use_cases=0)
    content.add_process(
        workshop_id=ids["workshop_id"], area="finance_admin", name="Fakturering", hours_per_week="7.5",
        people_involved=2, data_availability="structured", system="Fortnox",
    )
    rows = content.list_processes(workshop_id=ids["workshop_id"])
    assert [(p.position, p.name, p.hours_per_week, p.system) for p in rows] == [
        (1, "Orderplanering", None, ""),
        (2, "Fakturering", 7.5, "Fortnox"),
    ]


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"area": "production", "name": "  "}, EmptyName),
        ({"area": "space", "name": "X"}, UnknownChoice),
        ({"area": "production", "name": "X", "hours_per_week": -1}, ValidationError),
        ({"area": "production", "name": "X", "data_availability": "lots"}, UnknownChoice),
    ],
)
def test_bad_process_raises_and_writes_nothing(db, fields, error):
    ids = make_workshop(use_cases=0)
    with pytest.raises(error):
        content.add_process(workshop_id=ids["workshop_id"], **fields)
    assert _count(Process) == 1


def test_use_case_pointing_at_another_workshops_process_raises(db):
    first = make_workshop(cohort_name="A", use_cases=0)
    second = make_workshop(cohort_name="B", use_cases=0)
    with pytest.raises(CrossWorkshopReference):
        content.add_use_case(workshop_id=first["workshop_id"], process_id=second["process_id"], title="Prognos")
    assert _count(UseCase) == 0


def test_use_case_unknown_process_or_workshop_raises(db):
    ids = make_workshop(use_cases=0)
    with pytest.raises(NotFound):
        content.add_use_case(workshop_id=ids["workshop_id"], process_id=999_999, title="X")
    with pytest.raises(NotFound):
        content.add_use_case(workshop_id=999_999, title="X")
    assert _count(UseCase) == 0


def test_action_item_created_then_replaced(db):
    ids = make_workshop(use_cases=1)
    [use_case_id] = ids["use_case_ids"]
    content.set_selected(workshop_id=ids["workshop_id"], use_case_id=use_case_id, selected=True)
    content.set_action_item(workshop_id=ids["workshop_id"], use_case_id=use_case_id, next_step="Förstudie", owner="Karin", horizon_days=90)
    content.set_action_item(workshop_id=ids["workshop_id"], use_case_id=use_case_id, next_step="Pilot", owner="Karin", horizon_days=180, stage="pilot")
    [item] = content.list_action_items(workshop_id=ids["workshop_id"])
    assert (item.next_step, item.horizon_days, item.stage) == ("Pilot", 180, "pilot")
    assert content.list_use_cases(workshop_id=ids["workshop_id"])[0].selected is True


def test_action_item_bad_horizon_or_other_workshop_raises(db):
    first = make_workshop(cohort_name="A", use_cases=1)
    second = make_workshop(cohort_name="B", use_cases=1)
    with pytest.raises(UnknownChoice):
        content.set_action_item(workshop_id=first["workshop_id"], use_case_id=first["use_case_ids"][0], horizon_days=45)
    with pytest.raises(CrossWorkshopReference):
        content.set_action_item(workshop_id=first["workshop_id"], use_case_id=second["use_case_ids"][0], next_step="x")
    assert _count(ActionItem) == 0
