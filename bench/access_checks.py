"""What the access layer costs: one check of a facilitator's and an advisor's right to a
workshop, looked up in the database (cold) and trusted again within GRANT_SECONDS (warm),
on SQLite and PostgreSQL; and how many checks a large wrap-up page makes per run.

    .venv/bin/python -m bench.access_checks [--checks 2000]

Administrators and the system are never looked up (no cost). The figures are per check,
in microseconds; a page run of the large workshop (bench.page_reruns) takes 20–160 ms.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path


from tests.factories import make_workshop, staff_account
from tests.services import benchmark_databases
from workshop import access, accounts, funding, migrate, scoring_models, storage


def _prepare(url: str) -> tuple[int, access.Caller, access.Caller]:
    storage.use_url(url)
    migrate.upgrade()
    scoring_models.install_default_model()
    funding.install_shipped_catalogue()
    access.forget_grants()
    ids = make_workshop(participants=2, use_cases=2)
    facilitator = staff_account(role="facilitator")
    advisor = staff_account(role="advisor")
    accounts.assign_workshop(account_id=facilitator, workshop_id=ids["workshop_id"], actor="bench")
    accounts.assign_cohort(account_id=advisor, cohort_id=ids["cohort_id"], actor="bench")
    return (
        ids["workshop_id"],
        access.Caller("staff", role="facilitator", account_id=facilitator, name="facilitator"),
        access.Caller("staff", role="advisor", account_id=advisor, name="advisor"),
    )


def _per_check_us(caller: access.Caller, workshop_id: int, checks: int, *, cold: bool) -> list[float]:
    timings = []
    with access.acting_as(caller):
        for _ in range(checks):
            if cold:
                access.forget_grants()
            started = time.perf_counter()
            access.check_workshop(workshop_id, write=False)
            timings.append((time.perf_counter() - started) * 1e6)
    return sorted(timings)


def _checks_per_wrap_up_run() -> int:
    """Checks one rerun of the wrap-up step makes for a facilitator (bench.page_reruns' workshop)."""
    from streamlit.testing.v1 import AppTest

    from bench.page_reruns import build_large_workshop
    from tests.app.conftest import sign_in
    from workshop.config import PROJECT_ROOT

    workshop_id = build_large_workshop()
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=60)
    accounts.assign_workshop(account_id=sign_in(at, role="facilitator"), workshop_id=workshop_id, actor="bench")
    at.query_params["workshop"] = str(workshop_id)
    at.switch_page("pages/wrap_up.py")
    at.run()
    counted = [0]
    original = access.check_workshop

    def counting(*args: object, **kwargs: object) -> None:
        counted[0] += 1
        original(*args, **kwargs)

    access.check_workshop = counting
    try:
        at.run()
    finally:
        access.check_workshop = original
    return counted[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checks", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        databases, server = benchmark_databases(Path(folder), "access_bench")
        print(f"{args.checks} checks of read access to one workshop, per check:")
        print(f"{'database':<11} {'caller':<12} {'cold p50 µs':>12} {'cold p95 µs':>12} {'warm p50 µs':>12}")
        try:
            for name, url in databases:
                workshop_id, facilitator, advisor = _prepare(url)
                for caller in (facilitator, advisor):
                    cold = _per_check_us(caller, workshop_id, args.checks, cold=True)
                    warm = _per_check_us(caller, workshop_id, args.checks, cold=False)
                    print(
                        f"{name:<11} {caller.role:<12} {statistics.median(cold):>12.0f} "
                        f"{cold[int(0.95 * (len(cold) - 1))]:>12.0f} {statistics.median(warm):>12.1f}"
                    )
                storage.engine().dispose()
            storage.use_url(databases[0][1])
            print(f"Checks in one rerun of the large wrap-up step (a facilitator): {_checks_per_wrap_up_run()}")
            storage.engine().dispose()
        finally:
            if server is not None:
                server.stop()


if __name__ == "__main__":
    with access.acting_as(access.SYSTEM):
        main()
