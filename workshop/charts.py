"""The value × feasibility prioritisation matrix as an Altair (Vega-Lite) chart, from plain data.

Texts arrive translated from the caller, so nothing here depends on a language.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import altair as alt
import pandas as pd

from workshop.scoring import QUADRANTS, SCALE_MAX, SCALE_MIN

# Okabe–Ito colours: distinguishable with the common colour-vision deficiencies.
QUADRANT_COLOURS = {
    "quick_win": "#009E73",
    "strategic_bet": "#0072B2",
    "fill_in": "#E69F00",
    "deprioritise": "#999999",
}
# Axis room beyond 1 and 5 (in score units) so the largest bubble at the edge is not cut.
AXIS_PADDING = 0.5
AXIS_TICKS = list(range(SCALE_MIN, SCALE_MAX + 1))

# Bubble areas in square pixels; the smallest still holds a two-digit rank label.
MIN_BUBBLE_AREA = 400.0
MAX_BUBBLE_AREA = 2500.0
# Radius (score units) of the circle that points sharing a position are spread on: visible, not misleading.
DUPLICATE_SPREAD = 0.08
# Decimals to which positions count as identical: float noise must not hide a duplicate.
POSITION_DECIMALS = 6

SELECTED_STROKE_COLOUR = "#1a1a1a"
SELECTED_STROKE_WIDTH = 4
UNSELECTED_OPACITY = 0.75
THRESHOLD_COLOUR = "#888888"
THRESHOLD_DASH = [6, 4]
QUADRANT_LABEL_COLOUR = "#8a8a8a"
RANK_LABEL_COLOUR = "#111111"
MARKER_LABEL_COLOUR = "#b00020"
# Quadrant labels sit this many pixels in from the plot's corner.
QUADRANT_LABEL_INSET = 8
# Gap in pixels between a bubble's edge and its marker text.
MARKER_GAP = 3

# Font sizes in pixels for a laptop screen; presentation mode multiplies them all.
AXIS_TITLE_FONT_SIZE = 16
AXIS_LABEL_FONT_SIZE = 14
QUADRANT_LABEL_FONT_SIZE = 20
RANK_LABEL_FONT_SIZE = 14
MARKER_FONT_SIZE = 12
LEGEND_TITLE_FONT_SIZE = 14
LEGEND_LABEL_FONT_SIZE = 14
LARGE_TEXT_FACTOR = 1.5
# Legend labels are cut at this many pixels; quadrant names must show whole even in large text.
LEGEND_LABEL_LIMIT = 400

# Where each quadrant's label goes: (high feasibility, high value) picks the plot corner.
_QUADRANT_CORNERS = {
    "quick_win": (True, True),
    "strategic_bet": (False, True),
    "fill_in": (True, False),
    "deprioritise": (False, False),
}

FRAME_COLUMNS = (
    "use_case_id",
    "rank",
    "title",
    "value",
    "feasibility",
    "quadrant",
    "quadrant_label",
    "size",
    "size_text",
    "responses",
    "selected",
    "selected_text",
    "marker",
    "x",
    "y",
    "area",
    "radius",
)


@dataclass(frozen=True)
class MatrixPoint:
    use_case_id: int
    # 1 = best; the bubble's label, so the ranked list beside the chart reads against it.
    rank: int
    title: str
    value: float
    feasibility: float
    # One of scoring.QUADRANTS.
    quadrant: str
    # The measure chosen for bubble size; None means no data and gives the smallest bubble.
    size: float | None
    # That measure as a person reads it, for the tooltip.
    size_text: str
    responses: int
    selected: bool
    # A short flag shown beside the bubble and in the tooltip; empty means none.
    marker: str = ""


@dataclass(frozen=True)
class MatrixTexts:
    value_axis: str
    feasibility_axis: str
    quadrant_labels: dict[str, str]
    title: str
    rank: str
    quadrant: str
    responses: str
    size: str
    selected: str
    yes: str
    no: str
    marker: str


def _spread_offsets(count: int) -> list[tuple[float, float]]:
    """`count` offsets on a circle of radius DUPLICATE_SPREAD, the first straight up; (0, 0) alone."""
    if count == 1:
        return [(0.0, 0.0)]
    return [
        (
            DUPLICATE_SPREAD * math.cos(math.pi / 2 - 2 * math.pi * i / count),
            DUPLICATE_SPREAD * math.sin(math.pi / 2 - 2 * math.pi * i / count),
        )
        for i in range(count)
    ]


def _bubble_areas(sizes: Sequence[float | None]) -> list[float]:
    """Areas from MIN_BUBBLE_AREA to MAX_BUBBLE_AREA, linear in the measure over its observed range.

    None gives the minimum; when every known measure is equal they all get the middle area.
    """
    known = [s for s in sizes if s is not None]
    if not known:
        return [MIN_BUBBLE_AREA] * len(sizes)
    low, high = min(known), max(known)
    middle = (MIN_BUBBLE_AREA + MAX_BUBBLE_AREA) / 2
    areas = []
    for size in sizes:
        if size is None:
            areas.append(MIN_BUBBLE_AREA)
        elif high == low:
            areas.append(middle)
        else:
            areas.append(MIN_BUBBLE_AREA + (MAX_BUBBLE_AREA - MIN_BUBBLE_AREA) * (size - low) / (high - low))
    return areas


def matrix_frame(points: Sequence[MatrixPoint], *, texts: MatrixTexts) -> pd.DataFrame:
    """One row per point, best rank first, with the columns in FRAME_COLUMNS.

    `x`/`y` are the drawn positions: feasibility/value themselves, except that points sharing
    a position are spread on a small circle, the same way for the same points in any input
    order. `area` is the bubble area in square pixels and `radius` its radius in pixels.
    Raises KeyError for a quadrant that `texts.quadrant_labels` does not name.
    """
    ordered = sorted(points, key=lambda p: (p.rank, p.use_case_id))
    groups: dict[tuple[float, float], list[int]] = {}
    for index, point in enumerate(ordered):
        position = (round(point.value, POSITION_DECIMALS), round(point.feasibility, POSITION_DECIMALS))
        groups.setdefault(position, []).append(index)
    offsets: list[tuple[float, float]] = [(0.0, 0.0)] * len(ordered)
    for members in groups.values():
        for index, offset in zip(members, _spread_offsets(len(members)), strict=True):
            offsets[index] = offset
    areas = _bubble_areas([p.size for p in ordered])
    frame = pd.DataFrame(
        {
            "use_case_id": pd.Series([p.use_case_id for p in ordered], dtype="int64"),
            "rank": pd.Series([p.rank for p in ordered], dtype="int64"),
            "title": pd.Series([p.title for p in ordered], dtype="object"),
            "value": pd.Series([float(p.value) for p in ordered], dtype="float64"),
            "feasibility": pd.Series([float(p.feasibility) for p in ordered], dtype="float64"),
            "quadrant": pd.Series([p.quadrant for p in ordered], dtype="object"),
            "quadrant_label": pd.Series([texts.quadrant_labels[p.quadrant] for p in ordered], dtype="object"),
            "size": pd.Series([p.size for p in ordered], dtype="float64"),
            "size_text": pd.Series([p.size_text for p in ordered], dtype="object"),
            "responses": pd.Series([p.responses for p in ordered], dtype="int64"),
            "selected": pd.Series([p.selected for p in ordered], dtype="bool"),
            "selected_text": pd.Series([texts.yes if p.selected else texts.no for p in ordered], dtype="object"),
            "marker": pd.Series([p.marker for p in ordered], dtype="object"),
            "x": pd.Series([p.feasibility + dx for p, (dx, _) in zip(ordered, offsets, strict=True)], dtype="float64"),
            "y": pd.Series([p.value + dy for p, (_, dy) in zip(ordered, offsets, strict=True)], dtype="float64"),
            "area": pd.Series(areas, dtype="float64"),
            "radius": pd.Series([math.sqrt(a / math.pi) for a in areas], dtype="float64"),
        },
        columns=list(FRAME_COLUMNS),
    )
    return frame


@dataclass(frozen=True)
class _FontSizes:
    axis_title: float
    axis_label: float
    quadrant_label: float
    rank_label: float
    marker: float
    legend_title: float
    legend_label: float


def _font_sizes(*, large_text: bool) -> _FontSizes:
    factor = LARGE_TEXT_FACTOR if large_text else 1
    return _FontSizes(
        axis_title=AXIS_TITLE_FONT_SIZE * factor,
        axis_label=AXIS_LABEL_FONT_SIZE * factor,
        quadrant_label=QUADRANT_LABEL_FONT_SIZE * factor,
        rank_label=RANK_LABEL_FONT_SIZE * factor,
        marker=MARKER_FONT_SIZE * factor,
        legend_title=LEGEND_TITLE_FONT_SIZE * factor,
        legend_label=LEGEND_LABEL_FONT_SIZE * factor,
    )


def _scale() -> alt.Scale:
    return alt.Scale(domain=[SCALE_MIN - AXIS_PADDING, SCALE_MAX + AXIS_PADDING], nice=False, zero=False)


def _axis(*, title: str, fonts: _FontSizes) -> alt.Axis:
    return alt.Axis(
        title=title,
        values=AXIS_TICKS,
        format="d",
        titleFontSize=fonts.axis_title,
        labelFontSize=fonts.axis_label,
        titlePadding=fonts.axis_label,
    )


def _quadrant_label_layer(*, quadrant: str, texts: MatrixTexts, x: alt.X, y: alt.Y, fonts: _FontSizes) -> alt.Chart:
    high_feasibility, high_value = _QUADRANT_CORNERS[quadrant]
    data = pd.DataFrame(
        {
            "quadrant": [quadrant],
            "label": [texts.quadrant_labels[quadrant]],
            "x": [SCALE_MAX + AXIS_PADDING if high_feasibility else SCALE_MIN - AXIS_PADDING],
            "y": [SCALE_MAX + AXIS_PADDING if high_value else SCALE_MIN - AXIS_PADDING],
        }
    )
    return (
        alt.Chart(data)
        .mark_text(
            align="right" if high_feasibility else "left",
            baseline="top" if high_value else "bottom",
            dx=-QUADRANT_LABEL_INSET if high_feasibility else QUADRANT_LABEL_INSET,
            dy=QUADRANT_LABEL_INSET if high_value else -QUADRANT_LABEL_INSET,
            fontSize=fonts.quadrant_label,
            fontWeight="bold",
            color=QUADRANT_LABEL_COLOUR,
        )
        .encode(x=x, y=y, text=alt.Text("label:N"))
    )


def matrix_chart(
    points: Sequence[MatrixPoint],
    *,
    value_threshold: float,
    feasibility_threshold: float,
    texts: MatrixTexts,
    large_text: bool = False,
    width: int | None = None,
    height: int = 520,
) -> alt.LayerChart:
    """The prioritisation matrix: feasibility across, value up, both fixed to the 1–5 scale.

    Dashed lines mark the thresholds, each quadrant's label sits in its outer corner, and each
    point is a bubble coloured by quadrant, sized by its measure, labelled with its rank and
    outlined when selected. Valid for no points too. `large_text` enlarges every text by
    LARGE_TEXT_FACTOR; `width=None` fills the container.
    """
    fonts = _font_sizes(large_text=large_text)
    frame = matrix_frame(points, texts=texts)
    x = alt.X("x:Q", scale=_scale(), axis=_axis(title=texts.feasibility_axis, fonts=fonts))
    y = alt.Y("y:Q", scale=_scale(), axis=_axis(title=texts.value_axis, fonts=fonts))

    quadrant_labels = [
        _quadrant_label_layer(quadrant=q, texts=texts, x=x, y=y, fonts=fonts) for q in QUADRANTS
    ]
    rule_style = {"color": THRESHOLD_COLOUR, "strokeDash": THRESHOLD_DASH, "strokeWidth": 2}
    feasibility_rule = alt.Chart(pd.DataFrame({"x": [feasibility_threshold]})).mark_rule(**rule_style).encode(x=x)
    value_rule = alt.Chart(pd.DataFrame({"y": [value_threshold]})).mark_rule(**rule_style).encode(y=y)

    tooltip = [
        alt.Tooltip("title:N", title=texts.title),
        alt.Tooltip("rank:Q", title=texts.rank),
        alt.Tooltip("value:Q", title=texts.value_axis, format=".1f"),
        alt.Tooltip("feasibility:Q", title=texts.feasibility_axis, format=".1f"),
        alt.Tooltip("quadrant_label:N", title=texts.quadrant),
        alt.Tooltip("responses:Q", title=texts.responses),
        alt.Tooltip("size_text:N", title=texts.size),
        alt.Tooltip("selected_text:N", title=texts.selected),
        alt.Tooltip("marker:N", title=texts.marker),
    ]
    colour = alt.Color(
        "quadrant_label:N",
        scale=alt.Scale(
            domain=[texts.quadrant_labels[q] for q in QUADRANTS],
            range=[QUADRANT_COLOURS[q] for q in QUADRANTS],
        ),
        legend=alt.Legend(
            title=texts.quadrant,
            orient="bottom",
            direction="horizontal",
            titleFontSize=fonts.legend_title,
            labelFontSize=fonts.legend_label,
            symbolSize=fonts.legend_label * fonts.legend_label,
            symbolType="circle",
            symbolStrokeWidth=0,
            labelLimit=LEGEND_LABEL_LIMIT,
        ),
    )
    base = alt.Chart(frame)
    bubbles = base.mark_circle().encode(
        x=x,
        y=y,
        size=alt.Size("area:Q", scale=None, legend=None),
        color=colour,
        stroke=alt.value(SELECTED_STROKE_COLOUR),
        strokeWidth=alt.condition("datum.selected", alt.value(SELECTED_STROKE_WIDTH), alt.value(0)),
        opacity=alt.condition("datum.selected", alt.value(1.0), alt.value(UNSELECTED_OPACITY)),
        # Small bubbles drawn last so a large one never hides them.
        order=alt.Order("area:Q", sort="descending"),
        tooltip=tooltip,
    )
    ranks = base.mark_text(
        fontSize=fonts.rank_label, fontWeight="bold", color=RANK_LABEL_COLOUR, align="center", baseline="middle"
    ).encode(x=x, y=y, text=alt.Text("rank:Q"), tooltip=tooltip)
    markers = (
        base.transform_filter("datum.marker != ''")
        .mark_text(
            # Starts just right of its own bubble's edge, whatever the bubble's size.
            dx=alt.expr(f"datum.radius + {MARKER_GAP}"),
            fontSize=fonts.marker,
            fontWeight="bold",
            color=MARKER_LABEL_COLOUR,
            align="left",
            baseline="middle",
        )
        .encode(x=x, y=y, text=alt.Text("marker:N"), tooltip=tooltip)
    )

    return alt.layer(*quadrant_labels, feasibility_rule, value_rule, bubbles, ranks, markers).properties(
        width="container" if width is None else width, height=height
    )
