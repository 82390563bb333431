"""The company's read-only results page, opened with its access code."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.app.conftest import APP, TIMEOUT, open_page, texts
from tests.factories import make_workshop
from workshop import access_codes


def _results(code: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.switch_page("pages/results.py")
    at.run()
    if code is not None:
        at.text_input[0].input(code)
        at.button[0].click().run()
    return at


def test_the_facilitator_issues_a_code_shown_once_and_can_revoke_it(small_workshop):
    at = open_page("wrap_up", workshop_id=small_workshop["workshop_id"])
    assert "Ingen giltig kod." in texts(at.caption)
    [button for button in at.button if button.label == "Skapa åtkomstkod"][0].click().run()
    assert not at.exception
    [shown] = at.code
    code = shown.value
    assert access_codes.open_with(code, client_key="t") == small_workshop["workshop_id"]
    assert any("/results" in text for text in texts(at.success))
    [button for button in at.button if button.label == "Återkalla koden"][0].click().run()
    assert "Ingen giltig kod." in texts(at.caption) and not at.code
    assert access_codes.status(workshop_id=small_workshop["workshop_id"]) is None


def test_a_code_opens_read_only_results_of_its_workshop_only(small_workshop):
    other = make_workshop(participants=0, use_cases=1, cohort_name="Annan kohort")
    issued = access_codes.issue(workshop_id=small_workshop["workshop_id"], actor="anna@example.se")
    at = _results(access_codes.format_code(issued.code))
    assert not at.exception
    assert at.title[0].value == "Resultat för Testbolaget AB"
    assert len(at.dataframe) == 1  # the ranking; no plan yet
    assert [b.proto.label for b in at.get("download_button")] == ["Arbetsbok (Excel)", "Rapport (PDF)"]
    assert not [b for b in at.button if b.label in ("Skapa åtkomstkod", "Återkalla koden")]
    # Nothing else is reachable from this session, whatever page it asks for.
    for page in ("wrap_up", "scoring", "cohort_dashboard", "audit_log"):
        at.query_params["workshop"] = str(other["workshop_id"])
        at.switch_page(f"pages/{page}.py").run()
        assert not at.exception and not at.dataframe and not at.title, page


def test_a_wrong_code_is_refused_and_a_revoked_one_closes_the_view(small_workshop):
    at = _results("WRONG-WRONG-WRONG-WRONG")
    assert texts(at.error) == ["Koden öppnar inga resultat just nu. Kontrollera den, eller be er processledare om en ny."]
    issued = access_codes.issue(workshop_id=small_workshop["workshop_id"], actor="a")
    at.text_input[0].input(issued.code)
    at.button[0].click().run()
    assert at.title[0].value == "Resultat för Testbolaget AB"
    access_codes.revoke(workshop_id=small_workshop["workshop_id"], actor="a")
    at.run()
    assert "Koden gäller inte längre" in " ".join(texts(at.warning))
    assert at.title[0].value == "Era resultat" and not at.dataframe
