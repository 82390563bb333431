"""Click → screen settled in a real browser on the large workshop, beside a trivial page.

    .venv/bin/python -m bench.room_clicks [--repeats 5]

Starts the app server on a fresh data folder holding the large workshop of bench.page_reruns
(30 processes, 80 use cases, 11 criteria, 8 voters), and a second server with a page of one
button (the baseline). Debian's Chromium at 1280×720 then times, for each action, the click
until the page's script has finished and the expected result shows: add a process through
the new-row line, reveal one use case on the voting screen, open the matrix (the
prioritisation step from the agenda), tick a use case in the ranked list, switch language.
Beside wall time it prints the app server's CPU time per action, and each median as a
multiple of the baseline's, so the figures stand on a loaded machine. Goal: each median
under 1 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect, sync_playwright

from bench.page_reruns import build_large_workshop
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, AppServer, sign_in, wait_for_script
from workshop import funding, live_voting, migrate, scoring_models, storage
from workshop.config import DEFAULT_DATABASE_FILE, PROJECT_ROOT

GOAL_SECONDS = 1.0
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process so far (from /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


class Timer:
    def __init__(self, server_pid: int) -> None:
        self.server_pid = server_pid
        self.results: dict[str, list[tuple[float, float]]] = {}

    def time(self, name: str, page: Page, act: Callable[[], None], settled: Callable[[], None]) -> None:
        wait_for_script(page)
        cpu, start = cpu_seconds(self.server_pid), time.perf_counter()
        act()
        settled()
        wait_for_script(page)
        self.results.setdefault(name, []).append((time.perf_counter() - start, cpu_seconds(self.server_pid) - cpu))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder)
        storage.use_url(f"sqlite:///{data / DEFAULT_DATABASE_FILE}")
        migrate.upgrade()
        scoring_models.install_default_model()
        funding.install_shipped_catalogue()
        workshop_id = build_large_workshop()
        live_voting.start_voting(workshop_id=workshop_id, actor="bench")
        live_voting.open_use_cases(workshop_id=workshop_id, actor="bench")
        to_reveal = [u.id for u in live_voting.live_status(workshop_id=workshop_id).use_cases][-args.repeats:]
        storage.engine().dispose()
        app = AppServer(data)
        app.create_admin()
        app.start()
        baseline = AppServer(data / "baseline")
        (data / "baseline").mkdir()
        baseline_process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "bench/trivial_app.py", "--server.port", str(baseline.port),
             "--server.headless", "true", "--server.address", "127.0.0.1"],
            cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        try:
            run(app, baseline, baseline_process.pid, workshop_id, to_reveal, args.repeats)
        finally:
            baseline_process.terminate()
            app.stop()


def run(app: AppServer, baseline: AppServer, baseline_pid: int, workshop_id: int, to_reveal: list[int], repeats: int) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
        page.set_default_timeout(60_000)
        timer = Timer(app.process.pid)
        trivial = Timer(baseline_pid)

        for _attempt in range(60):
            try:
                page.goto(baseline.url)
                break
            except Exception:  # the baseline server is still starting
                time.sleep(0.5)
        page.get_by_text("Klick: 0").wait_for()
        for n in range(repeats):
            trivial.time("baseline: trivial page, button", page, lambda: page.get_by_role("button", name="Klicka").click(),
                         lambda n=n: expect(page.get_by_text(f"Klick: {n + 1}")).to_be_visible())

        page.goto(f"{app.url}/processes?workshop={workshop_id}")
        sign_in(page)
        name = page.locator(f".st-key-processes_quick_add_{workshop_id}_name input")
        for n in range(repeats):
            def add(n: int = n) -> None:
                name.fill(f"Ny process {n + 1}")
                name.press("Enter")
            timer.time("add a table row (processes)", page, add,
                       lambda n=n: expect(page.get_by_text(f"Sparat automatiskt · {31 + n} rader").first).to_be_visible())

        page.goto(f"{app.url}/live_voting?workshop={workshop_id}")
        wait_for_script(page)
        for use_case_id in to_reveal:
            button = page.locator(f".st-key-reveal_{use_case_id} button")
            timer.time("reveal one use case", page, button.click, lambda b=button: expect(b).to_have_count(0))

        for _n in range(repeats):
            page.goto(f"{app.url}/use_cases?workshop={workshop_id}")
            wait_for_script(page)
            timer.time("open the matrix (prioritisation)", page,
                       lambda: page.get_by_role("link", name="5. Prioritering").click(),
                       lambda: expect(page.locator("[data-testid='stVegaLiteChart'] canvas, [data-testid='stVegaLiteChart'] svg").first).to_be_visible())

        grid = page.get_by_test_id("stDataFrame").first
        page.mouse.wheel(0, grid.bounding_box()["y"] - 150)  # the grid just under the app's top bar
        expect(grid).to_be_in_viewport()
        # Unticked rows among the first ten on screen (rows from 0; the tick box is column 0 of a fixed-rows editor).
        unticked = [row for row in range(10) if grid.get_by_test_id(f"glide-cell-0-{row}").inner_text() == "false"]
        for row in unticked[:repeats]:
            box = grid.bounding_box()
            cell = grid.get_by_test_id(f"glide-cell-0-{row}")
            timer.time("tick a use case in the ranked list", page,
                       lambda box=box, row=row: page.mouse.click(box["x"] + 37, box["y"] + 35 * (row + 1) + 17),
                       lambda cell=cell: expect(cell).to_have_text("true"))

        for language, heading in (("English", "5. Prioritisation"), ("Svenska", "5. Prioritering")) * ((repeats + 1) // 2):
            timer.time("switch language", page,
                       lambda language=language: page.get_by_test_id("stSidebar").get_by_text(language, exact=True).click(),
                       lambda heading=heading: expect(page.get_by_role("heading", name=heading)).to_be_visible())
        browser.close()

    base = statistics.median(wall for wall, _cpu in trivial.results["baseline: trivial page, button"])
    print(f"{'action':40} {'median s':>9} {'p95 s':>7} {'× base':>7} {'server CPU s':>13}  verdict")
    for name, rows in [*trivial.results.items(), *timer.results.items()]:
        walls = [wall for wall, _cpu in rows]
        median = statistics.median(walls)
        verdict = "ok" if median < GOAL_SECONDS else "SLOW"
        print(f"{name:40} {median:9.3f} {percentile(walls, 0.95):7.3f} {median / base:7.1f} "
              f"{statistics.median(cpu for _wall, cpu in rows):13.3f}  {verdict}")
    print(f"({repeats} repeats each; goal: median under {GOAL_SECONDS:.0f} s; load average {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
