"""What every page shares: the start-up guard, the language switch and translation.

Streamlit runs a file in pages/ without app.py on a deep link right after a server
start, so each page begins with `page_setup()` instead of relying on app.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import streamlit as st
from streamlit import config
from streamlit.runtime.pages_manager import PagesManager

from workshop import access, i18n, migrate, safe_text
from workshop.errors import DatabaseNotReady, DomainError

# The chosen language lives in plain session state: a widget's own state is dropped when a
# page switch draws the switch on another page (its id includes the page), which turned the
# whole UI back to Swedish after every link. The browser keeps it in a cookie for reloads.
LANGUAGE_KEY = "language"
LANGUAGE_SWITCH_KEY = "language_switch"
LANGUAGE_COOKIE = "om_language"
LANGUAGE_COOKIE_DAYS = 365
# Cookies to write into the browser on this run: name -> (value, days to keep; 0 deletes).
COOKIES_PENDING_KEY = "cookies_pending"
# Streamlit cannot set cookies from Python; a script of our own on the page can. Values are
# URL-safe (tokens, codes, language codes), so they need no quoting.
_COOKIE_SCRIPT = """<script>
document.cookie = "{name}={value}; path=/; SameSite=Strict; max-age={age}" +
  (location.protocol === "https:" ? "; Secure" : "");
</script>"""
DEFAULT_TIMEZONE = "Europe/Stockholm"
# Set once a session has shown the phones' page: app.py then offers it that page only.
PARTICIPANT_SESSION = "participant_session"
# Likewise for a company reading its own results with an access code (pages/results.py).
SME_SESSION = "sme_session"
# The code that session typed and the workshop it opens, re-checked on every use.
RESULTS_CODE_KEY = "results_code"
RESULTS_WORKSHOP_KEY = "results_workshop"

# Presentation mode: larger type and no sidebar, for a projector at 1280×720. The theme
# cannot change per workshop at run time, so this one style block is the exception.
PRESENTATION_STYLE = """
<style>
html { font-size: 20px; }
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"] { display: none; }
[data-testid="stMainBlockContainer"] { max-width: 100%; }
</style>
"""


def cookie(name: str) -> str | None:
    """A cookie the browser sent when this session connected, or None."""
    try:
        value = st.context.cookies.get(name)
    except Exception:  # no browser context (bare runs)
        return None
    return value if isinstance(value, str) and value else None


def remember_in_browser(name: str, value: str, *, days: int) -> None:
    """Have the browser keep a cookie (`days=0` removes it); written on this run's page."""
    st.session_state.setdefault(COOKIES_PENDING_KEY, {})[name] = (value, days)


def write_pending_cookies(slot) -> None:  # noqa: ANN001
    """Draw the scripts that set the queued cookies into `slot` (one element, always
    there, so the page's own elements keep their places)."""
    pending = st.session_state.pop(COOKIES_PENDING_KEY, None)
    if pending:
        slot.html(
            "".join(_COOKIE_SCRIPT.format(name=n, value=v, age=d * 86400) for n, (v, d) in pending.items()),
            unsafe_allow_javascript=True,
        )


def language() -> str:
    """The language chosen in this browser (this session, else its cookie); Swedish until
    someone switches."""
    chosen = st.session_state.get(LANGUAGE_KEY)
    if chosen is None:
        chosen = cookie(LANGUAGE_COOKIE)
        if chosen in i18n.LANGUAGES:
            st.session_state[LANGUAGE_KEY] = chosen
    return chosen if chosen in i18n.LANGUAGES else i18n.DEFAULT_LANGUAGE


def choose_language(code: str) -> None:
    """Use `code` from now on in this session, and in this browser after a reload."""
    if code in i18n.LANGUAGES:
        st.session_state[LANGUAGE_KEY] = code
        remember_in_browser(LANGUAGE_COOKIE, code, days=LANGUAGE_COOKIE_DAYS)


def _language_switched() -> None:
    choose_language(st.session_state[LANGUAGE_SWITCH_KEY])


def t(key: str, **params: object) -> str:
    return i18n.t(key, language(), **params)


def label(list_name: str, value: object) -> str:
    return i18n.choice_label(list_name, value, language())


def choice_formatter(list_name: str) -> Callable[[object], str]:
    """A widget's format_func for a choice list, bound to this run's language: a widget may
    format its options after the run (AppTest does), when the session is not at hand."""
    lang = language()
    return lambda value: i18n.choice_label(list_name, value, lang)


def text_formatter(keys: Mapping[object, str]) -> Callable[[object], str]:
    """A format_func showing each option's catalogue text (`keys[option]`), bound likewise."""
    lang = language()
    return lambda value: i18n.t(keys[value], lang)


def plain(text: object) -> str:
    """A person's text (a name, a title) to put inside markdown: shown as typed, never as a
    link, image, heading or colour."""
    return safe_text.markdown_literal(text)


def client_key() -> str:
    """Whom wrong codes and passwords are counted against: the address the request came
    from (behind a proxy, the proxy's; a room behind one NAT shares one)."""
    address = st.context.ip_address
    return address if isinstance(address, str) and address else "unknown"


def _viewer_zone() -> ZoneInfo:
    """The viewer's time zone (Swedish time if unknown)."""
    zone = st.context.timezone
    try:
        return ZoneInfo(zone if isinstance(zone, str) and zone else DEFAULT_TIMEZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_TIMEZONE)


def local_time(moment: dt.datetime, *, date: bool = False) -> str:
    """A UTC moment as hours and minutes (with `date`, the day too) in the viewer's time
    zone (Swedish time if unknown)."""
    local = moment.astimezone(_viewer_zone())
    return f"{local:%Y-%m-%d %H:%M}" if date else f"{local:%H:%M}"


def is_today(moment: dt.datetime) -> bool:
    """Whether a UTC moment falls on today's date where the viewer is."""
    zone = _viewer_zone()
    return moment.astimezone(zone).date() == dt.datetime.now(zone).date()


def error_text(error: DomainError) -> str:
    return i18n.error_message(error, language())


def page_setup(
    title_key: str, *, roles: tuple[str, ...] = ("admin",), presentation: bool = False, phone: bool = False
) -> str:
    """Configure the page, show the language switch, and stop the page with a clear message
    unless the database is ready and someone with one of `roles` is signed in (else the
    sign-in form). Returns the session's language.

    `phone`: a participant's page — narrow, the language switch on it, no sign-in."""
    if PagesManager.uses_pages_directory:
        # Right after a server start Streamlit routes a folder named pages/ the legacy way
        # until some session calls st.navigation: this page file runs without app.py. Turn
        # that off for the whole server, as st.navigation itself does, and run again through
        # app.py, which keeps the address and shows the page asked for. (AppTest resets the
        # flag before every run, so there a rerun would drop each click: the page runs on.)
        PagesManager.uses_pages_directory = False
        if not config.get_option("global.appTest"):
            st.rerun()
    st.set_page_config(
        page_title=f"{t(title_key)} · {t('app.title')}",
        page_icon=":material/map:",
        layout="centered" if phone else "wide",
        initial_sidebar_state="collapsed" if presentation or phone else "auto",
    )
    st.session_state[LANGUAGE_SWITCH_KEY] = language()
    # A phone's or a company's session reaches no staff page, whatever address it asks for.
    for flag, own_page, title, icon in (
        (PARTICIPANT_SESSION, "pages/join.py", "join.title", ":material/how_to_vote:"),
        (SME_SESSION, "pages/results.py", "results.title", ":material/lock_open:"),
    ):
        if not phone and st.session_state.get(flag):
            st.page_link(own_page, label=t(title), icon=icon)
            st.stop()
    with st.container(horizontal_alignment="right") if phone else st.sidebar:
        st.segmented_control(
            t("sidebar.language"),
            options=list(i18n.LANGUAGES),
            format_func=lambda code: i18n.t(f"language.{code}", code),
            key=LANGUAGE_SWITCH_KEY,
            on_change=_language_switched,
            required=True,
            label_visibility="collapsed" if phone else "visible",
        )
        write_pending_cookies(st.empty())
    try:
        migrate.ensure_ready()
    except DatabaseNotReady:
        st.error(t("error.database_not_ready"), icon=":material/database:")
        st.stop()
    if not phone:
        auth.require(roles, t)
    return language()


# From here on a service call acts as this session's caller (ui/auth.py), or as nobody.
from ui import auth  # noqa: E402

access.serve(auth.caller)
