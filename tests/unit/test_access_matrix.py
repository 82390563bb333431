"""The access matrix: every caller × every guarded service function × their own and another
workshop, cohort, company and account. Allowed calls reach the function's body; refused
ones raise `AccessDenied` with a message in both languages and change nothing. Listings
hold only what the caller reaches, and ids of another workshop smuggled into a call about
one's own are refused too."""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import pkgutil

import pytest
from sqlalchemy import func, select

import workshop
from tests.factories import make_workshop, staff_account
from workshop import (
    access, accounts, cohort_view, cohorts, content, follow_ups, i18n, library, live_voting, storage, triage, votes,
)
from workshop.editing import TableChanges
from workshop.errors import AccessDenied, DomainError
from workshop.models import Base

# Every module of the service layer is imported, so each guard has registered itself.
for _module in pkgutil.iter_modules(workshop.__path__):
    if not _module.name.startswith("_"):
        importlib.import_module(f"workshop.{_module.name}")

# Public functions that take no guard, and why: they check a code or token themselves, or
# hold no company's data.
UNGUARDED = {
    "workshop.access_codes.open_with": "checks the company's access code itself (throttled)",
    "workshop.access_codes.still_valid": "checks the company's access code itself",
    "workshop.accounts.authenticate": "checks the password itself (throttled)",
    "workshop.accounts.authenticate_external": "the organisation's sign-in (OIDC) has proven the identity",
    "workshop.accounts.create_account": "administrators, or anyone while no account exists (tested below)",
    "workshop.accounts.count_admins": "a number, no data",
    "workshop.cohorts.list_cohorts": "lists only the caller's cohorts (access.listed_cohorts; tested below)",
    "workshop.accounts.none_yet": "whether the first-run screen may show",
    "workshop.live_voting.check_code": "checks the join code itself (throttled)",
    "workshop.live_voting.join": "checks the join code itself (throttled)",
    "workshop.live_voting.ballot": "only the device token's own workshop and votes",
    "workshop.live_voting.ballot_fingerprint": "only the device token's own workshop",
    "workshop.live_voting.cast_vote": "checks the device token, the open use case and the round itself",
    "workshop.staff_sessions.start": "called after a checked sign-in",
    "workshop.staff_sessions.resume": "checks the session token itself",
    "workshop.staff_sessions.end": "ends the session of the token given",
    "workshop.scoring_models.get_model": "the scoring models are shared method, no company's data",
    "workshop.scoring_models.default_model_id": "the default model's id",
    "workshop.funding.list_programmes": "the funding catalogue is public information",
    "workshop.funding.catalogue_rows": "the funding catalogue is public information",
    "workshop.funding.catalogue_frame": "the funding catalogue is public information",
    "workshop.funding.shipped_catalogue": "the shipped catalogue file",
    "workshop.library.sections": "the shipped use-case library",
    "workshop.library.find": "the shipped use-case library",
    "workshop.demo.has_cohorts": "whether any cohort exists (the start command's check)",
    "workshop.data_protection.retention_months": "reads a setting",
    "workshop.template.template_bytes": "an empty template",
    "workshop.storage.table_names": "the schema's table names",
    "workshop.migrate.current_revision": "the schema's revision",
    "workshop.triage.questions": "the shipped rules",
    "workshop.triage.rules": "the shipped rules",
    "workshop.triage.rules_document": "the shipped rules",
    "workshop.maturity.question_keys": "the shipped questions",
}
# Arguments that name whose data a call is about.
SCOPED_ARGUMENTS = {"workshop_id", "cohort_id", "cohort_ids", "company_id", "account_id", "filters"}
# Modules whose every public function reads or changes stored data.
STORED_DATA_MODULES = {
    "access_codes", "accounts", "audit", "backup", "bundle", "cohort_export", "cohort_view", "cohorts", "content",
    "data_protection", "deliverable", "demo", "downloads", "follow_ups", "live_voting", "prioritisation", "synthetic",
    "tables", "triage", "votes",
}
# Pure helpers in those modules: they compute from what they are given.
PURE = {
    "workshop.accounts.account_info", "workshop.accounts.normalise_email", "workshop.audit.record", "workshop.audit.table",
    "workshop.audit.log", "workshop.backup.integrity_problems", "workshop.cohort_export.cohort_tables",
    "workshop.cohort_export.file_name", "workshop.cohorts.company_values", "workshop.content.as_row",
    "workshop.content.process_values", "workshop.content.use_case_values", "workshop.content.action_item_values",
    "workshop.content.participant_values", "workshop.access_codes.format_code", "workshop.live_voting.format_code",
    "workshop.live_voting.join_url", "workshop.live_voting.qr_png", "workshop.triage.evaluate", "workshop.triage.flag_lines",
    "workshop.triage.check_selectable", "workshop.votes.upsert", "workshop.votes.upsert_from_select",
    "workshop.votes.scoring_progress", "workshop.prioritisation.matrix_texts", "workshop.synthetic.organisation_number",
    "workshop.synthetic.synthetic_model",
    *(f"workshop.cohort_view.{name}" for name in (
        "counts", "distribution", "blockers", "latest_follow_ups", "funnel", "calibration", "criterion_names",
        "score_distribution", "funding_pointers", "funding_demand",
    )),
}


def _public_functions():
    for module_info in pkgutil.iter_modules(workshop.__path__):
        if module_info.name.startswith("_") or module_info.name == "access":  # the guards themselves
            continue
        module = importlib.import_module(f"workshop.{module_info.name}")
        for name, function in vars(module).items():
            if name.startswith("_") or not inspect.isfunction(function):
                continue
            qualified = f"{getattr(function, '__module__', '')}.{function.__qualname__}"
            if qualified.startswith(f"workshop.{module_info.name}."):
                yield module_info.name, qualified, function


def test_every_service_function_about_stored_data_is_guarded_or_says_why_not():
    missing = []
    for module, qualified, function in _public_functions():
        parameters = set(inspect.signature(inspect.unwrap(function)).parameters)
        about_data = bool(parameters & SCOPED_ARGUMENTS) or module in STORED_DATA_MODULES
        if about_data and qualified not in access.GUARDED and qualified not in UNGUARDED and qualified not in PURE:
            missing.append(qualified)
    assert missing == [], missing
    assert len(access.GUARDED) >= 100


# --- the world: two cohorts, each with a company, a workshop and its people -----------------


@pytest.fixture
def world(db):
    own = make_workshop(cohort_name="Egen kohort")
    other = make_workshop(cohort_name="Annan kohort")
    facilitator = staff_account(role="facilitator", email="fia@example.se")
    other_facilitator = staff_account(role="facilitator", email="gustav@example.se")
    advisor = staff_account(role="advisor", email="vera@example.se")
    admin = staff_account(role="admin", email="admin@example.se")
    accounts.assign_workshop(account_id=facilitator, workshop_id=own["workshop_id"], actor="test")
    accounts.assign_workshop(account_id=other_facilitator, workshop_id=other["workshop_id"], actor="test")
    accounts.assign_cohort(account_id=advisor, cohort_id=own["cohort_id"], actor="test")
    for ids in (own, other):
        content.set_selected(workshop_id=ids["workshop_id"], use_case_id=ids["use_case_ids"][0], selected=True)
        follow_ups.record_follow_up(company_id=ids["company_id"], use_case_id=ids["use_case_ids"][0], status="contacted")
    callers = {
        "admin": access.Caller("staff", role="admin", account_id=admin, name="admin@example.se"),
        "facilitator": access.Caller("staff", role="facilitator", account_id=facilitator, name="fia@example.se"),
        "advisor": access.Caller("staff", role="advisor", account_id=advisor, name="vera@example.se"),
        "company_code": access.Caller("company", workshop_id=own["workshop_id"], name="access-code"),
        "participant": access.Caller("participant", name="participant"),
        "nobody": access.NOBODY,
    }
    return {"own": own, "other": other, "callers": callers, "admin": admin}


# What each caller may do, written out from the roles as the issue states them.
def expected(caller: str, guard: access.Guard, target: str) -> bool:
    if caller == "admin":
        return True
    scope, write = guard.scope, guard.write
    if caller == "facilitator":
        return (
            (scope == "workshop" and target == "own")
            or (scope == "cohort" and (write or guard.listing))
            or (scope == "company" and target == "own" and not _follow_up(guard))
            or (scope == "account" and target == "own")
        )
    if caller == "advisor":
        return (
            (scope == "workshop" and target == "own" and not write)
            or (scope == "cohort" and target == "own" and not write)
            or (scope == "company" and target == "own" and (not write or _follow_up(guard)))
            or (scope == "account" and target == "own")
        )
    if caller == "company_code":
        # Its workshop's results, and its own company's profile that they show.
        return target == "own" and not write and (scope == "workshop" or (scope == "company" and not _follow_up(guard)))
    return False


def _follow_up(guard: access.Guard) -> bool:
    return guard.follow_up


def _target_value(guard: access.Guard, target: str, world: dict, caller: access.Caller):  # noqa: ANN202
    ids = world[target]
    if guard.scope == "workshop":
        return ids["workshop_id"]
    if guard.scope == "company":
        return ids["company_id"]
    if guard.scope == "account":
        return caller.account_id if target == "own" and caller.account_id else world["admin"] + 1000
    if guard.argument == "filters":
        return cohort_view.CohortFilters(cohort_ids=(ids["cohort_id"],))
    if guard.argument == "cohort_ids":
        return (ids["cohort_id"],)
    return ids["cohort_id"]


def _resolve(qualified: str):  # noqa: ANN202
    module, name = qualified.rsplit(".", 1)
    return getattr(importlib.import_module(module), name)


def _stored_rows() -> dict[str, int]:
    with storage.read() as session:
        return {
            table.name: session.scalar(select(func.count()).select_from(table))
            for table in Base.metadata.sorted_tables
            if table.name not in ("staff_session",)
        }


def test_the_matrix_of_callers_functions_and_targets(world):
    assert access.GUARDED["workshop.follow_ups.record_follow_up"].follow_up
    before = _stored_rows()
    outcomes = {"allowed": 0, "refused": 0}
    wrong = []
    for qualified, guard in sorted(access.GUARDED.items()):
        function = _resolve(qualified)
        reached: list[object] = []
        for caller_name, caller in world["callers"].items():
            for target in ("own", "other") if guard.scope != "admin" else ("own",):
                value = _target_value(guard, target, world, caller) if guard.argument else None
                kwargs = {guard.argument: value} if guard.argument else {}
                allowed = expected(caller_name, guard, target)
                reached.clear()
                with pytest.MonkeyPatch.context() as patch, access.acting_as(caller):
                    if allowed:
                        # The body is replaced by a recorder: reaching it is what "allowed" means.
                        patch.setattr(function, "__wrapped__", lambda *a, **k: reached.append(k))
                    try:
                        function(**kwargs)
                    except AccessDenied as refusal:
                        outcome = "refused"
                        assert i18n.error_message(refusal, "sv") != i18n.error_message(refusal, "en")
                        assert "behörighet" in i18n.error_message(refusal, "sv")
                    except (DomainError, TypeError) as error:  # the real body ran and objected
                        outcome = "allowed" if allowed else f"body ran: {error!r}"
                    else:
                        outcome = "allowed"
                if allowed and not reached and outcome == "allowed":
                    outcome = "body not reached"
                if outcome != ("allowed" if allowed else "refused"):
                    wrong.append((qualified, caller_name, target, outcome))
                else:
                    outcomes[outcome] += 1
    assert wrong == []
    assert _stored_rows() == before  # the refused calls ran for real and wrote nothing
    # Every function, six callers, own and other target (administration: one).
    combinations = sum(len(world["callers"]) * (1 if guard.scope == "admin" else 2) for guard in access.GUARDED.values())
    assert outcomes["allowed"] + outcomes["refused"] == combinations
    print(f"access matrix: {len(access.GUARDED)} functions, {outcomes['allowed']} allowed, {outcomes['refused']} refused")


# --- listings -------------------------------------------------------------------------------


def test_listings_hold_only_what_the_caller_reaches(world):
    own, other, callers = world["own"], world["other"], world["callers"]
    with access.acting_as(callers["admin"]):
        assert {row.id for row in cohorts.list_cohorts()} == {own["cohort_id"], other["cohort_id"]}
    with access.acting_as(callers["advisor"]):
        assert [row.id for row in cohorts.list_cohorts()] == [own["cohort_id"]]
        assert [row.id for row in cohorts.list_companies(cohort_id=own["cohort_id"])] == [own["company_id"]]
        with pytest.raises(AccessDenied):
            cohorts.list_companies(cohort_id=other["cohort_id"])
        with pytest.raises(AccessDenied):
            cohort_view.load(cohort_view.CohortFilters())  # "every cohort" is the administrators'
        assert set(cohort_view.load(cohort_view.CohortFilters(cohort_ids=(own["cohort_id"],))).companies["id"]) <= {own["company_id"]}
    with access.acting_as(callers["facilitator"]):
        # Every cohort's name (to register a company in it), but only their own companies.
        assert len(cohorts.list_cohorts()) == 2
        assert [row.id for row in cohorts.list_companies(cohort_id=own["cohort_id"])] == [own["company_id"]]
        assert cohorts.list_companies(cohort_id=other["cohort_id"]) == []
        assert [row.id for row in cohorts.list_workshops(cohort_id=own["cohort_id"])] == [own["workshop_id"]]
        assert cohorts.list_workshops(cohort_id=other["cohort_id"]) == []
    for name in ("company_code", "participant", "nobody"):
        with access.acting_as(callers[name]), pytest.raises(AccessDenied):
            cohorts.list_cohorts()


def test_a_facilitator_reaches_the_company_they_register_and_runs_the_workshop_they_create(world):
    facilitator = world["callers"]["facilitator"]
    with access.acting_as(facilitator):
        company_id = cohorts.create_company(cohort_id=world["other"]["cohort_id"], name="Nytt AB", org_number="556677-8899")
        assert cohorts.get_company(company_id=company_id).name == "Nytt AB"
        workshop_id = cohorts.create_workshop(company_id=company_id)
        assert cohorts.get_workshop(workshop_id=workshop_id).company_name == "Nytt AB"
        # The cohort's other company stays out of reach.
        assert [row.id for row in cohorts.list_companies(cohort_id=world["other"]["cohort_id"])] == [company_id]
        with pytest.raises(AccessDenied):
            cohorts.create_workshop(company_id=world["other"]["company_id"])
    with access.acting_as(world["callers"]["advisor"]), pytest.raises(AccessDenied):
        cohorts.create_company(cohort_id=world["own"]["cohort_id"], name="Rådgivarens AB", org_number="556677-8899")


def test_accounts_are_created_by_administrators_or_on_first_run_only(db):
    with access.acting_as(access.NOBODY):
        first = accounts.create_account(
            email="forsta@example.se", display_name="Första", role="admin", password="korrekt-hast-batteri", actor="first-run"
        )
        with pytest.raises(AccessDenied):
            accounts.create_account(
                email="andra@example.se", display_name="Andra", role="admin", password="korrekt-hast-batteri", actor="x"
            )
    facilitator = staff_account(role="facilitator")
    with access.acting_as(access.Caller("staff", role="facilitator", account_id=facilitator)), pytest.raises(AccessDenied):
        accounts.create_account(email="tredje@example.se", display_name="T", role="admin", password="korrekt-hast-batteri", actor="x")
    with access.acting_as(access.Caller("staff", role="admin", account_id=first)):
        accounts.create_account(email="fjarde@example.se", display_name="F", role="advisor", password="korrekt-hast-batteri", actor="x")
    assert len(accounts.list_accounts()) == 3


# --- ids of another workshop inside a call about one's own ----------------------------------


def test_ids_of_another_workshop_are_refused_in_calls_about_ones_own(world):
    own, other = world["own"], world["other"]
    workshop_id, foreign_use_case, foreign_process = own["workshop_id"], other["use_case_ids"][0], other["process_id"]
    calls = {
        "set_selected": lambda: content.set_selected(workshop_id=workshop_id, use_case_id=foreign_use_case, selected=False),
        "set_action_item": lambda: content.set_action_item(workshop_id=workshop_id, use_case_id=foreign_use_case, owner="X"),
        "set_estimate_assumptions": lambda: content.set_estimate_assumptions(
            workshop_id=workshop_id, use_case_id=foreign_use_case, weeks_per_year=40
        ),
        "estimate_assumptions": lambda: content.estimate_assumptions(workshop_id=workshop_id, use_case_id=foreign_use_case),
        "add_use_case": lambda: content.add_use_case(workshop_id=workshop_id, process_id=foreign_process, title="Smuggel"),
        "triage.set_answer": lambda: triage.set_answer(
            workshop_id=workshop_id, use_case_id=foreign_use_case, question=triage.questions()[0].key, answer=True
        ),
        "triage.set_override": lambda: triage.set_override(workshop_id=workshop_id, use_case_id=foreign_use_case, reason="x", by="x"),
        "set_consensus": lambda: votes.set_consensus(
            workshop_id=workshop_id, use_case_id=foreign_use_case, criterion_key="business_value", score=5, set_by="x"
        ),
        "record_vote": lambda: votes.record_vote(
            workshop_id=workshop_id, participant_id=other["participant_ids"][0], use_case_id=own["use_case_ids"][0],
            criterion_key="business_value", score=5,
        ),
        "open_use_cases": lambda: live_voting.open_use_cases(workshop_id=workshop_id, use_case_ids=[foreign_use_case], actor="x"),
        "revote": lambda: live_voting.revote(workshop_id=workshop_id, use_case_id=foreign_use_case, actor="x"),
        "reveal_summary": lambda: live_voting.reveal_summary(workshop_id=workshop_id, use_case_id=foreign_use_case),
        "library.copy_to_workshop": lambda: library.copy_to_workshop(
            workshop_id=workshop_id, key=library.find()[0].key, language="sv", process_id=foreign_process
        ),
        "apply_use_case_changes": lambda: content.apply_use_case_changes(
            workshop_id=workshop_id, changes=TableChanges(updated={foreign_use_case: (1, {"title": "Kapad"})})
        ),
    }
    advisor_calls = {
        "record_follow_up": lambda: follow_ups.record_follow_up(
            company_id=own["company_id"], use_case_id=foreign_use_case, status="contacted", today=dt.date.today()
        ),
    }
    with access.acting_as(world["callers"]["facilitator"]):
        live_voting.start_voting(workshop_id=workshop_id, actor="fia@example.se")
    before = _stored_rows()
    accepted = []
    for caller, smuggling in (("facilitator", calls), ("advisor", advisor_calls)):
        with access.acting_as(world["callers"][caller]):
            for name, call in smuggling.items():
                try:
                    call()
                except DomainError:
                    continue
                accepted.append(name)
    assert accepted == []
    assert _stored_rows() == before
    with access.acting_as(world["callers"]["admin"]):
        assert content.list_use_cases(workshop_id=other["workshop_id"])[0].title == "Användningsfall 0"


def test_a_withdrawn_assignment_takes_effect_within_the_grant_time(world, monkeypatch):
    facilitator, own = world["callers"]["facilitator"], world["own"]
    with access.acting_as(facilitator):
        assert content.list_processes(workshop_id=own["workshop_id"])
    accounts.unassign_workshop(account_id=facilitator.account_id, workshop_id=own["workshop_id"], actor="test")
    started = access.time.monotonic()
    with access.acting_as(facilitator):
        if access.time.monotonic() - started < access.GRANT_SECONDS / 2:
            content.list_processes(workshop_id=own["workshop_id"])  # the grant of a moment ago still holds
        monkeypatch.setattr(access.time, "monotonic", lambda: started + access.GRANT_SECONDS + 0.1)
        with pytest.raises(AccessDenied):
            content.list_processes(workshop_id=own["workshop_id"])
