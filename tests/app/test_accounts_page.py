"""Administration → accounts: the list, creating an account, role, activity, password and
assignments — each saved when made, with the domain's refusals shown."""

from __future__ import annotations

import datetime as dt

from streamlit.testing.v1 import AppTest

from tests.app.conftest import open_page, texts
from tests.factories import make_workshop, staff_account
from workshop import accounts, storage
from workshop.models import StaffAccount, Workshop

ADMIN_EMAIL = "admin@example.se"
PASSWORD = "ett långt lösenord"


def _button(at: AppTest, label: str):
    return next(button for button in at.button if button.label == label)


def _select_account(at: AppTest, account_id: int) -> AppTest:
    return at.selectbox(key="accounts_selected").set_value(account_id).run()


def _fill_new_account(at: AppTest, *, name: str, email: str, role: str, password: str, again: str) -> None:
    at.text_input(key="account_new_name").input(name)
    at.text_input(key="account_new_email").input(email)
    at.selectbox(key="account_new_role").set_value(role)
    at.text_input(key="account_new_password").input(password)
    at.text_input(key="account_new_again").input(again)


def _emails() -> list[str]:
    return [account.email for account in accounts.list_accounts()]


def test_the_table_lists_every_account_with_role_activity_and_last_sign_in(sqlite_db):
    facilitator = staff_account(role="facilitator", email="pia@example.se", name="Pia Lind")
    with storage.write() as session:
        session.get(StaffAccount, facilitator).last_login_at = dt.datetime(2026, 3, 2, 8, 5, tzinfo=dt.UTC)
    at = open_page("accounts")
    assert not at.exception
    assert at.dataframe[0].value.to_dict("records") == [
        {"Namn som visas": "Admin", "E-postadress": ADMIN_EMAIL, "Roll": "Administratör", "Aktivt": True,
         "Senast inloggad (UTC)": "aldrig"},
        {"Namn som visas": "Pia Lind", "E-postadress": "pia@example.se", "Roll": "Processledare", "Aktivt": True,
         "Senast inloggad (UTC)": "2026-03-02 08:05"},
    ]


def test_creating_a_facilitator_saves_the_account_and_clears_the_form(sqlite_db):
    at = open_page("accounts")
    _fill_new_account(at, name="Pia Lind", email=" Pia@Example.se ", role="facilitator", password=PASSWORD, again=PASSWORD)
    _button(at, "Skapa kontot").click().run()
    assert not at.exception
    assert texts(at.success) == ["Kontot är skapat och kan logga in."]
    created = [account for account in accounts.list_accounts() if account.email == "pia@example.se"]
    assert [(a.display_name, a.role, a.active) for a in created] == [("Pia Lind", "facilitator", True)]
    assert [at.text_input(key=key).value for key in ("account_new_name", "account_new_email", "account_new_password")] == [
        "", "", ""
    ]
    assert at.selectbox(key="accounts_selected").value == created[0].id
    assert accounts.authenticate(email="pia@example.se", password=PASSWORD, client_key="test").id == created[0].id


def test_creating_refuses_a_taken_address_a_short_password_and_differing_passwords(sqlite_db):
    at = open_page("accounts")
    _fill_new_account(at, name="Annan", email=ADMIN_EMAIL, role="advisor", password=PASSWORD, again=PASSWORD)
    _button(at, "Skapa kontot").click().run()
    assert texts(at.error) == ["Det finns redan ett konto med e-postadressen ”admin@example.se”."]
    _fill_new_account(at, name="Rut", email="rut@example.se", role="advisor", password="kort", again="kort")
    _button(at, "Skapa kontot").click().run()
    assert texts(at.error) == [
        "Lösenordet måste ha minst 12 tecken och får inte vara ett och samma tecken upprepat."
    ]
    _fill_new_account(at, name="Rut", email="rut@example.se", role="advisor", password=PASSWORD, again=PASSWORD + "x")
    _button(at, "Skapa kontot").click().run()
    assert texts(at.error) == ["Lösenorden är inte lika. Skriv samma lösenord två gånger; inget har sparats."]
    assert not at.exception
    assert _emails() == [ADMIN_EMAIL]
    assert at.text_input(key="account_new_email").value == "rut@example.se"


def test_a_role_change_is_saved_when_chosen(sqlite_db):
    facilitator = staff_account(role="facilitator", email="pia@example.se", name="Pia Lind")
    at = _select_account(open_page("accounts"), facilitator)
    at.selectbox(key=f"account_{facilitator}_role").set_value("advisor").run()
    assert not at.exception
    assert accounts.get_account(facilitator).role == "advisor"
    assert at.selectbox(key=f"account_{facilitator}_role").value == "advisor"
    assert at.dataframe[0].value["Roll"].tolist() == ["Administratör", "Rådgivare"]


def test_deactivating_the_last_administrator_is_refused_with_its_message(sqlite_db):
    at = open_page("accounts")
    admin = accounts.list_accounts()[0].id
    assert at.selectbox(key="accounts_selected").value == admin
    at.toggle(key=f"account_{admin}_active").set_value(False).run()
    assert not at.exception
    assert texts(at.error) == [
        "Det måste finnas minst en aktiv administratör. Gör någon annan till administratör först; inget har ändrats."
    ]
    assert accounts.get_account(admin).active is True
    assert at.toggle(key=f"account_{admin}_active").value is True


def test_deactivating_another_account_is_saved_at_once(sqlite_db):
    advisor = staff_account(role="advisor", email="rut@example.se", name="Rut Ek")
    at = _select_account(open_page("accounts"), advisor)
    at.toggle(key=f"account_{advisor}_active").set_value(False).run()
    assert not at.exception
    assert accounts.get_account(advisor).active is False
    assert at.dataframe[0].value["Aktivt"].tolist() == [True, False]


def test_a_new_password_must_be_typed_twice_alike(sqlite_db):
    advisor = staff_account(role="advisor", email="rut@example.se", name="Rut Ek")
    at = _select_account(open_page("accounts"), advisor)
    at.text_input(key=f"account_{advisor}_password").input(PASSWORD)
    at.text_input(key=f"account_{advisor}_again").input("något annat lösenord")
    _button(at, "Spara lösenordet").click().run()
    assert texts(at.error) == ["Lösenorden är inte lika. Skriv samma lösenord två gånger; inget har sparats."]
    at.text_input(key=f"account_{advisor}_password").input(PASSWORD)
    at.text_input(key=f"account_{advisor}_again").input(PASSWORD)
    _button(at, "Spara lösenordet").click().run()
    assert texts(at.success) == ["Lösenordet är bytt."]
    assert accounts.authenticate(email="rut@example.se", password=PASSWORD, client_key="test").id == advisor


def test_an_advisor_is_assigned_two_cohorts_and_then_one_is_removed(sqlite_db):
    first, second = (make_workshop(cohort_name=name, participants=0, use_cases=0)["cohort_id"] for name in ("Höst", "Vår"))
    advisor = staff_account(role="advisor", email="rut@example.se", name="Rut Ek")
    at = _select_account(open_page("accounts"), advisor)
    assert at.multiselect(key=f"account_{advisor}_cohorts").options == ["Höst", "Vår"]
    at.multiselect(key=f"account_{advisor}_cohorts").set_value([first, second]).run()
    assert accounts.assigned_cohorts(advisor) == [first, second]
    at.multiselect(key=f"account_{advisor}_cohorts").set_value([second]).run()
    assert not at.exception
    assert accounts.assigned_cohorts(advisor) == [second]
    assert at.multiselect(key=f"account_{advisor}_cohorts").value == [second]


def test_a_facilitator_keeps_the_workshop_they_run_and_gets_others_assigned(sqlite_db):
    runs, helps = (make_workshop(cohort_name=name, participants=0, use_cases=0)["workshop_id"] for name in ("Höst", "Vår"))
    facilitator = staff_account(role="facilitator", email="pia@example.se", name="Pia Lind")
    with storage.write() as session:
        session.get(Workshop, runs).facilitator_id = facilitator
    at = _select_account(open_page("accounts"), facilitator)
    workshops = at.multiselect(key=f"account_{facilitator}_workshops")
    assert workshops.options == ["Höst · Testbolaget AB · utan datum", "Vår · Testbolaget AB · utan datum"]
    assert workshops.value == [runs]
    workshops.set_value([runs, helps]).run()
    assert accounts.assigned_workshops(facilitator) == [runs, helps]
    at.multiselect(key=f"account_{facilitator}_workshops").set_value([]).run()
    assert not at.exception
    assert accounts.assigned_workshops(facilitator) == [runs]
    assert texts(at.info) == [
        "Kontot leder själv 1 av de workshoppar du tog bort. De finns kvar: vem som leder en workshop ändras inte här."
    ]
    assert at.multiselect(key=f"account_{facilitator}_workshops").value == [runs]


def test_the_page_speaks_english_when_chosen(sqlite_db):
    at = open_page("accounts", language="en")
    assert not at.exception
    assert list(at.dataframe[0].value.columns) == ["Display name", "E-mail address", "Role", "Active", "Last sign-in (UTC)"]
    assert at.dataframe[0].value["Role"].tolist() == ["Administrator"]
    assert at.selectbox(key="account_new_role").options == ["Administrator", "Facilitator", "Advisor"]
    assert [button.label for button in at.button if button.label in ("Create the account", "Save the password")] == [
        "Save the password", "Create the account"
    ]
