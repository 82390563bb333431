"""A headless Streamlit browser session over the app's own websocket protocol.

    async with StreamlitSession("http://127.0.0.1:8501", page="join", query="device=abc") as s:
        await s.started()
        s.widget_keys()
        seconds = await s.set_widget("vote_12_business_impact", 4)
        s.tick_latencies, s.texts()

It lets a benchmark put many concurrent sessions on ONE `streamlit run` server without a
browser: it opens `/_stcore/stream`, sends the `rerun_script` BackMsgs a browser would, keeps
a model of the page from the `delta`s, and schedules `run_every` fragment reruns itself (the
browser, not the server, owns those timers). Written against Streamlit 1.67; the facts it
relies on are noted where they are used.

Streamlit 1.67 serves through Starlette/uvicorn and ships `websockets`, not tornado, so the
client uses `websockets`.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Self
from urllib.parse import urlsplit

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState, WidgetStates
from websockets.asyncio.client import ClientConnection, connect

__all__ = ["RerunDropped", "StreamlitSession", "Widget", "percentile", "summarize"]

# Run statuses after which the browser drops stale elements. FINISHED_EARLY_FOR_RERUN is
# settled when the next run starts (see StreamlitSession._settle_early_finish).
_COMPLETED = {
    ForwardMsg.FINISHED_SUCCESSFULLY,
    ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY,
    ForwardMsg.FINISHED_WITH_COMPILE_ERROR,
}

# Element type -> WidgetState value field, as each widget registers it server-side
# (`register_widget(value_type=...)` in streamlit/elements/widgets).
_VALUE_FIELD = {
    "button": "trigger_value",
    "download_button": "trigger_value",
    "checkbox": "bool_value",
    "button_group": "string_array_value",
    "multiselect": "string_array_value",
    "date_input": "string_array_value",
    "date_time_input": "string_array_value",
    "radio": "string_value",
    "selectbox": "string_value",
    "text_input": "string_value",
    "text_area": "string_value",
    "color_picker": "string_value",
    "time_input": "string_value",
    "feedback": "string_value",
    "number_input": "double_value",
    "slider": "double_array_value",
    "pagination": "int_value",
}


def percentile(values: Iterable[float], share: float) -> float:
    """Nearest-rank percentile, the same rule as the other benches here."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def summarize(values: Iterable[float]) -> str:
    """`n=.. p50=..ms p95=..ms max=..ms`, for printing latency samples."""
    values = list(values)
    if not values:
        return "n=0"
    return (
        f"n={len(values)} p50={percentile(values, 0.5) * 1000:.0f}ms "
        f"p95={percentile(values, 0.95) * 1000:.0f}ms max={max(values) * 1000:.0f}ms"
    )


class RerunDropped(RuntimeError):
    """The server never delivered the run for this request (its side effects may have happened)."""


@dataclass
class Widget:
    """A widget on the current page, found by its user key."""

    id: str
    key: str | None
    type: str  # the Element oneof name, e.g. "button_group"
    proto: Any  # the widget's own proto, e.g. ButtonGroup
    fragment_id: str  # "" outside fragments
    path: tuple[int, ...]

    @property
    def options(self) -> list[str]:
        """Wire strings of the options (button groups carry `Option.content`)."""
        opts = getattr(self.proto, "options", [])
        return [o if isinstance(o, str) else o.content for o in opts]


@dataclass
class _Node:
    run_id: str
    fragment_id: str
    is_block: bool
    msg: ForwardMsg


@dataclass
class _Request:
    """A rerun the client asked for, waiting for the run that serves it to finish."""

    kind: str  # "start" | "rerun" | "widget" | "tick"
    fragment_id: str  # "" for a full-app rerun
    sent_at: float
    future: asyncio.Future[float] | None = None
    run_id: str | None = None  # the run that picked it up (set on that run's new_session)
    early_run_id: str | None = None  # a run that picked it up and ended "early"


@dataclass
class _Run:
    run_id: str
    fragment_ids: tuple[str, ...]  # empty for a full-app run


class StreamlitSession:
    """One simulated browser tab on one page of a running Streamlit server.

    Latencies are wall seconds from sending the BackMsg to receiving the `script_finished`
    of the run that served it, measured on the client's event loop (so they include any lag
    of that loop when many sessions share it).
    """

    def __init__(
        self,
        base_url: str,
        page: str = "",
        query: str = "",
        *,
        locale: str = "en-US",
        timezone: str = "UTC",
        auto_rerun: bool = True,
        request_timeout: float = 60.0,
        name: str | None = None,
    ) -> None:
        parts = urlsplit(base_url if "://" in base_url else f"http://{base_url}")
        scheme = "wss" if parts.scheme == "https" else "ws"
        root = parts.path.rstrip("/")
        self.http_url = f"{parts.scheme}://{parts.netloc}{root}"
        self.ws_url = f"{scheme}://{parts.netloc}{root}/_stcore/stream"
        self.page = page.strip("/")
        self.name = name or f"{self.page or 'main'}?{query}"
        self.auto_rerun = auto_rerun
        self.request_timeout = request_timeout
        self._query = query.lstrip("?")
        self._locale = locale
        self._timezone = timezone

        self.session_id = ""  # from new_session.initialize
        self.tick_latencies: list[float] = []
        self.tick_sent_at: list[float] = []  # perf_counter of each auto-rerun sent (offered load)
        self.tick_finished_at: list[float] = []  # perf_counter of each served tick
        self.click_latencies: list[float] = []
        self.rerun_latencies: list[float] = []
        self.start_latency: float | None = None
        self.full_runs = 0  # completed full-app runs (1 = page loaded once, never reloaded)
        self.fragment_runs = 0
        self.interrupted_runs = 0
        self.ticks_sent = 0
        self.lost_requests = 0  # never served within request_timeout
        self.dropped_requests = 0  # the server ran them but never sent the run (see _drop_skipped)
        self.dropped_ticks = 0
        self.errors: list[str] = []  # compile errors, page not found, unresolvable refs

        self._ws: ClientConnection | None = None
        self._reader: asyncio.Task[None] | None = None
        self._timers: dict[str, tuple[float, asyncio.Task[None]]] = {}
        self._pending: list[_Request] = []
        self._run: _Run | None = None
        self._early: tuple[_Run, float] | None = None  # a run that ended FINISHED_EARLY_FOR_RERUN
        self._script_running = False
        self._page_tick_deferred = False
        self._page_script_hash = ""  # "" until the server names the page (navigation msg)
        self._nodes: dict[tuple[int, ...], _Node] = {}
        self._widget_values: dict[str, WidgetState] = {}  # what this "browser" has set
        self._triggers: dict[str, WidgetState] = {}  # one-shot, sent with the next rerun
        self._changed = asyncio.Condition()
        self._closed = False

    # ------------------------------------------------------------------ lifecycle

    async def __aenter__(self) -> Self:
        await self.connect()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def connect(self, timeout: float = 30.0) -> None:
        """Open the websocket and ask for the first run, as a freshly loaded tab does.

        The browser offers the subprotocols ["streamlit", xsrf-token, last-session-id];
        the server only needs the first (the XSRF token only unlocks auth cookies, and a
        third entry would reattach to an old session). An Origin equal to the host is
        same-origin; a missing one is also accepted.
        """
        netloc = urlsplit(self.http_url).netloc
        self._ws = await connect(
            self.ws_url,
            subprotocols=["streamlit"],  # type: ignore[list-item]
            origin=f"{urlsplit(self.http_url).scheme}://{netloc}",  # type: ignore[arg-type]
            max_size=None,  # the server allows up to server.maxMessageSize (200 MB)
            ping_interval=None,  # browsers do not ping; the server pings and we pong
            open_timeout=timeout,
            user_agent_header="streamlit-bench-client",
        )
        self._reader = asyncio.create_task(self._read_loop(), name=f"st-read {self.name}")
        await self._send_rerun(kind="start", fragment_id="", first_load=True)

    async def close(self) -> None:
        """Stop timers, close the socket, fail anything still waiting."""
        if self._closed:
            return
        self._closed = True
        for _, task in self._timers.values():
            task.cancel()
        self._timers.clear()
        if self._ws is not None:
            await self._ws.close()
        if self._reader is not None:
            self._reader.cancel()
            await asyncio.gather(self._reader, return_exceptions=True)
        self._fail_pending(ConnectionError(f"{self.name}: session closed"))

    # ------------------------------------------------------------------ public API

    async def started(self, timeout: float | None = None) -> float:
        """Wait for the first full run to finish; returns its round trip in seconds."""
        while self.start_latency is None:
            start = next((r for r in self._pending if r.kind == "start"), None)
            if start is None or start.future is None:
                raise ConnectionError(f"{self.name}: not connected, or the first run never finished")
            await asyncio.wait_for(asyncio.shield(start.future), timeout or self.request_timeout)
        return self.start_latency

    def widgets(self) -> list[Widget]:
        """Widgets on the current page, in page order."""
        found = []
        for path in sorted(self._nodes):
            node = self._nodes[path]
            if node.is_block:
                continue
            element = node.msg.delta.new_element
            kind = element.WhichOneof("type")
            if kind is None:
                continue
            proto = getattr(element, kind)
            widget_id = getattr(proto, "id", "")
            if not isinstance(widget_id, str) or not widget_id:
                continue
            found.append(Widget(widget_id, _user_key(widget_id), kind, proto, node.fragment_id, path))
        return found

    def widget(self, key: str) -> Widget:
        """The widget whose user key is `key` (ids end in `-<key>`: `$$ID-<hash>-<key>`)."""
        for widget in self.widgets():
            if widget.key == key:
                return widget
        raise KeyError(f"{self.name}: no widget with key {key!r}; keys: {self.widget_keys()}")

    def widget_keys(self) -> list[str]:
        return [w.key for w in self.widgets() if w.key is not None]

    def texts(self) -> list[str]:
        """Visible texts in page order: markdown/write/caption, text, headings, alerts, metrics."""
        out = []
        for path in sorted(self._nodes):
            node = self._nodes[path]
            if not node.is_block:
                text = _element_text(node.msg.delta.new_element)
                if text:
                    out.append(text)
        return out

    def exceptions(self) -> list[str]:
        """Messages of exception boxes the app shows (an app error, not a client one)."""
        return [
            node.msg.delta.new_element.exception.message
            for _, node in sorted(self._nodes.items())
            if not node.is_block and node.msg.delta.new_element.WhichOneof("type") == "exception"
        ]

    async def wait_for_text(self, pattern: str, timeout: float = 30.0) -> str:
        """Wait until a visible text matches the regex `pattern`; returns that text."""
        regex = re.compile(pattern)

        def match() -> str | None:
            return next((t for t in self.texts() if regex.search(t)), None)

        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(lambda: match() is not None or self._closed), timeout)
        found = match()
        if found is None:
            raise ConnectionError(f"{self.name}: closed while waiting for {pattern!r}")
        return found

    async def set_widget(self, key: str, value: Any, *, value_field: str | None = None) -> float:
        """Set a widget as a user would and wait for the rerun it causes; returns seconds.

        Like the browser it sends every widget value it holds, with the fragment id of the
        fragment that contains the widget, so only that fragment reruns and the widget's
        on_change callback fires. `value_field` overrides the WidgetState field
        (e.g. "int_value") for widget types not in the table. Raises RerunDropped when the
        server lost the run (the value and its callback still took effect server-side) and
        TimeoutError after request_timeout.
        """
        widget = self.widget(key)
        field_name = value_field or _VALUE_FIELD.get(widget.type)
        if widget.type == "slider" and widget.options and not value_field:
            field_name = "string_array_value"  # st.select_slider
        if field_name is None:
            raise ValueError(f"{self.name}: don't know how to set a {widget.type!r}; pass value_field")
        state = _widget_state(widget, field_name, value)
        if field_name.endswith("trigger_value"):
            self._triggers[widget.id] = state
        else:
            self._widget_values[widget.id] = state
        if getattr(widget.proto, "ignore_rerun", False) or getattr(widget.proto, "form_id", ""):
            return 0.0  # on_change="ignore" or inside a form: the browser sends nothing yet
        return await self._request(kind="widget", fragment_id=widget.fragment_id)

    async def click(self, key: str) -> float:
        """Press a button (a one-shot trigger) and wait for its rerun; returns seconds."""
        return await self.set_widget(key, True)

    async def rerun(self) -> float:
        """A full-app rerun, like pressing R; returns seconds."""
        return await self._request(kind="rerun", fragment_id="")

    def stats(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "start": self.start_latency,
            "ticks": len(self.tick_latencies),
            "ticks_sent": self.ticks_sent,
            "clicks": len(self.click_latencies),
            "full_runs": self.full_runs,
            "fragment_runs": self.fragment_runs,
            "interrupted_runs": self.interrupted_runs,
            "lost_requests": self.lost_requests,
            "dropped_requests": self.dropped_requests,
            "errors": list(self.errors),
        }

    # ------------------------------------------------------------------ sending

    async def _request(self, kind: str, fragment_id: str) -> float:
        request = await self._send_rerun(kind=kind, fragment_id=fragment_id)
        assert request.future is not None
        try:
            return await asyncio.wait_for(request.future, self.request_timeout)
        except TimeoutError:
            self._drop(request)
            raise

    async def _send_rerun(
        self, *, kind: str, fragment_id: str, is_auto_rerun: bool = False, first_load: bool = False
    ) -> _Request:
        """Send `rerun_script` with the ClientState the browser would build.

        First load: page_script_hash "" and page_name = the url path ("join"), which the
        server resolves against the st.navigation pages' url_pathname. Afterwards: the hash
        from the `navigation` message and no page_name. query_string follows
        `page_info_changed`. cached_message_hashes stays empty, so the server never answers
        with `ref_hash` references to messages the client would have to have cached.
        """
        if self._ws is None or self._closed:
            raise ConnectionError(f"{self.name}: not connected")
        self._expire_pending()
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = self._query
        state.page_script_hash = self._page_script_hash
        if first_load or not self._page_script_hash:
            state.page_name = self.page
        state.fragment_id = fragment_id
        state.is_auto_rerun = is_auto_rerun
        state.widget_states.CopyFrom(self._widget_states())
        info = state.context_info
        info.timezone = self._timezone
        info.timezone_offset = 0
        info.locale = self._locale
        info.url = f"{self.http_url}/{self.page}" + (f"?{self._query}" if self._query else "")
        info.is_embedded = False
        info.color_scheme = "light"

        loop = asyncio.get_running_loop()
        future = loop.create_future() if kind != "tick" else None
        request = _Request(kind, fragment_id, time.perf_counter(), future)
        self._pending.append(request)
        try:
            await self._ws.send(msg.SerializeToString())
        except Exception:
            self._pending.remove(request)
            raise
        return request

    def _widget_states(self) -> WidgetStates:
        """Every value this client holds, plus one-shot triggers (then forgotten)."""
        states = WidgetStates()
        states.widgets.extend(self._widget_values.values())
        states.widgets.extend(self._triggers.values())
        self._triggers.clear()
        return states

    # ------------------------------------------------------------------ auto-rerun

    def _arm_auto_rerun(self, fragment_id: str, interval: float) -> None:
        """Browser rule: the same interval re-registered keeps the countdown running."""
        if not self.auto_rerun or interval <= 0:
            return
        current = self._timers.get(fragment_id)
        if current is not None and current[0] == interval:
            return
        self._disarm(fragment_id)
        task = asyncio.create_task(self._auto_rerun_loop(fragment_id, interval), name=f"st-tick {self.name}")
        self._timers[fragment_id] = (interval, task)

    def _disarm(self, fragment_id: str) -> None:
        entry = self._timers.pop(fragment_id, None)
        if entry is not None:
            entry[1].cancel()

    async def _auto_rerun_loop(self, fragment_id: str, interval: float) -> None:
        """setInterval: fixed rate, whether or not the previous tick has been served."""
        loop = asyncio.get_running_loop()
        due = loop.time() + interval
        while not self._closed:
            await asyncio.sleep(max(0.0, due - loop.time()))
            due = max(due + interval, loop.time())
            if not fragment_id and self._script_running:
                # A page-level (st.set_page_config(run_every=...)) tick waits for the run.
                self._page_tick_deferred = True
                continue
            await self._send_tick(fragment_id)

    async def _send_tick(self, fragment_id: str) -> None:
        try:
            await self._send_rerun(kind="tick", fragment_id=fragment_id, is_auto_rerun=True)
            self.ticks_sent += 1
            self.tick_sent_at.append(time.perf_counter())
        except Exception as exc:  # noqa: BLE001 - the socket went away; the read loop reports it
            if not self._closed:
                self.errors.append(f"tick send failed: {exc!r}")

    # ------------------------------------------------------------------ receiving

    async def _read_loop(self) -> None:
        assert self._ws is not None
        try:
            async for raw in self._ws:
                if isinstance(raw, str):
                    continue
                msg = ForwardMsg()
                msg.ParseFromString(raw)
                self._handle(msg)
                async with self._changed:
                    self._changed.notify_all()
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - any failure ends the session, reported below
            if not self._closed:
                self.errors.append(f"connection lost: {exc!r}")
        finally:
            if not self._closed:
                self.errors.append("server closed the connection")
                self._closed = True
                for _, task in self._timers.values():
                    task.cancel()
                self._fail_pending(ConnectionError(f"{self.name}: connection closed"))
                async with self._changed:
                    self._changed.notify_all()

    def _handle(self, msg: ForwardMsg) -> None:
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            self._on_new_session(msg)
        elif kind == "delta":
            self._on_delta(msg)
        elif kind == "script_finished":
            self._on_script_finished(msg)
        elif kind == "auto_rerun":
            self._arm_auto_rerun(msg.auto_rerun.fragment_id, msg.auto_rerun.interval)
        elif kind == "stop_auto_rerun":
            for fragment_id in msg.stop_auto_rerun.fragment_ids:
                self._disarm(fragment_id)
        elif kind == "navigation":
            if msg.navigation.page_script_hash:
                self._page_script_hash = msg.navigation.page_script_hash
        elif kind == "page_info_changed":
            self._query = msg.page_info_changed.query_string  # st.query_params writes
        elif kind == "session_status_changed":
            self._script_running = msg.session_status_changed.script_is_running
        elif kind == "page_not_found":
            self.errors.append(f"page not found: {msg.page_not_found.page_name!r}")
        elif kind == "session_event":
            if msg.session_event.WhichOneof("type") == "script_compilation_exception":
                self.errors.append(f"compile error: {msg.session_event.script_compilation_exception.message}")
        elif kind == "ref_hash":
            # Only sent for hashes listed in ClientState.cached_message_hashes, which stays empty.
            self.errors.append(f"unexpected ref_hash {msg.ref_hash}")
        # heartbeat_ack, page_config_changed, logo, git_info_changed, page_profile, ...: no state

    def _on_new_session(self, msg: ForwardMsg) -> None:
        """A run starts. It serves every pending request it covers that was sent before it."""
        run_info = msg.metadata.run
        run = _Run(run_info.script_run_id, tuple(run_info.fragment_ids))
        self._settle_early_finish(run)
        self._run = run
        if msg.new_session.initialize.session_id:
            self.session_id = msg.new_session.initialize.session_id
        if not run.fragment_ids:
            # Browser: a full run clears every auto-rerun timer; the run re-registers them.
            for fragment_id in list(self._timers):
                self._disarm(fragment_id)
            self._page_tick_deferred = False
        for request in self._pending:
            # Still claimed here means its run never reported a finish: the server dropped it.
            request.run_id = run.run_id if _covers(run, request) else None
        self._drop_skipped(run)

    def _drop_skipped(self, run: _Run) -> None:
        """Requests older than the oldest one this run serves, and not served, were dropped.

        The server handles one connection's BackMsgs in order, so an older request's run
        starts before (or coalesces with) a newer one's. It can still lose a run: when a
        fragment run completes on its thread before the event loop has handled its events
        and another rerun request arrives in that gap, AppSession starts a new ScriptRunner
        and ignores every event of the old one (new_session, deltas, script_finished), so
        the browser never sees that run. A fragment rerun for a fragment the session no
        longer has is also dropped silently (AppSession.request_rerun).
        """
        claimed = [r.sent_at for r in self._pending if r.run_id == run.run_id]
        if not claimed:
            return
        oldest = min(claimed)
        for request in [r for r in self._pending if r.run_id is None and r.sent_at < oldest]:
            self._pending.remove(request)
            self.dropped_requests += 1
            if request.kind == "tick":
                self.dropped_ticks += 1
            if request.future is not None and not request.future.done():
                request.future.set_exception(RerunDropped(f"{self.name}: the server dropped the {request.kind} run"))

    def _settle_early_finish(self, next_run: _Run) -> None:
        """Decide what a FINISHED_EARLY_FOR_RERUN meant, now that the next run is known.

        The status is ambiguous. When a run starts before the previous run's messages were
        flushed, the server rewrites that unsent script_finished to FINISHED_EARLY_FOR_RERUN
        (ForwardMsgQueue.clear), even for a run that completed. Only a full-app rerun (or a
        fragment-scoped st.rerun, not modelled) preempts a run, so: before a full run, the
        old run counts as replaced and its requests move to the full run (which also drops
        the old run's unsent deltas); before a fragment run, the old run completed then.
        """
        early, self._early = self._early, None
        if early is None:
            return
        run, finished_at = early
        if not next_run.fragment_ids or not run.fragment_ids:
            self.interrupted_runs += 1  # replaced: _on_new_session hands its requests on
            return
        self._finish_run(run)
        served = [r for r in self._pending if r.run_id is None and r.early_run_id == run.run_id]
        for request in served:
            self._pending.remove(request)
            self._complete(request, finished_at - request.sent_at, finished_at)

    def _on_delta(self, msg: ForwardMsg) -> None:
        delta = msg.delta
        which = delta.WhichOneof("type")
        if which not in ("new_element", "add_block"):
            return  # new_transient (spinners, toasts) is not page content
        path = tuple(msg.metadata.delta_path)
        run_id = self._run.run_id if self._run else ""
        self._nodes[path] = _Node(run_id, delta.fragment_id, which == "add_block", msg)
        if which == "new_element":
            element = delta.new_element
            proto = getattr(element, element.WhichOneof("type") or "", None)
            if proto is not None and getattr(proto, "set_value", False):
                # The app set this widget's value (session_state); the browser adopts it,
                # so stop re-sending ours or the server would see a "change" again.
                self._widget_values.pop(getattr(proto, "id", ""), None)

    def _on_script_finished(self, msg: ForwardMsg) -> None:
        now = time.perf_counter()
        run_id = msg.metadata.run.script_run_id or (self._run.run_id if self._run else "")
        status = msg.script_finished
        if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
            for request in self._pending:
                if request.run_id == run_id:
                    request.run_id, request.early_run_id = None, run_id
            if self._run is not None and self._run.run_id == run_id:
                self._early = (self._run, now)  # settled by the next new_session
            return
        if status not in _COMPLETED:
            return
        if self._run is not None and self._run.run_id == run_id:
            # A compile error leaves the previous page standing in the browser.
            self._finish_run(self._run, keep_nodes=status == ForwardMsg.FINISHED_WITH_COMPILE_ERROR)
        served = [r for r in self._pending if r.run_id == run_id]
        self._pending = [r for r in self._pending if r.run_id != run_id]
        for request in served:
            self._complete(request, now - request.sent_at, now)
        if status == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
            return
        if self._page_tick_deferred and "" in self._timers:
            self._page_tick_deferred = False
            asyncio.get_running_loop().create_task(self._send_tick(""))

    def _finish_run(self, run: _Run, keep_nodes: bool = False) -> None:
        if not keep_nodes:
            self._drop_stale_nodes(run)
        if run.fragment_ids:
            self.fragment_runs += 1
        else:
            self.full_runs += 1
        self._forget_missing_widgets()

    def _complete(self, request: _Request, seconds: float, now: float) -> None:
        if request.kind == "tick":
            self.tick_latencies.append(seconds)
            self.tick_finished_at.append(now)
        elif request.kind == "start":
            self.start_latency = seconds
        elif request.kind == "widget":
            self.click_latencies.append(seconds)
        else:
            self.rerun_latencies.append(seconds)
        if request.future is not None and not request.future.done():
            request.future.set_result(seconds)

    def _drop_stale_nodes(self, run: _Run) -> None:
        """The browser's stale-node rule (ClearStaleNodeVisitor).

        A full run owns the whole page: anything it did not write is gone. A fragment run
        owns its own older elements and everything under containers its fragments wrote.
        """
        if not run.fragment_ids:
            self._nodes = {p: n for p, n in self._nodes.items() if n.run_id == run.run_id}
            return
        running = set(run.fragment_ids)
        replaced = {p for p, n in self._nodes.items() if n.is_block and n.fragment_id in running}

        def stale(path: tuple[int, ...], node: _Node) -> bool:
            if node.run_id == run.run_id:
                return False
            if node.fragment_id in running:
                return True
            return any(path[:depth] in replaced for depth in range(1, len(path)))

        self._nodes = {p: n for p, n in self._nodes.items() if not stale(p, n)}

    def _forget_missing_widgets(self) -> None:
        """Browser: widget state for widgets no longer rendered is removed after a run."""
        present = {w.id for w in self.widgets()}
        for widget_id in [i for i in self._widget_values if i not in present]:
            del self._widget_values[widget_id]

    def _expire_pending(self) -> None:
        """Requests no run picked up (e.g. a fragment the server no longer has) are lost."""
        cutoff = time.perf_counter() - self.request_timeout
        for request in [r for r in self._pending if r.sent_at < cutoff]:
            self._drop(request)

    def _drop(self, request: _Request) -> None:
        if request in self._pending:
            self._pending.remove(request)
            self.lost_requests += 1
        if request.future is not None and not request.future.done():
            request.future.cancel()

    def _fail_pending(self, exc: Exception) -> None:
        for request in self._pending:
            if request.future is not None and not request.future.done():
                request.future.set_exception(exc)
                request.future.exception()  # mark retrieved: nobody may be awaiting it
        self._pending = []


def _covers(run: _Run, request: _Request) -> bool:
    """A full run reruns every fragment; a fragment run only its own."""
    return not run.fragment_ids or request.fragment_id in run.fragment_ids


def _user_key(widget_id: str) -> str | None:
    """`$$ID-<hash>-<key>`; "None" when the widget has no key (see state/common.py)."""
    if not widget_id.startswith("$$ID-"):
        return None
    key = widget_id.split("-", maxsplit=2)[-1]
    return None if key == "None" else key


def _widget_state(widget: Widget, field_name: str, value: Any) -> WidgetState:
    """Encode `value` the way the widget's frontend component would."""
    state = WidgetState(id=widget.id)
    options = widget.options
    if field_name == "trigger_value":
        state.trigger_value = bool(value)
    elif field_name == "string_array_value":
        values = [] if value is None else list(value) if isinstance(value, list | tuple | set) else [value]
        # Option widgets send the option's display string (button groups: Option.content;
        # in 1.67 a segmented_control/pills value is a string array, not indices).
        state.string_array_value.data.extend(_option_string(widget, v) if options else str(v) for v in values)
    elif field_name == "string_value":
        state.string_value = _option_string(widget, value) if options else str(value)
    elif field_name == "double_array_value":
        values = list(value) if isinstance(value, list | tuple) else [value]
        state.double_array_value.data.extend(float(v) for v in values)
    elif field_name == "double_value":
        state.double_value = float(value)
    elif field_name == "int_value":
        state.int_value = int(value)
    elif field_name == "bool_value":
        state.bool_value = bool(value)
    elif field_name == "int_array_value":
        state.int_array_value.data.extend(int(v) for v in value)
    elif field_name == "json_value":
        state.json_value = value if isinstance(value, str) else json.dumps(value)
    else:
        raise ValueError(f"unsupported value field {field_name!r}")
    return state


def _option_string(widget: Widget, value: Any) -> str:
    options = widget.options
    text = value if isinstance(value, str) else str(value)
    if text in options:
        return text
    raise ValueError(f"{value!r} is not an option of {widget.key!r}: {options}")


def _element_text(element: Any) -> str:
    kind = element.WhichOneof("type")
    if kind in ("markdown", "text", "heading", "alert"):
        return getattr(element, kind).body
    if kind == "metric":
        metric = element.metric
        return " ".join(part for part in (metric.label, metric.body, metric.delta) if part)
    if kind == "code":
        return element.code.code_text
    if kind == "exception":
        return f"{element.exception.type}: {element.exception.message}"
    return ""
