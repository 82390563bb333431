"""The demo cohort loads completely, once, and never half."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from workshop import cohorts, content, demo, storage, votes
from workshop.errors import InvalidOrganisationNumber, UnknownChoice
from workshop.models import Cohort, Company, UseCase, Vote

MIN_COMPANIES = 8


def _count(model) -> int:
    with storage.read() as session:
        return session.scalar(select(func.count(model.id)))


def test_demo_loads_complete_workshops(db):
    result = demo.load_demo()
    assert result.loaded
    assert result.companies >= MIN_COMPANIES
    assert (_count(Company), _count(UseCase), _count(Vote)) == (result.companies, result.use_cases, result.votes)
    companies = cohorts.list_companies(cohort_id=result.cohort_id)
    assert len({c.sni_section + c.sni_division for c in companies}) >= MIN_COMPANIES
    assert len({c.size_class for c in companies}) >= 3
    workshops = cohorts.list_workshops(cohort_id=result.cohort_id)
    completed = [w for w in workshops if w.status == "completed"]
    assert len(completed) >= 6
    for workshop in completed:
        assert workshop.participants >= 2
        assert content.list_processes(workshop_id=workshop.id)
        ranked = votes.workshop_result(workshop_id=workshop.id).ranked
        assert all(score.responses >= 2 and score.quadrant is not None for score in ranked)
        selected = {u.id for u in content.list_use_cases(workshop_id=workshop.id) if u.selected}
        assert selected and selected == {a.use_case_id for a in content.list_action_items(workshop_id=workshop.id)}


def test_demo_loads_only_once(db):
    assert demo.load_demo().loaded
    again = demo.load_demo()
    assert (again.loaded, _count(Cohort)) == (False, 1)


def test_demo_if_empty_skips_when_any_cohort_exists(db):
    cohorts.create_cohort(name="Egen kohort")
    assert demo.load_demo(if_empty=True).loaded is False
    assert _count(Company) == 0


@pytest.mark.parametrize(
    ("breakage", "error"),
    [
        (lambda doc: doc["companies"][-1].update(org_number="556036-0794"), InvalidOrganisationNumber),
        (lambda doc: doc["companies"][-1]["workshop"]["use_cases"][0].update(stage="dream"), UnknownChoice),
    ],
)
def test_broken_demo_file_writes_nothing(db, tmp_path, breakage, error):
    document = json.loads(demo.DEMO_FILE.read_text(encoding="utf-8"))
    breakage(document)
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(error):
        demo.load_demo(path=path)
    assert (_count(Cohort), _count(Company), _count(Vote)) == (0, 0, 0)
