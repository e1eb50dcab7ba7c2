"""The action port and its four backends: success and failure paths, all fast and local."""

from __future__ import annotations

import asyncio
import io
import json
import os
import shlex
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from conformance.actions import (
    ACTIONS,
    CSMS_INITIATED_REQUESTS,
    ActionFailed,
    ActionPort,
    PromptBackend,
    ReferenceBackend,
    ShellBackend,
    WebhookBackend,
    make_backend,
    redact,
)
from conformance.actions import prompt as prompt_module
from conformance.actions.port import describe, validate
from conformance.recording import EventLog

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX shell scripts and pipes")


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------


class FakeTarget:
    """A stand-in for the reference SUT."""

    def __init__(self, behaviour=None):
        self.calls: list[tuple[str, dict]] = []
        self.behaviour = behaviour

    async def perform_action(self, action: str, params: dict) -> dict:
        self.calls.append((action, params))
        if self.behaviour is not None:
            return await self.behaviour(action, params)
        return {"performed": action}


def action_events(log: EventLog) -> list[dict]:
    return [e.data for e in log.events("action")]


def script(tmp_path: Path, name: str, body: str) -> str:
    path = tmp_path / name
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(0o755)
    return shlex.quote(str(path))


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # an unreaped zombie (no init reaping in some containers) is dead for our purpose
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        return state != "Z"
    except (OSError, IndexError):
        return True


async def wait_until(predicate, limit: float = 3.0) -> bool:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if predicate():
            return True
        await asyncio.sleep(0.01)
    return predicate()


# --------------------------------------------------------------------------------------------
# the vocabulary, validation, redaction
# --------------------------------------------------------------------------------------------


def test_vocabulary_covers_both_roles():
    station = {n for n, s in ACTIONS.items() if s.role == "station"}
    assert station == {
        "plug_in", "unplug", "present_id_token", "press_start_button", "ev_suspend", "ev_resume",
        "drive_in", "drive_out", "reboot", "power_cycle", "go_offline", "go_online", "fault", "clear_fault",
        "connector_lock_failure", "ev_stop_session", "master_pass_select", "plug_and_charge",
    }  # fmt: skip
    assert {n for n, s in ACTIONS.items() if s.role == "csms"} == {"csms_send", "csms_configure"}
    assert len(CSMS_INITIATED_REQUESTS) == 40 and "Reset" in CSMS_INITIATED_REQUESTS
    assert "BootNotification" not in CSMS_INITIATED_REQUESTS


@pytest.mark.parametrize(
    ("action", "params", "message"),
    [
        ("teleport", {}, "unknown action 'teleport'"),
        ("plug_in", {"evse": 1, "colour": "red"}, "unknown param(s) 'colour'"),
        ("plug_in", {}, "missing required param(s) 'evse'"),
        ("plug_in", {"evse": "1"}, "'evse' must be int"),
        ("plug_in", {"evse": True}, "'evse' must be int"),
        ("plug_in", {"evse": 0}, "'evse' must be >= 1"),
        ("unplug", {"evse": 1, "side": "both"}, "'side' must be one of ev, station"),
        ("present_id_token", {"id_token": "AB", "type": "RFID"}, "'type' must be one of"),
        ("csms_send", {"station": "CS1", "request": "Rest"}, "'request' must be one of"),
        ("csms_send", {"station": "CS1", "request": "Reset", "payload": {"x": {1, 2}}}, "not JSON-serialisable"),
        ("csms_configure", {"setting": "colour", "value": 1}, "'setting' must be one of"),
        ("csms_configure", {"setting": "token_status", "value": "Blocked"}, "needs param(s) 'id_token'"),
        ("csms_configure", {"setting": "token_status", "value": "Nope", "id_token": "A"}, "value must be one of"),
    ],
)
def test_validate_rejects_programming_errors(action, params, message):
    with pytest.raises(ValueError) as info:
        validate(action, params)
    assert message in str(info.value)


def test_validate_accepts_documented_params():
    validate("plug_in", {"evse": 2, "connector": 1}, "station")
    validate("present_id_token", {"id_token": "04A1B2", "type": "ISO14443"}, "station")
    validate("power_cycle", {"off_seconds": 2.5}, "station")
    validate("csms_send", {"station": "CS1", "request": "Reset", "payload": {"type": "Immediate"}}, "csms")
    validate("csms_configure", {"setting": "token_status", "value": "Blocked", "id_token": "A"}, "csms")


def test_redact():
    params = {
        "station": "CS1",
        "password": "hunter2",
        "basicAuthPassword": "x",
        "privateKey": "k",
        "setting": "basic_auth_password",
        "value": "hunter2",
        "payload": {
            "setVariableData": [
                {"variable": {"name": "BasicAuthPassword"}, "component": {"name": "SecurityCtrlr"}, "attributeValue": "pw"},
                {"variable": {"name": "HeartbeatInterval"}, "component": {"name": "OCPPCommCtrlr"}, "attributeValue": "30"},
            ]
        },
        "id_token": "04A1B2",
    }
    out = redact(params)
    assert out["station"] == "CS1" and out["id_token"] == "04A1B2"
    assert out["password"] == out["basicAuthPassword"] == out["privateKey"] == out["value"] == "***"
    data = out["payload"]["setVariableData"]
    assert data[0]["attributeValue"] == "***" and data[1]["attributeValue"] == "30"
    assert "hunter2" not in json.dumps(out) and params["password"] == "hunter2"  # input untouched
    assert "hunter2" not in describe("csms_configure", params)


# --------------------------------------------------------------------------------------------
# ActionPort
# --------------------------------------------------------------------------------------------


async def test_port_records_started_and_ended_events_with_redacted_params():
    log = EventLog()
    target = FakeTarget()
    port = ActionPort(ReferenceBackend(target), log, timeout=5, role="csms")
    result = await port.csms_configure("basic_auth_password", "s3cret-pw", station="CS1")
    assert result == {"performed": "csms_configure"}
    assert target.calls == [("csms_configure", {"setting": "basic_auth_password", "value": "s3cret-pw", "station": "CS1"})]
    started, ended = action_events(log)
    assert started["status"] == "started" and ended["status"] == "ok"
    assert started["action"] == ended["action"] == "csms_configure"
    assert started["backend"] == ended["backend"] == "reference"
    assert started["call"] == ended["call"]
    assert started["params"]["value"] == "***" and started["params"]["station"] == "CS1"
    assert ended["result"] == result and ended["reason"] is None
    assert isinstance(ended["duration"], float) and ended["duration"] >= 0
    assert "s3cret-pw" not in json.dumps([e.to_json() for e in log.events()])


async def test_port_convenience_methods_pass_documented_params():
    target = FakeTarget()
    port = ActionPort(ReferenceBackend(target), EventLog(), timeout=5, role="station")
    await port.plug_in()
    await port.unplug(evse=2, side="station")
    await port.present_id_token("04A1B2")
    await port.reboot()
    await port.fault("over_temperature", evse=1)
    await port.clear_fault()
    assert target.calls == [
        ("plug_in", {"evse": 1, "connector": 1}),
        ("unplug", {"evse": 2, "connector": 1, "side": "station"}),
        ("present_id_token", {"id_token": "04A1B2", "type": "ISO14443"}),
        ("reboot", {}),
        ("fault", {"kind": "over_temperature", "evse": 1}),
        ("clear_fault", {}),
    ]


async def test_port_rejects_unknown_actions_and_role_mismatch_before_recording():
    log = EventLog()
    target = FakeTarget()
    station = ActionPort(ReferenceBackend(target), log, timeout=5, role="station")
    with pytest.raises(ValueError, match="unknown action 'levitate'"):
        await station.do("levitate")
    with pytest.raises(ValueError, match="needs a csms SUT; this port drives a station SUT"):
        await station.csms_send("Reset", "CS1", {"type": "Immediate"})
    csms = ActionPort(ReferenceBackend(target), log, timeout=5, role="csms")
    with pytest.raises(ValueError, match="needs a station SUT"):
        await csms.plug_in()
    with pytest.raises(ValueError, match="unknown param"):
        await station.do("reboot", evse=1)
    assert log.events("action") == [] and target.calls == []
    with pytest.raises(ValueError, match="unknown role"):
        ActionPort(ReferenceBackend(target), log, timeout=5, role="ev")
    with pytest.raises(ValueError, match="timeout"):
        ActionPort(ReferenceBackend(target), log, timeout=0, role="station")


async def test_port_failed_action_is_recorded_and_raised():
    async def refuse(action, params):
        raise ActionFailed(action, params, "relay welded")

    log = EventLog()
    port = ActionPort(ReferenceBackend(FakeTarget(refuse)), log, timeout=5, role="station")
    with pytest.raises(ActionFailed) as info:
        await port.plug_in()
    assert info.value.reason == "relay welded" and info.value.action == "plug_in" and not info.value.timed_out
    _, ended = action_events(log)
    assert ended["status"] == "failed" and ended["reason"] == "relay welded" and ended["result"] is None


async def test_port_times_out_a_backend_that_ignores_its_timeout():
    class Stubborn:
        name = "stubborn"

        async def perform(self, action, params, timeout):
            await asyncio.Event().wait()

    log = EventLog()
    port = ActionPort(Stubborn(), log, timeout=0.05, role="station")
    start = time.monotonic()
    with pytest.raises(ActionFailed) as info:
        await port.reboot()
    assert info.value.timed_out and time.monotonic() - start < 2
    _, ended = action_events(log)
    assert ended["status"] == "timeout" and ended["backend"] == "stubborn"


async def test_port_wraps_a_crashing_backend():
    class Broken:
        name = "broken"

        async def perform(self, action, params, timeout):
            raise KeyError("oops")

    log = EventLog()
    with pytest.raises(ActionFailed, match="crashed: KeyError"):
        await ActionPort(Broken(), log, timeout=1, role="station").go_offline()
    assert action_events(log)[-1]["status"] == "failed"


async def test_port_records_cancellation():
    gate = asyncio.Event()

    async def hang(action, params):
        gate.set()
        await asyncio.Event().wait()

    log = EventLog()
    port = ActionPort(ReferenceBackend(FakeTarget(hang)), log, timeout=5, role="station")
    task = asyncio.create_task(port.go_online())
    await gate.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert action_events(log)[-1]["status"] == "cancelled"


# --------------------------------------------------------------------------------------------
# reference backend
# --------------------------------------------------------------------------------------------


async def test_reference_backend_success_failure_and_timeout():
    backend = ReferenceBackend(FakeTarget())
    assert await backend.perform("reboot", {}, 1) == {"performed": "reboot"}

    async def crash(action, params):
        raise RuntimeError("no EV simulator")

    with pytest.raises(ActionFailed, match="raised RuntimeError: no EV simulator"):
        await ReferenceBackend(FakeTarget(crash)).perform("plug_in", {"evse": 1}, 1)

    async def nothing(action, params):
        return None

    assert await ReferenceBackend(FakeTarget(nothing)).perform("reboot", {}, 1) == {}

    async def hang(action, params):
        await asyncio.Event().wait()

    log = EventLog()
    port = ActionPort(ReferenceBackend(FakeTarget(hang)), log, timeout=0.05, role="station")
    with pytest.raises(ActionFailed) as info:
        await port.reboot()
    assert info.value.timed_out
    assert action_events(log)[-1]["status"] == "timeout"

    with pytest.raises(ValueError, match="perform_action"):
        ReferenceBackend(object())


# --------------------------------------------------------------------------------------------
# shell backend
# --------------------------------------------------------------------------------------------


@posix_only
async def test_shell_success_returns_json_stdout(tmp_path):
    cmd = script(
        tmp_path,
        "ok.sh",
        '[ "$1" = --vendor-flag ] && shift\n'
        'printf \'{"action": "%s", "params": %s, "env": "%s/%s"}\' "$1" "$2" "$OCPP_ACTION" "$OCPP_ACTION_TIMEOUT"\n',
    )
    log = EventLog()
    port = ActionPort(ShellBackend(cmd + " --vendor-flag"), log, timeout=5, role="station")
    # argv = shlex.split(command) + [action, json params]: "--vendor-flag" comes first
    assert await port.plug_in(evse=2) == {"action": "plug_in", "params": {"evse": 2, "connector": 1}, "env": "plug_in/5"}
    result = await ShellBackend(cmd).perform("plug_in", {"evse": 2, "connector": 1}, 5)
    assert result == {"action": "plug_in", "params": {"evse": 2, "connector": 1}, "env": "plug_in/5"}
    assert action_events(log)[-1]["status"] == "ok"


@posix_only
async def test_shell_non_json_or_empty_stdout(tmp_path):
    assert await ShellBackend(script(tmp_path, "quiet.sh", "exit 0\n")).perform("reboot", {}, 5) == {}
    result = await ShellBackend(script(tmp_path, "chatty.sh", "echo rebooting\n")).perform("reboot", {}, 5)
    assert result == {"stdout": "rebooting"}


@posix_only
async def test_shell_non_zero_exit_fails_with_stderr_tail(tmp_path):
    cmd = script(tmp_path, "fail.sh", "echo 'noise' >&2\necho 'relay 2 does not respond' >&2\nexit 3\n")
    log = EventLog()
    port = ActionPort(ShellBackend(cmd), log, timeout=5, role="station")
    with pytest.raises(ActionFailed) as info:
        await port.plug_in()
    assert "exited with status 3" in info.value.reason
    assert "relay 2 does not respond" in info.value.reason
    assert info.value.details["exit_code"] == 3
    assert action_events(log)[-1]["status"] == "failed"


@posix_only
async def test_shell_timeout_kills_the_process_group(tmp_path):
    pidfile = tmp_path / "child.pid"
    cmd = script(tmp_path, "hang.sh", f"sleep 1000 &\necho $! > {shlex.quote(str(pidfile))}\nwait\n")
    log = EventLog()
    port = ActionPort(ShellBackend(cmd), log, timeout=0.5, role="station")
    start = time.monotonic()
    with pytest.raises(ActionFailed) as info:
        await port.power_cycle()
    assert time.monotonic() - start < 2.5
    assert info.value.timed_out and "killed" in info.value.reason
    assert action_events(log)[-1]["status"] == "timeout"
    child = int(pidfile.read_text())
    assert await wait_until(lambda: not alive(child)), "the script's background child survived"


@posix_only
async def test_shell_missing_program(tmp_path):
    with pytest.raises(ActionFailed, match="cannot run"):
        await ShellBackend(str(tmp_path / "nope.sh")).perform("reboot", {}, 1)


# --------------------------------------------------------------------------------------------
# webhook backend
# --------------------------------------------------------------------------------------------


@pytest.fixture
def http_server():
    received: list[dict] = []
    release = threading.Event()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            received.append({"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()}, "body": json.loads(body)})
            if self.path == "/actions/plug_in":
                self._reply(200, {"ok": True, "echo": received[-1]["body"]})
            elif self.path == "/actions/reboot":
                self.send_response(204)
                self.end_headers()
            elif self.path == "/actions/go_offline":
                release.wait(10)
                self._reply(200, {})
            elif self.path == "/actions/go_online":
                self.send_response(302)
                self.send_header("Location", "/elsewhere")
                self.end_headers()
            else:
                self._reply(500, {"reason": "relay stuck"})

        def _reply(self, status, obj):
            data = json.dumps(obj).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the harness gave up waiting (the timeout tests): nobody to answer, nothing to print

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", received
    finally:
        release.set()
        server.shutdown()
        server.server_close()


async def test_webhook_success_returns_json_body(http_server):
    url, received = http_server
    log = EventLog()
    port = ActionPort(WebhookBackend(url + "/", headers={"Authorization": "Bearer t0k"}), log, timeout=5, role="station")
    result = await port.plug_in(evse=1)
    assert result == {"ok": True, "echo": {"evse": 1, "connector": 1}}
    request = received[-1]
    assert request["path"] == "/actions/plug_in"
    assert request["headers"]["content-type"] == "application/json"
    assert request["headers"]["authorization"] == "Bearer t0k"
    assert request["headers"]["x-ocpp-action-timeout"] == "5"
    assert await WebhookBackend(url).perform("reboot", {}, 5) == {}  # 204, no body
    assert action_events(log)[-1]["status"] == "ok"


async def test_webhook_error_status_fails(http_server):
    url, _ = http_server
    log = EventLog()
    port = ActionPort(WebhookBackend(url), log, timeout=5, role="station")
    with pytest.raises(ActionFailed) as info:
        await port.fault("ground_fault")
    assert f"{url}/actions/fault" in info.value.reason and "HTTP 500" in info.value.reason
    assert "relay stuck" in info.value.reason and info.value.details["status"] == 500
    assert action_events(log)[-1]["status"] == "failed"
    with pytest.raises(ActionFailed, match="HTTP 302"):  # redirects are not followed
        await port.go_online()


async def test_webhook_connection_refused():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port_number = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port_number}"
    with pytest.raises(ActionFailed) as info:
        await WebhookBackend(url).perform("reboot", {}, 2)
    assert f"{url}/actions/reboot" in info.value.reason and not info.value.timed_out


async def test_webhook_timeout(http_server):
    url, _ = http_server
    log = EventLog()
    port = ActionPort(WebhookBackend(url), log, timeout=0.3, role="station")
    start = time.monotonic()
    with pytest.raises(ActionFailed) as info:
        await port.go_offline()
    assert info.value.timed_out and time.monotonic() - start < 2
    assert "/actions/go_offline" in info.value.reason
    assert action_events(log)[-1]["status"] == "timeout"


def test_webhook_rejects_a_bad_url():
    with pytest.raises(ValueError, match="http"):
        WebhookBackend("ftp://example")


# --------------------------------------------------------------------------------------------
# prompt backend
# --------------------------------------------------------------------------------------------


async def test_prompt_enter_means_done():
    out = io.StringIO()
    log = EventLog()
    port = ActionPort(PromptBackend(input=io.StringIO("\n"), output=out), log, timeout=5, role="station")
    assert await port.present_id_token("04A1B2", evse=1) == {}
    text = out.getvalue()
    assert "present_id_token" in text and "Present an identification token" in text
    assert "id token: 04A1B2" in text and "type: ISO14443" in text and "Press Enter" in text
    assert action_events(log)[-1]["status"] == "ok"


async def test_prompt_fail_with_reason():
    backend = PromptBackend(input=io.StringIO("what?\nfail broken cable\n"), output=io.StringIO())
    with pytest.raises(ActionFailed) as info:
        await backend.perform("plug_in", {"evse": 1}, 5)
    assert info.value.reason == "operator: broken cable" and not info.value.timed_out
    with pytest.raises(ActionFailed, match="operator: no EV"):
        await PromptBackend(input=io.StringIO("f no EV\n"), output=io.StringIO()).perform("plug_in", {"evse": 1}, 5)


async def test_prompt_eof_fails_immediately():
    log = EventLog()
    port = ActionPort(PromptBackend(input=io.StringIO(""), output=io.StringIO()), log, timeout=30, role="station")
    start = time.monotonic()
    with pytest.raises(ActionFailed, match="no operator input available"):
        await port.reboot()
    assert time.monotonic() - start < 1
    assert action_events(log)[-1]["status"] == "failed"


def test_prompt_without_a_terminal_fails_immediately(monkeypatch):
    """The default input: no controlling terminal and stdin not a TTY (CI) -> no hanging."""
    monkeypatch.setattr(prompt_module, "_open_terminal", lambda: None)
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n"))
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    backend = PromptBackend()
    start = time.monotonic()
    with pytest.raises(ActionFailed, match="no operator input available .input is not a terminal"):
        asyncio.run(backend.perform("reboot", {}, 30))
    assert time.monotonic() - start < 1
    assert make_backend("prompt").name == "prompt"


@posix_only
async def test_prompt_reads_a_pipe_without_blocking_the_loop():
    read_fd, write_fd = os.pipe()
    try:
        backend = PromptBackend(input=read_fd, output=io.StringIO())
        task = asyncio.create_task(backend.perform("unplug", {"evse": 1}, 5))
        ticks = 0
        while not task.done() and ticks < 5:  # the loop keeps running while the prompt waits
            await asyncio.sleep(0)
            ticks += 1
        assert not task.done()
        os.write(write_fd, b"fail: cable locked\n\n")
        with pytest.raises(ActionFailed, match="operator: cable locked"):
            await task
        assert await backend.perform("unplug", {"evse": 1}, 5) == {}  # the buffered second line
        os.close(write_fd)
        write_fd = -1
        with pytest.raises(ActionFailed, match="input closed"):
            await backend.perform("unplug", {"evse": 1}, 5)
    finally:
        os.close(read_fd)
        if write_fd >= 0:
            os.close(write_fd)


@posix_only
async def test_prompt_no_answer_times_out():
    read_fd, write_fd = os.pipe()
    try:
        out = io.StringIO()
        log = EventLog()
        port = ActionPort(PromptBackend(input=read_fd, output=out), log, timeout=0.2, role="station")
        start = time.monotonic()
        with pytest.raises(ActionFailed) as info:
            await port.go_offline()
        assert info.value.timed_out and time.monotonic() - start < 1.5
        assert action_events(log)[-1]["status"] == "timeout"
        assert "timed out" in out.getvalue()
        # nothing left listening on the fd: a later answer is read by the next prompt
        os.write(write_fd, b"\n")
        assert await PromptBackend(input=read_fd, output=io.StringIO()).perform("go_online", {}, 5) == {}
    finally:
        os.close(read_fd)
        os.close(write_fd)


@posix_only
async def test_prompt_require_tty_rejects_a_pipe():
    read_fd, write_fd = os.pipe()
    try:
        with pytest.raises(ActionFailed, match="not a terminal"):
            await PromptBackend(input=read_fd, output=io.StringIO(), require_tty=True).perform("reboot", {}, 5)
    finally:
        os.close(read_fd)
        os.close(write_fd)


async def test_prompt_hides_secrets():
    out = io.StringIO()
    log = EventLog()
    port = ActionPort(PromptBackend(input=io.StringIO("\n"), output=out), log, timeout=5, role="csms")
    await port.csms_configure("basic_auth_password", "hunter2-secret", station="CS1")
    assert "hunter2-secret" not in out.getvalue() and "station: CS1" in out.getvalue()
    assert "hunter2-secret" not in json.dumps([e.to_json() for e in log.events()])


# --------------------------------------------------------------------------------------------
# make_backend
# --------------------------------------------------------------------------------------------


def test_make_backend():
    assert make_backend("shell", command="./actions.sh --x").argv == ["./actions.sh", "--x"]
    assert make_backend("webhook", url="http://sut:8080", headers={"A": "b"}).name == "webhook"
    assert make_backend("reference", target=FakeTarget()).name == "reference"
    assert make_backend("prompt", input=io.StringIO(), output=io.StringIO()).name == "prompt"
    with pytest.raises(ValueError, match="'shell' needs a command"):
        make_backend("shell")
    with pytest.raises(ValueError, match="'webhook' needs a url"):
        make_backend("webhook")
    with pytest.raises(ValueError, match="'reference' needs a target"):
        make_backend("reference")
    with pytest.raises(ValueError, match="unknown action backend 'carrier-pigeon'"):
        make_backend("carrier-pigeon")
