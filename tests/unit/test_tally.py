"""The score tallies the triggers keep equal the votes after every kind of change."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from tests.factories import make_workshop
from workshop import bundle, cohorts, content, storage, synthetic, tally, votes
from workshop.editing import TableChanges

TALLIES = "SELECT use_case_id, criterion_id, c1, c2, c3, c4, c5 FROM score_tally WHERE c1 + c2 + c3 + c4 + c5 > 0 ORDER BY 1, 2"
COUNTED = (
    "SELECT use_case_id, criterion_id, "
    + ", ".join(f"SUM(CASE WHEN score = {level} THEN 1 ELSE 0 END)" for level in tally.LEVELS)
    + " FROM vote GROUP BY use_case_id, criterion_id ORDER BY 1, 2"
)


def assert_tallies_match_votes() -> int:
    with storage.engine().connect() as connection:
        tallies = [tuple(row) for row in connection.execute(text(TALLIES))]
        counted = [tuple(row) for row in connection.execute(text(COUNTED))]
    assert tallies == counted
    return len(tallies)


def test_tallies_follow_votes_through_every_change(db):
    ids = make_workshop(participants=3, use_cases=3)
    workshop_id, (p1, p2, p3), (u1, u2, u3) = ids["workshop_id"], ids["participant_ids"], ids["use_case_ids"]
    for participant, score in ((p1, 1), (p2, 3), (p3, 5)):
        for use_case in (u1, u2, u3):
            votes.record_vote(workshop_id=workshop_id, participant_id=participant, use_case_id=use_case,
                              criterion_key="business_impact", score=score)
    assert assert_tallies_match_votes() == 3
    votes.record_vote(workshop_id=workshop_id, participant_id=p1, use_case_id=u1, criterion_key="business_impact", score=4)
    assert_tallies_match_votes()
    # Deleting a participant deletes their votes by cascade; the tally follows.
    content.apply_participant_changes(workshop_id=workshop_id, changes=TableChanges(deleted=[p2]))
    assert assert_tallies_match_votes() == 3
    content.apply_use_case_changes(workshop_id=workshop_id, changes=TableChanges(deleted=[u3]))
    assert assert_tallies_match_votes() == 2
    # An imported workshop brings its votes, and so its tallies.
    other = cohorts.create_cohort(name="Andra kohorten")
    bundle.import_bundle(bundle.export_bundle(workshop_id=workshop_id), cohort_id=other)
    assert assert_tallies_match_votes() == 4


def test_bulk_synthetic_votes_are_tallied_and_the_triggers_come_back(db):
    synthetic.generate_cohort(companies=3, seed=2)
    assert assert_tallies_match_votes() == 3 * synthetic.USE_CASES * 11
    ids = make_workshop(participants=1, use_cases=1, cohort_name="Efter bulk")
    votes.record_vote(workshop_id=ids["workshop_id"], participant_id=ids["participant_ids"][0],
                      use_case_id=ids["use_case_ids"][0], criterion_key="risk_regulation", score=2)
    assert_tallies_match_votes()


@pytest.mark.parametrize("workshops", [None, []])
def test_rebuild_recounts_all_or_nothing_asked(db, workshops):
    ids = make_workshop(participants=2, use_cases=1)
    votes.record_vote(workshop_id=ids["workshop_id"], participant_id=ids["participant_ids"][0],
                      use_case_id=ids["use_case_ids"][0], criterion_key="business_impact", score=5)
    with storage.engine().begin() as connection:
        tally.rebuild(connection, workshop_ids=workshops)
    assert assert_tallies_match_votes() == 1
