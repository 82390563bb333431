"""Single sign-on end to end: Chromium, the app server with an [auth] section, and a real
OpenID Connect provider (tests/oidc_provider.py) — st.login's redirects, the signed ID
token, the identity cookie, then our own staff session for the account with that address."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ADMIN_PASSWORD, AppServer, wait_for_script
from tests.oidc_provider import OidcProvider


@pytest.fixture
def sso_server(tmp_path):
    provider = OidcProvider().start()
    server = AppServer(tmp_path)
    server.cli("db", "upgrade")
    server.create_admin()
    password_file = tmp_path / "fia-password.txt"
    password_file.write_text(ADMIN_PASSWORD + "\n", encoding="utf-8")
    server.cli("account", "create", "--email", "fia@example.se", "--name", "Fia Facilitator", "--role", "facilitator",
               "--password-file", str(password_file))
    secrets_file = tmp_path / "secrets.toml"
    secrets_file.write_text(provider.secrets_toml(redirect_uri=f"{server.url}/oauth2callback"), encoding="utf-8")
    server.extra_args = ["--secrets.files", str(secrets_file)]
    server.start()
    yield server, provider
    server.stop()
    provider.stop()


def test_the_organisation_sign_in_opens_the_account_with_that_address_and_signing_out_ends_both(sso_server, page):
    server, provider = sso_server
    provider.sign_in_as("fia@example.se", "Fia Facilitator")
    page.goto(f"{server.url}/audit_log")  # a deep link to a protected page: the sign-in first
    wait_for_script(page)
    expect(page.get_by_role("heading", name="Logga in")).to_be_visible()
    page.get_by_role("button", name="Logga in med organisationskonto").click()
    # Provider → /oauth2callback → the app's start page, signed in as the facilitator.
    expect(page.get_by_role("heading", name="Välj eller skapa en workshop")).to_be_visible(timeout=30_000)
    wait_for_script(page)
    expect(page.get_by_role("heading", name="Logga in")).to_have_count(0)
    page.screenshot(path="test-artifacts/sso-signed-in.png")
    # The role still decides: the audit log is the administrators'.
    page.goto(f"{server.url}/audit_log")
    wait_for_script(page)
    expect(page.get_by_text("Din roll ger inte tillgång till den här sidan.")).to_be_visible()

    page.get_by_role("button", name="Logga ut").click()
    expect(page.get_by_role("heading", name="Logga in")).to_be_visible(timeout=30_000)
    wait_for_script(page)
    expect(page.get_by_role("button", name="Logga in med organisationskonto")).to_be_visible()


def test_an_organisation_identity_without_an_account_here_gets_a_message_and_no_data(sso_server, page):
    server, provider = sso_server
    provider.sign_in_as("okand@example.se", "Okänd Person")
    page.goto(f"{server.url}/overview")
    wait_for_script(page)
    page.get_by_role("button", name="Logga in med organisationskonto").click()
    expect(page.get_by_text("Du är inloggad som okand@example.se hos organisationens inloggning")).to_be_visible(timeout=30_000)
    expect(page.get_by_role("heading", name="Logga in")).to_be_visible()
    expect(page.get_by_role("button", name="Logga ut från organisationskontot")).to_be_visible()
