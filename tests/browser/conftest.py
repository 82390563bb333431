"""A real app server on a fresh data folder, and Debian's Chromium driven by Playwright.

Set OPPORTUNITY_MAP_REQUIRE_BROWSER=1 (CI does) to make a missing Chromium a failure.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.services import free_port
from workshop.config import PROJECT_ROOT

CHROMIUM = os.environ.get("OPPORTUNITY_MAP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SERVER_START_SECONDS = 60
ADMIN_EMAIL = "admin@example.se"
ADMIN_PASSWORD = "korrekt-hast-batteri"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


class AppServer:
    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = data_dir / "server.log"
        self.env = {**os.environ, "OPPORTUNITY_MAP_DATA_DIR": str(data_dir)}
        self.env.pop("DATABASE_URL", None)
        self.process: subprocess.Popen | None = None
        # More `streamlit run` options, e.g. ["--secrets.files", PATH] for single sign-on.
        self.extra_args: list[str] = []

    def cli(self, *args: str) -> None:
        subprocess.run([sys.executable, "-m", "workshop", *args], cwd=PROJECT_ROOT, env=self.env, check=True, capture_output=True)

    def create_admin(self) -> None:
        """The administrator `sign_in` uses, made the documented way (CLI, password file)."""
        password_file = self.data_dir / "admin-password.txt"
        password_file.write_text(ADMIN_PASSWORD + "\n", encoding="utf-8")
        self.cli("account", "create", "--email", ADMIN_EMAIL, "--name", "Admin", "--role", "admin", "--password-file", str(password_file))

    def start(self) -> None:
        log = self.log_path.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(self.port),
             "--server.headless", "true", "--server.address", "127.0.0.1", *self.extra_args],
            cwd=PROJECT_ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + SERVER_START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as response:
                    if response.read().decode() == "ok":
                        return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"The app server did not start. Its log:\n{self.log_path.read_text()}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        reason = f"Chromium not found at {CHROMIUM}"
        if os.environ.get("OPPORTUNITY_MAP_REQUIRE_BROWSER", "") not in ("", "0"):
            pytest.fail(reason)
        print(f"\nBrowser tests skipped: {reason}")
        pytest.skip(reason)
    return CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    yield context.new_page()
    context.close()


@pytest.fixture
def demo_server(tmp_path):
    """A freshly started server on a new data folder, migrated and with the demo cohort."""
    server = AppServer(tmp_path)
    server.cli("db", "upgrade")
    server.cli("demo", "--if-empty")
    server.create_admin()
    server.start()
    yield server
    server.stop()


def wait_for_script(page) -> None:  # noqa: ANN001
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=30_000)


def sign_in(page, *, email: str = ADMIN_EMAIL, password: str = ADMIN_PASSWORD) -> None:  # noqa: ANN001
    """Fill in the sign-in form the page shows (any page shows it until someone signs in);
    the browser then keeps the session's cookie, so later addresses open directly."""
    from playwright.sync_api import expect

    wait_for_script(page)
    expect(page.get_by_role("heading", name="Logga in")).to_be_visible()
    page.get_by_label("E-postadress").fill(email)
    page.get_by_label("Lösenord", exact=True).fill(password)
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("heading", name="Logga in")).to_have_count(0)
    wait_for_script(page)
