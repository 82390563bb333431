"""Server-side rerun time of every workshop step for a large workshop.

    .venv/bin/python -m bench.page_reruns [--runs 15] [--role facilitator]

The workshop has 30 processes, 80 use cases, a scoring model of 11 criteria and 8 voters
who scored everything (7 040 votes). Each page is run through Streamlit's AppTest, which
executes the page script in this process exactly as the server does; the first run is
discarded (imports, caches) and the median and p95 of the rest are printed. Target: a
median under 150 ms per page. By default an administrator signs in; `--role facilitator`
signs in a facilitator assigned to the workshop, whose every service call the access layer
checks against the database (an administrator's are not looked up).
"""

from __future__ import annotations

import argparse
import copy
import random
import statistics
import tempfile
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.app.conftest import sign_in
from tests.factories import org_number
from workshop import access, accounts, cohorts, content, funding, migrate, scoring_models, storage
from workshop.config import PROJECT_ROOT
from workshop.editing import TableChanges
from workshop.models import Vote
from workshop.vocabulary import AI_CAPABILITIES, COST_BANDS, PROCESS_AREAS, WORKSHOP_STEPS

PROCESSES = 30
USE_CASES = 80
VOTERS = 8
EXTRA_CRITERIA = ("gender_equality", "time_to_value")
TARGET_MEDIAN_MS = 150


def eleven_criterion_model() -> int:
    """The default model plus two criteria, as a separate model of 11 criteria."""
    document = copy.deepcopy(scoring_models.load_model_document())
    document["name"] = "bench-11"
    template = document["criteria"][0]
    for key in EXTRA_CRITERIA:
        extra = copy.deepcopy(template)
        extra["key"] = key
        extra["name"] = {"sv": key, "en": key}
        document["criteria"].append(extra)
    return scoring_models.install_model(document)


def build_large_workshop() -> int:
    rng = random.Random(7)
    model_id = eleven_criterion_model()
    cohort_id = cohorts.create_cohort(name="Bench")
    company_id = cohorts.create_company(cohort_id=cohort_id, name="Stora Workshopbolaget AB", org_number=org_number(), employees=120)
    workshop_id = cohorts.create_workshop(company_id=company_id, facilitator_name="Bench", scoring_model_id=model_id)
    for n in range(VOTERS):
        content.add_participant(workshop_id=workshop_id, name=f"Deltagare {n + 1}")
    content.apply_process_changes(
        workshop_id=workshop_id,
        changes=TableChanges(added=[
            (n, {"area": PROCESS_AREAS[n % len(PROCESS_AREAS)], "name": f"Process {n + 1}", "hours_per_week": rng.randint(2, 60),
                 "people_involved": rng.randint(1, 8), "data_availability": "structured", "system": "Affärssystem"})
            for n in range(PROCESSES)
        ]),
    )
    process_ids = [p.id for p in content.list_processes(workshop_id=workshop_id)]
    content.apply_use_case_changes(
        workshop_id=workshop_id,
        changes=TableChanges(added=[
            (n, {"title": f"Användningsfall {n + 1}", "process_id": process_ids[n % PROCESSES],
                 "ai_capability": AI_CAPABILITIES[n % len(AI_CAPABILITIES)], "cost_band": COST_BANDS[n % len(COST_BANDS)],
                 "description": "En beskrivning av idén i ett par meningar."})
            for n in range(USE_CASES)
        ]),
    )
    use_case_ids = [u.id for u in content.list_use_cases(workshop_id=workshop_id)]
    model = scoring_models.get_model(model_id)
    participants = [p.id for p in content.list_participants(workshop_id=workshop_id)]
    with storage.write() as session:
        session.add_all(
            Vote(workshop_id=workshop_id, participant_id=p, use_case_id=u, criterion_id=c.id, score=rng.randint(1, 5))
            for u in use_case_ids for c in model.criteria for p in participants
        )
    content.set_selection(workshop_id=workshop_id, selected={u: True for u in use_case_ids[:5]})
    for use_case_id in use_case_ids[:5]:
        content.set_action_item(workshop_id=workshop_id, use_case_id=use_case_id, next_step="Förstudie", owner="Karin", horizon_days=90)
    return workshop_id


def large_workshop_database(folder: str) -> int:
    """A fresh SQLite database in `folder` holding the large workshop; its id."""
    storage.use_url(f"sqlite:///{Path(folder) / 'bench.db'}")
    migrate.upgrade()
    scoring_models.install_default_model()
    funding.install_shipped_catalogue()
    return build_large_workshop()


def time_page(page: str, workshop_id: int, runs: int, role: str = "admin") -> list[float]:
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=60)
    account_id = sign_in(at, role=role)  # the pages as this signed-in role sees them
    if role == "facilitator":
        accounts.assign_workshop(account_id=account_id, workshop_id=workshop_id, actor="bench")
    at.query_params["workshop"] = str(workshop_id)
    at.switch_page(f"pages/{page}.py")
    at.run()
    if at.exception:
        raise RuntimeError(f"{page}: {at.exception[0].value}")
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        at.run()
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--pages", default=",".join(WORKSHOP_STEPS), help="comma-separated steps to time")
    parser.add_argument("--role", default="admin", choices=("admin", "facilitator"), help="who signs in")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        workshop_id = large_workshop_database(folder)
        print(f"Large workshop: {PROCESSES} processes, {USE_CASES} use cases, 11 criteria, {VOTERS} voters; {args.runs} reruns per page, signed in as {args.role}")
        print(f"{'page':<16} {'median ms':>10} {'p95 ms':>8}  target < {TARGET_MEDIAN_MS} ms")
        for page in args.pages.split(","):
            timings = sorted(time_page(page, workshop_id, args.runs, args.role))
            median = statistics.median(timings)
            p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
            verdict = "ok" if median < TARGET_MEDIAN_MS else "SLOW"
            print(f"{page:<16} {median:>10.0f} {p95:>8.0f}  {verdict}")
        storage.engine().dispose()


if __name__ == "__main__":
    # Arranging data here is the system's; the pages measured name their own caller.
    with access.acting_as(access.SYSTEM):
        main()
