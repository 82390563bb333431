"""Live voting as a room sees it: how soon the projector shows a vote, and how many phones one
app process serves.

    .venv/bin/python -m bench.live_voting [--votes 30] [--sessions 25,50,100,150]

1. Vote → projector: a real server and Chromium showing the projector page; a phone joins
   and votes through the service layer, and we time until the projector's count changes on
   screen by itself (its panel refreshes every second). p50/p95/max over `--votes` votes.
2. Phones per process: N simulated participant sessions speak Streamlit's own websocket
   protocol to one server (bench/streamlit_client.py), each polling every 2 s as the page
   does and tapping a score every few seconds. Reports p50/p95 of a tap's round trip (tap →
   the page's answer) and of a poll's round trip, while the projector's vote → screen time
   is measured as in 1. A level passes while the p95 of both stays under 1 s.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import tempfile
import time
from pathlib import Path

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, AppServer
from tests.factories import make_workshop
from workshop import access, live_voting, scoring_models, storage
from workshop.config import DEFAULT_DATABASE_FILE


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def summary(values: list[float]) -> str:
    if not values:
        return "no samples"
    return (
        f"p50 {statistics.median(values) * 1000:6.0f} ms   p95 {percentile(values, 0.95) * 1000:6.0f} ms   "
        f"max {max(values) * 1000:6.0f} ms   (n={len(values)})"
    )


class Room:
    """A server on a fresh database with one workshop whose voting is open."""

    def __init__(self, folder: Path, use_cases: int = 3) -> None:
        self.server = AppServer(folder)
        self.server.cli("db", "upgrade")
        self.server.start()
        storage.use_url(f"sqlite:///{folder / DEFAULT_DATABASE_FILE}")
        self.ids = make_workshop(participants=0, use_cases=use_cases)
        self.code = live_voting.start_voting(workshop_id=self.ids["workshop_id"], actor="bench")
        live_voting.open_use_cases(workshop_id=self.ids["workshop_id"], actor="bench")
        self.criteria = [c.key for c in scoring_models.get_model(scoring_models.default_model_id()).criteria]
        self.joined = 0

    def phone(self) -> str:
        self.joined += 1
        return live_voting.join(self.code, name=f"Telefon {self.joined}", client_key=f"bench-{self.joined}").device_token

    def stop(self) -> None:
        storage.engine().dispose()
        self.server.stop()


def projector_latencies(room: Room, browser, votes: int) -> list[float]:  # noqa: ANN001
    """Seconds from a committed vote to the projector showing the new 'started' count."""
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.goto(f"{room.server.url}/live_voting?workshop={room.ids['workshop_id']}", wait_until="domcontentloaded", timeout=120_000)
    page.wait_for_selector("text=/har börjat/", timeout=60_000)
    first_use_case = room.ids["use_case_ids"][0]
    progress = page.locator(f".st-key-progress_{first_use_case} [data-testid='stProgress']")
    latencies = []
    for _ in range(votes):
        time.sleep(random.uniform(0.0, 1.0))  # land anywhere in the refresh cycle
        before = int(re.search(r"(\d+) har börjat", progress.inner_text()).group(1))
        token = room.phone()
        live_voting.cast_vote(device_token=token, use_case_id=first_use_case, round=1, criterion_key=room.criteria[0], score=3)
        committed = time.perf_counter()
        page.wait_for_function(
            """([selector, expected]) => {
                const element = document.querySelector(selector);
                return element && element.innerText.includes(expected);
            }""",
            arg=[f".st-key-progress_{first_use_case} [data-testid='stProgress']", f"{before + 1} har börjat"],
            polling="raf",
            timeout=30_000,
        )
        latencies.append(time.perf_counter() - committed)
    page.close()
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--votes", type=int, default=30)
    parser.add_argument("--sessions", default="25,50,100,150")
    parser.add_argument("--seconds", type=float, default=30.0, help="how long each level of phones runs")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        room = Room(Path(folder))
        try:
            print("Vote → projector count on screen (no other load):")
            print("  " + summary(projector_latencies(room, browser, args.votes)))
            levels = [int(n) for n in args.sessions.split(",") if n.strip()]
            if levels:
                from bench.live_sessions import run_levels

                run_levels(room, browser, levels, seconds=args.seconds, projector_votes=max(10, args.votes // 2))
        finally:
            room.stop()
            browser.close()


if __name__ == "__main__":
    # Arranging data here is the system's; the pages measured name their own caller.
    with access.acting_as(access.SYSTEM):
        main()
