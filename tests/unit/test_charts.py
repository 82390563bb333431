"""The prioritisation matrix chart: its Vega-Lite spec and the frame behind it."""

from __future__ import annotations

import math
import random

import pytest

from workshop import charts
from workshop.charts import MatrixPoint, MatrixTexts, matrix_chart, matrix_frame

LABELS = {
    "quick_win": "Snabba vinster",
    "strategic_bet": "Strategiska satsningar",
    "fill_in": "Utfyllnad",
    "deprioritise": "Nedprioritera",
}
TEXTS = MatrixTexts(
    value_axis="Värde",
    feasibility_axis="Genomförbarhet",
    quadrant_labels=LABELS,
    title="Användningsfall",
    rank="Rang",
    quadrant="Kvadrant",
    responses="Svar",
    size="Uppskattat värde per år",
    selected="Vald",
    yes="Ja",
    no="Nej",
    marker="Risknivå",
)
# Deliberately unequal and off the default 3.0, so a swapped or hard-coded threshold shows.
VALUE_THRESHOLD = 2.5
FEASIBILITY_THRESHOLD = 3.5


def _point(use_case_id: int, **changes) -> MatrixPoint:
    fields = {
        "use_case_id": use_case_id,
        "rank": use_case_id,
        "title": f"Fall {use_case_id}",
        "value": 4.0,
        "feasibility": 4.0,
        "quadrant": "quick_win",
        "size": 100_000.0,
        "size_text": "50 000–150 000 kr",
        "responses": 4,
        "selected": False,
    }
    fields.update(changes)
    return MatrixPoint(**fields)


POINTS = [
    _point(1, value=4.6, feasibility=4.2, quadrant="quick_win", size=400_000.0, selected=True, marker="Hög"),
    _point(2, value=4.0, feasibility=2.1, quadrant="strategic_bet", size=1_200_000.0),
    _point(3, value=2.2, feasibility=4.5, quadrant="fill_in", size=None, size_text="–"),
    _point(4, value=1.5, feasibility=1.4, quadrant="deprioritise", size=20_000.0),
]


def _spec(points=POINTS, **options) -> dict:
    arguments = {"value_threshold": VALUE_THRESHOLD, "feasibility_threshold": FEASIBILITY_THRESHOLD, "texts": TEXTS}
    arguments.update(options)
    # to_dict validates against the Vega-Lite schema and raises on an invalid spec.
    return matrix_chart(points, **arguments).to_dict()


def _rows(spec: dict, layer: dict) -> list[dict]:
    data = layer["data"]
    return data["values"] if "values" in data else spec["datasets"][data["name"]]


def _layers(spec: dict, mark: str) -> list[dict]:
    return [layer for layer in spec["layer"] if layer["mark"]["type"] == mark]


def _text_layer(spec: dict, field: str) -> dict:
    (layer,) = [layer for layer in _layers(spec, "text") if layer["encoding"]["text"]["field"] == field]
    return layer


def _bubbles(spec: dict) -> dict:
    (layer,) = _layers(spec, "circle")
    return layer


def _font_sizes(node, path: str = "") -> dict[str, float]:
    """Every font size in the spec, keyed by where it sits."""
    found = {}
    if isinstance(node, dict):
        for key, value in node.items():
            if key.lower().endswith("fontsize"):
                found[f"{path}/{key}"] = value
            else:
                found.update(_font_sizes(value, f"{path}/{key}"))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found.update(_font_sizes(value, f"{path}/{index}"))
    return found


def test_matrix_chart_axes_fixed_around_scale():
    spec = _spec()
    for layer in spec["layer"]:
        for channel, title in (("x", "Genomförbarhet"), ("y", "Värde")):
            if channel not in layer["encoding"]:
                continue
            encoding = layer["encoding"][channel]
            low, high = encoding["scale"]["domain"]
            assert (0.5 <= low < 1, 5 < high <= 5.5) == (True, True)
            assert (encoding["scale"]["nice"], encoding["scale"]["zero"]) == (False, False)
            assert encoding["axis"]["values"] == [1, 2, 3, 4, 5]
            assert encoding["axis"]["title"] == title


def test_matrix_chart_axes_same_with_points_at_the_edges():
    edges = [_point(1, value=1.0, feasibility=1.0), _point(2, value=5.0, feasibility=5.0)]
    assert _bubbles(_spec(edges))["encoding"]["x"]["scale"] == _bubbles(_spec())["encoding"]["x"]["scale"]


def test_matrix_chart_rules_at_given_thresholds():
    spec = _spec()
    positions = {}
    for layer in _layers(spec, "rule"):
        (channel,) = [c for c in ("x", "y") if c in layer["encoding"]]
        (row,) = _rows(spec, layer)
        positions[channel] = row[layer["encoding"][channel]["field"]]
        assert (layer["mark"]["strokeDash"], layer["mark"]["color"]) == (charts.THRESHOLD_DASH, charts.THRESHOLD_COLOUR)
    assert positions == {"x": FEASIBILITY_THRESHOLD, "y": VALUE_THRESHOLD}


def test_matrix_chart_quadrant_labels_in_their_corners():
    spec = _spec()
    sides = {}
    for layer in _layers(spec, "text"):
        if layer["encoding"]["text"]["field"] != "label":
            continue
        (row,) = _rows(spec, layer)
        sides[row["label"]] = (
            "high feasibility" if row["x"] > FEASIBILITY_THRESHOLD else "low feasibility",
            "high value" if row["y"] > VALUE_THRESHOLD else "low value",
            layer["mark"]["align"],
            layer["mark"]["baseline"],
        )
    assert sides == {
        "Snabba vinster": ("high feasibility", "high value", "right", "top"),
        "Strategiska satsningar": ("low feasibility", "high value", "left", "top"),
        "Utfyllnad": ("high feasibility", "low value", "right", "bottom"),
        "Nedprioritera": ("low feasibility", "low value", "left", "bottom"),
    }


def test_matrix_chart_palette_maps_quadrants_in_legend_order():
    scale = _bubbles(_spec())["encoding"]["color"]["scale"]
    assert scale["domain"] == ["Snabba vinster", "Strategiska satsningar", "Utfyllnad", "Nedprioritera"]
    assert dict(zip(scale["domain"], scale["range"], strict=True)) == {
        LABELS["quick_win"]: "#009E73",
        LABELS["strategic_bet"]: "#0072B2",
        LABELS["fill_in"]: "#E69F00",
        LABELS["deprioritise"]: "#999999",
    }


def test_matrix_chart_colour_follows_quadrant_of_each_point():
    spec = _spec()
    bubbles = _bubbles(spec)
    scale = bubbles["encoding"]["color"]["scale"]
    colour_of = dict(zip(scale["domain"], scale["range"], strict=True))
    field = bubbles["encoding"]["color"]["field"]
    assert {row["use_case_id"]: colour_of[row[field]] for row in _rows(spec, bubbles)} == {
        1: "#009E73",
        2: "#0072B2",
        3: "#E69F00",
        4: "#999999",
    }


def test_matrix_chart_tooltip_has_every_field():
    tooltip = _bubbles(_spec())["encoding"]["tooltip"]
    assert [(t["field"], t["title"], t.get("format")) for t in tooltip] == [
        ("title", "Användningsfall", None),
        ("rank", "Rang", None),
        ("value", "Värde", ".1f"),
        ("feasibility", "Genomförbarhet", ".1f"),
        ("quadrant_label", "Kvadrant", None),
        ("responses", "Svar", None),
        ("size_text", "Uppskattat värde per år", None),
        ("selected_text", "Vald", None),
        ("marker", "Risknivå", None),
    ]


def test_matrix_chart_tooltip_shows_scores_not_offset_positions():
    duplicates = [_point(1, value=3.0, feasibility=3.0), _point(2, value=3.0, feasibility=3.0)]
    spec = _spec(duplicates)
    rows = _rows(spec, _bubbles(spec))
    assert [(row["value"], row["feasibility"]) for row in rows] == [(3.0, 3.0), (3.0, 3.0)]


def test_matrix_chart_tooltip_also_on_rank_and_marker_labels():
    spec = _spec()
    tooltip = _bubbles(spec)["encoding"]["tooltip"]
    assert (_text_layer(spec, "rank")["encoding"]["tooltip"], _text_layer(spec, "marker")["encoding"]["tooltip"]) == (
        tooltip,
        tooltip,
    )


def test_matrix_chart_selected_points_get_stroke():
    spec = _spec()
    bubbles = _bubbles(spec)
    width = bubbles["encoding"]["strokeWidth"]
    opacity = bubbles["encoding"]["opacity"]
    assert (width["condition"]["test"], opacity["condition"]["test"]) == ("datum.selected", "datum.selected")

    def drawn(row: dict) -> tuple[float, float]:
        if row["selected"]:
            return width["condition"]["value"], opacity["condition"]["value"]
        return width["value"], opacity["value"]

    assert {row["use_case_id"]: drawn(row) for row in _rows(spec, bubbles)} == {
        1: (charts.SELECTED_STROKE_WIDTH, 1.0),
        2: (0, charts.UNSELECTED_OPACITY),
        3: (0, charts.UNSELECTED_OPACITY),
        4: (0, charts.UNSELECTED_OPACITY),
    }
    assert (charts.SELECTED_STROKE_WIDTH > 0, charts.UNSELECTED_OPACITY < 1) == (True, True)


def test_matrix_chart_rank_labels_on_bubbles():
    spec = _spec()
    ranks = _text_layer(spec, "rank")
    bubbles = _bubbles(spec)
    assert (ranks["encoding"]["x"]["field"], ranks["encoding"]["y"]["field"]) == ("x", "y")
    assert _rows(spec, ranks) == _rows(spec, bubbles)


def test_matrix_chart_marker_drawn_only_where_set():
    spec = _spec()
    markers = _text_layer(spec, "marker")
    assert markers["transform"] == [{"filter": "datum.marker != ''"}]
    assert [row["marker"] for row in _rows(spec, markers) if row["marker"]] == ["Hög"]


def test_matrix_frame_duplicates_get_distinct_positions():
    frame = matrix_frame([_point(i, value=3.0, feasibility=3.0) for i in (1, 2, 3)] + [_point(4)], texts=TEXTS)
    positions = list(zip(frame["x"], frame["y"], strict=True))
    assert len(set(positions[:3])) == 3
    assert [round(math.dist(p, (3.0, 3.0)), 9) for p in positions[:3]] == [charts.DUPLICATE_SPREAD] * 3
    assert positions[3] == (4.0, 4.0)


def test_matrix_frame_duplicate_offsets_independent_of_input_order():
    points = [_point(i, value=3.0, feasibility=3.0) for i in range(1, 6)] + [_point(6), _point(7)]
    expected = matrix_frame(points, texts=TEXTS).to_dict("records")
    shuffler = random.Random(20240611)
    for _ in range(10):
        shuffled = points[:]
        shuffler.shuffle(shuffled)
        assert matrix_frame(shuffled, texts=TEXTS).to_dict("records") == expected


def test_matrix_chart_duplicate_offsets_independent_of_input_order():
    points = [_point(i, value=3.0, feasibility=3.0) for i in (1, 2, 3)]
    assert _spec(points) == _spec(list(reversed(points)))


def test_matrix_frame_columns_and_rank_order():
    frame = matrix_frame(list(reversed(POINTS)), texts=TEXTS)
    assert list(frame.columns) == list(charts.FRAME_COLUMNS)
    assert list(frame["rank"]) == [1, 2, 3, 4]
    assert list(frame["quadrant_label"]) == [
        "Snabba vinster",
        "Strategiska satsningar",
        "Utfyllnad",
        "Nedprioritera",
    ]
    assert list(frame["selected_text"]) == ["Ja", "Nej", "Nej", "Nej"]
    assert list(frame["marker"]) == ["Hög", "", "", ""]


def test_matrix_frame_missing_size_gets_smallest_bubble():
    frame = matrix_frame(POINTS, texts=TEXTS).set_index("use_case_id")
    assert frame.loc[3, "area"] == charts.MIN_BUBBLE_AREA
    assert (frame.loc[4, "area"], frame.loc[2, "area"]) == (charts.MIN_BUBBLE_AREA, charts.MAX_BUBBLE_AREA)
    assert frame.loc[1, "area"] == pytest.approx(
        charts.MIN_BUBBLE_AREA
        + (charts.MAX_BUBBLE_AREA - charts.MIN_BUBBLE_AREA) * (400_000 - 20_000) / (1_200_000 - 20_000)
    )


def test_matrix_frame_equal_sizes_get_middle_bubble():
    frame = matrix_frame([_point(1, size=3.0), _point(2, size=3.0), _point(3, size=None)], texts=TEXTS)
    middle = (charts.MIN_BUBBLE_AREA + charts.MAX_BUBBLE_AREA) / 2
    assert list(frame["area"]) == [middle, middle, charts.MIN_BUBBLE_AREA]


def test_matrix_frame_all_sizes_missing_gives_smallest_bubbles():
    frame = matrix_frame([_point(1, size=None), _point(2, size=None)], texts=TEXTS)
    assert list(frame["area"]) == [charts.MIN_BUBBLE_AREA, charts.MIN_BUBBLE_AREA]


def test_matrix_chart_bubble_size_is_frame_area_in_pixels():
    spec = _spec()
    size = _bubbles(spec)["encoding"]["size"]
    assert (size["field"], size["scale"]) == ("area", None)


def test_matrix_frame_empty_has_columns():
    frame = matrix_frame([], texts=TEXTS)
    assert (list(frame.columns), len(frame)) == (list(charts.FRAME_COLUMNS), 0)


def test_matrix_chart_empty_points_still_draws_frame():
    spec = _spec([])
    assert _rows(spec, _bubbles(spec)) == []
    assert len(_layers(spec, "rule")) == 2
    label_layers = [layer for layer in _layers(spec, "text") if layer["encoding"]["text"]["field"] == "label"]
    labels = [_rows(spec, layer)[0]["label"] for layer in label_layers]
    assert sorted(labels) == sorted(LABELS.values())


def test_matrix_chart_large_text_enlarges_every_font():
    default = _font_sizes(_spec())
    large = _font_sizes(_spec(large_text=True))
    assert large.keys() == default.keys()
    assert {key: large[key] > default[key] for key in default} == {key: True for key in default}


def test_matrix_chart_font_sizes_cover_every_text():
    paths = _font_sizes(_spec())
    kinds = {path.rsplit("/", 1)[1] for path in paths}
    assert kinds == {"fontSize", "titleFontSize", "labelFontSize"}
    # Four quadrant labels, rank labels and markers, plus both axes and the legend.
    assert len([p for p in paths if p.endswith("/mark/fontSize")]) == 6


def test_matrix_chart_width_none_fills_container():
    assert (_spec()["width"], _spec()["height"]) == ("container", 520)


def test_matrix_chart_width_and_height_given():
    spec = _spec(width=800, height=400)
    assert (spec["width"], spec["height"]) == (800, 400)


def test_matrix_frame_unknown_quadrant_raises():
    with pytest.raises(KeyError):
        matrix_frame([_point(1, quadrant="moonshot")], texts=TEXTS)
