"""Cohort dashboard and cohort export times at 100, 1 000 and 5 000 companies, on SQLite and PostgreSQL.

Each size is a synthetic cohort (25 use cases × 11 criteria × 6 voters per company, about
90 % consenting) in a fresh database. Dashboard: the server time of the dashboard page run
through AppTest with its cache cleared (cold), median of the runs; also the figures alone
(load + every aggregate). Export: the pseudonymised cohort workbook. Targets at 1 000
companies: dashboard under 1 s, export under 15 s.

    .venv/bin/python -m bench.cohort [--sizes 100,1000,5000] [--runs 3] [--databases sqlite,postgresql]
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import statistics
import tempfile
import time
from pathlib import Path

import streamlit as st
from sqlalchemy import create_engine, text
from streamlit.testing.v1 import AppTest

from tests.app.conftest import sign_in
from tests.services import start_postgres
from workshop import access, cohort_export, cohort_view, funding, migrate, scoring_models, storage, synthetic
from workshop.config import PROJECT_ROOT

DASHBOARD_TARGET_S = 1.0
EXPORT_TARGET_S = 15.0


def figures() -> None:
    data = cohort_view.load(cohort_view.CohortFilters())
    cohort_view.counts(data)
    for column in cohort_view.DISTRIBUTION_COLUMNS:
        cohort_view.distribution(data, of=column, by="size_class")
    cohort_view.blockers(data)
    cohort_view.funnel(data)
    cohort_view.calibration(data)
    cohort_view.funding_demand(data, funding.list_programmes(), today=dt.date.today())


def page_seconds() -> float:
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=120)
    sign_in(at)  # the page as a signed-in administrator sees it
    at.switch_page("pages/cohort_dashboard.py")
    started = time.perf_counter()
    at.run()
    elapsed = time.perf_counter() - started
    if at.exception:
        raise RuntimeError(at.exception[0].value)
    return elapsed


def timed(action, runs: int) -> float:  # noqa: ANN001
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def run(name: str, url: str, companies: int, runs: int) -> str:
    storage.use_url(url)
    migrate.upgrade()
    scoring_models.install_default_model()
    funding.install_shipped_catalogue()
    started = time.perf_counter()
    result = synthetic.generate_cohort(companies=companies)
    generated = time.perf_counter() - started
    figure_s = timed(figures, runs)
    page_s = []
    for _ in range(runs):
        st.cache_data.clear()  # cold: the page's cached figures would hide the work
        st.cache_resource.clear()
        page_s.append(page_seconds())
    export_s = timed(lambda: cohort_export.cohort_workbook(cohort_view.CohortFilters(), language="sv", pseudonymise=True), max(1, runs - 1))
    page = statistics.median(page_s)
    verdict = ""
    if companies == 1000:
        verdict = "  ok" if page < DASHBOARD_TARGET_S and export_s < EXPORT_TARGET_S else "  OVER TARGET"
    storage.engine().dispose()
    return (f"{name:<11} {companies:>6} {result.votes:>9} {generated:>8.1f} {figure_s:>10.2f} {page:>9.2f} {export_s:>9.2f}{verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,5000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--databases", default="sqlite,postgresql")
    args = parser.parse_args()
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    sizes = [int(size) for size in args.sizes.split(",")]
    wanted = args.databases.split(",")
    print(__doc__.splitlines()[0])
    print(f"{'database':<11} {'companies':>6} {'votes':>9} {'gen s':>8} {'figures s':>10} {'page s':>9} {'export s':>9}")
    with tempfile.TemporaryDirectory() as folder:
        if "sqlite" in wanted:
            for companies in sizes:
                print(run("sqlite", f"sqlite:///{Path(folder) / f'cohort_{companies}.db'}", companies, args.runs), flush=True)
        if "postgresql" in wanted:
            try:
                server = start_postgres()
            except RuntimeError as exc:
                print(f"PostgreSQL skipped: {exc}")
                return
            try:
                admin = create_engine(server.admin_url, isolation_level="AUTOCOMMIT")
                for companies in sizes:
                    with admin.connect() as connection:
                        connection.execute(text(f"CREATE DATABASE cohort_{companies}"))
                    print(run("postgresql", server.url(f"cohort_{companies}"), companies, args.runs), flush=True)
                admin.dispose()
            finally:
                server.stop()


if __name__ == "__main__":
    # Arranging data here is the system's; the pages measured name their own caller.
    with access.acting_as(access.SYSTEM):
        main()
