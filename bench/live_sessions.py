"""Many phones on one app process: the load half of `bench.live_voting`.

Each simulated phone is a websocket session on `/join?device=…` (bench/streamlit_client.py):
it polls every 2 s as the page's fragment does and taps a score every 3–6 s (a tap reruns
the ballot's fragment and saves the vote). Meanwhile Chromium shows the projector and we
time votes until its count changes on screen.
"""

from __future__ import annotations

import asyncio
import random
import threading
import time

from bench.streamlit_client import RerunDropped, StreamlitSession, percentile

TAP_EVERY = (3.0, 6.0)
CONNECT_SPREAD_SECONDS = 4.0
LIMIT_SECONDS = 1.0


async def _phone(base_url: str, token: str, use_case_id: int, criteria: list[str], stop: asyncio.Event, taps: list[float], failures: list[str], ready: list[int]) -> StreamlitSession:
    await asyncio.sleep(random.uniform(0, CONNECT_SPREAD_SECONDS))  # people do not join in step
    session = StreamlitSession(base_url, page="join", query=f"device={token}", timezone="Europe/Stockholm", locale="sv-SE")
    await session.connect()
    await session.started()
    # The ballot opens on the first use case; these phones vote on the second, so the
    # projector's count on the first moves only for the votes it times.
    await session.set_widget("ballot_use_case", session.widget("ballot_use_case").options[1])
    ready.append(1)
    index = 0
    try:
        while not stop.is_set():
            try:
                await asyncio.wait_for(stop.wait(), timeout=random.uniform(*TAP_EVERY))
            except TimeoutError:
                pass
            if stop.is_set():
                break
            key = f"vote_{use_case_id}_1_{criteria[index % len(criteria)]}"
            index += 1
            try:
                taps.append(await session.set_widget(key, 1 + index % 5))
            except RerunDropped:
                pass  # the server applied the tap but never sent that run; counted by the client
            except (TimeoutError, KeyError) as exc:
                failures.append(f"{type(exc).__name__}: {exc}")
    finally:
        await session.close()
    return session


def _run_phones(base_url: str, tokens: list[str], use_case_id: int, criteria: list[str], seconds_ready: threading.Event, stop_flag: threading.Event, out: dict) -> None:
    async def main() -> None:
        stop = asyncio.Event()
        taps: list[float] = []
        failures: list[str] = []
        ready: list[int] = []
        tasks = [asyncio.create_task(_phone(base_url, token, use_case_id, criteria, stop, taps, failures, ready)) for token in tokens]
        # Measure the steady state: every phone has loaded its ballot, and a little more.
        deadline = time.perf_counter() + 300
        while len(ready) < len(tokens) and time.perf_counter() < deadline:
            await asyncio.sleep(0.2)
        out["load_seconds"] = time.perf_counter() - (deadline - 300)
        await asyncio.sleep(3)
        del taps[:]
        seconds_ready.set()
        while not stop_flag.is_set():
            await asyncio.sleep(0.2)
        stop.set()
        sessions = await asyncio.gather(*tasks, return_exceptions=True)
        out["sessions"] = [s for s in sessions if isinstance(s, StreamlitSession)]
        out["session_errors"] = [repr(s) for s in sessions if not isinstance(s, StreamlitSession)]
        out["taps"] = taps
        out["failures"] = failures

    asyncio.run(main())


def run_levels(room, browser, levels: list[int], *, seconds: float, projector_votes: int) -> None:  # noqa: ANN001
    """For each number of phones: connect them, let them vote for `seconds`, and report."""
    from bench.live_voting import projector_latencies

    print(f"\nPhones on one app process (each polls every 2 s and taps every {TAP_EVERY[0]:g}–{TAP_EVERY[1]:g} s):")
    print(f"{'phones':>6} {'tap p50':>8} {'tap p95':>8} {'poll p50':>9} {'poll p95':>9} {'projector p50':>14} {'projector p95':>14} {'dropped':>8} {'lost':>5}  verdict")
    use_case_id = room.ids["use_case_ids"][1]  # the projector's own measurement uses the first
    for phones in levels:
        tokens = [room.phone() for _ in range(phones)]
        ready, stop, out = threading.Event(), threading.Event(), {}
        worker = threading.Thread(
            target=_run_phones, args=(room.server.url, tokens, use_case_id, room.criteria, ready, stop, out), daemon=True
        )
        worker.start()
        ready.wait(timeout=120)
        measured_from = time.perf_counter()
        projector = projector_latencies(room, browser, projector_votes)
        remaining = seconds - (time.perf_counter() - measured_from)
        if remaining > 0:
            time.sleep(remaining)
        stop.set()
        worker.join(timeout=120)
        sessions = out.get("sessions", [])
        polls = [value for s in sessions for value in s.tick_latencies]
        taps = out.get("taps", [])
        dropped = sum(s.dropped_requests for s in sessions)
        lost = sum(s.lost_requests for s in sessions) + len(out.get("failures", [])) + len(out.get("session_errors", []))
        worst = max(percentile(taps, 0.95) if taps else 99, percentile(polls, 0.95) if polls else 99)
        verdict = "ok" if worst < LIMIT_SECONDS and not lost else "over 1 s" if not lost else "lost requests"
        print(
            f"{phones:>6} {_ms(taps, 0.5):>8} {_ms(taps, 0.95):>8} {_ms(polls, 0.5):>9} {_ms(polls, 0.95):>9} "
            f"{_ms(projector, 0.5):>14} {_ms(projector, 0.95):>14} {dropped:>8} {lost:>5}  {verdict}"
        )
        if out.get("session_errors") or out.get("failures"):
            print("   ", (out.get("session_errors") or []) [:2], (out.get("failures") or [])[:2])
        # Two full runs are the page's load and the switch to the second use case.
        if sessions and any(s.full_runs > 2 for s in sessions):
            print(f"    note: {sum(s.full_runs > 2 for s in sessions)} phones redrew the whole page once more")


def _ms(values: list[float], share: float) -> str:
    return f"{percentile(values, share) * 1000:.0f} ms" if values else "–"
