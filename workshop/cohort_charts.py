"""Altair charts of the cohort figures: bars with their counts, readable on a laptop and
a projector, in colours that stay apart with the common colour-vision deficiencies."""

from __future__ import annotations

import altair as alt
import pandas as pd

# Okabe–Ito, then a neutral grey: up to nine categories stay distinguishable.
CATEGORY_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000", "#999999"]
BAR_COLOUR = "#0072B2"
# Blue below the cohort, orange above: a diverging pair that stays apart in greyscale too.
DIVERGING = ["#0072B2", "#F7F7F7", "#E69F00"]
# Differences beyond this many scale steps saturate the colour.
DIFFERENCE_DOMAIN = 1.0
LABEL_LIMIT = 260
# Each bar (or heatmap row) gets this many pixels, however many there are.
ROW_HEIGHT = 28


def stacked_shares(frame: pd.DataFrame, *, group: str | None, category: str, labels: dict[str, str],
                   group_title: str, category_title: str, share_title: str, count_title: str, responses_title: str) -> alt.Chart:
    """Horizontal bars of shares per group (or one bar), stacked by category; the tooltip
    gives the count and the group's total."""
    data = frame.assign(category_label=frame[category].map(labels).fillna(frame[category]))
    if group:
        data = data.assign(group_label=data[group].astype(str))
    else:
        data = data.assign(group_label="")
    order = [labels.get(value, value) for value in labels if value in set(frame[category])]
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("share:Q", title=share_title, axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
            y=alt.Y("group_label:N", title=group_title, axis=alt.Axis(labelLimit=LABEL_LIMIT)),
            color=alt.Color("category_label:N", title=category_title, sort=order,
                            scale=alt.Scale(domain=order, range=CATEGORY_COLOURS[: len(order)] or CATEGORY_COLOURS)),
            order=alt.Order("category_label:N"),
            tooltip=[
                alt.Tooltip("group_label:N", title=group_title),
                alt.Tooltip("category_label:N", title=category_title),
                alt.Tooltip("count:Q", title=count_title),
                alt.Tooltip("responses:Q", title=responses_title),
                alt.Tooltip("share:Q", title=share_title, format=".0%"),
            ],
        )
        .properties(height=alt.Step(ROW_HEIGHT))
    )


def share_bars(frame: pd.DataFrame, *, label: str, share_title: str, label_title: str, count_title: str,
               responses_title: str) -> alt.Chart:
    """One bar per row of `frame` (its `label` column) with its share; the bar's text says
    'count / responses' so every share is read with what it is a share of."""
    data = frame.assign(text=frame["count"].astype(int).astype(str) + " / " + frame["responses"].astype(int).astype(str))
    base = alt.Chart(data).encode(
        # The bars' own labels say what they are; an axis title would crowd the long names.
        y=alt.Y(f"{label}:N", title=None, sort=None, axis=alt.Axis(labelLimit=LABEL_LIMIT)),
        x=alt.X("share:Q", title=share_title, axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
        tooltip=[
            alt.Tooltip(f"{label}:N", title=label_title),
            alt.Tooltip("count:Q", title=count_title),
            alt.Tooltip("responses:Q", title=responses_title),
            alt.Tooltip("share:Q", title=share_title, format=".0%"),
        ],
    )
    bars = base.mark_bar(color=BAR_COLOUR)
    text = base.mark_text(align="left", dx=4).encode(text="text:N")
    return (bars + text).properties(height=alt.Step(ROW_HEIGHT))


def calibration_heatmap(frame: pd.DataFrame, *, facilitator_title: str, criterion_title: str,
                        difference_title: str, votes_title: str, mean_title: str, cohort_mean_title: str) -> alt.Chart:
    """Facilitator × criterion, coloured by how far their groups' mean score lies from the
    cohort's; each cell says the difference and the number of votes behind it."""
    # Rounded first, so a small negative difference reads +0.0 rather than -0.0.
    rounded = frame["difference"].round(1) + 0.0
    data = frame.assign(text=rounded.map(lambda d: f"{d:+.1f}") + " (" + frame["votes"].astype(str) + ")")
    # Criteria down the side (their names are long), facilitators across (they are few).
    base = alt.Chart(data).encode(
        x=alt.X("facilitator:N", title=facilitator_title, axis=alt.Axis(labelAngle=0, orient="top", labelLimit=LABEL_LIMIT)),
        y=alt.Y("criterion_label:N", title=criterion_title, axis=alt.Axis(labelLimit=LABEL_LIMIT)),
    )
    cells = base.mark_rect().encode(
        color=alt.Color("difference:Q", title=difference_title,
                        scale=alt.Scale(domain=[-DIFFERENCE_DOMAIN, 0, DIFFERENCE_DOMAIN], range=DIVERGING, clamp=True)),
        tooltip=[
            alt.Tooltip("facilitator:N", title=facilitator_title),
            alt.Tooltip("criterion_label:N", title=criterion_title),
            alt.Tooltip("mean:Q", title=mean_title, format=".2f"),
            alt.Tooltip("cohort_mean:Q", title=cohort_mean_title, format=".2f"),
            alt.Tooltip("difference:Q", title=difference_title, format="+.2f"),
            alt.Tooltip("votes:Q", title=votes_title),
        ],
    )
    text = base.mark_text(fontSize=11).encode(text="text:N")
    return (cells + text).properties(height=alt.Step(ROW_HEIGHT + 8))
