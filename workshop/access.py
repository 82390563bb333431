"""Who is calling the services, and what they may read and change — decided here only.

Every service function that reads or writes a workshop's, a cohort's or a company's data,
or administers accounts, the audit log or the catalogues, carries one of the guards below
and refuses with `AccessDenied` before it touches anything:

- administrators and the system (command line, migrations, tests) may do everything;
- a facilitator reads and edits the workshops they run or are assigned, the companies of
  those workshops and those they registered, and may register companies and workshops;
- an advisor reads the cohorts they are assigned (their companies and workshops) and
  records follow-ups there;
- a company's access code reads its one workshop's results (and its own company's profile,
  which they show), nothing else; phones reach only the voting functions, which check
  their own device token.

The app names the caller of each run (`serve`): from then on a thread without a caller
acts as nobody, so a forgotten caller means a refusal, never data. `GUARDED` lists every
guarded function and its kind, for the access matrix test.
"""

from __future__ import annotations

import contextlib
import functools
import time
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Literal, ParamSpec, TypeVar

from sqlalchemy import exists, or_, select

from workshop import storage
from workshop.errors import AccessDenied
from workshop.models import CohortAdvisor, Company, Workshop, WorkshopFacilitator

P = ParamSpec("P")
R = TypeVar("R")

Kind = Literal["system", "staff", "company", "participant", "nobody"]
Scope = Literal["workshop", "cohort", "company", "account", "admin"]


@dataclass(frozen=True)
class Caller:
    kind: Kind
    role: str | None = None
    account_id: int | None = None
    # The one workshop a company's access code opens.
    workshop_id: int | None = None
    # How the audit log names this caller (a staff member's e-mail).
    name: str = ""

    @property
    def unrestricted(self) -> bool:
        return self.kind == "system" or (self.kind == "staff" and self.role == "admin")

    def is_staff(self, role: str) -> bool:
        return self.kind == "staff" and self.role == role


SYSTEM = Caller("system", name="system")
NOBODY = Caller("nobody", name="nobody")

_caller: ContextVar[Caller | None] = ContextVar("caller", default=None)
_provider: Callable[[], Caller] | None = None


@dataclass(frozen=True)
class Guard:
    scope: Scope
    write: bool
    argument: str | None
    # A listing a facilitator may ask of any cohort: it then holds only what they reach.
    listing: bool = False
    # About a company's follow-ups (the advisors') rather than its profile.
    follow_up: bool = False


# Every guarded function by its qualified name, for the access matrix test.
GUARDED: dict[str, Guard] = {}


def serve(provider: Callable[[], Caller]) -> None:
    """From now on a call without an explicit caller (`acting_as`) asks `provider` whose
    run it is; the app's provider answers `NOBODY` for anything it cannot tell."""
    global _provider
    _provider = provider


def current() -> Caller:
    explicit = _caller.get()
    if explicit is not None:
        return explicit
    return _provider() if _provider is not None else SYSTEM


@contextlib.contextmanager
def acting_as(caller: Caller) -> Iterator[Caller]:
    token = _caller.set(caller)
    try:
        yield caller
    finally:
        _caller.reset(token)


def _refuse(caller: Caller, what: str, ident: object) -> AccessDenied:
    who = " ".join(str(part) for part in (caller.kind, caller.role, caller.account_id) if part)
    return AccessDenied(f"Refused: {who} has no access to {what} {ident}.".replace("  ", " ").replace(" .", "."))


# A granted check is trusted this long for the same caller and object: a page's run makes
# a dozen or more calls about one workshop (bench.access_checks). A withdrawn assignment
# takes effect within it.
GRANT_SECONDS = 2.0
_GRANTS_KEPT = 10_000
_grants: dict[tuple, float] = {}


def _granted(key: tuple) -> bool:
    moment = _grants.get(key)
    return moment is not None and time.monotonic() - moment < GRANT_SECONDS


def _grant(key: tuple) -> None:
    if len(_grants) > _GRANTS_KEPT:
        _grants.clear()
    _grants[key] = time.monotonic()


def forget_grants() -> None:
    """Check everything afresh from now on (after switching databases, as tests do)."""
    _grants.clear()


def _runs_workshop(session, account_id: int, workshop_id: int) -> bool:  # noqa: ANN001
    return bool(
        session.scalar(select(exists().where(Workshop.id == workshop_id, Workshop.id.in_(facilitator_workshops(account_id)))))
    )


def _advises_cohort_of_workshop(session, account_id: int, workshop_id: int) -> bool:  # noqa: ANN001
    return bool(
        session.scalar(
            select(
                exists()
                .where(Workshop.id == workshop_id, Company.id == Workshop.company_id)
                .where(CohortAdvisor.cohort_id == Company.cohort_id, CohortAdvisor.staff_account_id == account_id)
            )
        )
    )


def facilitator_companies(account_id: int):  # noqa: ANN201
    """The ids of the companies a facilitator reaches, as a subquery: registered by them or
    with a workshop they run or are assigned."""
    assigned = select(WorkshopFacilitator.workshop_id).where(WorkshopFacilitator.staff_account_id == account_id)
    return select(Company.id).where(
        or_(
            Company.created_by_id == account_id,
            Company.id.in_(
                select(Workshop.company_id).where(or_(Workshop.facilitator_id == account_id, Workshop.id.in_(assigned)))
            ),
        )
    )


def facilitator_workshops(account_id: int):  # noqa: ANN201
    """The ids of the workshops a facilitator runs or is assigned, as a subquery."""
    assigned = select(WorkshopFacilitator.workshop_id).where(WorkshopFacilitator.staff_account_id == account_id)
    return select(Workshop.id).where(or_(Workshop.facilitator_id == account_id, Workshop.id.in_(assigned)))


def facilitator_scope() -> int | None:
    """The account id whose reach a listing must keep to when the caller is a facilitator."""
    caller = current()
    return caller.account_id if caller.is_staff("facilitator") else None


def listed_cohorts() -> list[int] | None:
    """The cohorts the caller sees listed: None for every one (administrators, and
    facilitators, who register companies in any), an advisor's own; refuses anyone else."""
    caller = current()
    if caller.unrestricted or caller.is_staff("facilitator"):
        return None
    if caller.is_staff("advisor") and caller.account_id is not None:
        return advised_cohorts(caller.account_id)
    raise _refuse(caller, "cohorts", "")


def advised_cohorts(account_id: int) -> list[int]:
    with storage.read() as session:
        return sorted(
            session.scalars(select(CohortAdvisor.cohort_id).where(CohortAdvisor.staff_account_id == account_id))
        )


def check_workshop(workshop_id: object, *, write: bool) -> None:
    caller = current()
    if caller.unrestricted:
        return
    if caller.kind == "company" and not write and caller.workshop_id == workshop_id:
        return
    if caller.kind == "staff" and caller.account_id is not None and isinstance(workshop_id, int):
        key = (caller, "workshop", workshop_id, write)
        if _granted(key):
            return
        with storage.read() as session:
            if (caller.role == "facilitator" and _runs_workshop(session, caller.account_id, workshop_id)) or (
                caller.role == "advisor" and not write and _advises_cohort_of_workshop(session, caller.account_id, workshop_id)
            ):
                _grant(key)
                return
    raise _refuse(caller, "workshop", workshop_id)


def check_cohorts(cohort_ids: object, *, write: bool) -> None:
    """`cohort_ids` one id or several; None or empty means every cohort (administrators)."""
    caller = current()
    if caller.unrestricted:
        return
    ids = (cohort_ids,) if isinstance(cohort_ids, int) else tuple(cohort_ids or ())
    if ids and all(isinstance(i, int) for i in ids) and caller.kind == "staff" and caller.account_id is not None:
        if caller.role == "advisor" and not write and set(ids) <= set(advised_cohorts(caller.account_id)):
            return
        # A facilitator registers companies and workshops in any cohort, but reads none whole.
        if caller.role == "facilitator" and write:
            return
    raise _refuse(caller, "cohort", cohort_ids)


def check_company(company_id: object, *, write: bool, follow_up: bool = False) -> None:
    """A company's profile (facilitators of it; advisors read it; its own access code reads
    it, for its deliverables) — or, with `follow_up`, its follow-ups (advisors of its cohort
    write them)."""
    caller = current()
    if caller.unrestricted:
        return
    if caller.kind == "company" and not write and not follow_up and isinstance(company_id, int):
        with storage.read() as session:
            if session.scalar(select(exists().where(Workshop.id == caller.workshop_id, Workshop.company_id == company_id))):
                return
    if caller.kind == "staff" and caller.account_id is not None and isinstance(company_id, int):
        with storage.read() as session:
            if caller.role == "facilitator" and not follow_up:
                if session.scalar(select(exists().where(Company.id == company_id, Company.id.in_(facilitator_companies(caller.account_id))))):
                    return
            if caller.role == "advisor" and (follow_up or not write):
                if session.scalar(
                    select(
                        exists().where(
                            Company.id == company_id, CohortAdvisor.cohort_id == Company.cohort_id,
                            CohortAdvisor.staff_account_id == caller.account_id,
                        )
                    )
                ):
                    return
    raise _refuse(caller, "company", company_id)


def check_account(account_id: object) -> None:
    """An account's own assignments: itself or an administrator."""
    caller = current()
    if not caller.unrestricted and not (caller.kind == "staff" and caller.account_id == account_id):
        raise _refuse(caller, "account", account_id)


def check_admin() -> None:
    caller = current()
    if not caller.unrestricted:
        raise _refuse(caller, "administration", "")


def _guard(scope: Scope, *, write: bool, argument: str | None, **options: bool) -> Callable[[Callable[P, R]], Callable[[P], R]]:
    def decorate(function: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(function)
        def guarded(*args: P.args, **kwargs: P.kwargs) -> R:
            value = kwargs.get(argument) if argument else None
            if argument and argument not in kwargs and args:
                value = args[0]
            if options.get("filters"):
                value = getattr(value, "cohort_ids", ())
            if scope == "workshop":
                check_workshop(value, write=write)
            elif scope == "cohort" and options.get("listing") and current().is_staff("facilitator"):
                pass
            elif scope == "cohort":
                check_cohorts(value, write=write)
            elif scope == "company":
                check_company(value, write=write, follow_up=options.get("follow_up", False))
            elif scope == "account":
                check_account(value)
            else:
                check_admin()
            # Through the attribute, so the access matrix test can see the body reached.
            return guarded.__wrapped__(*args, **kwargs)

        GUARDED[f"{function.__module__}.{function.__qualname__}"] = Guard(
            scope, write, argument, listing=bool(options.get("listing")), follow_up=bool(options.get("follow_up"))
        )
        return guarded

    return decorate


def reads_workshop(function: Callable[P, R]) -> Callable[P, R]:
    """Guard: the caller may read the workshop named by the `workshop_id` argument."""
    return _guard("workshop", write=False, argument="workshop_id")(function)


def writes_workshop(function: Callable[P, R]) -> Callable[P, R]:
    """Guard: the caller may change the workshop named by `workshop_id`."""
    return _guard("workshop", write=True, argument="workshop_id")(function)


def reads_cohort(function: Callable[P, R]) -> Callable[P, R]:
    """Guard: the caller may read the cohort named by `cohort_id`."""
    return _guard("cohort", write=False, argument="cohort_id")(function)


def writes_cohort(function: Callable[P, R]) -> Callable[P, R]:
    """Guard: the caller may add companies and workshops to the cohort named by `cohort_id`."""
    return _guard("cohort", write=True, argument="cohort_id")(function)


def reads_cohorts(function: Callable[P, R]) -> Callable[P, R]:
    """Guard: the caller may read every cohort of `cohort_ids` (None: all, administrators)."""
    return _guard("cohort", write=False, argument="cohort_ids")(function)


def lists_cohort(function: Callable[P, R]) -> Callable[P, R]:
    """Guard: an advisor of the cohort named by `cohort_id` or an administrator gets the whole
    listing; a facilitator is let through to a listing that must keep to `facilitator_scope`."""
    return _guard("cohort", write=False, argument="cohort_id", listing=True)(function)


def reads_cohort_filters(function: Callable[P, R]) -> Callable[P, R]:
    """Guard: the caller may read every cohort of the `filters` argument (`cohort_ids`;
    none means all, which only administrators may)."""
    return _guard("cohort", write=False, argument="filters", filters=True)(function)


def reads_company(function: Callable[P, R]) -> Callable[P, R]:
    return _guard("company", write=False, argument="company_id")(function)


def writes_company(function: Callable[P, R]) -> Callable[P, R]:
    return _guard("company", write=True, argument="company_id")(function)


def reads_follow_ups(function: Callable[P, R]) -> Callable[P, R]:
    return _guard("company", write=False, argument="company_id", follow_up=True)(function)


def writes_follow_ups(function: Callable[P, R]) -> Callable[P, R]:
    return _guard("company", write=True, argument="company_id", follow_up=True)(function)


def about_own_account(function: Callable[P, R]) -> Callable[P, R]:
    """Guard: `account_id` is the caller's own account, or the caller administers."""
    return _guard("account", write=False, argument="account_id")(function)


def administers(function: Callable[P, R]) -> Callable[P, R]:
    """Guard: administrators (and the system) only."""
    return _guard("admin", write=True, argument=None)(function)


def actor() -> str:
    """How the audit log names the caller."""
    return current().name or current().kind
