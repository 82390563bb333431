"""Staff accounts through the service layer, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
import threading

import pytest
from argon2 import PasswordHasher
from sqlalchemy import func, select

from tests.factories import make_workshop
from workshop import accounts, storage, throttle
from workshop.errors import (
    DuplicateEmail,
    EmptyName,
    InvalidCredentials,
    InvalidEmail,
    LastAdmin,
    NotAFacilitator,
    NotAnAdvisor,
    NotFound,
    TooLong,
    TooManyAttempts,
    UnknownChoice,
    WeakPassword,
)
from workshop.models import AuditEvent, FailedAttempt, StaffAccount, Workshop

EMAIL = "anna@example.se"
PASSWORD = "correct horse battery"
CLIENT = "192.0.2.10"
START = dt.datetime(2026, 11, 24, 9, 0, tzinfo=dt.UTC)


def _create(email: str = EMAIL, *, role: str = "admin", password: str = PASSWORD, name: str = "Anna Berg") -> int:
    return accounts.create_account(email=email, display_name=name, role=role, password=password, actor="setup")


def _sign_in(password: str = PASSWORD, *, email: str = EMAIL, client: str = CLIENT, now: dt.datetime = START):
    return accounts.authenticate(email=email, password=password, client_key=client, now=now)


def _stored_hash(account_id: int) -> str:
    with storage.read() as session:
        return session.scalar(select(StaffAccount.password_hash).where(StaffAccount.id == account_id))


def _actions() -> list[str]:
    with storage.read() as session:
        return list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def _count(model: type) -> int:
    with storage.read() as session:
        return session.scalar(select(func.count()).select_from(model))


# --- creating and signing in ------------------------------------------------------------


def test_an_account_signs_in_with_its_password_and_the_login_is_recorded(db):
    account_id = _create(" Anna@Example.SE ", role="facilitator")
    signed_in = _sign_in(email="ANNA@example.se ")
    assert signed_in == accounts.AccountInfo(account_id, EMAIL, "Anna Berg", "facilitator", True, START)
    assert accounts.get_account(account_id) == signed_in


def test_the_password_is_kept_only_as_an_argon2_hash(db):
    account_id = _create()
    stored = _stored_hash(account_id)
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored
    assert PasswordHasher().verify(stored, PASSWORD) is True
    with storage.read() as session:
        details = json.dumps([e.detail for e in session.scalars(select(AuditEvent))])
    assert PASSWORD not in details


def test_a_wrong_password_and_an_unknown_address_get_the_same_answer(db):
    _create()
    with pytest.raises(InvalidCredentials) as wrong_password:
        _sign_in("correct horse batterY")
    with pytest.raises(InvalidCredentials) as unknown_address:
        _sign_in(email="nobody@example.se", client="192.0.2.11")
    assert (str(unknown_address.value), unknown_address.value.field, unknown_address.value.params) == (
        str(wrong_password.value), wrong_password.value.field, wrong_password.value.params,
    )
    assert type(unknown_address.value) is type(wrong_password.value) is InvalidCredentials


def test_an_inactive_account_cannot_sign_in_even_with_its_password(db):
    _create("boss@example.se")
    account_id = _create()
    accounts.set_active(account_id=account_id, active=False, actor="boss@example.se")
    with pytest.raises(InvalidCredentials) as refused:
        _sign_in()
    assert str(refused.value) == "Wrong e-mail address or password."
    accounts.set_active(account_id=account_id, active=True, actor="boss@example.se")
    assert _sign_in(now=START + dt.timedelta(minutes=1)).active is True


def test_a_new_password_replaces_the_old_one(db):
    account_id = _create()
    accounts.set_password(account_id=account_id, password="another long passphrase", actor="anna")
    with pytest.raises(InvalidCredentials):
        _sign_in()
    assert _sign_in("another long passphrase").id == account_id


def test_a_hash_with_weaker_settings_is_replaced_on_sign_in(db):
    account_id = _create()
    weak = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(PASSWORD)
    with storage.write() as session:
        session.get(StaffAccount, account_id).password_hash = weak
    _sign_in()
    renewed = _stored_hash(account_id)
    assert renewed != weak
    assert PasswordHasher().check_needs_rehash(renewed) is False
    assert PasswordHasher().verify(renewed, PASSWORD) is True


# --- throttling -------------------------------------------------------------------------


def test_repeated_wrong_passwords_are_slowed_down_and_measured(db):
    _create()
    now = START
    waits = []
    for attempt in range(6):
        with pytest.raises(InvalidCredentials):
            _sign_in("not the password", now=now)
        wait = throttle.delay_after(attempt + 1)
        if wait:
            with pytest.raises(TooManyAttempts) as waiting:
                _sign_in(now=now)  # the right password is not even looked at
            assert waiting.value.params == {"seconds": wait}
        waits.append(wait)
        now += dt.timedelta(seconds=wait)
    assert waits == [0, 0, 2, 4, 8, 16]
    # Once the wait is over the right password works; refusals while waiting were not counted.
    assert _sign_in(now=now).email == EMAIL
    with storage.read() as session:
        counted = session.execute(
            select(FailedAttempt.client_key, func.count()).group_by(FailedAttempt.client_key).order_by(FailedAttempt.client_key)
        ).all()
    assert [tuple(row) for row in counted] == [(f"email:{EMAIL}", 6), (f"ip:{CLIENT}", 6)]


def test_one_address_is_slowed_down_whichever_clients_guess_at_it(db):
    _create()
    for n in range(throttle.FREE_ATTEMPTS):
        with pytest.raises(InvalidCredentials):
            _sign_in("not the password", client=f"198.51.100.{n}")
    with pytest.raises(TooManyAttempts) as waiting:
        _sign_in(client="203.0.113.99")  # a client that never failed, with the right password
    assert waiting.value.params == {"seconds": throttle.delay_after(throttle.FREE_ATTEMPTS)}
    later = START + dt.timedelta(seconds=throttle.delay_after(throttle.FREE_ATTEMPTS))
    assert _sign_in(client="203.0.113.99", now=later).email == EMAIL


def test_one_client_is_slowed_down_whichever_addresses_it_tries(db):
    _create()
    for n in range(throttle.FREE_ATTEMPTS):
        with pytest.raises(InvalidCredentials):
            _sign_in(email=f"guess{n}@example.se")
    with pytest.raises(TooManyAttempts) as waiting:
        _sign_in()
    assert waiting.value.params == {"seconds": 2}
    # Someone else in the office signs in meanwhile.
    assert _sign_in(client="192.0.2.11").email == EMAIL


def test_a_failure_is_audited_with_the_address_and_never_the_password(db):
    _create()
    with pytest.raises(InvalidCredentials):
        _sign_in("my secret guess 1", email=" Anna@Example.se")
    with storage.read() as session:
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "login.failed")).one()
        assert (event.actor, event.detail) == (f"client:{CLIENT}", {"email": EMAIL})


# --- administrators ---------------------------------------------------------------------


def test_the_last_active_admin_cannot_be_deactivated_or_demoted(db):
    first = _create()
    with pytest.raises(LastAdmin):
        accounts.set_active(account_id=first, active=False, actor="anna")
    with pytest.raises(LastAdmin):
        accounts.set_role(account_id=first, role="facilitator", actor="anna")
    second = _create("bo@example.se", name="Bo")
    assert accounts.count_admins() == 2
    accounts.set_role(account_id=first, role="advisor", actor="bo")
    with pytest.raises(LastAdmin):
        accounts.set_active(account_id=second, active=False, actor="bo")
    assert accounts.count_admins() == 1
    assert [(a.email, a.role, a.active) for a in accounts.list_accounts()] == [
        (EMAIL, "advisor", True),
        ("bo@example.se", "admin", True),
    ]


def test_an_inactive_admin_does_not_count_as_the_one_left(db):
    first = _create()
    second = _create("bo@example.se", name="Bo")
    accounts.set_active(account_id=second, active=False, actor="anna")
    with pytest.raises(LastAdmin):
        accounts.set_role(account_id=first, role="advisor", actor="anna")
    assert accounts.count_admins() == 1


def test_two_admins_removing_each_other_at_once_leave_one(db):
    ids = [_create(), _create("bo@example.se", name="Bo")]
    barrier = threading.Barrier(2)
    outcomes = []

    def deactivate(account_id: int) -> None:
        barrier.wait()
        try:
            accounts.set_active(account_id=account_id, active=False, actor="other admin")
            outcomes.append("done")
        except LastAdmin:
            outcomes.append("refused")

    threads = [threading.Thread(target=deactivate, args=(account_id,)) for account_id in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["done", "refused"]
    assert accounts.count_admins() == 1


# --- validation -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"email": "anna.example.se"}, InvalidEmail),
        ({"email": "anna@example"}, InvalidEmail),
        ({"email": "anna berg@example.se"}, InvalidEmail),
        ({"email": "a" * 250 + "@example.se"}, InvalidEmail),
        ({"display_name": "   "}, EmptyName),
        ({"role": "owner"}, UnknownChoice),
        ({"password": "short pass"}, WeakPassword),
        ({"password": "x" * 40}, WeakPassword),
        ({"password": "p" + "x" * accounts.PASSWORD_MAX_LENGTH}, TooLong),
    ],
)
def test_an_invalid_account_is_refused_and_nothing_is_written(db, changes, error):
    values = {"email": EMAIL, "display_name": "Anna Berg", "role": "admin", "password": PASSWORD, **changes}
    with pytest.raises(error) as refused:
        accounts.create_account(**values, actor="setup")
    assert refused.value.field == next(iter(changes))
    assert (_count(StaffAccount), _count(AuditEvent)) == (0, 0)


def test_a_second_account_for_the_same_address_is_refused(db):
    _create()
    with pytest.raises(DuplicateEmail) as refused:
        _create(" ANNA@example.se", role="advisor", name="Anna again")
    assert refused.value.params == {"value": EMAIL}
    assert (_count(StaffAccount), _actions()) == (1, ["account.created"])


def test_a_weak_new_password_leaves_the_old_one(db):
    account_id = _create()
    with pytest.raises(WeakPassword):
        accounts.set_password(account_id=account_id, password="aaaaaaaaaaaaaaaa", actor="anna")
    assert _sign_in().id == account_id


def test_an_unknown_account_is_not_found(db):
    with pytest.raises(NotFound):
        accounts.get_account(999)
    with pytest.raises(NotFound):
        accounts.set_active(account_id=999, active=False, actor="anna")


# --- assignments ------------------------------------------------------------------------


def test_an_advisor_is_assigned_cohorts_and_assigning_twice_changes_nothing(db):
    advisor = _create("radgivare@example.se", role="advisor", name="Rådgivare")
    first, second = make_workshop(cohort_name="Kohort A"), make_workshop(cohort_name="Kohort B")
    for cohort_id in (second["cohort_id"], first["cohort_id"], second["cohort_id"]):
        accounts.assign_cohort(account_id=advisor, cohort_id=cohort_id, actor="anna")
    assert accounts.assigned_cohorts(advisor) == sorted([first["cohort_id"], second["cohort_id"]])
    accounts.unassign_cohort(account_id=advisor, cohort_id=first["cohort_id"], actor="anna")
    accounts.unassign_cohort(account_id=advisor, cohort_id=first["cohort_id"], actor="anna")
    assert accounts.assigned_cohorts(advisor) == [second["cohort_id"]]
    assert _actions()[1:] == ["cohort.advisor_assigned", "cohort.advisor_assigned", "cohort.advisor_unassigned"]


def test_only_advisors_are_assigned_cohorts(db):
    facilitator = _create(role="facilitator")
    advisor = _create("radgivare@example.se", role="advisor")
    cohort_id = make_workshop()["cohort_id"]
    with pytest.raises(NotAnAdvisor):
        accounts.assign_cohort(account_id=facilitator, cohort_id=cohort_id, actor="anna")
    with pytest.raises(NotFound):
        accounts.assign_cohort(account_id=advisor, cohort_id=cohort_id + 1, actor="anna")
    assert (accounts.assigned_cohorts(facilitator), accounts.assigned_cohorts(advisor)) == ([], [])


def test_a_facilitator_has_the_workshops_they_run_and_those_assigned(db):
    facilitator = _create(role="facilitator")
    runs, helps, _unrelated = (make_workshop(cohort_name=f"Kohort {n}")["workshop_id"] for n in range(3))
    with storage.write() as session:
        session.get(Workshop, runs).facilitator_id = facilitator
    accounts.assign_workshop(account_id=facilitator, workshop_id=helps, actor="anna")
    accounts.assign_workshop(account_id=facilitator, workshop_id=helps, actor="anna")
    assert accounts.assigned_workshops(facilitator) == sorted([runs, helps])
    accounts.unassign_workshop(account_id=facilitator, workshop_id=helps, actor="anna")
    assert accounts.assigned_workshops(facilitator) == [runs]


def test_only_facilitators_are_assigned_workshops(db):
    advisor = _create(role="advisor")
    facilitator = _create("pl@example.se", role="facilitator")
    workshop_id = make_workshop()["workshop_id"]
    with pytest.raises(NotAFacilitator):
        accounts.assign_workshop(account_id=advisor, workshop_id=workshop_id, actor="anna")
    with pytest.raises(NotFound):
        accounts.assign_workshop(account_id=facilitator, workshop_id=workshop_id + 1, actor="anna")
    assert accounts.assigned_workshops(advisor) == []


def test_a_new_role_drops_the_assignments_the_old_one_had(db):
    _create("boss@example.se")
    account_id = _create(role="advisor")
    ids = make_workshop()
    accounts.assign_cohort(account_id=account_id, cohort_id=ids["cohort_id"], actor="boss")
    accounts.set_role(account_id=account_id, role="facilitator", actor="boss")
    accounts.assign_workshop(account_id=account_id, workshop_id=ids["workshop_id"], actor="boss")
    assert (accounts.assigned_cohorts(account_id), accounts.assigned_workshops(account_id)) == ([], [ids["workshop_id"]])
    with storage.read() as session:
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "account.role_changed")).one()
        assert event.detail == {"old": "advisor", "new": "facilitator", "assignments_removed": {"cohorts": 1}}


# --- the audit trail --------------------------------------------------------------------


def test_every_account_change_and_sign_in_is_audited(db):
    admin = _create()
    advisor = _create("radgivare@example.se", role="advisor")
    _sign_in()
    with pytest.raises(InvalidCredentials):
        _sign_in("not the password")
    accounts.set_password(account_id=advisor, password="a fresh passphrase", actor=EMAIL)
    accounts.set_active(account_id=advisor, active=False, actor=EMAIL)
    accounts.set_active(account_id=advisor, active=False, actor=EMAIL)  # no change, no event
    accounts.set_active(account_id=advisor, active=True, actor=EMAIL)
    accounts.set_role(account_id=advisor, role="facilitator", actor=EMAIL)
    assert _actions() == [
        "account.created",
        "account.created",
        "login.succeeded",
        "login.failed",
        "account.password_set",
        "account.deactivated",
        "account.activated",
        "account.role_changed",
    ]
    with storage.read() as session:
        created = session.scalars(select(AuditEvent).where(AuditEvent.action == "account.created")).first()
        assert (created.actor, created.object_id, created.detail) == ("setup", str(admin), {"email": EMAIL, "role": "admin"})


def test_single_sign_on_finds_only_an_active_account_and_gives_no_new_one(db):
    from workshop.errors import ExternalIdentityRefused

    anna = _create()
    info = accounts.authenticate_external(email=" ANNA@example.se ", provider="default", email_verified=True)
    assert (info.id, info.role) == (anna, "admin")
    for email, verified in (("okand@example.se", None), ("anna@example.se", False), (None, None), (42, None)):
        with pytest.raises(ExternalIdentityRefused):
            accounts.authenticate_external(email=email, provider="default", email_verified=verified)
    accounts.set_active(account_id=_create("bo@example.se", name="Bo"), active=False, actor="anna")
    with pytest.raises(ExternalIdentityRefused):
        accounts.authenticate_external(email="bo@example.se", provider="default")
    assert len(accounts.list_accounts()) == 2  # signing in made no account
