"""Vote-commit latency and throughput under concurrent writers, on SQLite and PostgreSQL.

    .venv/bin/python -m bench.concurrency [--votes-per-writer 25]

Each writer is a thread casting votes through the service layer as a joined phone does
(`live_voting.cast_vote` with its device token: identity, voting state, round and score
checked, then one upsert). Prints p50/p95/max latency per vote and total throughput, and
checks that exactly writers × votes rows were stored.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import func, select

from tests.factories import make_workshop
from tests.services import benchmark_databases
from workshop import live_voting, migrate, scoring_models, storage
from workshop.models import Vote

WRITER_COUNTS = (16, 32, 64)
CRITERIA = ("business_impact", "strategic_importance", "customer_benefit", "data_availability", "risk_regulation")


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def run_once(writers: int, votes_per_writer: int) -> dict:
    use_cases = -(-votes_per_writer // len(CRITERIA))
    ids = make_workshop(participants=0, use_cases=use_cases, cohort_name=f"bench {writers} {time.time_ns()}")
    code = live_voting.start_voting(workshop_id=ids["workshop_id"], actor="bench")
    live_voting.open_use_cases(workshop_id=ids["workshop_id"], actor="bench")
    tokens = [
        live_voting.join(code, name=f"P{n}", client_key=f"bench-{n}").device_token for n in range(writers)
    ]
    ballots = [(u, c) for u in ids["use_case_ids"] for c in CRITERIA][:votes_per_writer]

    def vote_all(indexed: tuple[int, str]) -> list[float]:
        number, token = indexed
        latencies = []
        for index, (use_case_id, criterion) in enumerate(ballots):
            started = time.perf_counter()
            live_voting.cast_vote(
                device_token=token, use_case_id=use_case_id, round=1,
                criterion_key=criterion, score=1 + (number + index) % 5,
            )
            latencies.append(time.perf_counter() - started)
        return latencies

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=writers) as pool:
        latencies = [value for chunk in pool.map(vote_all, enumerate(tokens)) for value in chunk]
    elapsed = time.perf_counter() - started
    with storage.read() as session:
        stored = session.scalar(select(func.count(Vote.id)).where(Vote.workshop_id == ids["workshop_id"]))
    return {
        "writers": writers,
        "votes": len(latencies),
        "stored": stored,
        "p50_ms": statistics.median(latencies) * 1000,
        "p95_ms": _percentile(latencies, 0.95) * 1000,
        "max_ms": max(latencies) * 1000,
        "votes_per_s": len(latencies) / elapsed,
    }


def prepare(url: str) -> None:
    storage.use_url(url)
    migrate.upgrade()
    scoring_models.install_default_model()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--votes-per-writer", type=int, default=25)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        databases, server = benchmark_databases(Path(folder), "bench")
        print(f"{'database':<11} {'writers':>7} {'votes':>6} {'stored':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'votes/s':>8}")
        try:
            for name, url in databases:
                prepare(url)
                for writers in WRITER_COUNTS:
                    r = run_once(writers, args.votes_per_writer)
                    ok = "" if r["stored"] == r["votes"] else "  LOST OR DOUBLED ROWS"
                    print(
                        f"{name:<11} {r['writers']:>7} {r['votes']:>6} {r['stored']:>6} {r['p50_ms']:>8.1f} "
                        f"{r['p95_ms']:>8.1f} {r['max_ms']:>8.1f} {r['votes_per_s']:>8.0f}{ok}"
                    )
                storage.engine().dispose()
        finally:
            if server:
                server.stop()


if __name__ == "__main__":
    main()
