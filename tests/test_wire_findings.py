"""Issue 8 §1 end to end: what the harness sees on the wire, the verdict judges. Each observed miss is a
small misbehaving peer that makes the right case FAIL for the right reason; conformant peers doing an
allowed variant PASS. ``validate`` over the run's log reports what the run judged (one rule set)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from pathlib import Path
from typing import Any, Awaitable, Callable

import pytest
from websockets.asyncio.client import connect
from websockets.asyncio.server import ServerConnection, serve

from conformance.protocol.examples import build_example
from conformance.recording import FINDINGS_PER_RULE, read_log
from conformance.validate import validate_stream
from support import BOOT, answering_csms, connect_to_harness, csms_server, free_port, running
from test_misbehaving_sut import run_case, write_config

NOW = "2026-01-01T00:00:00.000Z"
STATUS = {"timestamp": NOW, "connectorStatus": "Available", "evseId": 1, "connectorId": 1}
# on_call(ws, action, payload) -> the response payload, None for an example response, ANSWERED when it
# sent the answer itself
OnCall = Callable[[Any, str, dict[str, Any]], Awaitable[dict[str, Any] | None]]


class Peer:
    """A scripted station: boots properly, then answers the harness CSMS through ``on_call``."""

    def __init__(self, on_call: OnCall | None = None, *, binary: bool = False) -> None:
        self.on_call = on_call
        self.binary = binary
        self.connections = 0
        self.ids = iter(range(1, 10**9))
        self.current_id = ""  # the id of the harness CALL being answered

    async def send(self, ws: Any, message: list[Any] | str | bytes) -> None:
        text = message if isinstance(message, (str, bytes)) else json.dumps(message)
        await ws.send(text.encode() if self.binary and isinstance(text, str) else text)

    async def call(self, ws: Any, action: str, payload: dict[str, Any]) -> None:
        """Send a CALL and wait for its answer (answering the harness's CALLs meanwhile)."""
        message_id = f"peer-{next(self.ids)}"
        await self.send(ws, [2, message_id, action, payload])
        while True:
            message = json.loads(await ws.recv())
            if message[0] in (3, 4) and message[1] == message_id:
                return
            if message[0] == 2:
                await self.answer(ws, message)

    async def answer(self, ws: Any, message: list[Any]) -> None:
        _, message_id, action, payload = message
        self.current_id = message_id
        result = await self.on_call(ws, action, payload) if self.on_call else None
        if result is ANSWERED:
            return
        await self.send(ws, [3, message_id, result if result is not None else build_example(action, "response")])

    async def run(self, port: int) -> None:
        while True:
            ws = await connect_to_harness(port)
            self.connections += 1
            with contextlib.suppress(Exception):
                async with ws:
                    if self.connections == 1:
                        await self.call(ws, "BootNotification", BOOT)
                        await self.call(ws, "StatusNotification", STATUS)
                    while True:
                        message = json.loads(await ws.recv())
                        if message[0] == 2:
                            await self.answer(ws, message)
            await asyncio.sleep(0.05)


ANSWERED: dict[str, Any] = {}  # on_call's result when it sent the answer itself


def station(port: int, peer: Peer) -> contextlib.AbstractAsyncContextManager[Any]:
    return running(peer.run(port))


def generic_checks(run_dir: Path, case: str) -> list[dict[str, Any]]:
    return [e for e in read_log(run_dir / "events.jsonl")
            if e.get("kind") == "check" and e.get("generic") and e.get("case") == case]


async def run_station_case(tmp_path: Path, peer: Peer, case: str = "TC_P_01_CS",
                           extra_config: str = "") -> tuple[int, dict[str, Any], str, Path]:
    port = free_port()
    config = write_config(tmp_path / "sut.toml", "station", port)
    if extra_config:
        text = config.read_text().replace("[connection]\n", f"[connection]\n{extra_config}\n")
        config.write_text(text)
    run_dir = tmp_path / "run"
    async with station(port, peer):
        code, results, output, _ = await run_case(config, case, run_dir)
    return code, results, output, run_dir


def assert_validate_agrees(run_dir: Path) -> None:
    """``validate`` over the run's log finds, for the SUT's frames, exactly the (frame, rule) pairs the run
    recorded as generic findings (the run caps them per rule per case: compare the recorded ones)."""
    records = read_log(run_dir / "events.jsonl")
    judged = {(e.get("frame_index"), e["rule"]) for e in records
              if e.get("kind") == "check" and e.get("generic") and not e.get("summary")
              and e["rule"] != "connection-close"}
    report = validate_stream((run_dir / "events.jsonl").read_text())
    validated = {(f.frame_index, f.rule) for f in report.findings if f.direction == "in" and f.rule != "connection-close"}
    assert judged <= validated
    capped = {rule for _, rule in validated if sum(1 for _, r in validated if r == rule) > FINDINGS_PER_RULE}
    assert {p for p in validated if p[1] not in capped} == {p for p in judged if p[1] not in capped}


# --------------------------------------------------------------------------- misbehaving stations
async def test_data_transfer_response_with_a_bad_status_info_fails_tc_p_01_cs(tmp_path: Path) -> None:
    async def on_call(ws: Any, action: str, payload: dict[str, Any]) -> dict[str, Any] | None:
        if action == "DataTransfer":
            return {"status": "UnknownVendorId", "statusInfo": "not an object", "extra": 1}
        return None

    code, results, output, run_dir = await run_station_case(tmp_path, Peer(on_call))
    assert code == 1, output
    result = results["TC_P_01_CS"]
    assert result["verdict"] == "FAIL", output
    assert "DataTransferResponse conforms to its JSON schema" in result["message"]
    [finding] = generic_checks(run_dir, "TC_P_01_CS")
    assert finding["requirements"] == ["schema DataTransferResponse"]
    assert "$.statusInfo" in finding["actual"] and "$.extra" in finding["actual"] and finding["message_id"]
    assert_validate_agrees(run_dir)


def mid_case(send: Callable[[Peer, Any], Awaitable[None]]) -> Callable[[Peer], OnCall]:
    """A peer that does ``send`` when the case's DataTransfer arrives, then answers it conformantly."""
    def make(peer: Peer) -> OnCall:
        async def on_call(ws: Any, action: str, payload: dict[str, Any]) -> dict[str, Any] | None:
            if action == "DataTransfer":
                await send(peer, ws)
                return {"status": "UnknownVendorId"}
            return None
        return on_call
    return make


async def _invalid_heartbeat(peer: Peer, ws: Any) -> None:
    await peer.send(ws, [2, "hb-bad", "Heartbeat", {"bogus": 1}])


async def _ghost_result(peer: Peer, ws: Any) -> None:
    await peer.send(ws, [3, "never-sent", {"currentTime": NOW}])


async def _reused_id(peer: Peer, ws: Any) -> None:
    await peer.send(ws, [2, "dup", "Heartbeat", {}])
    await peer.send(ws, [2, "dup", "StatusNotification", STATUS])


async def _flood(peer: Peer, ws: Any) -> None:
    for i in range(2000):
        await peer.send(ws, [2, f"flood-{i}", "Heartbeat", {}])


MID_CASE = {
    "invalid-heartbeat": (_invalid_heartbeat, "request-schema", "HeartbeatRequest conforms to its JSON schema"),
    "callresult-for-no-call": (_ghost_result, "response-matches-call", "answers an outstanding CALL"),
    "reused-message-id": (_reused_id, "unique-message-id", "new message id"),
}


@pytest.mark.parametrize("mode", sorted(MID_CASE))
async def test_a_violation_mid_case_fails_the_case(mode: str, tmp_path: Path) -> None:
    send, rule, headline = MID_CASE[mode]
    peer = Peer()
    peer.on_call = mid_case(send)(peer)
    code, results, output, run_dir = await run_station_case(tmp_path, peer)
    assert code == 1, output
    result = results["TC_P_01_CS"]
    assert result["verdict"] == "FAIL", output
    assert headline in result["message"], result["message"]
    assert rule in {f["rule"] for f in generic_checks(run_dir, "TC_P_01_CS")}
    assert_validate_agrees(run_dir)


async def test_binary_frames_fail_and_the_run_exits_1(tmp_path: Path) -> None:
    async def nothing(peer: Peer, ws: Any) -> None:
        pass

    peer = Peer(binary=True)
    peer.on_call = mid_case(nothing)(peer)
    code, results, output, run_dir = await run_station_case(tmp_path, peer)
    assert code == 1, output
    assert results["TC_P_01_CS"]["verdict"] == "FAIL", output
    assert "text frames" in results["TC_P_01_CS"]["message"]
    assert {f["rule"] for f in generic_checks(run_dir, "TC_P_01_CS")} == {"text-frame"}


async def test_a_flood_of_concurrent_calls_is_noted_without_a_giant_log(tmp_path: Path) -> None:
    peer = Peer()
    peer.on_call = mid_case(_flood)(peer)
    code, results, output, run_dir = await run_station_case(tmp_path, peer)
    assert results["TC_P_01_CS"]["verdict"] == "FAIL", output
    findings = generic_checks(run_dir, "TC_P_01_CS") + [
        e for e in read_log(run_dir / "events.jsonl") if e.get("kind") == "check" and e.get("late")]
    outstanding = [f for f in findings if f["rule"] == "one-outstanding-call"]
    assert 1 <= len([f for f in outstanding if not f.get("summary")]) <= FINDINGS_PER_RULE
    assert len(findings) <= 3 * (FINDINGS_PER_RULE + 1)
    assert "OCPP-J Part 4 §4.1.1" in outstanding[0]["requirements"]


@pytest.mark.parametrize("when", ["before-answering", "after-answering"])
async def test_a_message_too_big_closes_with_1009_and_fails_the_case(when: str, tmp_path: Path) -> None:
    """Before answering: the harness's DataTransfer is outstanding at the close. After answering: the case may
    have ended before the close, which is then judged against it (late) and still makes it FAIL."""
    big = [2, "big", "DataTransfer", {"vendorId": "x", "data": "y" * 4096}]

    def make(peer: Peer) -> OnCall:
        async def on_call(ws: Any, action: str, payload: dict[str, Any]) -> dict[str, Any] | None:
            if action != "DataTransfer":
                return None
            if when == "before-answering":
                await peer.send(ws, big)
                return {"status": "UnknownVendorId"}
            await peer.send(ws, [3, peer.current_id, {"status": "UnknownVendorId"}])
            await peer.send(ws, big)
            return ANSWERED
        return on_call

    peer = Peer()
    peer.on_call = make(peer)
    code, results, output, run_dir = await run_station_case(tmp_path, peer, extra_config="max_frame_size = 2048")
    assert code == 1, output
    result = results["TC_P_01_CS"]
    assert result["verdict"] == "FAIL", output
    assert "1009" in result["message"], result["message"]
    closes = [f for f in generic_checks(run_dir, "TC_P_01_CS") if f["rule"] == "connection-close"]
    assert closes and "1009" in closes[0]["actual"] and "message too big" in closes[0]["actual"]


# --------------------------------------------------------------------------- conformant variants PASS
async def test_unsolicited_messages_optional_fields_absent_and_a_retry_pass(tmp_path: Path) -> None:
    async def variants(peer: Peer, ws: Any) -> None:
        await peer.call(ws, "Heartbeat", {})
        await peer.call(ws, "StatusNotification", STATUS)  # no customData, optional fields absent
        await peer.send(ws, [2, "mv-1", "MeterValues", {"evseId": 1, "meterValue": [
            {"timestamp": NOW, "sampledValue": [{"value": 1.0}]}]}])
        await ws.recv()
        # errata 2024-09 §4.1.4: the same message again with the same id (as if the response was lost)
        await peer.send(ws, [2, "mv-1", "MeterValues", {"evseId": 1, "meterValue": [
            {"timestamp": NOW, "sampledValue": [{"value": 1.0}]}]}])
        await ws.recv()

    peer = Peer()
    peer.on_call = mid_case(variants)(peer)
    code, results, output, run_dir = await run_station_case(tmp_path, peer)
    assert results["TC_P_01_CS"]["verdict"] == "PASS", output
    assert code == 0, output
    assert generic_checks(run_dir, "TC_P_01_CS") == []
    assert_validate_agrees(run_dir)


# --------------------------------------------------------------------------- misbehaving CSMS
csms_peer = answering_csms


async def test_csms_boot_response_without_current_time_fails_tc_b_01_csms(tmp_path: Path) -> None:
    def respond(action: str, payload: dict[str, Any]) -> dict[str, Any]:
        if action == "BootNotification":
            return {"interval": 300, "status": "Accepted"}  # currentTime is required
        return build_example(action, "response")

    port = free_port()
    config = write_config(tmp_path / "sut.toml", "csms", port)
    async with csms_peer(port, respond):
        code, results, output, _ = await run_case(config, "TC_B_01_CSMS", tmp_path / "run")
    assert code == 1, output
    result = results["TC_B_01_CSMS"]
    assert result["verdict"] == "FAIL", output
    assert "BootNotificationResponse conforms to its JSON schema" in result["message"], result["message"]
    assert "currentTime" in result["message"]
    assert_validate_agrees(tmp_path / "run")


async def test_csms_that_answers_conformantly_passes_tc_b_01_csms(tmp_path: Path) -> None:
    def respond(action: str, payload: dict[str, Any]) -> dict[str, Any]:
        if action == "BootNotification":
            return {"currentTime": NOW, "interval": 300, "status": "Accepted"}
        return build_example(action, "response")

    port = free_port()
    config = write_config(tmp_path / "sut.toml", "csms", port)
    async with csms_peer(port, respond):
        code, results, output, _ = await run_case(config, "TC_B_01_CSMS", tmp_path / "run")
    assert results["TC_B_01_CSMS"]["verdict"] == "PASS", output
    assert code == 0


# --------------------------------------------------------------------------- connection problems say what they are
async def test_a_station_with_another_identity_is_named(tmp_path: Path) -> None:
    port = free_port()
    config = write_config(tmp_path / "sut.toml", "station", port)

    async def other_identity() -> None:
        while True:
            async with await connect_to_harness(port, "CS-7") as ws:
                await ws.send(json.dumps([2, "b1", "BootNotification", BOOT]))
                await asyncio.Event().wait()

    async with running(other_identity()):
        code, results, output, _ = await run_case(config, "TC_P_01_CS", tmp_path / "run")
    assert code == 1
    assert "a station connected as 'CS-7', the configuration expects 'CS001'" in results["TC_P_01_CS"]["message"]


async def test_http_401_from_a_csms_names_the_credentials(tmp_path: Path) -> None:
    from http import HTTPStatus

    def refuse(connection: ServerConnection, request: Any) -> Any:
        return connection.respond(HTTPStatus.UNAUTHORIZED, "who are you\n")

    port = free_port()
    config = write_config(tmp_path / "sut.toml", "csms", port)
    async with csms_server(port, lambda ws: ws.close(), process_request=refuse):
        code, results, output, _ = await run_case(config, "TC_B_01_CSMS", tmp_path / "run")
    assert code == 1, output
    assert "HTTP 401" in results["TC_B_01_CSMS"]["message"]
    assert "connection.password" in results["TC_B_01_CSMS"]["message"]


async def test_a_refused_tls_handshake_names_the_certificate_problem() -> None:
    from conformance.protocol.errors import PeerRefused
    from conformance.transport.client import open_station_connection
    from conformance.transport.tls import client_context, issue_server, make_root, server_context

    served_by, trusted = make_root("served root"), make_root("another root")
    server = await serve(lambda ws: ws.close(), "127.0.0.1", 0, subprotocols=["ocpp2.0.1"],
                         ssl=server_context(issue_server(served_by, ["127.0.0.1"])))
    port = next(iter(server.sockets)).getsockname()[1]
    try:
        with pytest.raises(PeerRefused) as failure:
            await open_station_connection(f"wss://127.0.0.1:{port}/ocpp", "CS001", password=None, log=None,
                                          message_timeout=1.0, connect_timeout=2.0,
                                          ssl_context=client_context([trusted.certificate_pem]))
    finally:
        server.close()
        await server.wait_closed()
    assert "certificate" in str(failure.value).lower() and "CERTIFICATE_VERIFY_FAILED" in str(failure.value)


# --------------------------------------------------------------------------- SUT-caused closes, expected closes
async def _invalid_utf8(peer: Peer, ws: Any) -> None:
    await ws.send(b'[2,"u1","Heartbeat",{"x":"\xff"}]', text=True)


async def _abort(peer: Peer, ws: Any) -> None:
    ws.transport.abort()


async def _close_unanswered(peer: Peer, ws: Any) -> None:
    await ws.close(1000, "bye")


SUT_CLOSES = {
    "invalid-utf8": (_invalid_utf8, "1007"),
    "tcp-abort": (_abort, "without a WebSocket close frame"),
    "close-while-a-call-is-outstanding": (_close_unanswered, "outstanding"),
}


@pytest.mark.parametrize("mode", sorted(SUT_CLOSES))
async def test_a_close_caused_by_the_sut_fails_the_case_with_its_cause(mode: str, tmp_path: Path) -> None:
    """The SUT closes (or breaks) the connection while the harness's DataTransferRequest is unanswered."""
    misbehave, cause = SUT_CLOSES[mode]

    def make(peer: Peer) -> OnCall:
        async def on_call(ws: Any, action: str, payload: dict[str, Any]) -> dict[str, Any] | None:
            if action == "DataTransfer":
                await misbehave(peer, ws)
                return ANSWERED
            return None
        return on_call

    peer = Peer()
    peer.on_call = make(peer)
    code, results, output, run_dir = await run_station_case(tmp_path, peer)
    assert code == 1, output
    assert results["TC_P_01_CS"]["verdict"] == "FAIL", output
    closes = [f for f in generic_checks(run_dir, "TC_P_01_CS") if f["rule"] == "connection-close"]
    assert closes and cause in closes[0]["actual"], closes
    assert "OCPP-J Part 4 §5" in closes[0]["requirements"]


async def test_an_expected_close_is_no_finding_and_an_unexpected_one_is() -> None:
    """Connection level: a TCP abort after the case declared a reboot (expect_close) is no finding."""
    from conformance.recording import EventLog
    from conformance.transport.server import CsmsServer

    for expected in (False, True):
        log = EventLog()
        log.current_case = "TC_X"
        server = CsmsServer(host="127.0.0.1", port=0, path="/ocpp", log=log, message_timeout=1.0, security_profile=0)
        await server.start()
        try:
            ws = await connect(f"{server.url}/CS001", subprotocols=["ocpp2.0.1"])
            conn = await server.wait_for_connection("CS001", timeout=2.0)
            if expected:
                conn.expect_close("the case sent a ResetRequest")
            ws.transport.abort()
            assert await conn.wait_closed(2.0)
        finally:
            await server.stop()
        findings = [e for e in log.events("check") if e.data.get("rule") == "connection-close"]
        assert (findings == []) is expected, findings
        closed = [e for e in log.events("connection") if e.data.get("event") == "closed"]
        assert closed[-1].data["by"] == "abort"


async def test_a_stale_reply_a_csms_replays_on_a_new_connection_fails(tmp_path: Path) -> None:
    """A CALLRESULT for a CALL never sent on this connection (e.g. a reply queued for the previous one)."""
    port = free_port()
    config = write_config(tmp_path / "sut.toml", "csms", port)

    async def handler(ws: ServerConnection) -> None:
        with contextlib.suppress(Exception):
            await ws.send(json.dumps([3, "reply-for-the-old-connection", {"currentTime": NOW}]))
            async for text in ws:
                message = json.loads(text)
                if message[0] == 2:
                    payload = {"currentTime": NOW, "interval": 300, "status": "Accepted"} \
                        if message[2] == "BootNotification" else build_example(message[2], "response")
                    await ws.send(json.dumps([3, message[1], payload]))

    async with csms_server(port, handler):
        code, results, output, run_dir = await run_case(config, "TC_B_01_CSMS", tmp_path / "run")
    assert code == 1, output
    assert results["TC_B_01_CSMS"]["verdict"] == "FAIL", output
    assert "reply-for-the-old-connection" in results["TC_B_01_CSMS"]["message"]
    assert_validate_agrees(tmp_path / "run")
