"""Shared helpers of the project's own tests: free ports, configurations for SUTs that are not the reference
ones (a peer the test itself plays), running cases as a user runs them (``ocpp-conformance run --config``),
and the pieces those peers are made of (a station that connects to the harness, a CSMS server, a webhook
action backend, a peer task in the test's event loop)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, AsyncIterator, Awaitable, Callable

REPO = Path(__file__).resolve().parents[1]
FULL_PICS = REPO / "fixtures" / "pics" / "full.toml"
BOOT = {"reason": "PowerUp", "chargingStation": {"model": "Peer", "vendorName": "Test"}}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --------------------------------------------------------------------------- configurations
def write_peer_config(path: Path, role: str, port: int | None = None, *, message_timeout: float,
                      connect_timeout: float, case_time_limit: float, action_timeout: float = 2,
                      csms_url: str | None = None, name: str | None = None, pics_file: Path | None = None,
                      profiles: str = '["Core"]', timing: str = "", webhook: str | None = None,
                      command: str = "false", extra: str = "") -> Path:
    """A configuration for a SUT played by the test: a station the harness CSMS listens for on 127.0.0.1:``port``,
    or a CSMS at ``csms_url`` (default ws://127.0.0.1:``port``/ocpp). No security profile, one EVSE. The PICS:
    ``pics_file``, else ``profiles`` without optional features. Actions: the ``webhook`` backend at that URL, else
    the shell backend running ``command`` (TOML string content; "false": actions that always fail). ``timing``:
    further [timing] lines; ``extra``: appended at the end (further tables)."""
    if role == "station":
        connection = f'listen_host = "127.0.0.1"\nlisten_port = {port}\npath = "/ocpp"\n'
    else:
        connection = f'csms_url = "{csms_url or f"ws://127.0.0.1:{port}/ocpp"}"\n'
    pics_line = f'pics_file = "{pics_file}"\n' if pics_file else ""
    pics_table = "" if pics_file else f"[pics]\nprofiles = {profiles}\nfeatures = []\n"
    actions = f'backend = "webhook"\nurl = "{webhook}"\n' if webhook else f'backend = "shell"\ncommand = "{command}"\n'
    path.write_text(f"""role = "{role}"
name = "{name or f'test peer ({role})'}"
reference = false
{pics_line}[connection]
{connection}identity = "CS001"
security_profile = 0
[[evse]]
id = 1
connectors = [1]
[id_tokens.valid]
id_token = "VALID001"
[id_tokens.invalid]
id_token = "INVALID001"
[timing]
message_timeout = {message_timeout}
connect_timeout = {connect_timeout}
action_timeout = {action_timeout}
case_time_limit = {case_time_limit}
{timing}{pics_table}[actions]
{actions}{extra}""")
    return path


# --------------------------------------------------------------------------- running cases
@dataclass
class Run:
    """One ``ocpp-conformance run --config`` in a subprocess: exit code, summary.json's cases by id (empty when
    there is no summary), the output (stdout and stderr), the event log's records, the wall time."""
    code: int
    results: dict[str, Any]
    output: str
    elapsed: float
    run_dir: Path
    events: list[dict[str, Any]] = field(default_factory=list)


async def run_cases(config: Path, run_dir: Path, *cases: str, extra: tuple[str, ...] = (),
                    timeout: float = 90) -> Run:
    from conformance.recording import read_log

    args = [a for c in cases for a in ("--case", c)]
    started = time.monotonic()
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "conformance.cli", "run", "--config", str(config), *args, *extra,
        "--run-dir", str(run_dir), cwd=REPO, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
    output, _ = await asyncio.wait_for(proc.communicate(), timeout)
    elapsed = time.monotonic() - started
    summary, log = run_dir / "summary.json", run_dir / "events.jsonl"
    results = {c["id"]: c for c in json.loads(summary.read_text())["cases"]} if summary.exists() else {}
    events = read_log(log) if log.exists() else []
    return Run(proc.returncode or 0, results, output.decode(), elapsed, run_dir, events)


# --------------------------------------------------------------------------- peers in the test's event loop
@contextlib.asynccontextmanager
async def running(coroutine: Awaitable[Any]) -> AsyncIterator[asyncio.Task[Any]]:
    """Runs a peer's coroutine as a task for the block's duration, then cancels it."""
    task = asyncio.ensure_future(coroutine)
    try:
        yield task
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task


def factory_setting(monkeypatch: Any, key: str, actual: str, mutability: str = "ReadOnly") -> None:
    """The reference station's factory setting of ``key`` ("Component.Variable") is ``actual`` with ``mutability``
    for the test (a station whose variable cannot be configured)."""
    from conformance.reference.station import variables as station_variables

    monkeypatch.setattr(station_variables, "FACTORY_SETTINGS", dict(
        station_variables.FACTORY_SETTINGS, **{key: {"Actual": actual, "mutability": mutability}}))


@contextlib.asynccontextmanager
async def reference_station_peer(port: int, *, message_timeout: float, cls: Any = None,
                                 evses: list[tuple[int, list[int]]] | None = None,
                                 settings: dict[tuple[str, str], Any] | None = None,
                                 prepare: Callable[[Any], None] | None = None,
                                 **options: Any) -> AsyncIterator[Any]:
    """The reference station (or its subclass ``cls``) as a peer: CS001 connecting to the harness CSMS on
    127.0.0.1:``port``, its device model variables ``settings`` ((component, variable): value) set and
    ``prepare(station)`` applied before it starts; it stops when the block ends. ``options`` go to the
    constructor (``features``, ``faults``)."""
    from conformance.reference.station import ReferenceStation

    station = (cls or ReferenceStation)(csms_url=f"ws://127.0.0.1:{port}/ocpp", identity="CS001", password=None,
                                        evses=evses or [(1, [1])], message_timeout=message_timeout,
                                        connect_timeout=5, **options)
    for (component, variable), value in (settings or {}).items():
        station.device_model.set_value(component, variable, value)
    if prepare is not None:
        prepare(station)
    await station.start()
    try:
        yield station
    finally:
        await station.stop()


async def connect_to_harness(port: int, identity: str = "CS001") -> Any:
    """A station's WebSocket connection to the harness CSMS on 127.0.0.1:``port``, tried until it listens."""
    from websockets.asyncio.client import connect

    while True:
        try:
            return await connect(f"ws://127.0.0.1:{port}/ocpp/{identity}", subprotocols=["ocpp2.0.1"])
        except OSError:
            await asyncio.sleep(0.05)  # the harness is not listening yet


async def boot(ws: Any) -> None:
    """A station's BootNotification (``BOOT``), its answer awaited and not looked at."""
    await ws.send(json.dumps([2, "boot-1", "BootNotification", BOOT]))
    await ws.recv()


async def booting_station(port: int, on_call: Callable[[Any, list[Any]], Awaitable[bool | None]], *,
                          after_boot: Callable[[Any], Awaitable[None]] | None = None) -> None:
    """A station that connects once, boots (then ``after_boot(ws)``) and hands each CALL of the harness CSMS to
    ``on_call(ws, message)``; a true result ends the session. It then stays away until cancelled."""
    ws = await connect_to_harness(port)
    async with ws:
        await boot(ws)
        if after_boot:
            await after_boot(ws)
        with contextlib.suppress(Exception):
            while True:
                message = json.loads(await ws.recv())
                if message[0] == 2 and await on_call(ws, message):
                    break
    await asyncio.Event().wait()  # connects once


@contextlib.asynccontextmanager
async def csms_server(port: int, handler: Callable[[Any], Awaitable[None]], **options: Any) -> AsyncIterator[Any]:
    """A CSMS played by the test: a WebSocket server on 127.0.0.1:``port`` offering ocpp2.0.1."""
    from websockets.asyncio.server import serve

    server = await serve(handler, "127.0.0.1", port, subprotocols=["ocpp2.0.1"], **options)
    try:
        yield server
    finally:
        server.close()
        await server.wait_closed()


@contextlib.asynccontextmanager
async def answering_csms(port: int, respond: Callable[[str, dict[str, Any]], dict[str, Any] | None]
                         ) -> AsyncIterator[Any]:
    """A minimal CSMS: answers each CALL with ``respond(action, payload)`` (None: no answer)."""
    async def handler(ws: Any) -> None:
        with contextlib.suppress(Exception):
            async for text in ws:
                message = json.loads(text)
                if message[0] == 2 and (answer := respond(message[2], message[3])) is not None:
                    await ws.send(json.dumps([3, message[1], answer]))

    async with csms_server(port, handler) as server:
        yield server


# --------------------------------------------------------------------------- the webhook action backend
async def _webhook(peer: Any, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """``POST /actions/<action>`` (the webhook backend's calling convention) performed by ``peer``."""
    from conformance.actions.port import ActionFailed

    try:
        request_line = (await reader.readline()).decode()
        length = 0
        while (line := (await reader.readline()).decode().strip()):
            name, _, value = line.partition(":")
            if name.lower() == "content-length":
                length = int(value)
        body = json.loads(await reader.readexactly(length) or b"{}")
        action = request_line.split()[1].rsplit("/", 1)[-1]
        try:
            status, result = 200, await peer.perform_action(action, body)
        except ActionFailed as exc:
            status, result = 500, {"error": exc.reason}
        data = json.dumps(result).encode()
        writer.write(f"HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {len(data)}\r\n"
                     f"Connection: close\r\n\r\n".encode() + data)
        await writer.drain()
    finally:
        writer.close()


@contextlib.asynccontextmanager
async def webhook_for(peer: Any) -> AsyncIterator[str]:
    """A webhook action backend (its URL) whose actions ``peer.perform_action`` performs."""
    hook = await asyncio.start_server(lambda r, w: _webhook(peer, r, w), "127.0.0.1", 0)
    try:
        yield f"http://127.0.0.1:{hook.sockets[0].getsockname()[1]}"
    finally:
        hook.close()


@contextlib.asynccontextmanager
async def started_with_webhook(peer: Any) -> AsyncIterator[str]:
    """A reference SUT ``peer`` (its ``start``/``stop``) running in the test's event loop, driven through a
    webhook action backend (its URL)."""
    await peer.start()
    try:
        async with webhook_for(peer) as hook:
            yield hook
    finally:
        await peer.stop()
