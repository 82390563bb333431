"""The printable PDF report the SME takes home, built from a `WorkshopDeliverable`.

A few A4 pages in the workshop's language: the company and workshop facts, the value ×
feasibility matrix, the prioritised use cases with a rationale, the action plan and the
next steps. fpdf2 writes the PDF (pure Python, small, well kept) and vl-convert renders the
Altair matrix to PNG without a browser.

Every user text passes through `neutralise` first. The report is laid out as a list of
blocks; the PDF writer and `report_text` both read that list, so `report_text` is exactly
what the PDF says.
"""

from __future__ import annotations

import datetime as dt
import io
import struct
import zoneinfo
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from urllib.parse import urlsplit

import vl_convert
from fpdf import FPDF
from fpdf.enums import MethodReturnValue, XPos, YPos

from workshop import access, scoring
from workshop.charts import matrix_chart
from workshop.config import SHIPPED_DATA_DIR
from workshop.deliverable import ActionLine, CriterionResult, RankedUseCase, WorkshopDeliverable
from workshop.i18n import choice_label
from workshop.prioritisation import matrix_texts, prioritisation
from workshop.safe_text import neutralise

# --- Safety -----------------------------------------------------------------------------

# A tab has no glyph in the font; this many spaces keep its indentation readable.
TAB_SPACES = "    "

# --- Fonts ------------------------------------------------------------------------------

FONTS_DIR = SHIPPED_DATA_DIR / "fonts"
# DejaVu Sans ships with the project: it covers å ä ö, – ≈ “ ” and non-breaking spaces on any machine.
FONT_FAMILY = "DejaVu Sans"
FONT_REGULAR = FONTS_DIR / "DejaVuSans.ttf"
FONT_BOLD = FONTS_DIR / "DejaVuSans-Bold.ttf"

# --- Matrix image -----------------------------------------------------------------------

# Wide enough for the quadrant labels at their normal size; scale 2 keeps it sharp in print.
MATRIX_WIDTH_PX = 900
MATRIX_HEIGHT_PX = 560
MATRIX_SCALE = 2
# The bubble size shows the value estimate, as the explanation beside the matrix says.
MATRIX_SIZE_MEASURE = "value_estimate"
# A PNG's width and height sit at this byte offset: 8-byte signature, then the IHDR chunk's header.
PNG_SIZE_OFFSET = 16

# --- Page layout (millimetres and points) -----------------------------------------------

PAGE_FORMAT = "A4"
MARGIN_MM = 18
# Room under the text for the footer line.
BOTTOM_MARGIN_MM = 20
FOOTER_OFFSET_MM = 12
# Space kept between a shortened company name and the page number.
FOOTER_GAP_MM = 6
# Font sizes in points: nothing a reader needs is below 8.5 pt, small enough to keep a row on one line.
TITLE_FONT_SIZE = 22
COMPANY_FONT_SIZE = 16
HEADING_FONT_SIZE = 14
SUBHEADING_FONT_SIZE = 12
BODY_FONT_SIZE = 10
TABLE_FONT_SIZE = 8.5
FOOTER_FONT_SIZE = 8
# Line height as a multiple of the font size: 1.4 reads comfortably on paper.
LINE_SPACING = 1.4
POINT_MM = 25.4 / 72
# Label column of the fact lists: fits "Uppskattat värde per år" in bold at body size on one line.
FACT_LABEL_WIDTH_MM = 54
# A heading with less than this below it moves to the next page, so it never ends a page alone.
KEEP_WITH_NEXT_MM = 25
# Below this height the matrix moves to the next page rather than shrinking further.
MIN_IMAGE_HEIGHT_MM = 90
TABLE_CELL_PADDING_MM = 1.5
# A row with fewer lines than this left on the page starts on the next one instead.
MIN_ROW_LINES = 3
BULLET_RADIUS_MM = 0.8
# Bullet text starts here, right of its dot, so wrapped lines align with the first.
BULLET_INDENT_MM = 5
# Vertical rhythm: a little more air above a heading than below a block, so sections read apart.
SPACE_AFTER_BLOCK_MM = 3
SPACE_BEFORE_HEADING_MM = 4

# Printer-safe colours: legible in greyscale; the blue is a darker shade of the matrix's own.
HEADING_COLOUR = (0, 84, 147)
TEXT_COLOUR = (26, 26, 26)
MUTED_COLOUR = (90, 90, 90)
TABLE_HEADING_FILL = (226, 234, 242)
TABLE_BORDER_COLOUR = (170, 170, 170)

# Action plan columns as shares of the (landscape) text width: the long texts get the room, the
# choice columns just enough for their longest label ("SEK 50,000–250,000", "Implementation").
ACTION_COLUMN_SHARES = (0.14, 0.22, 0.10, 0.10, 0.135, 0.105, 0.20)
# Funding columns: programme (with provider, link and check date), amount, why, what to check.
FUNDING_COLUMN_SHARES = (0.25, 0.11, 0.28, 0.36)
# The report keeps to a few pages: the best pointers per use case; the workbook has more and
# full links (the report names each programme's site).
REPORT_POINTERS_PER_USE_CASE = 3
# Stands in for the page count until the PDF is closed; neutralise strips control characters,
# so no user text can ever contain it and get a number in its place.
TOTAL_PAGES_ALIAS = "\x1fN\x1f"

# The SMEs are Swedish: the printed date is their calendar date, not UTC's.
REPORT_TIME_ZONE = "Europe/Stockholm"
# Languages that write 3,5 rather than 3.5.
DECIMAL_COMMA_LANGUAGES = frozenset({"sv"})
# The generic next steps, in the order they are printed.
NEXT_STEP_KEYS = (
    "report.next_steps_review",
    "report.next_steps_start_small",
    "report.next_steps_data",
    "report.next_steps_follow_up",
)


def _clean(text: str) -> str:
    """A user text ready for the PDF: neutralised, with tabs as spaces (the font has no tab glyph)."""
    return neutralise(text).replace("\t", TAB_SPACES)


def _one_line(text: str) -> str:
    return " ".join(text.split("\n"))


# --- Blocks: what the report says, independent of how it is drawn -----------------------


@dataclass(frozen=True)
class _PageBreak:
    landscape: bool = False


@dataclass(frozen=True)
class _Title:
    product: str
    title: str
    company: str


@dataclass(frozen=True)
class _Heading:
    text: str
    # 1 = section, 2 = one use case.
    level: int = 1


@dataclass(frozen=True)
class _Paragraph:
    text: str
    muted: bool = False


@dataclass(frozen=True)
class _Bullets:
    items: tuple[str, ...]


@dataclass(frozen=True)
class _Facts:
    rows: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class _Table:
    headings: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    # Shares of the text width, one per column.
    shares: tuple[float, ...]


@dataclass(frozen=True)
class _Image:
    png: bytes
    # Read aloud by screen readers; not printed.
    alt_text: str


_Block = _PageBreak | _Title | _Heading | _Paragraph | _Bullets | _Facts | _Table | _Image


def _number(value: float | None, *, d: WorkshopDeliverable) -> str:
    """One decimal, with the workshop language's decimal mark; the catalogue's dash for None."""
    if value is None:
        return d.text("report.no_value")
    text = f"{value:.1f}"
    return text.replace(".", ",") if d.language in DECIMAL_COMMA_LANGUAGES else text


def _or_dash(text: str, *, d: WorkshopDeliverable) -> str:
    cleaned = _clean(text)
    return cleaned if cleaned.strip() else d.text("report.no_value")


def _local_date(moment: dt.datetime) -> dt.date:
    try:
        return moment.astimezone(zoneinfo.ZoneInfo(REPORT_TIME_ZONE)).date()
    except zoneinfo.ZoneInfoNotFoundError:
        # A machine without time zone data still gets a report, dated in UTC.
        return moment.date()


def _title_blocks(d: WorkshopDeliverable) -> list[_Block]:
    size = (
        d.text("report.size_value", size_class=d.size_class, employees=d.employees)
        if d.size_class
        else d.text("report.no_value")
    )
    held_on = d.held_on.isoformat() if d.held_on else d.text("report.no_value")
    return [
        _Title(product=d.text("report.product"), title=d.text("report.title"), company=_clean(d.company_name)),
        _Facts(
            rows=(
                (d.text("report.org_number"), _or_dash(d.org_number, d=d)),
                (d.text("report.sector"), _or_dash(d.sector, d=d)),
                (d.text("report.size"), size),
                (d.text("report.municipality"), _or_dash(d.municipality, d=d)),
                (d.text("report.held_on"), held_on),
                (d.text("report.facilitator"), _or_dash(d.facilitator, d=d)),
                (d.text("report.cohort"), _or_dash(d.cohort_name, d=d)),
                (d.text("report.generated"), _local_date(d.generated_at).isoformat()),
            )
        ),
    ]


def _matrix_blocks(d: WorkshopDeliverable, *, matrix_png: bytes | None) -> list[_Block]:
    explanation = d.text(
        "report.matrix_explanation",
        **{q: choice_label("quadrant", q, d.language) for q in scoring.QUADRANTS},
    )
    # The explanation goes above the image: the image shrinks to the room left, the text cannot.
    blocks: list[_Block] = [_Heading(d.text("report.matrix_heading")), _Paragraph(explanation, muted=True)]
    if matrix_png:
        blocks.append(_Image(png=matrix_png, alt_text=d.text("report.matrix_alt")))
    else:
        blocks.append(_Paragraph(d.text("report.matrix_missing"), muted=True))
    return blocks


def _criterion_text(criterion: CriterionResult, *, d: WorkshopDeliverable) -> str:
    key = "report.criterion_score_inverted" if criterion.direction == "lower_is_better" else "report.criterion_score"
    return d.text(key, name=_clean(criterion.name), score=_number(criterion.score, d=d))


def rationale(*, use_case: RankedUseCase, deliverable: WorkshopDeliverable) -> str:
    """A short reason in the workshop's language, from the use case's own scores.

    Names the strongest and the weakest criterion as they count on their axis (a
    lower-is-better criterion is marked so), ties going to the heavier weight; says so when
    nothing stands out or nothing is scored; and adds the criteria the voters disagreed on
    (spread as in `scoring.disagreements`) unless a consensus score settled them.
    """
    d = deliverable
    scored = [c for c in use_case.criteria if c.score is not None]
    if not scored:
        return d.text("report.rationale_none")

    def counted(criterion: CriterionResult) -> float:
        return scoring.effective_score(criterion.score, criterion.direction)

    strongest = max(scored, key=lambda c: (counted(c), c.weight))
    weakest = min(scored, key=lambda c: (counted(c), -c.weight))
    if counted(strongest) == counted(weakest):
        text = d.text("report.rationale_even")
    else:
        text = d.text(
            "report.rationale_text",
            strongest=_criterion_text(strongest, d=d),
            weakest=_criterion_text(weakest, d=d),
        )
    unsettled = {
        c.key: scoring.CriterionAggregate(
            criterion=c.key, median=c.median, minimum=c.minimum, maximum=c.maximum, responses=c.responses
        )
        for c in use_case.criteria
        if c.consensus is None
    }
    names = {c.key: _clean(c.name) for c in use_case.criteria}
    disputed = scoring.disagreements(unsettled)
    if disputed:
        text += " " + d.text("report.rationale_disagreement", criteria=", ".join(names[k] for k in disputed))
    return text


def _responses(count: int, *, d: WorkshopDeliverable) -> str:
    return d.text("report.responses_one") if count == 1 else d.text("report.responses", count=count)


def _capability(use_case: RankedUseCase, *, d: WorkshopDeliverable) -> str:
    if use_case.ai_capability and use_case.benefit_kind:
        return d.text("report.capability_value", capability=use_case.ai_capability, benefit=use_case.benefit_kind)
    return use_case.ai_capability or use_case.benefit_kind or d.text("report.no_value")


def _use_case_blocks(d: WorkshopDeliverable) -> list[_Block]:
    blocks: list[_Block] = [_PageBreak(), _Heading(d.text("report.top_heading"))]
    top = d.top
    if not top:
        blocks.append(_Paragraph(d.text("report.no_use_cases")))
        return blocks
    chosen = any(u.selected for u in top)
    blocks.append(_Paragraph(d.text("report.top_intro_selected" if chosen else "report.top_intro_best"), muted=True))
    for use_case in top:
        rows = [
            (d.text("report.quadrant"), use_case.quadrant_label or d.text("report.no_value")),
            (
                d.text("report.scores"),
                d.text(
                    "report.scores_value",
                    value=_number(use_case.value, d=d),
                    feasibility=_number(use_case.feasibility, d=d),
                    responses=_responses(use_case.responses, d=d),
                ),
            ),
            (d.text("report.estimate"), use_case.estimate_text or d.text("report.no_estimate")),
            (d.text("report.capability"), _capability(use_case, d=d)),
        ]
        if use_case.process.strip():
            rows.append((d.text("report.process"), _clean(use_case.process)))
        rows.append((d.text("report.rationale"), rationale(use_case=use_case, deliverable=d)))
        rows.append((d.text("column.triage"), "\n".join([use_case.tier_label, *use_case.flags])))
        if use_case.description.strip():
            rows.append((d.text("report.description"), _clean(use_case.description)))
        blocks.append(_Heading(d.text("report.use_case_heading", rank=use_case.rank, title=_clean(use_case.title)), 2))
        blocks.append(_Facts(tuple(rows)))
    return blocks


def _needs(action: ActionLine, *, d: WorkshopDeliverable) -> str:
    parts = [
        d.text(key, text=_clean(text))
        for key, text in (
            ("report.needs_competence", action.needs_competence),
            ("report.needs_data", action.needs_data),
            ("report.needs_partner", action.needs_partner),
        )
        if text.strip()
    ]
    return "\n".join(parts)


def _action_plan_blocks(d: WorkshopDeliverable) -> list[_Block]:
    if not d.actions:
        return [_PageBreak(), _Heading(d.text("report.plan_heading")), _Paragraph(d.text("report.no_actions"))]
    headings = (
        d.text("report.plan_use_case"),
        d.text("report.plan_next_step"),
        d.text("report.plan_owner"),
        d.text("report.plan_horizon"),
        d.text("report.plan_cost"),
        d.text("report.plan_stage"),
        d.text("report.plan_needs"),
    )
    rows = tuple(
        (
            _clean(a.use_case),
            _clean(a.next_step),
            _clean(a.owner),
            a.horizon,
            a.cost_band,
            a.stage,
            _needs(a, d=d),
        )
        for a in d.actions
    )
    # Landscape: seven columns of running text stay readable without a tiny font.
    return [
        _PageBreak(landscape=True),
        _Heading(d.text("report.plan_heading")),
        _Table(headings=headings, rows=rows, shares=ACTION_COLUMN_SHARES),
    ]


def _funding_blocks(d: WorkshopDeliverable) -> list[_Block]:
    """Per chosen use case, the programmes to look into: why each fits and what to check.
    Follows the action plan on its landscape pages, where four text columns stay readable."""
    blocks: list[_Block] = [
        _Heading(d.text("funding.title")),
        _Paragraph(d.text("funding.order_note") + " " + d.text("report.funding_more"), muted=True),
    ]
    if d.funding_stale:
        blocks.append(_Paragraph(d.text("funding.stale_warning", date=d.funding_checked_on.isoformat())))
    if not d.funding:
        blocks.append(_Paragraph(d.text("report.no_funding")))
        return blocks
    headings = (
        d.text("workbook.programme"),
        d.text("workbook.amount"),
        d.text("funding.why_heading"),
        d.text("funding.check_heading"),
    )
    for use_case in dict.fromkeys(line.use_case for line in d.funding):
        lines = [line for line in d.funding if line.use_case == use_case][:REPORT_POINTERS_PER_USE_CASE]
        rows = tuple(
            (
                "\n".join(filter(None, (
                    _clean(line.programme), _clean(line.provider), f"{line.kind} · {line.status}", line.next_stage,
                    _clean(urlsplit(line.url).netloc),
                    d.text("funding.checked_on", date=line.checked_on.isoformat()),
                ))),
                _clean(line.amount) or d.text("report.no_value"),
                "\n".join(f"• {_clean(text)}" for text in line.why),
                "\n".join(f"• {_clean(text)}" for text in line.check),
            )
            for line in lines
        )
        blocks.append(_Heading(_clean(use_case), 2))
        blocks.append(_Table(headings=headings, rows=rows, shares=FUNDING_COLUMN_SHARES))
    return blocks


def _next_steps_blocks(d: WorkshopDeliverable) -> list[_Block]:
    return [_Heading(d.text("report.next_steps_heading")), _Bullets(tuple(d.text(key) for key in NEXT_STEP_KEYS))]


def _blocks(d: WorkshopDeliverable, *, matrix_png: bytes | None) -> list[_Block]:
    """The whole report in print order."""
    return [
        *_title_blocks(d),
        *_matrix_blocks(d, matrix_png=matrix_png),
        *_use_case_blocks(d),
        *_action_plan_blocks(d),
        *_funding_blocks(d),
        *_next_steps_blocks(d),
    ]


def _footer_company(d: WorkshopDeliverable) -> str:
    return d.text("report.footer", company=_one_line(_clean(d.company_name)))


def _block_texts(block: _Block) -> Iterator[str]:
    match block:
        case _Title():
            yield from (block.product, block.title, block.company)
        case _Heading() | _Paragraph():
            yield block.text
        case _Bullets():
            yield from block.items
        case _Facts():
            for label, value in block.rows:
                yield from (label, value)
        case _Table():
            yield from block.headings
            for row in block.rows:
                yield from row
        case _:
            return


def report_text(deliverable: WorkshopDeliverable, *, matrix_png: bytes | None = None) -> list[str]:
    """Every visible text `build_report_pdf` writes for the same arguments, in order, without page numbers.

    The footer's company line comes last, once (the PDF repeats it on every page, shortened
    with "…" where a very long name would not fit). For tests and checks: PDF text cannot be
    read back without an extra library.
    """
    texts = [text for block in _blocks(deliverable, matrix_png=matrix_png) for text in _block_texts(block)]
    texts.append(_footer_company(deliverable))
    return texts


# --- Drawing ---------------------------------------------------------------------------


def _line_height(font_size: float) -> float:
    return font_size * POINT_MM * LINE_SPACING


class _ReportPdf(FPDF):
    """An A4 document with the report's fonts and a footer of company name and page number."""

    def __init__(self, *, footer_text: str, page_text: Callable[[int], str]) -> None:
        super().__init__(orientation="portrait", unit="mm", format=PAGE_FORMAT)
        self._footer_text = footer_text
        self._page_text = page_text
        self.add_font(FONT_FAMILY, "", str(FONT_REGULAR))
        self.add_font(FONT_FAMILY, "B", str(FONT_BOLD))
        self.set_margins(MARGIN_MM, MARGIN_MM, MARGIN_MM)
        self.set_auto_page_break(True, margin=BOTTOM_MARGIN_MM)
        self.alias_nb_pages(TOTAL_PAGES_ALIAS)
        self.set_text_color(*TEXT_COLOUR)

    def footer(self) -> None:
        self.set_y(-FOOTER_OFFSET_MM)
        self.set_font(FONT_FAMILY, "", FOOTER_FONT_SIZE)
        self.set_text_color(*MUTED_COLOUR)
        page = self._page_text(self.page_no())
        page_width = self.get_string_width(page.replace(TOTAL_PAGES_ALIAS, "000"))
        room = self.epw - page_width - FOOTER_GAP_MM
        height = _line_height(FOOTER_FONT_SIZE)
        self.cell(room, height, _shorten(self, text=self._footer_text, width=room))
        self.set_x(self.w - self.r_margin - page_width)
        self.cell(page_width, height, page, align="R")
        self.set_text_color(*TEXT_COLOUR)

    @property
    def room_left(self) -> float:
        return self.page_break_trigger - self.get_y()

    def ensure_room(self, *, height: float) -> None:
        """Start a new page of the same orientation unless `height` mm fit on this one."""
        if self.room_left < height:
            self.add_page(same=True)


def _shorten(pdf: FPDF, *, text: str, width: float) -> str:
    """`text`, cut and ended with "…" if it is wider than `width` mm in the current font."""
    if pdf.get_string_width(text) <= width:
        return text
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if pdf.get_string_width(text[:middle] + "…") <= width:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + "…"


def _draw_title(pdf: _ReportPdf, *, block: _Title) -> None:
    pdf.set_font(FONT_FAMILY, "B", BODY_FONT_SIZE)
    pdf.set_text_color(*HEADING_COLOUR)
    pdf.multi_cell(0, _line_height(BODY_FONT_SIZE), block.product, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT_FAMILY, "B", TITLE_FONT_SIZE)
    pdf.multi_cell(0, _line_height(TITLE_FONT_SIZE), block.title, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(*TEXT_COLOUR)
    pdf.set_font(FONT_FAMILY, "B", COMPANY_FONT_SIZE)
    pdf.multi_cell(0, _line_height(COMPANY_FONT_SIZE), block.company, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_draw_color(*HEADING_COLOUR)
    pdf.set_line_width(0.6)
    pdf.line(pdf.l_margin, pdf.get_y() + 1.5, pdf.w - pdf.r_margin, pdf.get_y() + 1.5)
    pdf.ln(SPACE_AFTER_BLOCK_MM + 2)


def _draw_heading(pdf: _ReportPdf, *, block: _Heading) -> None:
    size = HEADING_FONT_SIZE if block.level == 1 else SUBHEADING_FONT_SIZE
    if pdf.get_y() > pdf.t_margin + 1:
        pdf.ln(SPACE_BEFORE_HEADING_MM)
    pdf.ensure_room(height=KEEP_WITH_NEXT_MM)
    pdf.set_font(FONT_FAMILY, "B", size)
    pdf.set_text_color(*HEADING_COLOUR if block.level == 1 else TEXT_COLOUR)
    pdf.multi_cell(0, _line_height(size), block.text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(*TEXT_COLOUR)
    pdf.ln(1.5)


def _draw_paragraph(pdf: _ReportPdf, *, block: _Paragraph) -> None:
    pdf.set_font(FONT_FAMILY, "", BODY_FONT_SIZE)
    if block.muted:
        pdf.set_text_color(*MUTED_COLOUR)
    pdf.multi_cell(0, _line_height(BODY_FONT_SIZE), block.text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(*TEXT_COLOUR)
    pdf.ln(SPACE_AFTER_BLOCK_MM)


def _draw_bullets(pdf: _ReportPdf, *, block: _Bullets) -> None:
    pdf.set_font(FONT_FAMILY, "", BODY_FONT_SIZE)
    height = _line_height(BODY_FONT_SIZE)
    for item in block.items:
        pdf.ensure_room(height=height)
        pdf.set_fill_color(*HEADING_COLOUR)
        pdf.circle(x=pdf.l_margin + BULLET_INDENT_MM / 3, y=pdf.get_y() + height / 2, radius=BULLET_RADIUS_MM, style="F")
        pdf.set_x(pdf.l_margin + BULLET_INDENT_MM)
        pdf.multi_cell(0, height, item, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1.5)
    pdf.ln(SPACE_AFTER_BLOCK_MM)


def _draw_facts(pdf: _ReportPdf, *, block: _Facts) -> None:
    height = _line_height(BODY_FONT_SIZE)
    for label, value in block.rows:
        pdf.ensure_room(height=height)
        pdf.set_font(FONT_FAMILY, "B", BODY_FONT_SIZE)
        pdf.set_x(pdf.l_margin)
        # The label wraps within its column too; the value starts level with it.
        top, page = pdf.get_y(), pdf.page
        pdf.multi_cell(FACT_LABEL_WIDTH_MM - 2, height, label, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        label_bottom = pdf.get_y()
        pdf.set_xy(pdf.l_margin + FACT_LABEL_WIDTH_MM, top)
        pdf.set_font(FONT_FAMILY, "", BODY_FONT_SIZE)
        pdf.multi_cell(0, height, value, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if pdf.page == page:
            pdf.set_y(max(pdf.get_y(), label_bottom))
        pdf.ln(1)
    pdf.ln(SPACE_AFTER_BLOCK_MM)


def _png_size(png: bytes) -> tuple[int, int]:
    """Width and height in pixels, read from the PNG header (the IHDR chunk comes first)."""
    width, height = struct.unpack(">II", png[PNG_SIZE_OFFSET : PNG_SIZE_OFFSET + 8])
    return width, height


def _draw_image(pdf: _ReportPdf, *, block: _Image) -> None:
    pixels_wide, pixels_high = _png_size(block.png)
    width = pdf.epw
    height = width * pixels_high / pixels_wide
    if height > pdf.room_left:
        if pdf.room_left >= MIN_IMAGE_HEIGHT_MM:
            height = pdf.room_left
            width = height * pixels_wide / pixels_high
        else:
            pdf.add_page(same=True)
    pdf.image(
        io.BytesIO(block.png),
        x=pdf.l_margin + (pdf.epw - width) / 2,
        y=pdf.get_y(),
        w=width,
        h=height,
        alt_text=block.alt_text,
    )
    pdf.set_y(pdf.get_y() + height + SPACE_AFTER_BLOCK_MM)


def _cell_lines(pdf: FPDF, *, text: str, width: float) -> list[str]:
    lines = pdf.multi_cell(width, 1, text, dry_run=True, output=MethodReturnValue.LINES)
    return list(lines) or [""]


def _draw_table_row(
    pdf: _ReportPdf, *, cells: Sequence[list[str]], widths: Sequence[float], height: float, fill: bool
) -> None:
    """One band of a row: all cells `height` mm high, each showing its lines from the top."""
    line = _line_height(TABLE_FONT_SIZE)
    top = pdf.get_y()
    x = pdf.l_margin
    for lines, width in zip(cells, widths, strict=True):
        pdf.rect(x, top, width, height, style="DF" if fill else "D")
        for number, text in enumerate(lines):
            pdf.set_xy(x + TABLE_CELL_PADDING_MM, top + TABLE_CELL_PADDING_MM + number * line)
            pdf.cell(width - 2 * TABLE_CELL_PADDING_MM, line, text)
        x += width
    pdf.set_xy(pdf.l_margin, top + height)


def _draw_table(pdf: _ReportPdf, *, block: _Table) -> None:
    """A bordered table whose rows wrap and, when taller than the room left, continue on the next page.

    fpdf2's own table refuses a row taller than a page; a 5 000-character next step must
    still print, so rows are cut into bands that each fit, with the headings repeated.
    """
    widths = [share * pdf.epw for share in block.shares]
    text_widths = [w - 2 * TABLE_CELL_PADDING_MM for w in widths]
    line = _line_height(TABLE_FONT_SIZE)
    padding = 2 * TABLE_CELL_PADDING_MM
    pdf.set_draw_color(*TABLE_BORDER_COLOUR)
    pdf.set_line_width(0.2)
    pdf.set_fill_color(*TABLE_HEADING_FILL)
    auto_break, break_margin, cell_margin = pdf.auto_page_break, pdf.b_margin, pdf.c_margin
    # Rows are measured and split here, so fpdf2 must neither break pages nor add its own padding.
    pdf.set_auto_page_break(False, margin=break_margin)
    pdf.c_margin = 0
    pdf.set_font(FONT_FAMILY, "B", TABLE_FONT_SIZE)
    heading_cells = [_cell_lines(pdf, text=h, width=w) for h, w in zip(block.headings, text_widths, strict=True)]
    heading_height = max(len(c) for c in heading_cells) * line + padding

    def headings() -> None:
        pdf.set_font(FONT_FAMILY, "B", TABLE_FONT_SIZE)
        _draw_table_row(pdf, cells=heading_cells, widths=widths, height=heading_height, fill=True)
        pdf.set_font(FONT_FAMILY, "", TABLE_FONT_SIZE)

    if pdf.room_left < heading_height + line + padding:
        pdf.add_page(same=True)
    headings()
    for row in block.rows:
        cells = [_cell_lines(pdf, text=text, width=w) for text, w in zip(row, text_widths, strict=True)]
        total = max(len(c) for c in cells)
        start, fresh_page = 0, False
        while start < total:
            fitting = int((pdf.room_left - padding) // line)
            # Start a short row on a fresh page rather than leave a sliver of it here.
            if fitting < min(total - start, MIN_ROW_LINES) and not fresh_page:
                pdf.add_page(same=True)
                headings()
                fresh_page = True
                continue
            band = max(1, min(fitting, total - start))
            fresh_page = False
            _draw_table_row(
                pdf,
                cells=[c[start : start + band] for c in cells],
                widths=widths,
                height=band * line + padding,
                fill=False,
            )
            start += band
    pdf.set_auto_page_break(auto_break, margin=break_margin)
    pdf.c_margin = cell_margin
    pdf.ln(SPACE_AFTER_BLOCK_MM)


def _draw(pdf: _ReportPdf, *, block: _Block) -> None:
    match block:
        case _PageBreak():
            pdf.add_page(orientation="landscape" if block.landscape else "portrait")
        case _Title():
            _draw_title(pdf, block=block)
        case _Heading():
            _draw_heading(pdf, block=block)
        case _Paragraph():
            _draw_paragraph(pdf, block=block)
        case _Bullets():
            _draw_bullets(pdf, block=block)
        case _Facts():
            _draw_facts(pdf, block=block)
        case _Table():
            _draw_table(pdf, block=block)
        case _Image():
            _draw_image(pdf, block=block)


def build_report_pdf(deliverable: WorkshopDeliverable, *, matrix_png: bytes | None = None) -> bytes:
    """The report as PDF bytes: A4, in the workshop's language, every page footed with the
    company name and "page n of N".

    `matrix_png` is the matrix image (see `matrix_png()`); without it the report says the
    matrix could not be drawn. User texts are neutralised and long ones wrap, across pages
    where needed, so no content crashes the build or runs off the page. Reads nothing but
    the deliverable and the shipped fonts.
    """
    d = deliverable
    pdf = _ReportPdf(
        footer_text=_footer_company(d),
        page_text=lambda page: d.text("report.page", page=page, pages=TOTAL_PAGES_ALIAS),
    )
    pdf.set_title(_one_line(d.text("report.document_title", company=_clean(d.company_name))))
    pdf.set_creator(d.text("report.product"))
    pdf.set_lang(d.language)
    pdf.set_creation_date(d.generated_at)
    pdf.add_page()
    for block in _blocks(d, matrix_png=matrix_png):
        _draw(pdf, block=block)
    return bytes(pdf.output())


# --- Matrix image -------------------------------------------------------------------------


@cache
def _register_fonts() -> None:
    """Lets vl-convert draw the chart in the report's font, present on any machine (once per process)."""
    vl_convert.register_font_directory(str(FONTS_DIR))


@access.reads_workshop
def matrix_png(*, workshop_id: int, language: str) -> bytes:
    """The workshop's value × feasibility matrix as PNG bytes, MATRIX_WIDTH_PX wide at scale MATRIX_SCALE.

    The same chart as on screen (bubbles sized by the value estimate), texts in `language`
    and in the report's font. Fetches nothing from the network. Raises `NotFound` for a
    missing workshop.
    """
    _register_fonts()
    result = prioritisation(workshop_id=workshop_id, size_measure=MATRIX_SIZE_MEASURE, language=language)
    chart = matrix_chart(
        result.points,
        value_threshold=result.value_threshold,
        feasibility_threshold=result.feasibility_threshold,
        texts=matrix_texts(language=language, size_measure=MATRIX_SIZE_MEASURE),
        width=MATRIX_WIDTH_PX,
        height=MATRIX_HEIGHT_PX,
    ).configure(font=FONT_FAMILY)
    return vl_convert.vegalite_to_png(vl_spec=chart.to_dict(), scale=MATRIX_SCALE, allowed_base_urls=[])
