"""The pre-workshop template: drop-downs for the SME, and an all-or-nothing import."""

from __future__ import annotations

import io

import openpyxl
import pytest

from tests.factories import make_workshop, org_number
from workshop import cohorts, content, template
from workshop.errors import UnsafeUpload
from workshop.template import TemplateErrors


def _filled(language: str = "sv", *, company: dict | None = None, processes: list[list] | None = None) -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(template.template_bytes(language=language)))
    names = template._sheet_names(language)
    sheet = book[names["company"]]
    for row, (field, _label) in enumerate(template.COMPANY_ROWS, start=2):
        if company and field in company:
            sheet.cell(row=row, column=2, value=company[field])
    process_sheet = book[names["processes"]]
    for row, values in enumerate(processes or [], start=2):
        for column, value in enumerate(values, start=1):
            process_sheet.cell(row=row, column=column, value=value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_template_has_instructions_and_drop_downs():
    book = openpyxl.load_workbook(io.BytesIO(template.template_bytes(language="sv")))
    assert book.sheetnames == ["Instruktioner", "Företaget", "Processer", "Listor"]
    assert book["Listor"].sheet_state == "hidden"
    area_rules = [dv for dv in book["Processer"].data_validations.dataValidation if dv.type == "list"]
    assert {str(dv.sqref) for dv in area_rules} == {"B2:B41", "E2:E41"}
    assert book["Processer"]["A1"].value == "Process"


def test_import_applies_company_facts_and_processes(db):
    ids = make_workshop(use_cases=0)
    number = org_number()
    data = _filled(
        company={"name": "Kvarnby Mekaniska AB", "org_number": number, "sni_section": "C – Tillverkning", "sni_division": "25",
                 "employees": 23, "turnover_band": "10–50 mnkr", "region": "Skåne län", "municipality": "Hässleholm"},
        processes=[["Offertarbete", "Försäljning och marknad", 12, 2, "Strukturerad", "Monitor"], ["Svetsning", "Produktion", 80, 6]],
    )
    result = template.import_template(data, workshop_id=ids["workshop_id"])
    assert (result.company_fields, result.processes_added) == (8, 2)
    company = cohorts.get_company(company_id=ids["company_id"])
    assert (company.name, company.org_number, company.sni_section, company.employees, company.turnover_band, company.municipality) == (
        "Kvarnby Mekaniska AB", number, "C", 23, "10m_50m", "Hässleholm",
    )
    rows = content.list_processes(workshop_id=ids["workshop_id"])
    assert [(p.name, p.area, p.hours_per_week, p.data_availability) for p in rows] == [
        ("Orderplanering", "production", None, "none"),
        ("Offertarbete", "sales_marketing", 12.0, "structured"),
        ("Svetsning", "production", 80.0, "none"),
    ]


def test_import_reports_every_problem_by_sheet_row_and_column_and_writes_nothing(db):
    ids = make_workshop(use_cases=0)
    before = cohorts.get_company(company_id=ids["company_id"])
    data = _filled(
        company={"org_number": "556036-0794"},
        processes=[["Bra process", "Produktion", 3], ["", "Produktion", 5], ["Negativ", "Produktion", -5], ["Text", "Produktion", "många"], ["orderplanering", "Produktion"]],
    )
    with pytest.raises(TemplateErrors) as raised:
        template.import_template(data, workshop_id=ids["workshop_id"])
    assert [(sheet, row, column) for sheet, row, column, _ in raised.value.problems] == [
        ("Företaget", 3, "Organisationsnummer"),
        ("Processer", 3, "Process"),
        ("Processer", 4, "Timmar per vecka"),
        ("Processer", 5, "Timmar per vecka"),
        ("Processer", 6, "Process"),
    ]
    assert cohorts.get_company(company_id=ids["company_id"]) == before
    assert [p.name for p in content.list_processes(workshop_id=ids["workshop_id"])] == ["Orderplanering"]


def test_english_template_imports_too(db):
    ids = make_workshop(use_cases=0)
    data = _filled("en", processes=[["Invoicing", "Finance and administration", 6, 1, "Digital, unstructured"]])
    template.import_template(data, workshop_id=ids["workshop_id"])
    assert [(p.name, p.area, p.data_availability) for p in content.list_processes(workshop_id=ids["workshop_id"])][-1] == (
        "Invoicing", "finance_admin", "digital_unstructured",
    )


def test_other_workbooks_and_files_are_refused(db):
    ids = make_workshop(use_cases=0)
    book = openpyxl.Workbook()
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(TemplateErrors):
        template.import_template(buffer.getvalue(), workshop_id=ids["workshop_id"])
    with pytest.raises(UnsafeUpload):
        template.import_template(b"not a spreadsheet", workshop_id=ids["workshop_id"])
