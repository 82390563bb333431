"""What every page shares: the start-up guard, the language switch and translation.

Streamlit runs a file in pages/ without app.py on a deep link right after a server
start, so each page begins with `page_setup()` instead of relying on app.py.
"""

from __future__ import annotations

import streamlit as st

from workshop import i18n, migrate
from workshop.errors import DatabaseNotReady

LANGUAGE_KEY = "language"


def language() -> str:
    """The language chosen in this session; Swedish until someone switches."""
    chosen = st.session_state.get(LANGUAGE_KEY, i18n.DEFAULT_LANGUAGE)
    return chosen if chosen in i18n.LANGUAGES else i18n.DEFAULT_LANGUAGE


def t(key: str, **params: object) -> str:
    return i18n.t(key, language(), **params)


def label(list_name: str, value: object) -> str:
    return i18n.choice_label(list_name, value, language())


def page_setup(title_key: str) -> str:
    """Configure the page, show the language switch, and stop the page with a clear message
    unless the database is ready. Returns the session's language."""
    st.set_page_config(
        page_title=f"{t(title_key)} · {t('app.title')}", page_icon=":material/map:", layout="wide"
    )
    if LANGUAGE_KEY not in st.session_state:
        st.session_state[LANGUAGE_KEY] = i18n.DEFAULT_LANGUAGE
    with st.sidebar:
        st.segmented_control(
            t("sidebar.language"),
            options=list(i18n.LANGUAGES),
            format_func=lambda code: i18n.t(f"language.{code}", code),
            key=LANGUAGE_KEY,
            required=True,
        )
    try:
        migrate.ensure_ready()
    except DatabaseNotReady:
        st.error(t("error.database_not_ready"), icon=":material/database:")
        st.stop()
    return language()
