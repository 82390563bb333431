"""The advisor's pages: the cohort dashboard and a company's follow-up."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl

from tests.app.conftest import open_page, texts
from workshop import cohort_view, cohorts, follow_ups


def metric_values(at) -> dict[str, str]:  # noqa: ANN001
    return {m.label: m.value for m in at.metric}


def test_the_dashboard_shows_counts_of_consenting_companies_only(demo_db):
    at = open_page("cohort_dashboard")
    assert not at.exception
    values = metric_values(at)
    assert values["Företag"] == "7"
    assert values["Avslutade workshoppar"] == "6 / 7"
    assert "2 företag har inte samtyckt till kohortrapportering" in " ".join(texts(at.caption))


def test_filters_narrow_the_dashboard(demo_db):
    at = open_page("cohort_dashboard")
    data = cohort_view.load(cohort_view.CohortFilters())
    some_facilitator = data.workshops["facilitator"].iloc[0]
    expected = int((data.workshops["facilitator"] == some_facilitator).sum())
    at.multiselect(key="filter_facilitators").select(some_facilitator).run()
    assert not at.exception
    assert metric_values(at)["Företag"] == str(expected)
    at.multiselect(key="filter_sizes").select("large").run()
    assert texts(at.info) == ["Inga företag med samtycke matchar filtren."]


def test_every_tab_renders_in_english(demo_db):
    at = open_page("cohort_dashboard", language="en")
    assert not at.exception
    at.selectbox(key="distribution_of").select_index(cohort_view.DISTRIBUTION_COLUMNS.index("stage")).run()
    at.segmented_control(key="distribution_by").set_value("size_class").run()
    at.toggle(key="distribution_selected").set_value(True).run()
    assert not at.exception
    for view in ("blockers", "funding", "follow_up", "calibration", "export"):
        at.segmented_control(key="dashboard_view").set_value(view).run()
        assert not at.exception, view
        if view == "calibration":
            at.selectbox(key="calibration_criterion").set_value("strategic_importance").run()
            assert not at.exception


def test_the_cohort_export_is_built_with_progress_and_offered(demo_db):
    at = open_page("cohort_dashboard")
    at.segmented_control(key="dashboard_view").set_value("export").run()
    at.button(key="build_export").click().run()
    assert not at.exception
    [download] = [b for b in at.get("download_button") if b.proto.label == "Ladda ner kohortrapporten"]
    assert download is not None
    content, name = at.session_state["cohort_export_file"]
    assert name.startswith("mojlighetskartan-pseudonymised-")
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    assert book.sheetnames == ["Företag", "Användningsfall och poäng", "Handlingsplaner", "Uppföljning"]
    first_company = next(book["Företag"].iter_rows(min_row=2, max_row=2, values_only=True))
    assert first_company[0] == "Företag 0001"


def test_a_follow_up_is_recorded_and_compared_with_the_plan(demo_db):
    at = open_page("company_follow_up")
    assert not at.exception
    company_id = next(c.id for c in cohorts.list_companies(cohort_id=1) if follow_ups.chosen_use_cases(company_id=c.id))
    at.selectbox(key="follow_up_company_1").set_value(company_id).run()
    chosen = follow_ups.chosen_use_cases(company_id=company_id)
    form = at.get("form")[0]
    assert form is not None
    at.selectbox[2].set_value(chosen[0].use_case_id)
    at.selectbox[3].set_value("pilot_started")
    at.segmented_control[0].set_value(3)
    at.text_area[0].input("Pilot med leverantör igång")
    at.button[0].click().run()
    assert not at.exception
    [recorded] = follow_ups.list_follow_ups(company_id=company_id)
    assert (recorded.use_case_id, recorded.status, recorded.check_in_months) == (chosen[0].use_case_id, "pilot_started", 3)
    assert recorded.recorded_on == dt.date.today()
    assert texts(at.success) == ["Uppföljningen registrerades: Pilot startad."]
