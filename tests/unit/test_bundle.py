"""The workshop bundle: export, import into another installation, identical result."""

from __future__ import annotations

import copy
import json

import pytest
from sqlalchemy import func, select

from workshop import bundle, cohorts, demo, storage, votes
from workshop.bundle import InvalidBundle
from workshop.errors import InvalidOrganisationNumber, ScoreOutOfRange
from workshop.models import ScoringModel, Vote, Workshop


def _comparable(document: dict) -> dict:
    result = copy.deepcopy(document)
    result.pop("exported_at")
    return result


def _demo_bundles() -> list[dict]:
    demo.load_demo()
    return [bundle.export_bundle(workshop_id=w.id) for w in cohorts.list_workshops(cohort_id=cohorts.list_cohorts()[0].id)]


def test_round_trip_into_another_installation_is_identical(db, tmp_path):
    exported = _demo_bundles()
    # "Another installation": a fresh database of the same kind.
    storage.use_url(f"sqlite:///{tmp_path / 'other.db'}")
    from workshop import migrate, scoring_models

    migrate.upgrade()
    scoring_models.install_default_model()
    target = cohorts.create_cohort(name="Mottagande kohort")
    for document in exported:
        new_id = bundle.import_bundle(json.dumps(document).encode("utf-8"), cohort_id=target)
        assert _comparable(bundle.export_bundle(workshop_id=new_id)) == _comparable(document)
    results = [votes.workshop_result(workshop_id=w.id) for w in cohorts.list_workshops(cohort_id=target)]
    assert sum(len(r.ranked) for r in results) == sum(len(d["use_cases"]) for d in exported)


def test_importing_twice_creates_new_ids_and_reuses_the_company(db):
    [first, *_] = _demo_bundles()
    cohort_id = cohorts.list_cohorts()[0].id
    companies_before = len(cohorts.list_companies(cohort_id=cohort_id))
    a = bundle.import_bundle(first, cohort_id=cohort_id)
    b = bundle.import_bundle(first, cohort_id=cohort_id)
    assert a != b
    assert len(cohorts.list_companies(cohort_id=cohort_id)) == companies_before
    assert _comparable(bundle.export_bundle(workshop_id=a)) == _comparable(bundle.export_bundle(workshop_id=b))


def _count(model) -> int:
    with storage.read() as session:
        return session.scalar(select(func.count(model.id)))


@pytest.mark.parametrize(
    ("breakage", "error"),
    [
        (lambda d: d["company"].update(org_number="556036-0794"), InvalidOrganisationNumber),
        (lambda d: d["votes"][-1].update(score=9), ScoreOutOfRange),
        (lambda d: d["votes"][-1].update(participant_ref=999), InvalidBundle),
        (lambda d: d["votes"].append(dict(d["votes"][0])), InvalidBundle),
        (lambda d: d["use_cases"][-1].update(process_ref=999), InvalidBundle),
        (lambda d: d.update(schema_version=99), InvalidBundle),
        (lambda d: d.pop("workshop"), InvalidBundle),
        (lambda d: d["votes"][0].update(criterion="charm"), InvalidBundle),
    ],
)
def test_broken_bundle_imports_nothing(db, breakage, error):
    [first, *_] = _demo_bundles()
    cohort_id = cohorts.list_cohorts()[0].id
    before = (_count(Workshop), _count(Vote))
    broken = copy.deepcopy(first)
    breakage(broken)
    with pytest.raises(error):
        bundle.import_bundle(json.dumps(broken).encode("utf-8"), cohort_id=cohort_id)
    assert (_count(Workshop), _count(Vote)) == before


@pytest.mark.parametrize("raw", [b"", b"not json", b"[1, 2]", json.dumps({"format": "other"}).encode()])
def test_non_bundle_files_are_refused(db, raw):
    cohort_id = cohorts.create_cohort(name="K")
    with pytest.raises(InvalidBundle):
        bundle.import_bundle(raw, cohort_id=cohort_id)


def test_bundle_keeps_hostile_text_exactly(db):
    [first, *_] = _demo_bundles()
    cohort_id = cohorts.list_cohorts()[0].id
    hostile = copy.deepcopy(first)
    hostile["use_cases"][0]["title"] = '=HYPERLINK("http://evil.example","x")'
    new_id = bundle.import_bundle(hostile, cohort_id=cohort_id)
    assert bundle.export_bundle(workshop_id=new_id)["use_cases"][0]["title"] == '=HYPERLINK("http://evil.example","x")'


def test_a_new_scoring_model_of_a_failed_import_is_not_left_behind(db):
    [first, *_] = _demo_bundles()
    cohort_id = cohorts.list_cohorts()[0].id
    broken = copy.deepcopy(first)
    broken["scoring_model"]["version"] = 7
    broken["votes"][-1]["participant_ref"] = 999
    with pytest.raises(InvalidBundle):
        bundle.import_bundle(broken, cohort_id=cohort_id)
    assert _count(ScoringModel) == 1
    broken["votes"][-1]["participant_ref"] = first["votes"][-1]["participant_ref"]
    bundle.import_bundle(broken, cohort_id=cohort_id)
    assert _count(ScoringModel) == 2
