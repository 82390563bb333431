"""Small builders for tests: real rows through the service layer."""

from __future__ import annotations

import itertools

from workshop import cohorts, content
from workshop.validation import luhn_valid

_serials = itertools.count(100_000)
STAFF_PASSWORD = "korrekt-hast-batteri"
_staff_hash: list[str] = []


def staff_account(*, role: str = "admin", email: str | None = None, name: str | None = None) -> int:
    """An active staff account (password `STAFF_PASSWORD`), or the existing one with that
    e-mail; its id. Inserted directly: one argon2 hash per test run, not per test."""
    from argon2 import PasswordHasher
    from sqlalchemy import select

    from workshop import storage
    from workshop.models import StaffAccount

    if not _staff_hash:
        _staff_hash.append(PasswordHasher().hash(STAFF_PASSWORD))
    email = email or f"{role}@example.se"
    with storage.write() as session:
        found = session.scalar(select(StaffAccount.id).where(StaffAccount.email == email))
        if found is not None:
            return found
        account = StaffAccount(email=email, display_name=name or role.title(), role=role, password_hash=_staff_hash[0], active=True)
        session.add(account)
        session.flush()
        return account.id


def org_number() -> str:
    """A fresh organisation number that passes the checksum."""
    while True:
        base = f"559{next(_serials):06d}"
        for check in range(10):
            digits = base + str(check)
            if luhn_valid(digits):
                return f"{digits[:6]}-{digits[6:]}"


def make_workshop(*, participants: int = 3, use_cases: int = 2, cohort_name: str = "Testkohort") -> dict:
    """A cohort, company and workshop with participants, one process and use cases; their ids."""
    cohort_id = cohorts.create_cohort(name=cohort_name, region="Skåne län")
    company_id = cohorts.create_company(
        cohort_id=cohort_id,
        name="Testbolaget AB",
        org_number=org_number(),
        sni_section="C",
        sni_division="25",
        employees=20,
        turnover_band="10m_50m",
        region="Skåne län",
    )
    workshop_id = cohorts.create_workshop(company_id=company_id, facilitator_name="Anna")
    participant_ids = [
        content.add_participant(workshop_id=workshop_id, name=f"Deltagare {n}") for n in range(participants)
    ]
    process_id = content.add_process(workshop_id=workshop_id, area="production", name="Orderplanering")
    use_case_ids = [
        content.add_use_case(workshop_id=workshop_id, process_id=process_id, title=f"Användningsfall {n}")
        for n in range(use_cases)
    ]
    return {
        "cohort_id": cohort_id,
        "company_id": company_id,
        "workshop_id": workshop_id,
        "participant_ids": participant_ids,
        "process_id": process_id,
        "use_case_ids": use_case_ids,
    }
