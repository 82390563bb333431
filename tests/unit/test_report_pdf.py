"""The printable PDF report: builds in both languages, says what it should, survives hostile text."""

from __future__ import annotations

import dataclasses
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workshop import demo, report_pdf
from workshop.deliverable import CriterionResult, WorkshopDeliverable, build_deliverable
from workshop.report_pdf import build_report_pdf, matrix_png, rationale, report_text

SWEDISH_WORKSHOP = 1
ENGLISH_WORKSHOP = 7
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# Each page object says "/Type /Page"; the page tree says "/Type /Pages".
PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")
LONG_TEXT_LENGTH = 5000


@pytest.fixture
def demo_db(sqlite_db):
    demo.load_demo()
    return sqlite_db


def _page_count(pdf: bytes) -> int:
    return len(PAGE_OBJECT.findall(pdf))


def _with_first_top(d: WorkshopDeliverable, **changes) -> WorkshopDeliverable:
    """`d` with the first of its top use cases changed."""
    first = d.top[0].use_case_id
    ranked = tuple(dataclasses.replace(u, **changes) if u.use_case_id == first else u for u in d.ranked)
    return dataclasses.replace(d, ranked=ranked)


def _criterion(
    key: str,
    *,
    score: float | None,
    direction: str = "higher_is_better",
    weight: float = 1.0,
    minimum: int | None = None,
    maximum: int | None = None,
    consensus: int | None = None,
) -> CriterionResult:
    return CriterionResult(
        key=key,
        name=key.capitalize(),
        axis="Value",
        weight=weight,
        direction=direction,
        median=score,
        minimum=minimum if minimum is not None else (None if score is None else int(score)),
        maximum=maximum if maximum is not None else (None if score is None else int(score)),
        responses=0 if score is None else 4,
        consensus=consensus,
        score=score,
    )


# --- the report ---------------------------------------------------------------------------


@pytest.mark.parametrize("workshop_id", [SWEDISH_WORKSHOP, ENGLISH_WORKSHOP])
def test_build_report_pdf_demo_workshop_is_a_pdf_of_two_to_six_pages(demo_db, workshop_id):
    d = build_deliverable(workshop_id=workshop_id)
    pdf = build_report_pdf(d, matrix_png=matrix_png(workshop_id=workshop_id, language=d.language))
    assert pdf[:4] == b"%PDF"
    assert 2 <= _page_count(pdf) <= 6


@pytest.mark.parametrize("workshop_id", [SWEDISH_WORKSHOP, ENGLISH_WORKSHOP])
def test_report_text_demo_workshop_names_company_top_use_cases_and_owners(demo_db, workshop_id):
    d = build_deliverable(workshop_id=workshop_id)
    texts = report_text(d)
    assert d.company_name in texts
    assert [u.title for u in d.top if f"{u.rank}. {u.title}" in texts] == [u.title for u in d.top]
    assert [a.owner for a in d.actions if a.owner in texts] == [a.owner for a in d.actions]
    assert len(d.top) > 0 and len(d.actions) > 0


@pytest.mark.parametrize(
    ("workshop_id", "plan_heading", "footer"),
    [
        (SWEDISH_WORKSHOP, "Handlingsplan", "Möjlighetskartan · Hässlebro Plåt & Press AB"),
        (ENGLISH_WORKSHOP, "Action plan", "Opportunity Map · Pulsvik Health AB"),
    ],
)
def test_report_text_demo_workshop_is_in_its_own_language(demo_db, workshop_id, plan_heading, footer):
    texts = report_text(build_deliverable(workshop_id=workshop_id))
    assert plan_heading in texts
    assert texts[-1] == footer


def test_report_text_swedish_scores_use_a_decimal_comma(demo_db):
    d = _with_first_top(build_deliverable(workshop_id=SWEDISH_WORKSHOP), value=4.04, feasibility=2.96, responses=1)
    assert "Värde 4,0 · Genomförbarhet 3,0 · 1 svar" in report_text(d)


def test_report_text_english_scores_use_a_decimal_point(demo_db):
    d = _with_first_top(build_deliverable(workshop_id=ENGLISH_WORKSHOP), value=4.04, feasibility=2.96, responses=3)
    assert "Value 4.0 · Feasibility 3.0 · 3 responses" in report_text(d)


def test_report_text_without_matrix_says_it_could_not_be_drawn(demo_db):
    d = build_deliverable(workshop_id=ENGLISH_WORKSHOP)
    missing = "The matrix could not be drawn. The ranking on the next page uses the same scores."
    assert missing in report_text(d)
    assert missing not in report_text(d, matrix_png=matrix_png(workshop_id=ENGLISH_WORKSHOP, language="en"))


def test_build_report_pdf_hostile_texts_build_and_come_out_neutralised(demo_db):
    d = build_deliverable(workshop_id=SWEDISH_WORKSHOP)
    title = '=HYPERLINK("http://x")'
    description = "a\x00b\x07c\x1bd " + "x" * LONG_TEXT_LENGTH
    d = _with_first_top(d, title=title, description=description, process="@SUM(1)")
    first_action = dataclasses.replace(
        d.actions[0], use_case=title, owner="+cmd", next_step="-" + "y" * LONG_TEXT_LENGTH, needs_data="\x1b=1+1"
    )
    d = dataclasses.replace(d, company_name="@SUM(1)", actions=(first_action, *d.actions[1:]))

    pdf = build_report_pdf(d, matrix_png=None)
    texts = report_text(d)

    assert pdf[:4] == b"%PDF"
    assert f'{d.top[0].rank}. \'=HYPERLINK("http://x")' in texts
    assert '\'=HYPERLINK("http://x")' in texts
    assert "'@SUM(1)" in texts
    assert "'+cmd" in texts
    assert "'-" + "y" * LONG_TEXT_LENGTH in texts
    assert f"Kompetens: {first_action.needs_competence}\nData: '=1+1\nPartner: {first_action.needs_partner}" in texts
    assert "abcd " + "x" * LONG_TEXT_LENGTH in texts
    assert texts[-1] == "Möjlighetskartan · '@SUM(1)"
    assert [t for t in texts if any(ord(c) < 32 and c not in "\n" for c in t)] == []


def test_build_report_pdf_huge_action_plan_rows_continue_across_pages(demo_db):
    d = build_deliverable(workshop_id=SWEDISH_WORKSHOP)
    long_words = " ".join(["planeringsunderlag"] * (LONG_TEXT_LENGTH // 19))
    action = dataclasses.replace(
        d.actions[0],
        next_step=long_words,
        owner="o" * 200,
        needs_competence=long_words,
        needs_data=long_words,
        needs_partner=long_words,
    )
    short = build_report_pdf(d)
    long = build_report_pdf(dataclasses.replace(d, actions=(action,) * 3))
    assert _page_count(long) > _page_count(short)


def test_build_report_pdf_no_use_cases_and_no_actions_still_builds(demo_db):
    d = dataclasses.replace(build_deliverable(workshop_id=ENGLISH_WORKSHOP), ranked=(), actions=())
    texts = report_text(d)
    assert build_report_pdf(d)[:4] == b"%PDF"
    assert "No use case has been scored yet." in texts
    assert "No action plan has been filled in yet." in texts


def test_build_report_pdf_glyphs_missing_from_the_font_do_not_crash(demo_db):
    d = _with_first_top(build_deliverable(workshop_id=ENGLISH_WORKSHOP), title="漢字 🙂 \u202e ﷽ 𝕏")
    assert build_report_pdf(d)[:4] == b"%PDF"


def test_build_report_pdf_page_count_alias_in_user_text_is_left_alone(demo_db):
    d = _with_first_top(build_deliverable(workshop_id=ENGLISH_WORKSHOP), title="{nb} pages")
    assert "1. {nb} pages" in report_text(d)
    assert build_report_pdf(d)[:4] == b"%PDF"


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=st.text(max_size=300), owner=st.text(max_size=200), company=st.text(max_size=200))
def test_build_report_pdf_any_user_text_builds(demo_db, title, owner, company):
    d = _with_first_top(build_deliverable(workshop_id=ENGLISH_WORKSHOP), title=title, description=title)
    action = dataclasses.replace(d.actions[0], use_case=title, owner=owner, next_step=title)
    d = dataclasses.replace(d, company_name=company, actions=(action,))
    assert build_report_pdf(d)[:4] == b"%PDF"


def test_matrix_png_returns_png_bytes(demo_db):
    png = matrix_png(workshop_id=SWEDISH_WORKSHOP, language="sv")
    assert png[:8] == PNG_SIGNATURE


# --- rationale ------------------------------------------------------------------------------


def _rationale(criteria: tuple[CriterionResult, ...], *, demo_workshop: int = ENGLISH_WORKSHOP) -> str:
    d = build_deliverable(workshop_id=demo_workshop)
    use_case = dataclasses.replace(d.top[0], criteria=criteria)
    return rationale(use_case=use_case, deliverable=d)


def test_rationale_names_strongest_and_weakest_counting_lower_is_better_inverted(demo_db):
    criteria = (
        _criterion("impact", score=4.0),
        _criterion("risk", score=1.0, direction="lower_is_better"),
        _criterion("sustainability", score=2.0),
    )
    assert _rationale(criteria) == "Strongest: Risk (1.0, lower is better). Weakest: Sustainability (2.0)."


def test_rationale_tie_goes_to_the_heavier_criterion(demo_db):
    criteria = (
        _criterion("light", score=5.0, weight=1.0),
        _criterion("heavy", score=5.0, weight=3.0),
        _criterion("low", score=2.0, weight=1.0),
        _criterion("complexity", score=4.0, direction="lower_is_better", weight=2.0),
    )
    assert _rationale(criteria) == "Strongest: Heavy (5.0). Weakest: Complexity (4.0, lower is better)."


def test_rationale_adds_unsettled_disagreements_widest_first(demo_db):
    criteria = (
        _criterion("impact", score=4.0, minimum=3, maximum=5),
        _criterion("customer", score=3.0, minimum=1, maximum=5),
        _criterion("data", score=2.0, minimum=1, maximum=4, consensus=2),
    )
    assert _rationale(criteria) == (
        "Strongest: Impact (4.0). Weakest: Data (2.0). The group disagreed on: Customer, Impact."
    )


def test_rationale_even_scores_say_nothing_stands_out(demo_db):
    criteria = (_criterion("impact", score=3.0), _criterion("risk", score=3.0, direction="lower_is_better"))
    assert _rationale(criteria) == "Evenly scored – no criterion stands out."


def test_rationale_no_scores_says_not_scored(demo_db):
    assert _rationale((_criterion("impact", score=None),)) == "Not scored yet."


def test_rationale_swedish_uses_swedish_words_and_decimal_comma(demo_db):
    criteria = (_criterion("nytta", score=4.5), _criterion("risk", score=2.0, direction="lower_is_better"))
    assert _rationale(criteria, demo_workshop=SWEDISH_WORKSHOP) == (
        "Starkast: Nytta (4,5). Svagast: Risk (2,0, lägre är bättre)."
    )


@pytest.mark.parametrize(
    ("workshop_id", "heading", "why"),
    [(SWEDISH_WORKSHOP, "Finansiering och stöd att undersöka", "Varför det passar"),
     (ENGLISH_WORKSHOP, "Funding and support to look into", "Why it matches")],
)
def test_report_text_lists_funding_pointers_with_reasons_in_its_language(demo_db, workshop_id, heading, why):
    d = build_deliverable(workshop_id=workshop_id)
    texts = report_text(d)
    assert heading in texts and why in texts
    assert d.funding, "the demo workshop has chosen use cases with pointers"
    joined = "\n".join(texts)
    shown = report_pdf.REPORT_POINTERS_PER_USE_CASE
    by_use_case: dict[str, list] = {}
    for line in d.funding:
        by_use_case.setdefault(line.use_case, []).append(line)
    printed = [line for lines in by_use_case.values() for line in lines[:shown]]
    left_out = {line.programme for lines in by_use_case.values() for line in lines[shown:]} - {l.programme for l in printed}
    for line in printed:
        assert line.programme in joined
        assert all(f"• {reason}" in joined for reason in line.why)
    assert not any(programme in joined for programme in left_out)
    # Funding comes after the plan and before the generic next steps.
    assert texts.index(heading) > texts.index(d.text("report.plan_heading"))
    assert texts.index(heading) < texts.index(d.text("report.next_steps_heading"))


def test_report_text_flags_a_stale_funding_catalogue(demo_db):
    stale = dataclasses.replace(build_deliverable(workshop_id=SWEDISH_WORKSHOP), funding_stale=True)
    assert any(text.startswith("Finansieringskatalogens uppgifter kontrollerades senast") for text in report_text(stale))
