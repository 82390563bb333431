"""Data-protection requests: a company's complete record, complete deletion, retention."""

from __future__ import annotations

import datetime as dt
import itertools
import json

import pytest
from sqlalchemy import func, select

from tests.factories import make_workshop
from workshop import data_protection, follow_ups, live_voting, storage, votes
from workshop.errors import ConfirmationMismatch, NotFound, OutOfRange
from workshop.models import (
    ActionItem,
    AuditEvent,
    Company,
    ConsensusScore,
    FollowUp,
    Participant,
    Process,
    ScoreTally,
    UseCase,
    UseCaseScreening,
    Vote,
    Workshop,
)

_cohorts = itertools.count(1)
OWNED = (Workshop, Participant, Process, UseCase, Vote, ScoreTally, ConsensusScore, FollowUp)


def _company_with_everything() -> dict:
    ids = make_workshop(participants=2, use_cases=2, cohort_name=f"Kohort {next(_cohorts)}")
    first = ids["use_case_ids"][0]
    for participant_id in ids["participant_ids"]:
        votes.record_vote(workshop_id=ids["workshop_id"], participant_id=participant_id, use_case_id=first, criterion_key="business_impact", score=4)
    votes.set_consensus(workshop_id=ids["workshop_id"], use_case_id=first, criterion_key="business_impact", score=5, set_by="Anna")
    code = live_voting.start_voting(workshop_id=ids["workshop_id"], actor="Anna")
    live_voting.join(code, name="Telefon", client_key="x")
    follow_ups.record_follow_up(company_id=ids["company_id"], use_case_id=None, status="pilot_started", recorded_on=dt.date.today(), check_in_months=3, note="Går bra", recorded_by="Rådgivare")
    return ids


def _count(model, **where) -> int:  # noqa: ANN001
    with storage.read() as session:
        statement = select(func.count()).select_from(model)
        for name, value in where.items():
            statement = statement.where(getattr(model, name) == value)
        return session.scalar(statement)


def test_the_record_holds_everything_about_the_company_and_nothing_else(db):
    ids = _company_with_everything()
    other = _company_with_everything()
    record = json.loads(data_protection.company_record_bytes(company_id=ids["company_id"], actor="admin"))
    assert record["format"] == data_protection.FORMAT
    assert record["company"]["id"] == ids["company_id"] and record["company"]["name"] == "Testbolaget AB"
    [workshop] = record["workshops"]
    assert len(workshop["participants"]) == 3  # two from the profile, one phone
    assert len(workshop["use_cases"]) == 2 and len(workshop["votes"]) == 2 and len(workshop["consensus"]) == 1
    assert [f["note"] for f in record["follow_ups"]] == ["Går bra"]
    actions = [e["action"] for e in record["audit_events"]]
    assert "consensus.set" in actions and "voting.code_issued" in actions
    assert all(e["object_id"] != str(other["workshop_id"]) or e["object_type"] != "workshop" for e in record["audit_events"])
    assert "device_token_hash" not in json.dumps(record)
    assert _count(AuditEvent, action="company.exported") == 1


def test_deletion_needs_the_name_and_then_removes_everything_and_is_logged(db):
    ids = _company_with_everything()
    other = _company_with_everything()
    before_other = {model.__name__: _count(model) for model in OWNED}
    with pytest.raises(ConfirmationMismatch):
        data_protection.delete_company(company_id=ids["company_id"], confirm_name="Testbolaget", actor="admin")
    assert _count(Company, id=ids["company_id"]) == 1
    deleted = data_protection.delete_company(company_id=ids["company_id"], confirm_name=" Testbolaget AB ", actor="admin")
    assert (deleted.workshops, deleted.participants, deleted.use_cases, deleted.votes, deleted.follow_ups) == (1, 3, 2, 2, 1)
    assert _count(Company, id=ids["company_id"]) == 0
    assert _count(Workshop, company_id=ids["company_id"]) == 0
    for model in (Participant, Process, UseCase, Vote, ScoreTally):
        assert _count(model, workshop_id=ids["workshop_id"]) == 0, model.__name__
    assert _count(FollowUp, company_id=ids["company_id"]) == 0
    for model in (ConsensusScore, ActionItem, UseCaseScreening):
        with storage.read() as session:
            assert session.scalar(select(func.count()).select_from(model).where(model.use_case_id.in_(ids["use_case_ids"]))) == 0
    # The other company is untouched: every table lost exactly the deleted company's rows.
    assert _count(Company, id=other["company_id"]) == 1
    assert _count(Vote, workshop_id=other["workshop_id"]) == 2
    assert {model.__name__: _count(model) for model in OWNED}["Vote"] == before_other["Vote"] - 2
    with storage.read() as session:
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "company.deleted")).one()
        assert (event.actor, event.object_id, event.detail["votes"]) == ("admin", str(ids["company_id"]), 2)
        assert "Testbolaget" not in json.dumps(event.detail)
    with pytest.raises(NotFound):
        data_protection.delete_company(company_id=ids["company_id"], confirm_name="Testbolaget AB", actor="admin")


@pytest.mark.parametrize(("raw", "expected"), [("", None), ("24", 24), (" 1 ", 1), ("600", 600)])
def test_retention_setting(raw, expected):
    assert data_protection.retention_months({data_protection.RETENTION_SETTING: raw}) == expected


@pytest.mark.parametrize("raw", ["0", "601", "-3", "two", "2.5"])
def test_a_bad_retention_setting_is_refused(raw):
    with pytest.raises(OutOfRange):
        data_protection.retention_months({data_protection.RETENTION_SETTING: raw})


def test_companies_past_retention_are_listed_and_deleted(db):
    ids = _company_with_everything()
    now = dt.datetime.now(dt.UTC)
    assert data_protection.due_for_deletion(months=12, now=now) == []
    later = now + dt.timedelta(days=400)
    [due] = data_protection.due_for_deletion(months=12, now=later)
    assert (due.company_id, due.name) == (ids["company_id"], "Testbolaget AB")
    # A follow-up recorded "later" keeps the company: activity counts from the newest change.
    with storage.write() as session:
        session.execute(FollowUp.__table__.update().values(created_at=later - dt.timedelta(days=30)))
    assert data_protection.due_for_deletion(months=12, now=later) == []
    removed = data_protection.delete_due(months=12, actor="retention", now=later + dt.timedelta(days=400))
    assert [r.company_id for r in removed] == [ids["company_id"]]
    assert _count(Company) == 0
