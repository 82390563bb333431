"""Staff accounts: who may sign in, with which role, and which cohorts and workshops each has.

Passwords are kept only as argon2 hashes. Signing in is slowed down per client and per
e-mail address (`throttle`), so one account cannot be guessed from many addresses; a wrong
address, a wrong password and an inactive account all get the same answer. There is always
at least one active administrator left to manage the rest.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from workshop import access, audit, storage, throttle, validation, vocabulary
from workshop.errors import (
    AccessDenied,
    DuplicateEmail,
    ExternalIdentityRefused,
    InvalidCredentials,
    InvalidEmail,
    LastAdmin,
    NotAFacilitator,
    NotAnAdvisor,
    NotFound,
    TooLong,
    TooManyAttempts,
    WeakPassword,
)
from workshop.models import Cohort, CohortAdvisor, StaffAccount, Workshop, WorkshopFacilitator, as_utc

ROLES = vocabulary.STAFF_ROLES
PASSWORD_SCOPE = "password"
PASSWORD_MIN_LENGTH = 12
# Room for any passphrase, not for making every sign-in attempt hash megabytes.
PASSWORD_MAX_LENGTH = 1024
# The longest address mail can be sent to (RFC 5321), and the column's size.
EMAIL_MAX_LENGTH = 254
# Something, an @, and a domain with at least one dot; the real test is mail arriving.
_EMAIL_PATTERN = re.compile(r"[^@\s]+@[^@\s.]+(?:\.[^@\s.]+)+")
# `throttle.record_failure` keeps this much of a key; `check` must look for the same.
_THROTTLE_KEY_LENGTH = 200

_hasher = PasswordHasher()


@dataclass(frozen=True)
class AccountInfo:
    id: int
    email: str
    display_name: str
    role: str
    active: bool
    last_login_at: dt.datetime | None


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def account_info(account: StaffAccount) -> AccountInfo:
    """The plain row of an account read in the caller's transaction."""
    last = as_utc(account.last_login_at)
    return AccountInfo(account.id, account.email, account.display_name, account.role, account.active, last)


def normalise_email(raw: object) -> str:
    """The address as stored and looked up: no surrounding space, lower case."""
    return str(raw or "").strip().lower()


def _valid_email(raw: object) -> str:
    email = normalise_email(raw)
    if len(email) > EMAIL_MAX_LENGTH or not email.isprintable() or not _EMAIL_PATTERN.fullmatch(email):
        raise InvalidEmail(f"{raw!r} is not an e-mail address like name@example.com.", field="email", value=raw)
    return email


def _password_hash(password: object) -> str:
    """The argon2 hash of an acceptable password; `WeakPassword` or `TooLong` otherwise."""
    if not isinstance(password, str) or len(password) < PASSWORD_MIN_LENGTH or len(set(password)) == 1:
        raise WeakPassword(
            f"The password must have at least {PASSWORD_MIN_LENGTH} characters and not be one character repeated.",
            field="password",
            min_length=PASSWORD_MIN_LENGTH,
        )
    if len(password) > PASSWORD_MAX_LENGTH:
        raise TooLong(
            f"The password is longer than {PASSWORD_MAX_LENGTH} characters.",
            field="password",
            max_length=PASSWORD_MAX_LENGTH,
        )
    return _hasher.hash(password)


@cache
def _decoy_hash() -> str:
    # Verified against when there is no account, so an unknown address takes as long to
    # refuse as a wrong password and cannot be told apart by timing.
    return _hasher.hash("no account has this password")


def _verify(password_hash: str, password: object) -> bool:
    try:
        return _hasher.verify(password_hash, str(password or ""))
    except (VerificationError, InvalidHashError):
        return False


def _account(session: Session, account_id: int, *, lock: bool = False) -> StaffAccount:
    statement = select(StaffAccount).where(StaffAccount.id == account_id)
    if lock:
        statement = statement.with_for_update()
    account = session.scalar(statement)
    if account is None:
        raise NotFound(f"No staff account with id {account_id}.", kind="staff_account", id=account_id)
    return account


def _lock_admins(session: Session) -> list[int]:
    """The active administrators' ids, their rows locked so two admins cannot each remove
    the other at once. Taken first and in id order, before any other account row, so such
    changes queue instead of deadlocking."""
    return list(
        session.scalars(
            select(StaffAccount.id)
            .where(StaffAccount.role == "admin", StaffAccount.active.is_(True))
            .order_by(StaffAccount.id)
            .with_for_update()
        )
    )


def _refuse_last_admin(account: StaffAccount, admins: list[int]) -> None:
    if account.role == "admin" and account.active and admins == [account.id]:
        raise LastAdmin(f"{account.email} is the last active administrator.", field="role")


# --- accounts ---------------------------------------------------------------------------


def create_account(*, email: str, display_name: str, role: str, password: str, actor: str) -> int:
    """Add an active account and return its id; the password is kept only as a hash.

    Example: `create_account(email="anna@example.se", display_name="Anna Berg",
    role="facilitator", password="correct horse battery", actor="admin@example.se")`.
    Raises `InvalidEmail`, `EmptyName`, `UnknownChoice` (role), `WeakPassword`, `TooLong`
    or `DuplicateEmail`; nothing is written then. Only an administrator may — or anyone
    while no account exists (the first administrator, from the first-run screen), else
    `AccessDenied`."""
    caller = access.current()
    if not caller.unrestricted and not none_yet():
        raise AccessDenied("Only an administrator creates accounts once the first one exists.")
    address = _valid_email(email)
    name = validation.name(display_name, field="display_name")
    validation.choice(role, ROLES, field="role")
    password_hash = _password_hash(password)  # slow on purpose: before taking the write lock
    with storage.write() as session:
        if not caller.unrestricted and session.scalar(select(StaffAccount.id).limit(1)) is not None:
            raise AccessDenied("Only an administrator creates accounts once the first one exists.")
        duplicate = DuplicateEmail(f"There is already an account for {address}.", field="email", value=address)
        if session.scalar(select(StaffAccount.id).where(StaffAccount.email == address)) is not None:
            raise duplicate
        account = StaffAccount(email=address, display_name=name, role=role, password_hash=password_hash, active=True)
        session.add(account)
        try:
            session.flush()
        except IntegrityError:  # created by someone else since the check above (PostgreSQL)
            raise duplicate from None
        audit.record(
            session, actor=actor, action="account.created", object_type="staff_account", object_id=account.id,
            email=address, role=role,
        )
        return account.id


def _throttle_keys(client_key: str, email: str) -> tuple[str, str]:
    return f"ip:{client_key}"[:_THROTTLE_KEY_LENGTH], f"email:{email}"[:_THROTTLE_KEY_LENGTH]


def _check_throttle(session: Session, keys: tuple[str, ...], now: dt.datetime) -> None:
    """Raise `TooManyAttempts` with the longest wait that any of `keys` must still sit out."""
    waits = []
    for key in keys:
        try:
            throttle.check(session, scope=PASSWORD_SCOPE, client_key=key, now=now)
        except TooManyAttempts as exc:
            waits.append(exc)
    if waits:
        raise max(waits, key=lambda exc: exc.params["seconds"])


def authenticate(*, email: str, password: str, client_key: str, now: dt.datetime | None = None) -> AccountInfo:
    """The account that `email` and `password` sign in to; records the last login.

    Raises `TooManyAttempts` (before the password is even looked at) while this client or
    this address must wait, and `InvalidCredentials` for an unknown address, a wrong
    password or an inactive account alike. A failure is committed (it counts towards the
    throttle and is audited with the address, never the password) before the error is
    raised. A hash made with weaker settings than today's is replaced on success."""
    now = now or _now()
    address = normalise_email(email)
    keys = _throttle_keys(client_key, address)
    with storage.read() as session:
        _check_throttle(session, keys, now)
        found = session.execute(
            select(StaffAccount.id, StaffAccount.password_hash, StaffAccount.active).where(StaffAccount.email == address)
        ).first()
    # Verified outside any transaction: argon2 is slow on purpose and must not hold the
    # SQLite write lock that phones' votes wait for.
    verified = _verify(found.password_hash if found and found.password_hash else _decoy_hash(), password)
    accepted = bool(found and found.active and found.password_hash and verified)
    new_hash = _hasher.hash(password) if accepted and _hasher.check_needs_rehash(found.password_hash) else None
    info = None
    with storage.write() as session:
        account = (
            session.scalar(select(StaffAccount).where(StaffAccount.id == found.id).with_for_update())
            if accepted
            else None
        )
        # A password changed or an account deactivated meanwhile: what was verified no longer holds.
        if account is not None and account.active and account.password_hash == found.password_hash:
            account.last_login_at = now
            if new_hash:
                account.password_hash = new_hash
            audit.record(
                session, actor=account.email, action="login.succeeded", object_type="staff_account",
                object_id=account.id, rehashed=bool(new_hash),
            )
            info = account_info(account)
        else:
            for key in keys:
                throttle.record_failure(session, scope=PASSWORD_SCOPE, client_key=key, now=now)
            audit.record(
                session, actor=f"client:{client_key}", action="login.failed", object_type="staff_account",
                email=address[:EMAIL_MAX_LENGTH],
            )
    if info is None:
        raise InvalidCredentials("Wrong e-mail address or password.", field="password")
    return info


def authenticate_external(
    *, email: object, provider: str, email_verified: object = None, now: dt.datetime | None = None
) -> AccountInfo:
    """The account that an identity proven by a single sign-on provider (OIDC) signs in to:
    the active account with that e-mail address. The provider proves who it is; which
    role they have here is still the administrators' to give, so nobody gets an account by
    signing in. Records the last login.

    Raises `ExternalIdentityRefused` when the provider says the address is unverified, or
    no active account has it; the refusal is audited."""
    now = now or _now()
    address = normalise_email(email) if isinstance(email, str) else ""
    with storage.write() as session:
        account = (
            session.scalar(select(StaffAccount).where(StaffAccount.email == address).with_for_update())
            if address and email_verified is not False
            else None
        )
        if account is None or not account.active:
            audit.record(
                session, actor=f"sso:{provider}"[:200], action="login.failed", object_type="staff_account",
                email=address[:EMAIL_MAX_LENGTH], method="sso",
                reason="unverified" if email_verified is False else "no_active_account",
            )
            info = None
        else:
            account.last_login_at = now
            audit.record(
                session, actor=account.email, action="login.succeeded", object_type="staff_account",
                object_id=account.id, method="sso", provider=provider,
            )
            info = account_info(account)
    if info is None:
        raise ExternalIdentityRefused(
            f"No active account for {address or 'an identity without an e-mail address'}.", field="email",
            email=address or "–",
        )
    return info


@access.administers
def set_password(*, account_id: int, password: str, actor: str) -> None:
    """Replace an account's password. Raises `WeakPassword`, `TooLong` or `NotFound`."""
    password_hash = _password_hash(password)
    with storage.write() as session:
        account = _account(session, account_id, lock=True)
        account.password_hash = password_hash
        audit.record(session, actor=actor, action="account.password_set", object_type="staff_account", object_id=account_id)


@access.administers
def set_active(*, account_id: int, active: bool, actor: str) -> None:
    """Let an account sign in again, or stop it from signing in (its assignments are kept).

    Raises `LastAdmin` for the last active administrator, `NotFound`."""
    with storage.write() as session:
        admins = _lock_admins(session)
        account = _account(session, account_id, lock=True)
        if account.active == bool(active):
            return
        if not active:
            _refuse_last_admin(account, admins)
        account.active = bool(active)
        audit.record(
            session, actor=actor, action="account.activated" if active else "account.deactivated",
            object_type="staff_account", object_id=account_id,
        )


@access.administers
def set_role(*, account_id: int, role: str, actor: str) -> None:
    """Give an account another role. Assignments the new role cannot hold (cohorts of an
    advisor, workshops of a facilitator) are removed, so no role reads what it may not.

    Raises `UnknownChoice` (role), `LastAdmin` for the last active administrator, `NotFound`."""
    validation.choice(role, ROLES, field="role")
    with storage.write() as session:
        admins = _lock_admins(session)
        account = _account(session, account_id, lock=True)
        if account.role == role:
            return
        _refuse_last_admin(account, admins)
        removed = {}
        if role != "advisor":
            removed["cohorts"] = session.execute(
                delete(CohortAdvisor).where(CohortAdvisor.staff_account_id == account_id)
            ).rowcount
        if role != "facilitator":
            removed["workshops"] = session.execute(
                delete(WorkshopFacilitator).where(WorkshopFacilitator.staff_account_id == account_id)
            ).rowcount
        audit.record(
            session, actor=actor, action="account.role_changed", object_type="staff_account", object_id=account_id,
            old=account.role, new=role, assignments_removed=removed,
        )
        account.role = role


@access.administers
def get_account(account_id: int) -> AccountInfo:
    """One account; `NotFound` if there is none with this id."""
    with storage.read() as session:
        return account_info(_account(session, account_id))


@access.administers
def list_accounts() -> list[AccountInfo]:
    """Every account, active or not, by display name."""
    with storage.read() as session:
        accounts = [account_info(account) for account in session.scalars(select(StaffAccount))]
    return sorted(accounts, key=lambda account: (account.display_name.casefold(), account.id))


def none_yet() -> bool:
    """Whether no account exists yet (the first-run screen may create an administrator)."""
    with storage.read() as session:
        return session.scalar(select(StaffAccount.id).limit(1)) is None


def count_admins() -> int:
    """How many administrators can sign in."""
    with storage.read() as session:
        return len(
            session.scalars(
                select(StaffAccount.id).where(StaffAccount.role == "admin", StaffAccount.active.is_(True))
            ).all()
        )


# --- assignments ------------------------------------------------------------------------


def _insert_new(session: Session, model: type, **values: int) -> bool:
    """Insert the association row unless it exists (atomic on both databases); True if added."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    table = model.__table__
    statement = dialect.insert(table).values(**values).on_conflict_do_nothing().returning(*table.primary_key.columns)
    return session.execute(statement).first() is not None


@access.administers
def assign_cohort(*, account_id: int, cohort_id: int, actor: str) -> None:
    """Let an advisor read a cohort; assigning again changes nothing.

    Raises `NotAnAdvisor` for an account of another role, `NotFound`."""
    with storage.write() as session:
        account = _account(session, account_id, lock=True)  # a role change waits for this
        if account.role != "advisor":
            raise NotAnAdvisor(f"{account.email} is a {account.role}, not an advisor.", field="role")
        if session.get(Cohort, cohort_id) is None:
            raise NotFound(f"No cohort with id {cohort_id}.", kind="cohort", id=cohort_id)
        if _insert_new(session, CohortAdvisor, cohort_id=cohort_id, staff_account_id=account_id):
            audit.record(
                session, actor=actor, action="cohort.advisor_assigned", object_type="cohort", object_id=cohort_id,
                account_id=account_id,
            )


@access.administers
def unassign_cohort(*, account_id: int, cohort_id: int, actor: str) -> None:
    """Stop an advisor reading a cohort; nothing happens if they were not assigned it."""
    with storage.write() as session:
        removed = session.execute(
            delete(CohortAdvisor).where(CohortAdvisor.staff_account_id == account_id, CohortAdvisor.cohort_id == cohort_id)
        ).rowcount
        if removed:
            audit.record(
                session, actor=actor, action="cohort.advisor_unassigned", object_type="cohort", object_id=cohort_id,
                account_id=account_id,
            )


@access.about_own_account
def assigned_cohorts(account_id: int) -> list[int]:
    """The ids of the cohorts an advisor is assigned, ascending."""
    with storage.read() as session:
        return list(
            session.scalars(
                select(CohortAdvisor.cohort_id)
                .where(CohortAdvisor.staff_account_id == account_id)
                .order_by(CohortAdvisor.cohort_id)
            )
        )


@access.administers
def assign_workshop(*, account_id: int, workshop_id: int, actor: str) -> None:
    """Add a facilitator to a workshop besides the one who runs it; assigning again changes
    nothing. Raises `NotAFacilitator` for an account of another role, `NotFound`."""
    with storage.write() as session:
        account = _account(session, account_id, lock=True)  # a role change waits for this
        if account.role != "facilitator":
            raise NotAFacilitator(f"{account.email} is a {account.role}, not a facilitator.", field="role")
        if session.get(Workshop, workshop_id) is None:
            raise NotFound(f"No workshop with id {workshop_id}.", kind="workshop", id=workshop_id)
        if _insert_new(session, WorkshopFacilitator, workshop_id=workshop_id, staff_account_id=account_id):
            audit.record(
                session, actor=actor, action="workshop.facilitator_assigned", object_type="workshop",
                object_id=workshop_id, account_id=account_id,
            )


@access.administers
def unassign_workshop(*, account_id: int, workshop_id: int, actor: str) -> None:
    """Take a facilitator off a workshop they were assigned (not the one who runs it)."""
    with storage.write() as session:
        removed = session.execute(
            delete(WorkshopFacilitator).where(
                WorkshopFacilitator.staff_account_id == account_id, WorkshopFacilitator.workshop_id == workshop_id
            )
        ).rowcount
        if removed:
            audit.record(
                session, actor=actor, action="workshop.facilitator_unassigned", object_type="workshop",
                object_id=workshop_id, account_id=account_id,
            )


@access.about_own_account
def assigned_workshops(account_id: int) -> list[int]:
    """The ids of the workshops an account runs or is assigned to, ascending."""
    with storage.read() as session:
        return sorted(session.scalars(access.facilitator_workshops(account_id)))
