"""The ``validate``, ``build`` and ``list`` commands, in-process through ``conformance.cli.main``
(plus a few runs of the installed ``ocpp-conformance`` console script).

``validate`` output is ``<source>:<line>: <message>`` per violation on stdout and one count line on
stderr (see the :mod:`conformance.validate` docstring); exit 0 clean, 1 violations, 2 unreadable.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from conformance import cli
from conformance.cli import main
from conformance.protocol.examples import build_example, iter_message_types
from conformance.protocol.frames import Call, CallError, CallResult, Frame, encode, parse_frame
from conformance.protocol.schemas import get_registry
from conformance.recording import EventLog
from conformance.transport.connection import Connection

FINDING = re.compile(r"^(?P<source>.+?):(?P<line>\d+): (?P<message>.+)$")
COUNT = re.compile(r"^(\d+) frame\(s\) checked, (\d+) violation\(s\)$", re.M)

BOOT = build_example("BootNotification", "request")
BOOT_RESPONSE = build_example("BootNotification", "response")
HEARTBEAT_RESPONSE = {"currentTime": "2025-01-01T00:00:00Z"}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    rc = main(list(argv))
    out, err = capsys.readouterr()
    return rc, out, err


def findings(out: str, source: str) -> dict[int, list[str]]:
    """line number -> messages; every stdout line must have the documented form."""
    by_line: dict[int, list[str]] = {}
    for text in out.splitlines():
        match = FINDING.match(text)
        assert match, f"not '<source>:<line>: <message>': {text!r}"
        assert match["source"] == source
        by_line.setdefault(int(match["line"]), []).append(match["message"])
    return by_line


def counts(err: str) -> tuple[int, int]:
    match = COUNT.search(err)
    assert match, f"no count line on stderr: {err!r}"
    return int(match[1]), int(match[2])


def jsonl(*lines: Any) -> str:
    return "".join((line if isinstance(line, str) else json.dumps(line)) + "\n" for line in lines)


# =========================================================================== validate
# --------------------------------------------------------------------------- single frames
def test_validate_single_valid_frame(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "frame.json"
    path.write_text(json.dumps([2, "m1", "BootNotification", BOOT]))
    rc, out, err = run(capsys, "validate", str(path))
    assert (rc, out) == (0, "")
    assert counts(err) == (1, 0)


def test_validate_single_invalid_frame_names_path_and_keyword(tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "frame.json"
    payload = {"chargingStation": {"model": 1, "vendorName": "v"}}  # model has the wrong type, reason missing
    path.write_text(json.dumps([2, "m1", "BootNotification", payload]))
    rc, out, err = run(capsys, "validate", str(path))
    assert rc == 1
    assert findings(out, str(path)) == {1: [
        'BootNotificationRequest m1: $.chargingStation.model: 1 is not of type "string" '
        "[type -> TypeConstraintViolation]",
        'BootNotificationRequest m1: $.reason: "reason" is a required property '
        "[required -> OccurrenceConstraintViolation]",
    ]}
    assert counts(err) == (1, 2)


def test_validate_pretty_printed_frame_reports_its_first_line(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "frame.json"
    path.write_text("\n\n" + json.dumps([2, "m1", "Heartbeat", {"x": 1}], indent=2) + "\n")
    rc, out, _ = run(capsys, "validate", str(path))
    assert rc == 1
    [(line, [message])] = findings(out, str(path)).items()
    assert line == 3
    assert message.startswith("HeartbeatRequest m1: $.x: ") and message.endswith("[additionalProperties -> FormatViolation]")


# --------------------------------------------------------------------------- raw JSON lines
MIXED_LOG = [
    [2, "b1", "BootNotification", BOOT],                                           # 1 ok
    [2, "h1", "Heartbeat", {}],                                                    # 2 ok (no direction: not judged)
    [3, "h1", HEARTBEAT_RESPONSE],                                                 # 3 ok: Heartbeat schema, by id
    [3, "b1", BOOT_RESPONSE | {"status": "Bogus"}],                                # 4 BootNotificationResponse enum
    [2, "h2", "Heartbeat", {"x": 1}],                                              # 5 additionalProperties
    [4, "h2", "FormatViolation", "extra property", {}],                            # 6 ok: answers h2
    "",                                                                            # 7 blank: ignored
    "this is not json",                                                            # 8 not JSON
    [2, "x1", "Heartbeat"],                                                        # 9 wrong element count
    [2, "x2", "Nope", {}],                                                         # 10 unknown action
    [4, "x2", "NotImplemented", "", {}],                                           # 11 ok: answers x2
    [7, "x3", {}],                                                                 # 12 unknown message type
    [3, "zz", {}],                                                                 # 13 answers no CALL
    [4, "x1", "NoSuchCode", "", {}],                                               # 14 not one of the 12 codes
    [2, "h3", "Heartbeat", {}],                                                    # 15 ok
    [3, "h3", BOOT_RESPONSE],                                                      # 16 Heartbeat schema, not Boot's
    [3, "h3", HEARTBEAT_RESPONSE],                                                 # 17 h3 already answered
]
MIXED_EXPECTED = {
    4: ['BootNotificationResponse b1: $.status: "Bogus" is not one of', "[enum]"],
    5: ["HeartbeatRequest h2: $.x: ", "[additionalProperties -> FormatViolation]"],
    8: ["RpcFrameworkError: message is not valid JSON"],
    9: ["RpcFrameworkError: CALL must have 4 elements, got 3"],
    10: ["NotImplemented: unknown action 'Nope'"],
    12: ["MessageTypeNotSupported: unknown MessageTypeId 7"],
    13: ["CALLRESULT zz answers no CALL in this log"],
    14: ['RpcFrameworkError: CALLERROR errorCode "NoSuchCode" is not one of the Part 4 §4.3 codes'],
    16: ["HeartbeatResponse h3: $.interval: ", "[additionalProperties]"],
    17: ["CALLRESULT h3 answers no CALL in this log"],
}


def test_validate_json_lines_flags_every_violation_on_its_own_line(tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "log.jsonl"
    path.write_text(jsonl(*MIXED_LOG))
    rc, out, err = run(capsys, "validate", str(path))
    assert rc == 1
    found = findings(out, str(path))
    assert sorted(found) == sorted(MIXED_EXPECTED), out
    for line, parts in MIXED_EXPECTED.items():
        messages = [m for m in found[line] if all(p in m for p in parts)]
        assert messages, f"line {line}: expected {parts} in {found[line]}"
    assert found[16] == [m for m in found[16] if m.startswith("HeartbeatResponse h3: ")]  # interval and status
    assert len(found[16]) == 2
    frames = sum(1 for line in MIXED_LOG if line != "")
    assert counts(err) == (frames, sum(len(m) for m in found.values()))
    assert out.splitlines() == sorted(out.splitlines(), key=lambda s: int(FINDING.match(s)["line"]))  # input order


def test_validate_callresult_uses_the_response_schema_of_the_call_with_its_id(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # two CALLs outstanding (no direction: not judged), answered in the other order
    path = tmp_path / "log.jsonl"
    path.write_text(jsonl([2, "a", "BootNotification", BOOT], [2, "b", "Heartbeat", {}],
                          [3, "b", HEARTBEAT_RESPONSE], [3, "a", BOOT_RESPONSE]))
    assert run(capsys, "validate", str(path))[:2] == (0, "")
    path.write_text(jsonl([2, "a", "BootNotification", BOOT], [2, "b", "Heartbeat", {}],
                          [3, "b", BOOT_RESPONSE], [3, "a", HEARTBEAT_RESPONSE]))
    rc, out, _ = run(capsys, "validate", str(path))
    found = findings(out, str(path))
    assert rc == 1 and sorted(found) == [3, 4]
    assert all(m.startswith("HeartbeatResponse b: ") for m in found[3])
    assert any(m.startswith("BootNotificationResponse a: $.interval: ") and m.endswith("[required]") for m in found[4])


def test_validate_callerror_answering_an_unreadable_message(tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "log.jsonl"
    # Part 4 §4.2.3: the id of a message whose id cannot be read is "-1"
    path.write_text(jsonl("[2, 17, 'x']", [4, "-1", "RpcFrameworkError", "", {}], [4, "-1", "RpcFrameworkError", "", {}]))
    rc, out, _ = run(capsys, "validate", str(path))
    found = findings(out, str(path))
    assert rc == 1 and sorted(found) == [1, 3]
    assert found[3] == ["CALLERROR -1 answers no CALL in this log"]


# --------------------------------------------------------------------------- our event log
def connection(log: EventLog, identity: str) -> Connection:
    """A real Connection (no socket) only to record frames exactly as the transport does."""
    return Connection(None, identity=identity, local_role="CSMS", log=log, message_timeout=1.0)


def record(conn: Connection, direction: str, frame: Frame, action: str | None = None) -> None:
    conn._record_frame(direction, encode(frame), frame, action=action)


def write_event_log(path: Path, script: list[tuple[str, str, Frame] | tuple[str, dict[str, Any]]]) -> EventLog:
    """Emit run/case/check events around the frames, as a run does."""
    log = EventLog(path)
    conns: dict[str, Connection] = {}
    log.emit("run_start", suite_version="test")
    log.current_case = "TC_B_01_CS"
    log.emit("case_start", title="Cold Boot Charging Station - Accepted", role="CS", block="B")
    for step in script:
        if len(step) == 2:
            kind, data = step  # type: ignore[misc]
            log.emit(kind, **data)
            continue
        identity, direction, frame = step  # type: ignore[misc]
        conn = conns.setdefault(identity, connection(log, identity))
        record(conn, direction, frame)
        # a check between frames, quoting a frame: skipped because its kind is not "frame"
        log.emit("check", name="frame arrived", passed=True, expected=None, actual=encode(frame), raw="[2]")
    log.emit("note", level="info", message="done", raw="not a frame either")
    log.emit("case_end", verdict="PASS", message="", duration=0.1, phase="call")
    log.close()
    return log


def test_validate_event_log_matches_calls_per_connection_and_direction(tmp_path: Path,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    gv_request = build_example("GetVariables", "request")
    gv_response = build_example("GetVariables", "response")
    reset_response = build_example("Reset", "response")
    path = tmp_path / "events.jsonl"
    write_event_log(path, [
        ("CS001", "in", Call("1", "BootNotification", BOOT)),
        ("CS001", "out", CallResult("1", BOOT_RESPONSE)),
        ("CS001", "out", Call("1", "GetVariables", gv_request)),  # the same id, the other sender: fine
        ("CS002", "out", Call("1", "Reset", {"type": "Immediate"})),  # the same id, another connection
        ("CS002", "in", CallResult("1", reset_response)),  # validated as ResetResponse
        ("CS001", "in", CallResult("1", gv_response)),  # validated as GetVariablesResponse
        ("CS001", "in", Call("2", "Heartbeat", {})),
        ("CS001", "out", CallError("2", "InternalError", "", {})),
    ])
    records = [json.loads(line) for line in path.read_text().splitlines()]
    assert {r["kind"] for r in records} == {"run_start", "case_start", "frame", "check", "note", "case_end"}
    assert all({"direction", "raw", "connection"} <= set(r) for r in records if r["kind"] == "frame")
    rc, out, err = run(capsys, "validate", str(path))
    assert (rc, out) == (0, "")
    assert counts(err) == (8, 0)

    # the responses swapped between the connections: each is judged against its own connection's CALL
    path = tmp_path / "swapped.jsonl"  # (an EventLog appends to an existing file)
    write_event_log(path, [
        ("CS001", "out", Call("1", "GetVariables", gv_request)),
        ("CS002", "out", Call("1", "Reset", {"type": "Immediate"})),
        ("CS002", "in", CallResult("1", gv_response)),
        ("CS001", "in", CallResult("1", reset_response)),
    ])
    rc, out, err = run(capsys, "validate", str(path))
    found = findings(out, str(path))
    lines = path.read_text().splitlines()
    reset_line = next(n for n, text in enumerate(lines, 1) if '"connection":"CS002","local_role":"CSMS","direction":"in"' in text)
    gv_line = next(n for n, text in enumerate(lines, 1) if '"connection":"CS001","local_role":"CSMS","direction":"in"' in text)
    assert rc == 1 and sorted(found) == sorted([reset_line, gv_line])
    assert all(m.startswith("ResetResponse 1: ") for m in found[reset_line])
    assert all(m.startswith("GetVariablesResponse 1: ") for m in found[gv_line])
    assert counts(err)[0] == 4


def test_validate_event_log_response_in_the_same_direction_answers_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "events.jsonl"
    write_event_log(path, [
        ("CS001", "in", Call("k", "Heartbeat", {})),
        ("CS001", "in", CallResult("k", HEARTBEAT_RESPONSE)),  # the station answering its own CALL
        ("CS002", "out", CallResult("k", HEARTBEAT_RESPONSE)),  # on a connection that never saw "k"
        ("CS001", "out", CallResult("k", HEARTBEAT_RESPONSE)),  # the real answer
    ])
    rc, out, _ = run(capsys, "validate", str(path))
    found = findings(out, str(path))
    assert rc == 1 and len(found) == 2
    assert all(ms == ["CALLRESULT k answers no CALL in this log"] for ms in found.values())


def test_validate_event_log_rpc_rules(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "events.jsonl"
    write_event_log(path, [
        ("CS001", "out", Call("a", "Heartbeat", {})),
        ("CS001", "out", Call("b", "Heartbeat", {})),  # "a" unanswered: one-outstanding-call
        ("CS001", "in", CallResult("b", HEARTBEAT_RESPONSE)),
        ("CS001", "out", Call("c", "Heartbeat", {})),  # "a" (timed out?) is not held against it again
        ("CS001", "in", CallResult("c", HEARTBEAT_RESPONSE)),
        ("CS001", "in", Call("c", "Heartbeat", {})),  # the other sender may use "c"
        ("CS001", "out", CallResult("c", HEARTBEAT_RESPONSE)),
        ("CS002", "out", Call("b", "Heartbeat", {})),  # another connection may use "b"
        ("CS002", "in", CallResult("b", HEARTBEAT_RESPONSE)),
        ("CS001", "out", Call("b", "Reset", {"type": "Immediate"})),  # reused by the same sender
        ("CS001", "in", CallResult("b", {"status": "Accepted"})),
        ("connection", {"event": "closed", "connection": "CS001", "reason": "reset"}),
        ("connection", {"event": "opened", "connection": "CS001"}),
        ("CS001", "out", Call("b", "Heartbeat", {})),  # a new WebSocket connection: ids start afresh
        ("CS001", "in", CallResult("b", HEARTBEAT_RESPONSE)),
    ])
    rc, out, err = run(capsys, "validate", str(path))
    found = findings(out, str(path))
    frame_lines = [n for n, text in enumerate(path.read_text().splitlines(), 1) if '"kind":"frame"' in text]
    assert rc == 1
    assert found == {
        frame_lines[1]: ["one-outstanding-call (Part 4 §4.1.1): Heartbeat 'b' sent while the same sender's "
                         f"Heartbeat 'a' (line {frame_lines[0]}) was still unanswered"],
        frame_lines[9]: ["message id reused (Part 4 §4.1.4): Reset 'b': the same sender already used this id "
                         "on this connection"],
    }
    assert counts(err) == (13, 2)


def test_validate_raw_log_without_direction_does_not_judge_rpc_rules(tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    # without directions the two senders cannot be told apart: both may use "1", both may have a CALL open
    path = tmp_path / "log.jsonl"
    path.write_text(jsonl([2, "1", "BootNotification", BOOT], [2, "2", "GetVariables", build_example("GetVariables", "request")],
                          [3, "1", BOOT_RESPONSE], [3, "2", build_example("GetVariables", "response")],
                          [2, "1", "Heartbeat", {}], [3, "1", HEARTBEAT_RESPONSE]))
    assert run(capsys, "validate", str(path))[:2] == (0, "")


def test_validate_event_log_from_a_real_exchange(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import asyncio

    from conformance.catalog import actions_handled_by
    from conformance.transport.client import open_station_connection
    from conformance.transport.server import CsmsServer

    path = tmp_path / "events.jsonl"
    log = EventLog(path)

    async def exchange() -> None:
        server = CsmsServer(host="127.0.0.1", port=0, path="/ocpp", log=log, message_timeout=1.0,
                            security_profile=0, handled_actions=actions_handled_by("CSMS"),
                            default_handler_for=lambda identity: lambda incoming: HEARTBEAT_RESPONSE)
        await server.start()
        try:
            station = await open_station_connection(server.url, "CS001", password=None, log=None,
                                                    message_timeout=1.0, connect_timeout=1.0)
            await server.wait_for_connection("CS001", timeout=1.0)
            for _ in range(2):
                assert (await station.call("Heartbeat", {})).ok
            await station.close()
        finally:
            await server.stop()

    asyncio.run(exchange())
    log.close()
    rc, out, err = run(capsys, "validate", str(path))
    assert (rc, out) == (0, "")
    assert counts(err) == (4, 0)


# --------------------------------------------------------------------------- stdin, empty, unreadable
@pytest.mark.parametrize("argv", [["validate", "-"], ["validate"]], ids=["dash", "no-argument"])
def test_validate_reads_stdin(argv: list[str], monkeypatch: pytest.MonkeyPatch,
                              capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(jsonl(*MIXED_LOG)))
    rc, out, err = run(capsys, *argv)
    assert rc == 1
    assert sorted(findings(out, "<stdin>")) == sorted(MIXED_EXPECTED)
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps([2, "m1", "BootNotification", BOOT])))
    rc, out, err = run(capsys, *argv)
    assert (rc, out, counts(err)) == (0, "", (1, 0))


@pytest.mark.parametrize("text", ["", "\n  \n\n", jsonl({"kind": "run_start"}, {"kind": "case_end"})],
                         ids=["empty", "blank-lines", "no-frame-events"])
def test_validate_input_without_frames_exits_2(text: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))
    rc, out, err = run(capsys, "validate")
    assert (rc, out) == (2, "")
    assert err.strip() == "<stdin>: no frames found in the input"
    path = tmp_path / "empty.jsonl"
    path.write_text(text)
    rc, out, err = run(capsys, "validate", str(path))
    assert (rc, out) == (2, "")
    assert err.strip() == f"{path}: no frames found in the input"


def test_validate_unreadable_input_exits_2_without_traceback(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "missing.jsonl"
    rc, out, err = run(capsys, "validate", str(missing))
    assert (rc, out) == (2, "")
    assert err.strip() == f"cannot read {missing}: No such file or directory"
    rc, out, err = run(capsys, "validate", str(tmp_path))
    assert (rc, out) == (2, "")
    assert err.startswith(f"cannot read {tmp_path}: ")
    binary = tmp_path / "binary.jsonl"
    binary.write_bytes(b"[2, \"1\", \"Heartbeat\", {}]\n\xff\xfe\n")
    rc, out, err = run(capsys, "validate", str(binary))
    assert (rc, out) == (2, "")
    assert err.startswith(f"cannot read {binary}: not UTF-8 text")


def test_validate_event_record_without_raw_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "events.jsonl"
    path.write_text(jsonl({"kind": "frame", "direction": "in", "connection": "CS001"},
                          {"frame": [2, "1", "Heartbeat", {}], "direction": "out"},
                          {"frame": "[3, \"1\", {\"currentTime\": \"2025-01-01T00:00:00Z\"}]", "direction": "in"}))
    rc, out, err = run(capsys, "validate", str(path))
    assert rc == 1
    assert findings(out, str(path)) == {1: ["frame record without the frame's text (raw is NoneType)"]}
    assert counts(err) == (3, 1)


# --------------------------------------------------------------------------- console script
def console_script() -> str:
    found = shutil.which("ocpp-conformance", path=str(Path(sys.executable).parent)) or shutil.which("ocpp-conformance")
    if found is None:
        pytest.skip("the ocpp-conformance console script is not installed")
    return found


def test_console_script_validate(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    path.write_text(jsonl(*MIXED_LOG))
    proc = subprocess.run([console_script(), "validate", str(path)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert sorted(findings(proc.stdout, str(path))) == sorted(MIXED_EXPECTED)
    assert "Traceback" not in proc.stderr
    assert counts(proc.stderr)[1] == len(proc.stdout.splitlines())


def test_console_script_build_frame_piped_into_validate() -> None:
    script = console_script()
    built = subprocess.run([script, "build", "BootNotification", "--full", "--frame"], capture_output=True,
                           text=True, timeout=60, check=True)
    proc = subprocess.run([script, "validate"], input=built.stdout, capture_output=True, text=True, timeout=60)
    assert (proc.returncode, proc.stdout) == (0, "")
    assert counts(proc.stderr) == (1, 0)


# =========================================================================== build
MESSAGE_TYPES = iter_message_types()


def test_build_covers_64_actions() -> None:
    assert len(MESSAGE_TYPES) == 128
    assert len({action for action, _ in MESSAGE_TYPES}) == 64 == len(get_registry().actions)


@pytest.mark.parametrize("full", [False, True], ids=["minimal", "full"])
@pytest.mark.parametrize(("action", "kind"), MESSAGE_TYPES, ids=[f"{a}{k.capitalize()}" for a, k in MESSAGE_TYPES])
def test_build_prints_a_schema_valid_payload(action: str, kind: str, full: bool,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["build", action] + (["--response"] if kind == "response" else []) + (["--full"] if full else [])
    rc, out, err = run(capsys, *argv)
    assert (rc, err) == (0, "")
    payload = json.loads(out)
    assert isinstance(payload, dict)
    assert get_registry().validate(action, kind, payload) == []


def test_build_full_adds_optional_fields(capsys: pytest.CaptureFixture[str]) -> None:
    minimal = json.loads(run(capsys, "build", "BootNotification")[1])
    full = json.loads(run(capsys, "build", "BootNotification", "--full")[1])
    assert set(minimal["chargingStation"]) < set(full["chargingStation"])


@pytest.mark.parametrize(("action", "kind"), [("BootNotification", "request"), ("BootNotification", "response"),
                                              ("Heartbeat", "request"), ("TransactionEvent", "response")])
@pytest.mark.parametrize("full", [False, True], ids=["minimal", "full"])
def test_build_frame_wraps_the_payload(action: str, kind: str, full: bool,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    extra = (["--response"] if kind == "response" else []) + (["--full"] if full else [])
    rc, out, _ = run(capsys, "build", action, "--frame", *extra)
    assert rc == 0
    frame = json.loads(out)
    payload = json.loads(run(capsys, "build", action, *extra)[1])
    if kind == "request":
        assert len(frame) == 4 and frame[0] == 2 and frame[2] == action and frame[3] == payload
        assert isinstance(parse_frame(out), Call)
    else:
        assert len(frame) == 3 and frame[0] == 3 and frame[2] == payload
        assert isinstance(parse_frame(out), CallResult)
    assert isinstance(frame[1], str) and 0 < len(frame[1]) <= 36
    assert get_registry().validate(action, kind, frame[-1]) == []


def test_build_message_type_names(capsys: pytest.CaptureFixture[str]) -> None:
    response = run(capsys, "build", "BootNotification", "--response")
    assert response[0] == 0
    assert run(capsys, "build", "BootNotificationResponse") == response
    assert run(capsys, "build", "BootNotificationRequest", "--response") == response
    request = run(capsys, "build", "BootNotification")
    assert run(capsys, "build", "BootNotificationRequest") == request
    assert request != response
    frame = json.loads(run(capsys, "build", "BootNotificationResponse", "--frame")[1])
    assert frame[0] == 3 and frame[2] == json.loads(response[1])


@pytest.mark.parametrize("name", ["Nope", "BootNotifcation", "BootNotificationReq", "Response"])
def test_build_unknown_action_exits_2_with_the_known_ones(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    rc, out, err = run(capsys, "build", name)
    assert (rc, out) == (2, "")
    assert err.startswith(f"unknown message {name!r}; known: ")
    known = err.splitlines()[0].split("known: ", 1)[1].strip().split(", ")
    assert known == sorted(get_registry().actions) and len(known) == 64
    assert "Traceback" not in err


# =========================================================================== list
CASES_PER_BLOCK = {
    "A": (17, 14), "B": (48, 22), "C": (53, 16), "D": (9, 6), "E": (47, 27), "F": (24, 15),
    "G": (21, 10), "H": (21, 9), "I": (3, 2), "J": (10, 9), "K": (44, 32), "L": (15, 19),
    "M": (25, 18), "N": (52, 29), "O": (32, 21), "P": (3, 2),
}
MUST_BE_IMPLEMENTED = {"TC_B_01_CS", "TC_B_06_CS", "TC_B_01_CSMS", "TC_B_06_CSMS"}


def list_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, Any]:
    rc, out, err = run(capsys, "list", "--json", *argv)
    assert (rc, err) == (0, "")
    return json.loads(out)


def test_list_json_is_the_whole_catalog(capsys: pytest.CaptureFixture[str]) -> None:
    listing = list_json(capsys)
    rows = [r for r in listing["test_cases"] if not r.get("beyond_catalog")]
    assert listing["count"] == len(rows) == 675  # Part 6 and TC_B_58_CSMS (Part 5 erratum 5.10)
    assert len({r["id"] for r in rows}) == 675
    per_block = Counter((r["block"], r["role"]) for r in rows)
    expected = {(block, role): n for block, (cs, csms) in CASES_PER_BLOCK.items()
                for role, n in (("CS", cs), ("CSMS", csms))}
    assert dict(per_block) == expected
    removed = Counter((r["block"], r["role"]) for r in rows if r["removed_by"])
    assert removed == {("A", "CS"): 1, ("A", "CSMS"): 1, ("O", "CS"): 1}  # errata 5.17, 5.20
    assert listing["coverage"] == {f"{b} {r}": {"cases": n - removed[(b, r)], "implemented": sum(
        1 for row in rows if row["block"] == b and row["role"] == r and row["implemented"])}
        for (b, r), n in expected.items()}
    assert sum(n for n in per_block.values()) == 675
    assert Counter(r["role"] for r in rows) == {"CS": 424, "CSMS": 251}
    b58 = next(r for r in rows if r["id"] == "TC_B_58_CSMS")
    assert b58["implemented"] and b58["errata"] == ["5.10"]


def test_list_json_marks_implemented_cases_with_negative_controls(capsys: pytest.CaptureFixture[str]) -> None:
    from conformance.faults import FAULTS

    listing = list_json(capsys)
    implemented = {r["id"]: r for r in listing["test_cases"] if r["implemented"]}
    assert MUST_BE_IMPLEMENTED <= set(implemented)
    assert listing["implemented"] == sum(1 for r in implemented.values() if not r.get("beyond_catalog"))
    for case_id, row in implemented.items():
        assert row["negative_controls"], f"{case_id} has no negative control"
        assert set(row["negative_controls"]) <= set(FAULTS)
    assert all("negative_controls" not in r for r in listing["test_cases"] if not r["implemented"])


def test_list_filters(capsys: pytest.CaptureFixture[str]) -> None:
    everything = list_json(capsys)
    only = list_json(capsys, "--implemented")
    assert only["test_cases"] and all(r["implemented"] for r in only["test_cases"])
    assert {r["id"] for r in only["test_cases"]} == {r["id"] for r in everything["test_cases"] if r["implemented"]}
    assert MUST_BE_IMPLEMENTED <= {r["id"] for r in only["test_cases"]}

    for role, code, n in (("station", "CS", 424), ("CS", "CS", 424), ("csms", "CSMS", 251), ("CSMS", "CSMS", 251)):
        listing = list_json(capsys, "--role", role)
        assert listing["count"] == n and {r["role"] for r in listing["test_cases"]} == {code}

    listing = list_json(capsys, "--block", "B")
    assert listing["count"] == 70 and {r["block"] for r in listing["test_cases"]} == {"B"}
    listing = list_json(capsys, "--block", "b", "--block", "p")
    assert listing["count"] == 70 + 5 and {r["block"] for r in listing["test_cases"]} == {"B", "P"}
    listing = list_json(capsys, "--role", "csms", "--block", "B")
    assert listing["count"] == 22
    assert set(listing["coverage"]) == {"B CSMS"}
    listing = list_json(capsys, "--role", "csms", "--block", "B", "--implemented")
    assert {r["id"] for r in listing["test_cases"]} >= {"TC_B_01_CSMS", "TC_B_06_CSMS"}
    assert all(r["role"] == "CSMS" and r["block"] == "B" and r["implemented"] for r in listing["test_cases"])


def test_list_filters_apply_to_cases_beyond_the_catalog(monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    import importlib

    case_module = importlib.import_module("conformance.harness.case")  # the package exports a `case` function
    own = case_module.CaseMeta("X_G_02_CS", "CS", "G", "Own case", "Own case", ("G01",), (), (),
                               beyond_catalog=True, faults=("some_fault",))
    real = case_module.discover()
    monkeypatch.setattr(case_module, "discover", lambda: real | {own.id: own})
    assert "X_G_02_CS" in {r["id"] for r in list_json(capsys)["test_cases"]}
    assert "X_G_02_CS" in {r["id"] for r in list_json(capsys, "--role", "station", "--block", "G")["test_cases"]}
    assert "X_G_02_CS" not in {r["id"] for r in list_json(capsys, "--role", "csms")["test_cases"]}
    assert "X_G_02_CS" not in {r["id"] for r in list_json(capsys, "--block", "B")["test_cases"]}


def test_list_text_ends_with_the_count_line(capsys: pytest.CaptureFixture[str]) -> None:
    listed = list_json(capsys)["test_cases"]
    implemented = {r["id"] for r in listed if r["implemented"]}
    beyond = sum(1 for r in listed if r.get("beyond_catalog"))  # our own cases (X_G_02_CS ...) are listed too
    rc, out, err = run(capsys, "list")
    assert (rc, err) == (0, "")
    lines = out.rstrip("\n").splitlines()
    assert lines[-1] == f"{675 + beyond} test cases, {len(implemented)} implemented (*)"
    assert lines[-2] == ""
    rows = lines[:-2]
    assert len(rows) == 675 + beyond
    o15 = next(line for line in rows if line[2:].split()[0] == "TC_O_15_CS")
    assert o15.endswith("[removed from certification by Part 5 erratum 5.17]")
    assert {line.split()[1] for line in rows if line.startswith("* ")} == implemented
    rc, out, _ = run(capsys, "list", "--implemented", "--role", "station")
    lines = out.rstrip("\n").splitlines()
    cs = {i for i in implemented if i.endswith("_CS")}
    assert lines[-1] == f"{len(cs)} test cases, {len(cs)} implemented (*)"
    assert all(line.startswith("* ") for line in lines[:-2])


def test_cli_module_exit_codes() -> None:
    assert (cli.EXIT_OK, cli.EXIT_FAILED, cli.EXIT_ERROR) == (0, 1, 2)


def test_list_faults_gives_the_negative_control_matrix(capsys) -> None:
    from conformance.cli import main
    from conformance.faults import FAULTS

    assert main(["list", "--faults", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["faults"]
    assert {r["fault"] for r in rows} == set(FAULTS)
    assert all(r["breaks"] and r["fails"] for r in rows)
    assert main(["list", "--faults"]) == 0
    assert capsys.readouterr().out.rstrip().endswith("cases with a negative control")


# =========================================================================== bad input: one message, the documented exit code
# README "Exit codes": every command says what is wrong once on stderr, exits 2, never prints a traceback.
def bad_input(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    rc, out, err = run(capsys, *argv)
    assert rc == 2, (out, err)
    assert "Traceback" not in out + err and err.strip(), err
    return err


def test_build_takes_a_message_name_in_any_letter_case(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "build", "bootnotification") == run(capsys, "build", "BootNotification")
    assert run(capsys, "build", "HEARTBEATRESPONSE") == run(capsys, "build", "HeartbeatResponse")
    assert "did you mean 'BootNotification'?" in bad_input(capsys, "build", "BootNotifcation")


def test_run_unknown_case_says_did_you_mean(capsys: pytest.CaptureFixture[str]) -> None:
    err = bad_input(capsys, "run", "--case", "TC_B_01_C")
    assert err.strip() == "unknown test case 'TC_B_01_C'; did you mean 'TC_B_01_CS'?"


def test_run_catalog_case_not_implemented_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    assert "in the catalog but not implemented yet" in bad_input(capsys, "run", "--case", "TC_N_01_CS")


def test_run_unknown_block_names_the_blocks(capsys: pytest.CaptureFixture[str]) -> None:
    err = bad_input(capsys, "run", "--block", "Z")
    assert "unknown functional block 'Z'" in err and "blocks with implemented cases: B" in err


def test_run_unknown_fault_without_config_says_did_you_mean(capsys: pytest.CaptureFixture[str]) -> None:
    err = bad_input(capsys, "run", "--fault", "boot_without_reaso")
    assert "unknown fault 'boot_without_reaso'; did you mean 'boot_without_reason'?" in err


def test_run_bad_set_without_config_is_said_once(capsys: pytest.CaptureFixture[str]) -> None:
    err = bad_input(capsys, "run", "--set", "timing.mesage_timeout=3")
    assert "timing.mesage_timeout: unknown key; did you mean 'message_timeout'?" in err
    assert err.count("mesage_timeout: unknown key") == 1  # not once per role


def test_run_fault_of_the_other_sut_with_a_config(capsys: pytest.CaptureFixture[str]) -> None:
    from support import REPO

    err = bad_input(capsys, "run", "--config", str(REPO / "fixtures/reference-csms.toml"), "--fault",
                    "boot_without_reason")
    assert "belong to the reference Charging Station" in err


def test_run_unwritable_run_dir(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a-file").write_text("x")
    assert "cannot write the run folder" in bad_input(capsys, "run", "--case", "TC_B_01_CS", "--run-dir",
                                                      str(tmp_path / "a-file" / "run"))


def test_report_on_a_file_that_is_not_an_event_log(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    log = tmp_path / "notes.txt"
    log.write_text("hello\n{\"a\": 1}\n")
    assert "is not an event log of ocpp-conformance" in bad_input(capsys, "report", str(log))


def test_report_on_a_folder_without_a_log(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert "holds no event log" in bad_input(capsys, "report", str(tmp_path))


def test_report_on_a_missing_log(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert "no such event log" in bad_input(capsys, "report", str(tmp_path / "nope"))


def _event_log(tmp_path: Path) -> Path:
    log = EventLog(tmp_path / "run" / "events.jsonl")
    log.emit("run_start", run_id="r1")
    log.emit("session_start", role="station", sut_name="s", reference=True, faults=[])
    log.close()
    return tmp_path / "run"


def test_report_with_an_out_that_is_an_existing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run_dir = _event_log(tmp_path)
    (tmp_path / "out.html").write_text("x")
    assert "exists and is not a folder" in bad_input(capsys, "report", str(run_dir), "--out",
                                                      str(tmp_path / "out.html"))


def test_report_to_an_unwritable_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run_dir = _event_log(tmp_path)
    (tmp_path / "a-file").write_text("x")
    assert "cannot write the reports" in bad_input(capsys, "report", str(run_dir), "--out",
                                                    str(tmp_path / "a-file" / "out"))


def test_reference_with_an_out_that_is_an_existing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "ref").write_text("x")
    assert "exists and is not a folder" in bad_input(capsys, "reference", "--out", str(tmp_path / "ref"))


def test_validate_a_lone_response_with_action(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "response.json"
    path.write_text(json.dumps([3, "42", BOOT_RESPONSE]))
    rc, out, _ = run(capsys, "validate", str(path))
    assert rc == 1 and "answers no CALL" in out
    assert run(capsys, "validate", "--action", "BootNotification", str(path))[:2] == (0, "")
    path.write_text(json.dumps([3, "42", {"status": "Accepted"}]))
    rc, out, _ = run(capsys, "validate", "--action", "bootnotification", str(path))
    assert rc == 1 and "BootNotificationResponse 42: $" in out
    assert "unknown message 'Nope'" in bad_input(capsys, "validate", "--action", "Nope", str(path))


def test_validate_an_unreadable_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert "cannot read" in bad_input(capsys, "validate", str(tmp_path / "nope.jsonl"))


def _serve(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "conformance.cli", "serve", *argv], capture_output=True, text=True,
                          timeout=30)


def test_serve_on_a_busy_port() -> None:
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        proc = _serve("csms", "--port", str(port))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert f"port {port} is in use, something else listens there" in proc.stderr


def test_serve_on_an_invalid_port() -> None:
    proc = _serve("csms", "--port", "70000")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "70000 is not a port number (0-65535)" in proc.stderr


def test_serve_station_without_a_csms_url() -> None:
    proc = _serve("station")
    assert proc.returncode == 2 and "needs --csms-url" in proc.stderr and "Traceback" not in proc.stderr


def test_run_profile_selects_by_marker(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "conformance.cli", "run", "--role", "station", "--profile", "core",
                           "--case", "TC_B_01_CS", "--run-dir", str(tmp_path / "run")], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert json.loads((tmp_path / "run" / "summary.json").read_text())["cases"][0]["id"] == "TC_B_01_CS"


def test_run_unknown_profile_says_did_you_mean(capsys: pytest.CaptureFixture[str]) -> None:
    assert "did you mean 'Core'?" in bad_input(capsys, "run", "--profile", "Cor")
