"""The SME workbook and CSV files: readable by real clients, in the workshop's language, safe."""

from __future__ import annotations

import dataclasses
import io
import os
import shutil
import subprocess

import openpyxl
import pandas as pd
import pytest

from tests.factories import make_workshop
from workshop import cohorts, content, deliverable, demo, exports, funding, template, votes
from workshop.deliverable import build_deliverable

HOSTILE = ['=HYPERLINK("http://evil.example","klick")', "+46 cmd", "-2+3", "@SUM(A1)", "\tTAB", "\rCR", "\nLF", "   =1+1"]


@pytest.fixture
def demo_workshop(sqlite_db) -> int:
    demo.load_demo()
    return 1


def _sheets(data: bytes) -> dict[str, pd.DataFrame]:
    return pd.read_excel(io.BytesIO(data), sheet_name=None)


def test_workbook_has_every_sheet_with_the_expected_values(demo_workshop):
    d = build_deliverable(workshop_id=demo_workshop)
    sheets = _sheets(exports.workbook_bytes(d))
    assert list(sheets) == [
        "Sammanfattning", "Rangordning", "Matris", "Processer", "Poäng per kriterium", "Röster", "Handlingsplan", "Finansiering",
    ]
    ranked = sheets["Rangordning"]
    result = votes.workshop_result(workshop_id=demo_workshop)
    assert list(ranked["Användningsfall"]) == [s.title for s in result.ranked]
    assert list(ranked["Värde"]) == [round(s.value, 2) for s in result.ranked]
    assert list(ranked["Svar"]) == [s.responses for s in result.ranked]
    assert len(sheets["Röster"]) == len(votes.list_votes(workshop_id=demo_workshop))
    assert list(sheets["Processer"]["Process"]) == [p.name for p in content.list_processes(workshop_id=demo_workshop)]
    plan = sheets["Handlingsplan"]
    assert sorted(plan["Ansvarig"]) == sorted(a.owner for a in content.list_action_items(workshop_id=demo_workshop))


def test_workbook_follows_the_workshop_language(demo_workshop):
    english = next(w for w in cohorts.list_workshops(cohort_id=cohorts.list_cohorts()[0].id) if w.language == "en")
    sheets = _sheets(exports.workbook_bytes(build_deliverable(workshop_id=english.id)))
    assert list(sheets) == ["Summary", "Ranking", "Matrix", "Processes", "Scores by criterion", "Votes", "Action plan", "Funding"]
    assert "Use case" in sheets["Ranking"].columns
    assert {"Programme", "Why it matches", "What to check", "Facts checked"} <= set(sheets["Funding"].columns)


def test_workbook_funding_sheet_holds_each_chosen_use_cases_best_pointers(demo_workshop):
    d = build_deliverable(workshop_id=demo_workshop)
    sheet = _sheets(exports.workbook_bytes(d))["Finansiering"]
    pointers = funding.workshop_pointers(workshop_id=demo_workshop)
    titles = {u.id: u.title for u in content.list_use_cases(workshop_id=demo_workshop)}
    expected = [
        (titles[use_case_id], pointer.programme.name["sv"])
        for use_case_id, matching in pointers.by_use_case.items()
        for pointer in matching.pointers[: deliverable.POINTERS_PER_USE_CASE]
    ]
    assert expected, "the demo workshop has chosen use cases with pointers"
    assert sorted(zip(sheet["Användningsfall"], sheet["Program"])) == sorted(expected)
    assert all(text.strip() for text in sheet["Varför det passar"])
    assert set(sheet["Uppgifter kontrollerade"]) == {"2026-11-01"}
    summary = _sheets(exports.workbook_bytes(d))["Sammanfattning"]
    assert "Finansieringsuppgifter kontrollerade" in summary.iloc[:, 0].tolist()


def test_a_stale_catalogue_is_flagged_in_the_workbook(demo_workshop):
    stale = dataclasses.replace(build_deliverable(workshop_id=demo_workshop), funding_stale=True)
    book = openpyxl.load_workbook(io.BytesIO(exports.workbook_bytes(stale)))
    texts = [cell.value for row in book["Sammanfattning"].iter_rows() for cell in row if isinstance(cell.value, str)]
    assert any(text.startswith("Finansieringskatalogens uppgifter kontrollerades senast 2026-11-01") for text in texts)


def test_workbook_is_styled_frozen_filtered_and_printable(demo_workshop):
    book = openpyxl.load_workbook(io.BytesIO(exports.workbook_bytes(build_deliverable(workshop_id=demo_workshop))))
    ranked = book["Rangordning"]
    assert ranked.freeze_panes == "A2"
    assert ranked.auto_filter.ref.startswith("A1:")
    assert ranked["A1"].font.bold is True
    assert ranked.page_setup.orientation == "landscape"
    assert ranked.sheet_properties.pageSetUpPr.fitToPage is True
    assert ranked["H2"].number_format == exports.SCORE_FORMAT
    [chart] = book["Matris"]._charts
    assert (chart.x_axis.scaling.min, chart.x_axis.scaling.max) == (1, 5)
    assert len(chart.series) >= 2


def _hostile_workshop() -> int:
    ids = make_workshop(participants=1, use_cases=0)
    for n, text in enumerate(HOSTILE):
        content.add_use_case(workshop_id=ids["workshop_id"], title=f"{text} {n}", description="a\x00b\x07c" + "x" * 4900)
    content.add_participant(workshop_id=ids["workshop_id"], name="=cmd|' /C calc'!A0", role="@role")
    cohorts.update_company(company_id=ids["company_id"], municipality="+Malmö")
    return ids["workshop_id"]


def test_hostile_values_are_neutralised_in_the_workbook(sqlite_db):
    workshop_id = _hostile_workshop()
    book = openpyxl.load_workbook(io.BytesIO(exports.workbook_bytes(build_deliverable(workshop_id=workshop_id))))
    texts = [cell.value for sheet in book for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)]
    assert texts and all(not text.lstrip(" ").startswith(("=", "+", "-", "@", "\t", "\r", "\n")) for text in texts)
    assert any(text.startswith("'=HYPERLINK") for text in texts)
    assert not any("\x00" in text or "\x07" in text for text in texts)
    # No cell holds a formula.
    assert all(cell.data_type != "f" for sheet in book for row in sheet.iter_rows() for cell in row)


def test_hostile_values_are_neutralised_in_every_csv(sqlite_db):
    workshop_id = _hostile_workshop()
    for table in exports.tables(build_deliverable(workshop_id=workshop_id)):
        frame = pd.read_csv(io.BytesIO(exports.csv_bytes(table.frame)), encoding="utf-8-sig", dtype=str, keep_default_na=False)
        cells = [str(v) for v in frame.to_numpy().ravel()] + list(frame.columns)
        assert all(not c.lstrip(" ").startswith(("=", "+", "-", "@")) for c in cells if c), table.key


def test_csv_reads_back_with_swedish_characters(demo_workshop):
    d = build_deliverable(workshop_id=demo_workshop)
    [ranked, *_] = exports.tables(d)
    frame = pd.read_csv(io.BytesIO(exports.csv_bytes(ranked.frame)), encoding="utf-8-sig")
    assert list(frame["Användningsfall"]) == [u.title for u in d.ranked]


def _libreoffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _produced(kind: str) -> bytes:
    if kind == "template_sv":
        return template.template_bytes(language="sv")
    if kind == "template_en":
        return template.template_bytes(language="en")
    return exports.workbook_bytes(build_deliverable(workshop_id={"workbook_sv": 1, "workbook_en": 7}[kind]))


@pytest.mark.parametrize("kind", ["workbook_sv", "workbook_en", "template_sv", "template_en"])
def test_every_produced_workbook_reads_back_in_pandas(demo_workshop, kind):
    sheets = pd.read_excel(io.BytesIO(_produced(kind)), sheet_name=None)
    assert all(isinstance(frame, pd.DataFrame) for frame in sheets.values()) and len(sheets) >= 4


@pytest.mark.parametrize("kind", ["workbook_sv", "workbook_en", "template_sv", "template_en"])
def test_libreoffice_converts_every_produced_workbook(demo_workshop, tmp_path, kind):
    soffice = _libreoffice()
    if soffice is None:
        if os.environ.get("OPPORTUNITY_MAP_REQUIRE_LIBREOFFICE", "") not in ("", "0"):
            pytest.fail("LibreOffice is required here but soffice is not installed")
        print("LibreOffice tests skipped: soffice not found (apt-get install -y libreoffice-calc-nogui)")
        pytest.skip("LibreOffice not installed")
    path = tmp_path / "workbook.xlsx"
    path.write_bytes(_produced(kind))
    result = subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    pdf = tmp_path / "workbook.pdf"
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF")
