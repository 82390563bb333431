"""Funding pointers on screen: the best few open, the rest and the left-out ones on request."""

from __future__ import annotations

import streamlit as st

from ui import label, language, t
from workshop import funding

# How many pointers show at once; the rest are one click away.
SHOWN_AT_ONCE = 3


def stale_warning(age: funding.CatalogueAge) -> None:
    if age.stale:
        st.warning(t("funding.stale_warning", date=age.checked_on.isoformat()), icon=":material/history:")


def pointer_title(pointer: funding.Pointer, lang: str) -> str:
    programme = pointer.programme
    parts = [programme.name[lang], label("funding_kind", programme.kind)]
    amount = funding.amount_text(programme, lang)
    if amount:
        parts.append(amount)
    if programme.status == "uncertain":
        parts.append(t("funding.uncertain_badge"))
    if pointer.for_next_stage:
        parts.append(t("funding.next_stage_badge"))
    return " · ".join(parts)


def _pointer(pointer: funding.Pointer, lang: str, *, expanded: bool) -> None:
    """One programme: its label says what and how much; inside, why and what to check.
    One markdown block each keeps a page of several use cases quick to rerun."""
    programme = pointer.programme
    icon = ":material/help:" if programme.status == "uncertain" else ":material/payments:"
    links = [f"[{t('funding.link')}]({programme.url})"] if programme.url else []
    if programme.source_url and programme.source_url != programme.url:
        links.append(f"[{t('funding.source')}]({programme.source_url})")
    links.append(t("funding.checked_on", date=programme.checked_on.isoformat()))
    with st.expander(pointer_title(pointer, lang), expanded=expanded, icon=icon):
        st.markdown(
            "\n".join([
                f"*{programme.provider} — {programme.description[lang]}*",
                "",
                f"**{t('funding.why_heading')}**",
                *(f"- {funding.reason_text(r, 'why', lang)}" for r in pointer.why),
                "",
                f"**{t('funding.check_heading')}**",
                *(f"- {funding.reason_text(r, 'check', lang)}" for r in pointer.check),
                "",
                " · ".join(links),
            ])
        )


def pointer_list(matching: funding.Matching, *, key: str) -> None:
    """The matched programmes of one use case; `key` keeps its toggles apart from others'."""
    lang = language()
    if not matching.pointers:
        st.info(t("funding.none"), icon=":material/info:")
    for index, pointer in enumerate(matching.pointers[:SHOWN_AT_ONCE]):
        _pointer(pointer, lang, expanded=index == 0)
    rest = matching.pointers[SHOWN_AT_ONCE:]
    left, right = st.columns(2)
    show_rest = bool(rest) and left.toggle(t("funding.show_more", count=len(rest)), key=f"{key}_more")
    show_excluded = bool(matching.excluded) and right.toggle(
        t("funding.show_excluded", count=len(matching.excluded)), key=f"{key}_excluded"
    )
    if show_rest:
        for pointer in rest:
            _pointer(pointer, lang, expanded=False)
    if show_excluded:
        st.markdown(
            "\n".join(
                f"- **{e.programme.name[lang]}**: " + " ".join(funding.reason_text(r, "not", lang) for r in e.reasons)
                for e in matching.excluded
            )
        )
