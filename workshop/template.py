"""The pre-workshop template: an Excel file the SME fills in with company facts and
processes, and its import, which applies completely or not at all."""

from __future__ import annotations

import io
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy import select

from workshop import access, cohorts, content, sni, storage, upload_safety
from workshop.errors import DomainError, DuplicateName, NotFound, ValidationError
from workshop.exports import HEADER_FILL, HEADER_FONT
from workshop.i18n import LANGUAGES, choice_label, t
from workshop.models import Company, Process, Workshop
from workshop.vocabulary import DATA_AVAILABILITY, PROCESS_AREAS, SWEDISH_REGIONS, TURNOVER_BANDS

# Empty rows prepared with drop-downs; the SME can add more below.
PREPARED_PROCESS_ROWS = 40
# The company facts asked for, in row order on the company sheet.
COMPANY_ROWS = (
    ("name", "field.company_name"),
    ("org_number", "field.org_number"),
    ("sni_section", "field.sni_section"),
    ("sni_division", "field.sni_division"),
    ("employees", "field.employees"),
    ("turnover_band", "field.turnover_band"),
    ("founded_year", "field.founded_year"),
    ("municipality", "field.municipality"),
    ("region", "field.region"),
)
PROCESS_COLUMNS = (
    ("name", "field.process_name"),
    ("area", "field.area"),
    ("hours_per_week", "field.hours_per_week"),
    ("people_involved", "field.people_involved"),
    ("data_availability", "field.data_availability"),
    ("system", "field.system"),
    ("frequency", "field.frequency"),
    ("pain_points", "field.pain_points"),
    ("description", "field.description"),
)


class TemplateErrors(ValidationError):
    """Problems found in an uploaded template, each with sheet, row and column; nothing was written."""

    message_key = "error.template"

    def __init__(self, problems: list[tuple[str, int, str, DomainError]]) -> None:
        summary = "; ".join(f"{sheet} row {row}, {column}: {error}" for sheet, row, column, error in problems)
        super().__init__(f"{len(problems)} problem(s) in the template: {summary}", count=len(problems))
        self.problems = problems


@dataclass(frozen=True)
class TemplateImport:
    company_fields: int
    processes_added: int


def _sheet_names(language: str) -> dict[str, str]:
    return {
        "instructions": t("template.sheet_instructions", language),
        "company": t("template.sheet_company", language),
        "processes": t("template.sheet_processes", language),
        "lists": t("template.sheet_lists", language),
    }


def _section_label(code: str, language: str) -> str:
    return sni.label(code, "", language)


def template_bytes(*, language: str) -> bytes:
    """The template in `language`, with instructions and drop-down lists."""
    names = _sheet_names(language)
    book = Workbook()
    intro = book.active
    intro.title = names["instructions"]
    intro["A1"] = t("template.title", language)
    intro["A1"].font = Font(bold=True, size=16)
    for row, key in enumerate(("template.instruction_1", "template.instruction_2", "template.instruction_3", "template.instruction_4"), start=3):
        intro.cell(row=row, column=1, value=t(key, language)).alignment = Alignment(wrap_text=True)
    intro.column_dimensions["A"].width = 110

    lists = book.create_sheet(names["lists"])
    columns = {
        "sni_section": [_section_label(code, language) for code in sni.sections()],
        "turnover_band": [choice_label("turnover_band", v, language) for v in TURNOVER_BANDS],
        "region": list(SWEDISH_REGIONS),
        "area": [choice_label("process_area", v, language) for v in PROCESS_AREAS],
        "data_availability": [choice_label("data_availability", v, language) for v in DATA_AVAILABILITY],
    }
    ranges = {}
    for index, (key, values) in enumerate(columns.items(), start=1):
        letter = chr(ord("A") + index - 1)
        for row, value in enumerate(values, start=1):
            lists.cell(row=row, column=index, value=value)
        ranges[key] = f"'{names['lists']}'!${letter}$1:${letter}${len(values)}"
    lists.sheet_state = "hidden"

    company = book.create_sheet(names["company"], 1)
    company["A1"], company["B1"] = t("template.column_field", language), t("template.column_value", language)
    for cell in (company["A1"], company["B1"]):
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
    for row, (field, label_key) in enumerate(COMPANY_ROWS, start=2):
        company.cell(row=row, column=1, value=t(label_key, language)).font = Font(bold=True)
        if field in ranges:
            validation = DataValidation(type="list", formula1=ranges[field], allow_blank=True)
            company.add_data_validation(validation)
            validation.add(f"B{row}")
    whole = DataValidation(type="whole", operator="between", formula1="0", formula2="10000000", allow_blank=True)
    company.add_data_validation(whole)
    whole.add("B6")
    year = DataValidation(type="whole", operator="between", formula1="1800", formula2="2100", allow_blank=True)
    company.add_data_validation(year)
    year.add("B8")
    company.column_dimensions["A"].width, company.column_dimensions["B"].width = 32, 50

    processes = book.create_sheet(names["processes"], 2)
    for column, (_field, label_key) in enumerate(PROCESS_COLUMNS, start=1):
        cell = processes.cell(row=1, column=column, value=t(label_key, language))
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        processes.column_dimensions[chr(ord("A") + column - 1)].width = 24
    last = PREPARED_PROCESS_ROWS + 1
    for field, letter in (("area", "B"), ("data_availability", "E")):
        validation = DataValidation(type="list", formula1=ranges[field], allow_blank=True)
        processes.add_data_validation(validation)
        validation.add(f"{letter}2:{letter}{last}")
    hours = DataValidation(type="decimal", operator="between", formula1="0", formula2="168000", allow_blank=True)
    people = DataValidation(type="whole", operator="between", formula1="0", formula2="100000", allow_blank=True)
    for validation, letter in ((hours, "C"), (people, "D")):
        processes.add_data_validation(validation)
        validation.add(f"{letter}2:{letter}{last}")
    processes.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _reverse(labels: dict[str, str]) -> dict[str, str]:
    """Label (in either language, case-insensitive) → stored value."""
    return {label.casefold(): value for label, value in labels.items()}


def _lookups() -> dict[str, dict[str, str]]:
    lookups: dict[str, dict[str, str]] = {"sni_section": {}, "turnover_band": {}, "area": {}, "data_availability": {}}
    for language in LANGUAGES:
        lookups["sni_section"].update(_reverse({_section_label(c, language): c for c in sni.sections()}))
        lookups["turnover_band"].update(_reverse({choice_label("turnover_band", v, language): v for v in TURNOVER_BANDS}))
        lookups["area"].update(_reverse({choice_label("process_area", v, language): v for v in PROCESS_AREAS}))
        lookups["data_availability"].update(
            _reverse({choice_label("data_availability", v, language): v for v in DATA_AVAILABILITY})
        )
    return lookups


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _find_sheet(book, key: str):  # noqa: ANN001, ANN202
    titles = {t(f"template.sheet_{key}", language) for language in LANGUAGES}
    return next((sheet for sheet in book.worksheets if sheet.title in titles), None)


def read_template(data: bytes) -> tuple[dict, list[tuple[int, dict]], list[tuple[str, int, str, DomainError]]]:
    """The company facts, the process rows (with their row numbers) and every problem found.

    Raises `UnsafeUpload` for a file that is not a plausible, bounded .xlsx.
    """
    book = upload_safety.open_workbook(data)
    lookups = _lookups()
    problems: list[tuple[str, int, str, DomainError]] = []
    company_sheet, process_sheet = _find_sheet(book, "company"), _find_sheet(book, "processes")
    if company_sheet is None or process_sheet is None:
        missing = ValidationError("This is not the pre-workshop template (a sheet is missing).", field="upload")
        return {}, [], [("", 0, "", missing)]

    company: dict = {}
    for row, (field, _label_key) in enumerate(COMPANY_ROWS, start=2):
        raw = _text(company_sheet.cell(row=row, column=2).value)
        if field in lookups and raw:
            company[field] = lookups[field].get(raw.casefold(), raw.split(" ")[0] if field == "sni_section" else raw)
        elif field == "sni_division":
            company[field] = raw.split(" ")[0]
        else:
            company[field] = (raw or None) if field in ("employees", "founded_year") else raw
    processes: list[tuple[int, dict]] = []
    for row in range(2, process_sheet.max_row + 1):
        values = {field: process_sheet.cell(row=row, column=column).value for column, (field, _) in enumerate(PROCESS_COLUMNS, start=1)}
        if all(_text(v) == "" for v in values.values()):
            continue
        for field in ("area", "data_availability"):
            raw = _text(values[field])
            values[field] = lookups[field].get(raw.casefold(), raw) if raw else None
        for field in ("name", "system", "frequency", "pain_points", "description"):
            values[field] = _text(values[field])
        processes.append((row, values))
    return company, processes, problems


@access.writes_workshop
def import_template(data: bytes, *, workshop_id: int) -> TemplateImport:
    """Apply a filled-in template to the workshop's company and processes, all or nothing.

    Empty company cells leave the stored value as it is. Raises `TemplateErrors` listing
    every problem by sheet, row and column (nothing is written then), `UnsafeUpload`, or
    `NotFound`.
    """
    company_fields, process_rows, problems = read_template(data)
    language = cohorts.get_workshop(workshop_id=workshop_id).language
    names = _sheet_names(language)
    labels = dict(COMPANY_ROWS) | dict(PROCESS_COLUMNS)
    if problems:
        raise TemplateErrors(problems)
    with storage.write() as session:
        workshop = session.get(Workshop, workshop_id)
        if workshop is None:
            raise NotFound(f"No workshop with id {workshop_id}.", kind="workshop", id=workshop_id)
        company = session.get(Company, workshop.company_id)
        given = {k: v for k, v in company_fields.items() if v not in (None, "")}
        merged = {name: getattr(company, name) for name in cohorts.COMPANY_FIELDS} | given
        company_values = None
        try:
            company_values = cohorts.company_values(**merged)
        except DomainError as error:
            field = _company_field(error.field)
            row = next((n for n, (f, _) in enumerate(COMPANY_ROWS, start=2) if f == field), 0)
            problems.append((names["company"], row, t(labels.get(field, "template.column_value"), language), error))
        existing = {name.casefold() for name in session.scalars(select(Process.name).where(Process.workshop_id == workshop_id))}
        new_processes = []
        for row, values in process_rows:
            try:
                clean = content.process_values(values)
                if clean["name"].casefold() in existing:
                    raise DuplicateName(f"{clean['name']!r} is already a process of this workshop.", field="name", value=clean["name"])
                existing.add(clean["name"].casefold())
                new_processes.append(clean)
            except DomainError as error:
                column = _process_field(error.field)
                problems.append((names["processes"], row, t(labels.get(column, "field.process_name"), language), error))
        if problems:
            raise TemplateErrors(problems)
        for name, value in company_values.items():
            setattr(company, name, value)
        position = max([p for p in session.scalars(select(Process.position).where(Process.workshop_id == workshop_id))] + [0])
        for offset, values in enumerate(new_processes, start=1):
            session.add(Process(workshop_id=workshop_id, position=position + offset, **values))
        return TemplateImport(company_fields=len(given), processes_added=len(new_processes))


def _company_field(error_field: str | None) -> str:
    """The template field an error of `company_values` refers to."""
    return {"company_name": "name"}.get(error_field or "", error_field or "")


def _process_field(error_field: str | None) -> str:
    return {"process_name": "name"}.get(error_field or "", error_field or "name")
