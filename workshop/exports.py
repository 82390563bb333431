"""The SME's workbook and CSV files, built from one set of translated tables.

Every text cell that a spreadsheet could read as a formula is neutralised, and control
characters that spreadsheet files cannot hold are removed, on every path.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
from openpyxl import Workbook
from openpyxl.chart import Reference, ScatterChart, Series
from openpyxl.chart.marker import Marker
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from workshop.deliverable import WorkshopDeliverable
from workshop.safe_text import neutralise

HEADER_FILL = PatternFill("solid", fgColor="0B5FA5")
HEADER_FONT = Font(bold=True, color="FFFFFF")
WRAP = Alignment(vertical="top", wrap_text=True)
# Column widths are clamped: narrow columns hide headers, very wide ones break printing.
MIN_WIDTH, MAX_WIDTH = 8, 60
# Widths are judged from the first rows; reading thousands of votes adds time, not accuracy.
WIDTH_SAMPLE_ROWS = 200
SCORE_FORMAT = "0.0"
SEK_FORMAT = '#,##0 "kr"'
# Okabe–Ito, as on the screen, so the printed matrix reads the same.
QUADRANT_COLOURS = {"quick_win": "009E73", "strategic_bet": "0072B2", "fill_in": "E69F00", "deprioritise": "999999"}


def neutralised(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` with every text cell and column name neutralised."""
    safe = frame.copy()
    safe.columns = [neutralise(str(column)) for column in safe.columns]
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = [neutralise(value) for value in safe[column]]
    return safe


# The tables every deliverable has, in workbook order, with the catalogue key of each title.
TABLE_TITLE_KEYS = {
    "ranked": "workbook.sheet_ranked",
    "processes": "workbook.sheet_processes",
    "scores": "workbook.sheet_scores",
    "votes": "workbook.sheet_votes",
    "action_plan": "workbook.sheet_action_plan",
    "funding": "workbook.sheet_funding",
}


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    frame: pd.DataFrame
    # Column names holding scores and SEK amounts, for their number formats.
    score_columns: tuple[str, ...] = ()
    sek_columns: tuple[str, ...] = ()


def tables(d: WorkshopDeliverable) -> list[Table]:
    """The deliverable's tables with translated headers, in workbook order (not yet neutralised)."""
    x = d.text

    def rounded(score: float | None) -> float | None:
        return None if score is None else round(score, 2)

    ranked = pd.DataFrame(
        {
            x("column.rank"): [u.rank for u in d.ranked],
            x("column.use_case"): [u.title for u in d.ranked],
            x("field.process"): [u.process for u in d.ranked],
            x("field.ai_capability"): [u.ai_capability for u in d.ranked],
            x("field.benefit_kind"): [u.benefit_kind for u in d.ranked],
            x("field.stage"): [u.stage for u in d.ranked],
            x("field.cost_band"): [u.cost_band for u in d.ranked],
            x("column.value"): [rounded(u.value) for u in d.ranked],
            x("column.feasibility"): [rounded(u.feasibility) for u in d.ranked],
            x("column.priority"): [rounded(u.priority) for u in d.ranked],
            x("column.quadrant"): [u.quadrant_label for u in d.ranked],
            x("column.responses"): [u.responses for u in d.ranked],
            x("workbook.estimate_low"): [u.estimate_low_sek for u in d.ranked],
            x("workbook.estimate_high"): [u.estimate_high_sek for u in d.ranked],
            x("column.selected"): [x("common.yes") if u.selected else x("common.no") for u in d.ranked],
            x("column.triage"): [u.tier_label for u in d.ranked],
            x("workbook.flags"): ["\n".join(u.flags) for u in d.ranked],
            x("field.description"): [u.description for u in d.ranked],
        }
    )
    scores = pd.DataFrame(
        [
            {
                x("column.use_case"): u.title,
                x("workbook.axis"): c.axis,
                x("workbook.criterion"): c.name,
                x("workbook.weight"): c.weight,
                x("workbook.median"): c.median,
                x("workbook.minimum"): c.minimum,
                x("workbook.maximum"): c.maximum,
                x("column.responses"): c.responses,
                x("workbook.consensus"): c.consensus,
                x("workbook.score"): c.score,
            }
            for u in d.ranked
            for c in u.criteria
        ],
        columns=[
            x("column.use_case"), x("workbook.axis"), x("workbook.criterion"), x("workbook.weight"), x("workbook.median"),
            x("workbook.minimum"), x("workbook.maximum"), x("column.responses"), x("workbook.consensus"), x("workbook.score"),
        ],
    )
    votes = pd.DataFrame(
        {
            x("column.use_case"): [v.use_case for v in d.votes],
            x("column.participants"): [v.participant for v in d.votes],
            x("workbook.criterion"): [v.criterion for v in d.votes],
            x("workbook.score"): [v.score for v in d.votes],
        }
    )
    processes = pd.DataFrame(
        {
            x("field.process_name"): [p.name for p in d.processes],
            x("field.area"): [p.area for p in d.processes],
            x("field.hours_per_week"): [p.hours_per_week for p in d.processes],
            x("field.people_involved"): [p.people_involved for p in d.processes],
            x("field.data_availability"): [p.data_availability for p in d.processes],
            x("field.system"): [p.system for p in d.processes],
            x("field.frequency"): [p.frequency for p in d.processes],
            x("field.pain_points"): [p.pain_points for p in d.processes],
            x("field.description"): [p.description for p in d.processes],
        }
    )
    plan = pd.DataFrame(
        {
            x("column.use_case"): [a.use_case for a in d.actions],
            x("field.next_step"): [a.next_step for a in d.actions],
            x("field.owner"): [a.owner for a in d.actions],
            x("field.horizon_days"): [a.horizon for a in d.actions],
            x("field.cost_band"): [a.cost_band for a in d.actions],
            x("field.stage"): [a.stage for a in d.actions],
            x("field.needs_competence"): [a.needs_competence for a in d.actions],
            x("field.needs_data"): [a.needs_data for a in d.actions],
            x("field.needs_partner"): [a.needs_partner for a in d.actions],
            x("workbook.legal_check"): [a.legal_check for a in d.actions],
        }
    )
    funding = pd.DataFrame(
        {
            x("column.use_case"): [f.use_case for f in d.funding],
            x("workbook.programme"): [f.programme for f in d.funding],
            x("workbook.provider"): [f.provider for f in d.funding],
            x("workbook.funding_kind"): [f.kind for f in d.funding],
            x("column.status"): [f.status for f in d.funding],
            x("workbook.amount"): [f.amount for f in d.funding],
            x("funding.next_stage_badge"): [f.next_stage for f in d.funding],
            x("funding.why_heading"): ["\n".join(f.why) for f in d.funding],
            x("funding.check_heading"): ["\n".join(f.check) for f in d.funding],
            x("workbook.link"): [f.url for f in d.funding],
            x("workbook.checked_on"): [f.checked_on.isoformat() for f in d.funding],
        }
    )
    score_names = (x("column.value"), x("column.feasibility"), x("column.priority"), x("workbook.median"), x("workbook.score"))
    return [
        Table("ranked", x(TABLE_TITLE_KEYS["ranked"]), ranked, score_columns=score_names,
              sek_columns=(x("workbook.estimate_low"), x("workbook.estimate_high"))),
        Table("processes", x(TABLE_TITLE_KEYS["processes"]), processes),
        Table("scores", x(TABLE_TITLE_KEYS["scores"]), scores, score_columns=score_names),
        Table("votes", x(TABLE_TITLE_KEYS["votes"]), votes),
        Table("action_plan", x(TABLE_TITLE_KEYS["action_plan"]), plan),
        Table("funding", x(TABLE_TITLE_KEYS["funding"]), funding),
    ]


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """The table as UTF-8 CSV (with a byte-order mark so spreadsheet programs read åäö),
    every text cell neutralised."""
    buffer = io.StringIO()
    neutralised(frame).to_csv(buffer, index=False, quoting=csv.QUOTE_MINIMAL)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _sheet_title(title: str) -> str:
    """Excel sheet names: at most 31 characters, none of []:*?/\\."""
    return re.sub(r"[\[\]:*?/\\]", "-", title)[:31]


def _styled(sheet: Worksheet, value: object, *, font: Font | None = None, fill: PatternFill | None = None,
            alignment: Alignment | None = None, number_format: str | None = None) -> object:
    """A plain value, or a write-only cell when it needs a style (styled cells cost time)."""
    if not (font or fill or alignment or number_format):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    if font:
        cell.font = font
    if fill:
        cell.fill = fill
    if alignment:
        cell.alignment = alignment
    if number_format:
        cell.number_format = number_format
    return cell


def _set_widths(sheet: Worksheet, frame: pd.DataFrame) -> None:
    """Column widths from the header and the first rows; must come before the first row."""
    for column_index, name in enumerate(frame.columns, start=1):
        lengths = [len(str(name))] + [len(str(v)) for v in frame[name].head(WIDTH_SAMPLE_ROWS).dropna()]
        sheet.column_dimensions[get_column_letter(column_index)].width = max(MIN_WIDTH, min(MAX_WIDTH, max(lengths) + 2))


def _append_table(sheet: Worksheet, table: Table, frame: pd.DataFrame, *, first_row: int) -> int:
    """Append the (neutralised) table from `first_row` on: styled header, formatted numbers,
    long texts wrapped, a filter over it. Returns the next free row."""
    header_alignment = Alignment(vertical="center", wrap_text=True)
    sheet.append([_styled(sheet, name, font=HEADER_FONT, fill=HEADER_FILL, alignment=header_alignment) for name in frame.columns])
    formats = {
        index: SCORE_FORMAT if name in {neutralise(c) for c in table.score_columns} else SEK_FORMAT
        for index, name in enumerate(frame.columns)
        if name in {neutralise(c) for c in (*table.score_columns, *table.sek_columns)}
    }
    for row in frame.astype(object).where(frame.notna(), None).itertuples(index=False):
        sheet.append(
            [
                _styled(
                    sheet,
                    value,
                    number_format=formats.get(index) if value is not None else None,
                    alignment=WRAP if isinstance(value, str) and len(value) > MAX_WIDTH else None,
                )
                for index, value in enumerate(row)
            ]
        )
    last = get_column_letter(max(1, len(frame.columns)))
    sheet.auto_filter.ref = f"A{first_row}:{last}{first_row + max(1, len(frame))}"
    return first_row + 1 + len(frame)


def _write_table(sheet: Worksheet, table: Table) -> None:
    frame = neutralised(table.frame)
    _set_widths(sheet, frame)
    sheet.freeze_panes = "A2"
    _print_setup(sheet)
    _append_table(sheet, table, frame, first_row=1)


def _print_setup(sheet: Worksheet) -> None:
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.gridLines = False


def _summary_sheet(sheet: Worksheet, d: WorkshopDeliverable) -> None:
    x = d.text
    facts = [
        (x("field.company_name"), d.company_name),
        (x("field.org_number"), d.org_number),
        (x("column.sector"), d.sector),
        (x("column.size_class"), d.size_class),
        (x("field.municipality"), d.municipality),
        (x("field.region"), d.region),
        (x("overview.cohort"), d.cohort_name),
        (x("field.held_on"), d.held_on.isoformat() if d.held_on else ""),
        (x("field.facilitator_name"), d.facilitator),
        (x("column.status"), d.status),
        (x("column.participants"), ", ".join(filter(None, (name for name, _role in d.participants))) or str(len(d.participants))),
        (x("workbook.generated"), d.generated_at.strftime("%Y-%m-%d %H:%M UTC")),
        (x("workbook.funding_checked"), d.funding_checked_on.isoformat() if d.funding_checked_on else ""),
    ]
    top = neutralised(
        pd.DataFrame(
            {
                x("column.rank"): [u.rank for u in d.top],
                x("column.use_case"): [u.title for u in d.top],
                x("column.quadrant"): [u.quadrant_label for u in d.top],
                x("column.value"): [None if u.value is None else round(u.value, 2) for u in d.top],
                x("column.feasibility"): [None if u.feasibility is None else round(u.feasibility, 2) for u in d.top],
                x("column.responses"): [u.responses for u in d.top],
                x("use_cases.estimate_result"): [u.estimate_text for u in d.top],
            }
        )
    )
    _set_widths(sheet, top)
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = max(sheet.column_dimensions["B"].width or 0, 40)
    _print_setup(sheet)
    bold = Font(bold=True)
    sheet.append([_styled(sheet, neutralise(x("workbook.title", company=d.company_name)), font=Font(bold=True, size=16))])
    sheet.append([])
    for label, value in facts:
        sheet.append([_styled(sheet, neutralise(label), font=bold), neutralise(value)])
    warnings = [x("funding.stale_warning", date=d.funding_checked_on.isoformat())] if d.funding_stale else []
    for warning in warnings:
        sheet.append([_styled(sheet, neutralise(warning), font=Font(bold=True, color="B00020"))])
    sheet.append([])
    sheet.append([_styled(sheet, neutralise(x("workbook.top_heading")), font=Font(bold=True, size=13))])
    first_row = 2 + len(facts) + len(warnings) + 3
    _append_table(sheet, Table("top", "", top, score_columns=(x("column.value"), x("column.feasibility"))), top, first_row=first_row)


def _matrix_sheet(sheet: Worksheet, d: WorkshopDeliverable) -> None:
    """Data grouped by quadrant, and a native scatter chart with one coloured series each."""
    x = d.text
    sheet.column_dimensions["A"].width = 40
    sheet.freeze_panes = "A2"
    _print_setup(sheet)
    headers = [x("column.use_case"), x("column.feasibility"), x("column.value"), x("column.quadrant")]
    sheet.append([_styled(sheet, neutralise(header), font=HEADER_FONT, fill=HEADER_FILL) for header in headers])
    scored = [u for u in d.ranked if u.value is not None and u.feasibility is not None]
    chart = ScatterChart()
    chart.title = neutralise(x("workbook.matrix_title"))
    chart.style = 13
    chart.x_axis.title = neutralise(x("column.feasibility"))
    chart.y_axis.title = neutralise(x("column.value"))
    for axis in (chart.x_axis, chart.y_axis):
        axis.scaling.min, axis.scaling.max, axis.majorUnit = 1, 5, 1
        axis.delete = False
    row = 2
    for quadrant, colour in QUADRANT_COLOURS.items():
        members = [u for u in scored if u.quadrant == quadrant]
        if not members:
            continue
        first = row
        for u in members:
            sheet.append([neutralise(u.title), round(u.feasibility, 2), round(u.value, 2), neutralise(u.quadrant_label)])
            row += 1
        series = Series(
            Reference(sheet, min_col=3, min_row=first, max_row=row - 1),
            Reference(sheet, min_col=2, min_row=first, max_row=row - 1),
            title=neutralise(members[0].quadrant_label),
        )
        series.marker = Marker(symbol="circle", size=10)
        series.marker.graphicalProperties.solidFill = colour
        series.marker.graphicalProperties.line.solidFill = colour
        series.graphicalProperties.line.noFill = True
        chart.series.append(series)
    chart.height, chart.width = 12, 20
    sheet.add_chart(chart, "F2")


def workbook_bytes(d: WorkshopDeliverable) -> bytes:
    """The SME workbook (.xlsx) in the workshop's language: summary, ranked use cases, the
    matrix as a native scatter chart, processes, scores with response counts, votes and
    the action plan."""
    # Write-only: rows stream to the file instead of becoming cell objects (several times faster).
    workbook = Workbook(write_only=True)
    _summary_sheet(workbook.create_sheet(_sheet_title(d.text("workbook.sheet_summary"))), d)
    all_tables = tables(d)
    _write_table(workbook.create_sheet(_sheet_title(all_tables[0].title)), all_tables[0])
    _matrix_sheet(workbook.create_sheet(_sheet_title(d.text("workbook.sheet_matrix"))), d)
    for table in all_tables[1:]:
        _write_table(workbook.create_sheet(_sheet_title(table.title)), table)
    workbook.properties.title = neutralise(d.text("workbook.title", company=d.company_name))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def file_name(*, company_name: str, held_on: dt.date | None, kind: str, extension: str) -> str:
    """'mojlighetskartan-hasslebro-plat-press-ab-2026-04-14-workbook.xlsx': ASCII only, no spaces."""
    ascii_name = unicodedata.normalize("NFKD", company_name).encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-")[:40] or "workshop"
    date = (held_on or dt.date.today()).isoformat()
    return f"mojlighetskartan-{slug}-{date}-{kind}.{extension}"


def table_csv(d: WorkshopDeliverable, key: str) -> bytes:
    """One of the deliverable's tables (a `TABLE_TITLE_KEYS` key) as neutralised CSV."""
    return csv_bytes(next(table for table in tables(d) if table.key == key).frame)


def tables_workbook(tables_: list[Table], *, title: str, progress: Callable[[float], None] | None = None) -> bytes:
    """A workbook of one styled sheet per table (frozen header, filter, print set-up), every
    text neutralised; `progress` hears the share done after each sheet."""
    workbook = Workbook(write_only=True)
    for done, table in enumerate(tables_, start=1):
        _write_table(workbook.create_sheet(_sheet_title(table.title)), table)
        if progress:
            progress(done / (len(tables_) + 1))
    workbook.properties.title = neutralise(title)
    buffer = io.BytesIO()
    workbook.save(buffer)
    if progress:
        progress(1.0)
    return buffer.getvalue()
