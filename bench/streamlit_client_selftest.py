"""Proves bench/streamlit_client.py against a throwaway Streamlit app.

    .venv/bin/python -m bench.streamlit_client_selftest [--sessions 20]

Writes a two-page st.navigation app into a temp dir (the "join" page reads
st.query_params["device"] and sets another query param, has a run_every="2s" fragment
printing "tick n" from a per-device counter file, and a fragment with
st.segmented_control(key="vote_1_x") whose on_change appends the vote to a file), starts
`streamlit run` on a free port, opens all sessions at once, and checks: the join page and
the widget arrive, ticks come every ~2 s without the page reloading and see the query
string the app set, every click's on_change recorded the right value. Prints p50/p95 round
trips. --server-option passes options to `streamlit run` (runner.postScriptGC=false
removes the full gc.collect(2) Streamlit runs after every run, the main server cost here).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.request
from pathlib import Path

from bench.streamlit_client import RerunDropped, StreamlitSession, percentile, summarize
from workshop import access

APP = textwrap.dedent(
    '''
    import os
    from pathlib import Path

    import streamlit as st

    HERE = Path(__file__).parent
    VOTES = HERE / "votes.txt"
    TOTAL = int(os.environ["SELFTEST_SESSIONS"])


    @st.fragment(run_every="2s")
    def ticker(device):
        counter = HERE / f"ticks-{device}.txt"
        n = int(counter.read_text()) + 1 if counter.exists() else 1
        counter.write_text(str(n))
        st.write(f"tick {n}")
        st.caption(f"seen={st.query_params.get('seen')}")  # a fragment rerun sees the new URL
        votes = VOTES.read_text().splitlines() if VOTES.exists() else []
        st.metric("Votes", f"{len(votes)} / {TOTAL}")


    def record(device):
        with VOTES.open("a") as f:
            f.write(f"{device} {st.session_state['vote_1_x']}\\n")


    @st.fragment
    def vote(device):
        st.segmented_control("Score", options=[1, 2, 3, 4, 5], key="vote_1_x", on_change=record, args=(device,))
        st.caption(f"your vote: {st.session_state.get('vote_1_x')}")


    def home():
        st.title("Home")
        st.write("the default page")


    def join():
        device = st.query_params.get("device", "")
        st.query_params["seen"] = "1"  # page_info_changed: the browser's URL changes
        st.markdown(f"device {device}")
        ticker(device)
        vote(device)


    st.navigation([st.Page(home, title="Home", default=True), st.Page(join, title="Join", url_path="join")]).run()
    '''
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(app_dir: Path, port: int, sessions: int, options: list[str]) -> subprocess.Popen:
    log = (app_dir / "server.log").open("w")
    env = {**os.environ, "SELFTEST_SESSIONS": str(sessions)}
    proc = subprocess.Popen(
        [
            sys.executable, "-m", "streamlit", "run", "app.py",
            "--server.port", str(port),
            "--server.headless", "true",
            "--server.address", "127.0.0.1",
            "--server.fileWatcherType", "none",
            "--browser.gatherUsageStats", "false",
            *(f"--{option}" for option in options),
        ],
        cwd=app_dir, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited:\n{(app_dir / 'server.log').read_text()}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("server did not become healthy in 60 s")


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


async def run_session(base_url: str, index: int, total: int, observe: float, problems: list[str]) -> StreamlitSession:
    device = f"dev{index:02d}"
    value = index % 5 + 1
    session = StreamlitSession(base_url, page="join", query=f"device={device}", name=device)
    async with session as s:
        await s.started()
        if "vote_1_x" not in s.widget_keys():
            problems.append(f"{device}: widget keys {s.widget_keys()}")
        if f"device {device}" not in s.texts() or "the default page" in s.texts():
            problems.append(f"{device}: join page not shown, texts {s.texts()}")
        await asyncio.sleep(observe)
        try:
            await s.set_widget("vote_1_x", value)
            await s.wait_for_text(f"^your vote: {value}$", timeout=10)
        except RerunDropped:
            pass  # a Streamlit race lost the fragment's re-render; the vote itself still counts
        await s.wait_for_text(rf"^Votes {total} / {total}$", timeout=30)  # via later ticks
        await asyncio.sleep(2.5)
    return s


async def main_async(base_url: str, sessions: int, observe: float) -> tuple[list[StreamlitSession], list[str]]:
    problems: list[str] = []
    results = await asyncio.gather(
        *(run_session(base_url, i, sessions, observe, problems) for i in range(sessions)), return_exceptions=True
    )
    done = []
    for index, result in enumerate(results):
        if isinstance(result, BaseException):
            problems.append(f"dev{index:02d}: {result!r}")
        else:
            done.append(result)
    return done, problems


def check(done: list[StreamlitSession], sessions: int, votes_file: Path, problems: list[str]) -> None:
    if len(done) != sessions:
        problems.append(f"{sessions - len(done)} sessions failed")
    for s in done:
        ticks = [t for t in s.texts() if t.startswith("tick ")]
        if "seen=1" not in s.texts():
            problems.append(f"{s.name}: fragment reruns did not carry the query string the app set")
        if s.full_runs != 1:
            problems.append(f"{s.name}: {s.full_runs} full runs (the page reloaded)")
        served = len(s.tick_latencies) + s.dropped_ticks
        if len(s.tick_latencies) < 3 or served < s.ticks_sent - 2 or not ticks or int(ticks[0].split()[1]) < 3:
            problems.append(f"{s.name}: too few ticks: {len(s.tick_latencies)} served, shown {ticks}")
        if s.errors or s.exceptions() or s.lost_requests:
            problems.append(f"{s.name}: errors {s.errors} exceptions {s.exceptions()} lost {s.lost_requests}")
    lines = votes_file.read_text().splitlines() if votes_file.exists() else []
    expected = {f"dev{i:02d} {i % 5 + 1}" for i in range(sessions)}
    if len(lines) != sessions or set(lines) != expected:
        problems.append(f"votes file has {len(lines)} lines; missing {sorted(expected - set(lines))[:5]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--observe", type=float, default=7.0, help="seconds of ticks before clicking")
    parser.add_argument(
        "--server-option", action="append", default=[], metavar="NAME=VALUE",
        help="extra `streamlit run` option, e.g. runner.postScriptGC=false (repeatable)",
    )  # fmt: skip
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="st-client-selftest-") as tmp:
        app_dir = Path(tmp)
        (app_dir / "app.py").write_text(APP)
        port = free_port()
        proc = start_server(app_dir, port, args.sessions, args.server_option)
        base_url = f"http://127.0.0.1:{port}"
        print(f"server up on {base_url} (pid {proc.pid}); {args.sessions} sessions on /join?device=…")
        try:
            began, cpu_began = time.perf_counter(), time.process_time()
            done, problems = asyncio.run(main_async(base_url, args.sessions, args.observe))
            elapsed, client_cpu = time.perf_counter() - began, time.process_time() - cpu_began
            check(done, args.sessions, app_dir / "votes.txt", problems)
        finally:
            stop_server(proc)
        log = (app_dir / "server.log").read_text()

    if done:
        sample = done[0]
        widget = sample.widget("vote_1_x")
        print(f"widget id for key vote_1_x: {widget.id}  (type {widget.type}, fragment {widget.fragment_id})")
        print(f"segmented_control options on the wire: {widget.options}")
        print(f"{sample.name} texts: {sample.texts()}")
    sent = [b - a for s in done for a, b in zip(s.tick_sent_at, s.tick_sent_at[1:], strict=False)]
    served = [b - a for s in done for a, b in zip(s.tick_finished_at, s.tick_finished_at[1:], strict=False)]
    print(f"ran {elapsed:.1f}s; the clients used {client_cpu:.1f}s CPU ({client_cpu / elapsed:.0%} of one core)")
    print(f"first load   {summarize(s.start_latency for s in done if s.start_latency is not None)}")
    print(f"fragment tick {summarize(t for s in done for t in s.tick_latencies)}")
    print(
        f"tick interval sent p50={percentile(sent, 0.5):.3f}s max={max(sent, default=0):.3f}s, "
        f"served p50={percentile(served, 0.5):.2f}s p95={percentile(served, 0.95):.2f}s"
    )
    print(f"click        {summarize(t for s in done for t in s.click_latencies)}")
    print(
        f"per session: full runs {sorted({s.full_runs for s in done})}, "
        f"ticks sent {sum(s.ticks_sent for s in done)}, served {sum(len(s.tick_latencies) for s in done)}, "
        f"interrupted runs {sum(s.interrupted_runs for s in done)}, lost {sum(s.lost_requests for s in done)}, "
        f"dropped by the server: {sum(s.dropped_ticks for s in done)} ticks, "
        f"{sum(s.dropped_requests - s.dropped_ticks for s in done)} clicks"
    )
    if not sent or not 1.9 <= percentile(sent, 0.5) <= 2.1 or max(sent) > 2.5:
        problems.append(f"auto-reruns not sent every 2 s: p50 {percentile(sent, 0.5):.3f}s max {max(sent, default=0):.3f}s")
    if "Traceback" in log:
        problems.append("server log has a traceback:\n" + log[-3000:])
    if problems:
        print("FAILED:\n  " + "\n  ".join(problems))
        sys.exit(1)
    print(f"OK: {args.sessions} sessions loaded the join page, ticked every ~2 s without reloading, "
          f"and {args.sessions} on_change votes were recorded with the right values")  # fmt: skip


if __name__ == "__main__":
    # Arranging data here is the system's; the pages measured name their own caller.
    with access.acting_as(access.SYSTEM):
        main()
