"""Downloads on the wrap-up step, importing a bundle on set-up and a template on the profile."""

from __future__ import annotations

import io
import json

import openpyxl

from tests.app.conftest import open_page, texts
from workshop import bundle, cohorts, content, template


def test_wrap_up_offers_every_deliverable(demo_db):
    at = open_page("wrap_up", workshop_id=1)
    labels = [button.proto.label for button in at.get("download_button")]
    assert labels == ["Arbetsbok (Excel)", "Rapport (PDF)", "Hela workshoppen (JSON)", "Ladda ner CSV"]
    assert at.selectbox(key="csv_table").options == ["Rangordning", "Processer", "Poäng per kriterium", "Röster", "Handlingsplan", "Finansiering"]
    assert texts(at.exception) == []


def test_english_workshop_deliverables_are_in_english(demo_db):
    at = open_page("wrap_up", workshop_id=7)
    assert at.selectbox(key="csv_table").options == ["Ranking", "Processes", "Scores by criterion", "Votes", "Action plan", "Funding"]


def test_setup_imports_a_bundle_into_the_chosen_cohort(demo_db):
    document = bundle.export_bundle(workshop_id=1)
    target = cohorts.create_cohort(name="AAA mottagare")
    at = open_page("setup")
    at.selectbox(key="setup_cohort").set_value(target).run()
    at.file_uploader(key=f"bundle_upload_{target}").upload("workshop.json", json.dumps(document).encode("utf-8"), "application/json").run()
    at.button(key="import_bundle").click().run()
    [imported] = cohorts.list_workshops(cohort_id=target)
    assert imported.use_cases == len(document["use_cases"])
    assert texts(at.title) == ["1. Företagsprofil"]


def test_setup_refuses_a_broken_bundle_with_a_clear_message(demo_db):
    target = cohorts.create_cohort(name="AAA mottagare")
    at = open_page("setup")
    at.selectbox(key="setup_cohort").set_value(target).run()
    at.file_uploader(key=f"bundle_upload_{target}").upload("workshop.json", b"{not json", "application/json").run()
    at.button(key="import_bundle").click().run()
    assert texts(at.error)[0].startswith("Filen kan inte läsas in som workshop")
    assert cohorts.list_workshops(cohort_id=target) == []


def test_profile_imports_a_filled_template(small_workshop):
    ids = small_workshop
    book = openpyxl.load_workbook(io.BytesIO(template.template_bytes(language="sv")))
    book["Processer"]["A2"], book["Processer"]["B2"], book["Processer"]["C2"] = "Fakturering", "Ekonomi och administration", 6
    buffer = io.BytesIO()
    book.save(buffer)
    at = open_page("profile", workshop_id=ids["workshop_id"])
    at.file_uploader(key=f"template_upload_{ids['workshop_id']}").upload("mall.xlsx", buffer.getvalue()).run()
    at.button(key="template_import").click().run()
    assert [p.name for p in content.list_processes(workshop_id=ids["workshop_id"])] == ["Orderplanering", "Fakturering"]
    assert texts(at.exception) == []
