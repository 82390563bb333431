"""Phone voting through the real pages: the projector's screen and a participant's phone."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from tests.app.conftest import APP, TIMEOUT, open_page, texts
from tests.factories import make_workshop
from workshop import live_voting, scoring_models, storage, votes
from workshop.models import ConsensusScore, Vote


def _button(at: AppTest, label: str):  # noqa: ANN202
    matches = [b for b in at.button if b.label == label]
    assert matches, f"no button {label!r} among {[b.label for b in at.button]}"
    return matches[0]


def _phone(*, code: str | None = None, device: str | None = None, language: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    if code:
        at.query_params["code"] = code
    if device:
        at.query_params["device"] = device
    if language:
        at.session_state["language"] = language
    at.switch_page("pages/join.py")
    return at.run()


def _join(code: str, name: str = "Eva") -> AppTest:
    phone = _phone(code=code)
    assert not phone.exception
    phone.text_input[0].input(name)
    phone.button[0].click().run()  # the form's "Gå med"
    assert not phone.exception
    assert phone.query_params["device"], "the phone's identity goes into its address"
    return phone


def _device(phone: AppTest) -> str:
    value = phone.query_params["device"]
    return value[0] if isinstance(value, list) else value


def _all_text(at: AppTest) -> str:
    return "\n".join(texts(at.markdown) + texts(at.caption) + texts(at.info) + texts(at.error) + texts(at.success))


def _progress(at: AppTest) -> list[str]:
    return [element.proto.text for element in at.get("progress")]


def _criteria() -> list[str]:
    return [c.key for c in scoring_models.get_model(scoring_models.default_model_id()).criteria]


@pytest.fixture
def live(sqlite_db) -> dict:
    ids = make_workshop(participants=0, use_cases=2)
    projector = open_page("live_voting", workshop_id=ids["workshop_id"])
    _button(projector, "Starta röstning").click().run()
    _button(projector, "Öppna för röstning").click().run()
    assert not projector.exception
    ids["projector"] = projector
    ids["code"] = projector.session_state[f"join_code_{ids['workshop_id']}"]
    return ids


def test_the_projector_shows_the_code_and_a_qr_code(live):
    projector = live["projector"]
    assert f"# {live_voting.format_code(live['code'])}" in texts(projector.markdown)
    assert len(projector.get("image")) == 1  # the QR code
    assert "http://localhost:8501/join" in _all_text(projector)
    assert "**0** telefoner har gått med." in texts(projector.markdown)


def test_a_phone_joins_votes_and_the_projector_counts_without_scores(live):
    phone = _join(live["code"], "Eva")
    assert "**Testbolaget AB** · Du röstar som Eva" in texts(phone.markdown)
    first = live["use_case_ids"][0]
    keys = _criteria()
    phone.segmented_control(key=f"vote_{first}_1_{keys[0]}").set_value(4).run()
    assert not phone.exception
    with storage.read() as session:
        assert session.scalars(select(Vote.score)).all() == [4]
    projector = live["projector"].run()
    shown = _all_text(projector)
    assert "**1** telefon har gått med." in shown
    assert _progress(projector)[0] == "0 av 1 klara · 1 har börjat"
    for key in keys[1:]:
        phone.segmented_control(key=f"vote_{first}_1_{key}").set_value(3).run()
    assert "Klart! Du kan ändra dina poäng tills röstningen stängs." in texts(phone.success)
    projector.run()
    assert "Klara: Eva" in texts(projector.caption)
    assert "Median" not in _all_text(projector)  # blind: nothing revealed yet


def test_a_reloaded_phone_keeps_its_identity_and_votes(live):
    phone = _join(live["code"], "Bo")
    first = live["use_case_ids"][0]
    key = f"vote_{first}_1_business_impact"
    phone.segmented_control(key=key).set_value(2).run()
    reloaded = _phone(device=_device(phone))
    assert "**Testbolaget AB** · Du röstar som Bo" in texts(reloaded.markdown)
    assert reloaded.segmented_control(key=key).value == 2


def test_a_phone_never_sees_anyone_elses_scores(live):
    eva, bo = _join(live["code"], "Eva"), _join(live["code"], "Bo")
    first = live["use_case_ids"][0]
    key = f"vote_{first}_1_business_impact"
    eva.segmented_control(key=key).set_value(5).run()
    bo.run()
    assert bo.segmented_control(key=key).value is None
    assert not [text for text in texts(bo.markdown) if "**5 –" in text]  # no level shown as chosen


def test_wrong_codes_get_a_clear_message_and_are_slowed_down(sqlite_db):
    make_workshop(participants=0, use_cases=1)
    phone = _phone(code="WRONG-CODE")
    assert "Koden öppnar ingen röstning just nu" in texts(phone.error)[0]
    for attempt in range(3):
        phone.text_input[0].input(f"ABCD-EFG{attempt + 2}")
        phone.button[0].click().run()
    assert "För många felaktiga försök. Vänta" in texts(phone.error)[0]


def test_reveal_shows_medians_disagreements_and_records_consensus(live):
    first = live["use_case_ids"][0]
    phones = [_join(live["code"], name) for name in ("Eva", "Bo", "Cai")]
    for phone, score in zip(phones, (1, 3, 5), strict=True):
        phone.segmented_control(key=f"vote_{first}_1_business_impact").set_value(score).run()
    projector = live["projector"].run()
    _button(projector, "Visa resultat").click().run()
    assert not projector.exception
    shown = _all_text(projector)
    assert "**Användningsfall 0** · Affärsnytta: median 3, spridning 4 steg (3 svar" in shown
    table = projector.dataframe[0].value
    row = table[table["Kriterium"] == "Affärsnytta"].iloc[0]
    assert (row["Median"], row["Min–max"], row["Svar"]) == (3.0, "1–5", 3)
    projector.segmented_control(key=f"live_consensus_{first}_business_impact").set_value(4).run()
    with storage.read() as session:
        consensus = session.execute(select(ConsensusScore.score, ConsensusScore.set_by)).one()
    assert tuple(consensus) == (4, "Admin")  # the signed-in person
    [score] = [s for s in votes.workshop_result(workshop_id=live["workshop_id"]).ranked if s.use_case_id == first]
    assert score.criteria["business_impact"].score == 4.0


def test_revote_clears_the_round_and_the_phone_starts_again(live):
    first = live["use_case_ids"][0]
    phone = _join(live["code"])
    phone.segmented_control(key=f"vote_{first}_1_business_impact").set_value(2).run()
    projector = live["projector"].run()
    _button(projector, "Visa resultat").click().run()
    _button(projector, "Ta bort rösterna och rösta om").click().run()
    assert not projector.exception
    assert "röstning pågår · omgång 2" in " ".join(texts(projector.markdown))
    phone.run()
    assert phone.segmented_control(key=f"vote_{first}_2_business_impact").value is None


def test_a_late_vote_after_closing_is_refused_and_shown(live):
    first = live["use_case_ids"][0]
    phone = _join(live["code"])
    projector = live["projector"].run()
    _button(projector, "Avsluta röstningen").click().run()
    phone.segmented_control(key=f"vote_{first}_1_business_impact").set_value(3).run()
    with storage.read() as session:
        assert session.scalars(select(Vote)).all() == []
    assert "Röstningen är stängd. Tack för dina röster!" in texts(phone.success)


def test_scoring_step_hides_votes_while_voting_is_under_way(live):
    phone = _join(live["code"])
    phone.segmented_control(key=f"vote_{live['use_case_ids'][0]}_1_business_impact").set_value(5).run()
    scoring = open_page("scoring", workshop_id=live["workshop_id"])
    assert not scoring.exception
    assert any("Mobilröstning pågår" in text for text in texts(scoring.info))
    assert not any("svar" in text for text in texts(scoring.caption) if "Median" in text)


def test_a_phone_session_reaches_no_other_page(live):
    phone = _join(live["code"])
    for page in ("scoring", "live_voting", "cohort_dashboard", "funding_catalogue", "setup"):
        phone.query_params["workshop"] = str(live["workshop_id"])
        phone.switch_page(f"pages/{page}.py").run()
        assert not phone.exception
        assert not phone.title and not phone.markdown and not phone.dataframe, page
        assert [link.proto.label for link in phone.get("page_link")] == ["Rösta"]


def test_phone_and_projector_in_english(live):
    phone = _phone(code=live["code"], language="en")
    assert "You are voting in the workshop with **Testbolaget AB**." in texts(phone.markdown)
    projector = open_page("live_voting", workshop_id=live["workshop_id"], language="en")
    assert not projector.exception
    assert "Phone voting" in projector.title[0].value
    assert any("phones have joined" in text for text in texts(projector.markdown))


def test_a_name_typed_as_markdown_shows_as_typed_on_the_phone_and_the_projector(live):
    hostile = "![spårning](https://example.org/p.png) :red[Eva]"
    escaped = r"\!\[spårning\]\(https\://example\.org/p\.png\) \:red\[Eva\]"
    phone = _join(live["code"], hostile)
    assert f"**Testbolaget AB** · Du röstar som {escaped}" in texts(phone.markdown)
    first = live["use_case_ids"][0]
    for key in _criteria():
        phone.segmented_control(key=f"vote_{first}_1_{key}").set_value(3).run()
    projector = live["projector"].run()
    assert f"Klara: {escaped}" in texts(projector.caption)
    assert "![" not in _all_text(projector) and "![" not in _all_text(phone)
