"""AppTest helpers: open a page of the app the way the navigation does, on a test database."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.factories import make_workshop, staff_account
from ui import auth
from workshop import demo, staff_sessions
from workshop.config import PROJECT_ROOT

APP = str(PROJECT_ROOT / "app.py")
# A page run on a 2-core machine under load can take a few seconds.
TIMEOUT = 30


def sign_in(at: AppTest, *, role: str = "admin", email: str | None = None) -> int:
    """Sign the AppTest session in as a staff account of `role` (made if missing); its id."""
    account_id = staff_account(role=role, email=email)
    at.session_state[auth.TOKEN_KEY] = staff_sessions.start(account_id=account_id)
    return account_id


def open_page(
    page: str, *, workshop_id: int | None = None, language: str | None = None, at: AppTest | None = None,
    role: str | None = "admin",
) -> AppTest:
    """Open a page as the navigation does, signed in as `role` (None: nobody signed in)."""
    at = at or AppTest.from_file(APP, default_timeout=TIMEOUT)
    if role and auth.TOKEN_KEY not in at.session_state:
        sign_in(at, role=role)
    if language:
        at.session_state["language"] = language
    if workshop_id is not None:
        at.query_params["workshop"] = str(workshop_id)
    at.switch_page(f"pages/{page}.py")
    return at.run()


def texts(elements) -> list[str]:  # noqa: ANN001
    return [element.value for element in elements]


@pytest.fixture
def demo_db(sqlite_db):
    demo.load_demo()
    return sqlite_db


@pytest.fixture
def small_workshop(sqlite_db) -> dict:
    return make_workshop(participants=2, use_cases=2)
