"""The asyncio/websockets layer: both roles, recording, and peers that misbehave.

Every test runs on loopback and is bounded by short timeouts: nothing may hang.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import time
from typing import Any, AsyncIterator

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from conformance.protocol.errors import LocalError, PeerClosed, PeerMalformed, PeerRefused, PeerTimeout
from conformance.protocol.frames import CallError
from conformance.recording import EventLog
from conformance.catalog import actions_handled_by
from conformance.transport.client import open_station_connection
from conformance.transport.connection import Connection, IncomingCall, matches
from conformance.transport.server import CsmsServer

TIMEOUT = 1.0


def heartbeat_handler(identity: str):
    def handle(incoming: IncomingCall) -> dict[str, Any]:
        return {"currentTime": "2025-01-01T00:00:00Z"}
    return handle


@contextlib.asynccontextmanager
async def harness_csms(log: EventLog, **kwargs: Any) -> AsyncIterator[CsmsServer]:
    server = CsmsServer(host="127.0.0.1", port=0, path="/ocpp", log=log, message_timeout=TIMEOUT,
                        handled_actions=actions_handled_by("CSMS"), default_handler_for=heartbeat_handler, **kwargs)
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


async def raw_station(server: CsmsServer, identity: str = "CS001", *, password: str | None = None,
                      subprotocols: list[str] | None = None):
    headers = {}
    if password is not None:
        headers["Authorization"] = "Basic " + base64.b64encode(f"{identity}:{password}".encode()).decode()
    return await connect(f"{server.url}/{identity}", subprotocols=subprotocols or ["ocpp2.0.1"],
                         additional_headers=headers, open_timeout=TIMEOUT)


async def test_station_and_csms_exchange_and_every_frame_is_recorded() -> None:
    log = EventLog()
    async with harness_csms(log, security_profile=0) as server:
        station = await open_station_connection(server.url, "CS001", password=None, log=None, message_timeout=TIMEOUT,
                                                connect_timeout=TIMEOUT)
        conn = await server.wait_for_connection("CS001", timeout=TIMEOUT)
        response = await station.call("Heartbeat", {})
        assert response.ok and response.payload == {"currentTime": "2025-01-01T00:00:00Z"}
        incoming = await conn.expect_call("Heartbeat")
        assert incoming.response == {"currentTime": "2025-01-01T00:00:00Z"}
        await station.close()
    frames = log.events("frame")
    assert [(f.data["direction"], f.data["message_type"]) for f in frames] == [("in", "CALL"), ("out", "CALLRESULT")]
    assert all(f.data["valid"] for f in frames)
    assert frames[0].data["action"] == "Heartbeat" and frames[1].data["action"] == "Heartbeat"


async def test_identity_is_percent_decoded_from_the_path() -> None:
    async with harness_csms(EventLog(), security_profile=0) as server:
        station = await open_station_connection(server.url, "RDAM 123", password=None, log=None,
                                                message_timeout=TIMEOUT, connect_timeout=TIMEOUT)
        conn = await server.wait_for_connection("RDAM 123", timeout=TIMEOUT)
        assert conn.identity == "RDAM 123"
        await station.close()


async def test_client_without_the_subprotocol_is_accepted_then_closed() -> None:
    """Part 4 §3.2: finish the handshake without Sec-WebSocket-Protocol, then close at once."""
    async with harness_csms(EventLog(), security_profile=0) as server:
        ws = await connect(f"{server.url}/CS001", subprotocols=["ocpp1.6"], open_timeout=TIMEOUT)
        assert ws.subprotocol is None
        with pytest.raises(ConnectionClosed):
            await asyncio.wait_for(ws.recv(), TIMEOUT)
        assert ws.close_code == 1002


async def test_basic_auth_is_checked_for_security_profile_1() -> None:
    async with harness_csms(EventLog(), security_profile=1, passwords={"CS001": "s3cret-password-123"}) as server:
        with pytest.raises(PeerRefused, match="HTTP 401"):
            await open_station_connection(server.url, "CS001", password="wrong-password-1234", log=None,
                                          message_timeout=TIMEOUT, connect_timeout=TIMEOUT)
        with pytest.raises(PeerRefused, match="HTTP 401"):
            await open_station_connection(server.url, "CS001", password=None, log=None,
                                          message_timeout=TIMEOUT, connect_timeout=TIMEOUT)
        ok = await open_station_connection(server.url, "CS001", password="s3cret-password-123", log=None,
                                           message_timeout=TIMEOUT, connect_timeout=TIMEOUT)
        assert (await ok.call("Heartbeat", {})).ok
        assert [h.auth_ok for h in server.handshakes] == [False, False, True]
        await ok.close()


async def test_several_stations_at_once() -> None:
    async with harness_csms(EventLog(), security_profile=0) as server:
        stations = [await open_station_connection(server.url, f"CS{i:03}", password=None, log=None,
                                                  message_timeout=TIMEOUT, connect_timeout=TIMEOUT)
                    for i in range(5)]
        results = await asyncio.gather(*(s.call("Heartbeat", {}) for s in stations))
        assert all(r.ok for r in results)
        assert set(server.connections) == {f"CS{i:03}" for i in range(5)}
        for s in stations:
            await s.close()


async def test_peer_sending_garbage_gets_rpc_framework_error_and_is_recorded() -> None:
    log = EventLog()
    async with harness_csms(log, security_profile=0) as server:
        ws = await raw_station(server)
        conn = await server.wait_for_connection("CS001", timeout=TIMEOUT)
        await ws.send("this is not json")
        reply = await asyncio.wait_for(ws.recv(), TIMEOUT)
        assert reply.startswith('[4,"-1","RpcFrameworkError","message is not valid JSON') and reply.endswith(',{}]')
        await ws.send('[2,"x1","Reset",{"type":"Immediate"}]')  # a CSMS-to-station message sent to the CSMS
        reply = await asyncio.wait_for(ws.recv(), TIMEOUT)
        assert '"NotSupported"' in reply and '"x1"' in reply
        with pytest.raises(PeerTimeout, match="BootNotification"):
            await conn.expect_call("BootNotification", timeout=0.2)
        await ws.close()
    errors = [e for e in log.events("frame") if e.data["direction"] == "in" and not e.data["valid"]]
    assert len(errors) == 2 and "not valid JSON" in errors[0].data["error"]


async def test_schema_invalid_call_is_answered_with_the_mapped_error_and_fails_the_expectation() -> None:
    async with harness_csms(EventLog(), security_profile=0) as server:
        ws = await raw_station(server)
        conn = await server.wait_for_connection("CS001", timeout=TIMEOUT)
        await ws.send('[2,"b1","BootNotification",{"chargingStation":{"model":"M","vendorName":"V"}}]')
        reply = await asyncio.wait_for(ws.recv(), TIMEOUT)
        assert reply.startswith('[4,"b1","OccurrenceConstraintViolation"')
        with pytest.raises(PeerMalformed, match="conforms to its JSON schema"):
            await conn.expect_call("BootNotification")
        await ws.close()


async def test_silent_peer_makes_call_time_out_with_a_clear_failure() -> None:
    async with harness_csms(EventLog(), security_profile=0) as server:
        ws = await raw_station(server)  # connected, but never answers
        conn = await server.wait_for_connection("CS001", timeout=TIMEOUT)
        loop = asyncio.get_running_loop()
        started = loop.time()
        with pytest.raises(PeerTimeout) as info:
            await conn.call("GetVariables", {"getVariableData": [
                {"component": {"name": "OCPPCommCtrlr"}, "variable": {"name": "OfflineThreshold"}}]}, timeout=0.3)
        assert loop.time() - started < 0.3 + 0.5
        assert "GetVariables" in str(info.value) and "no response" in str(info.value)
        assert info.value.requirements == () and info.value.rule == "response-timeout"  # the harness names them
        # the outstanding CALL timed out, so the next one may be sent
        with pytest.raises(PeerTimeout):
            await conn.call("GetVariables", {"getVariableData": [
                {"component": {"name": "OCPPCommCtrlr"}, "variable": {"name": "OfflineThreshold"}}]}, timeout=0.1)
        await ws.close()


async def test_peer_disconnecting_mid_call_fails_promptly() -> None:
    async with harness_csms(EventLog(), security_profile=0) as server:
        ws = await raw_station(server)
        conn = await server.wait_for_connection("CS001", timeout=TIMEOUT)

        async def drop_on_request() -> None:
            await ws.recv()
            await ws.close()
        dropper = asyncio.create_task(drop_on_request())
        loop = asyncio.get_running_loop()
        started = loop.time()
        with pytest.raises(PeerClosed, match="connection closed"):
            await conn.call("Reset", {"type": "Immediate"}, timeout=5)
        assert loop.time() - started < 2
        await dropper
        with pytest.raises(PeerClosed):
            await conn.expect_call("BootNotification", timeout=5)


async def test_peer_sending_a_malformed_response_fails_the_call_at_once() -> None:
    async with harness_csms(EventLog(), security_profile=0) as server:
        ws = await raw_station(server)
        conn = await server.wait_for_connection("CS001", timeout=TIMEOUT)

        async def reply_badly() -> None:
            call = await ws.recv()
            message_id = call.split('"')[1]
            await ws.send(f'[3,"{message_id}"]')
        task = asyncio.create_task(reply_badly())
        with pytest.raises(PeerMalformed, match="well-formed"):
            await conn.call("Reset", {"type": "Immediate"}, timeout=5)
        await task
        await ws.close()


async def test_a_call_that_raced_ahead_is_found_and_held_calls_wait_for_the_test() -> None:
    async with harness_csms(EventLog(), security_profile=0) as server:
        station = await open_station_connection(server.url, "CS001", password=None, log=None,
                                                message_timeout=TIMEOUT, connect_timeout=TIMEOUT)
        conn = await server.wait_for_connection("CS001", timeout=TIMEOUT)
        await station.call("Heartbeat", {})  # arrives before anyone expects it
        assert (await conn.expect_call("Heartbeat")).answered.is_set()
        with conn.hold("Heartbeat"):
            pending = asyncio.create_task(station.call("Heartbeat", {}))
            held = await conn.expect_call("Heartbeat")
            assert not held.answered.is_set()
            await held.reply({"currentTime": "2030-01-01T00:00:00Z"})
        assert (await pending).payload["currentTime"] == "2030-01-01T00:00:00Z"
        with conn.hold("Heartbeat"):
            pending = asyncio.create_task(station.call("Heartbeat", {}))
            await conn.expect_call("Heartbeat")
        # not answered by the test: the default handler answers when the hold ends
        assert (await asyncio.wait_for(pending, TIMEOUT)).payload["currentTime"] == "2025-01-01T00:00:00Z"
        await station.close()


async def test_an_answer_records_when_it_went_out() -> None:
    """E13.FR.03's retry wait starts when the CALLERROR reached the station: the answer's sending time is recorded
    (answered_mono), so a harness slow to answer is not charged to the station."""
    async with harness_csms(EventLog(), security_profile=0) as server:
        station = await open_station_connection(server.url, "CS001", password=None, log=None,
                                                message_timeout=TIMEOUT, connect_timeout=TIMEOUT)
        conn = await server.wait_for_connection("CS001", timeout=TIMEOUT)
        with conn.hold("Heartbeat"):
            pending = asyncio.create_task(station.call("Heartbeat", {}))
            held = await conn.expect_call("Heartbeat")
            assert held.answered_mono is None
            before = time.monotonic()
            await held.reply_error("InternalError", "not accepted")
        assert held.answered_mono is not None and held.answered_mono >= before >= held.received_mono
        assert not (await asyncio.wait_for(pending, TIMEOUT)).ok
        await station.close()


async def test_peer_breaking_one_outstanding_call_rule_is_recorded() -> None:
    log = EventLog()
    async with harness_csms(log, security_profile=0) as server:
        ws = await raw_station(server)
        conn = await server.wait_for_connection("CS001", timeout=TIMEOUT)
        with conn.hold("Heartbeat"):
            await ws.send('[2,"h1","Heartbeat",{}]')
            await conn.expect_call("Heartbeat")
            await ws.send('[2,"h2","Heartbeat",{}]')
            await conn.expect_call("Heartbeat")
        await asyncio.wait_for(ws.recv(), TIMEOUT)
        await asyncio.wait_for(ws.recv(), TIMEOUT)
        assert any("one-outstanding-call" in issue for issue in conn.protocol_issues)
        await ws.close()


async def test_harness_refuses_to_send_an_invalid_request() -> None:
    async with harness_csms(EventLog(), security_profile=0) as server:
        ws = await raw_station(server)
        conn = await server.wait_for_connection("CS001", timeout=TIMEOUT)
        with pytest.raises(LocalError, match="invalid ResetRequest"):
            await conn.call("Reset", {"type": "Sometime"})
        await ws.close()


async def test_expect_no_call_passes_when_silent_and_fails_when_the_call_comes() -> None:
    async with harness_csms(EventLog(), security_profile=0) as server:
        station = await open_station_connection(server.url, "CS001", password=None, log=None,
                                                message_timeout=TIMEOUT, connect_timeout=TIMEOUT)
        conn: Connection = await server.wait_for_connection("CS001", timeout=TIMEOUT)
        await conn.expect_no_call("Heartbeat", within=0.1)
        mark = conn.mark()
        task = asyncio.create_task(station.call("Heartbeat", {}))
        with pytest.raises(PeerMalformed, match="does not send Heartbeat"):
            await conn.expect_no_call("Heartbeat", within=1, since=mark)
        await task
        await station.close()


def test_partial_matching() -> None:
    payload = {"a": 1, "b": {"c": "x", "d": [1, 2]}, "e": True}
    assert matches(payload, {"a": 1, "b": {"c": "x"}})
    assert not matches(payload, {"a": 2})
    assert not matches(payload, {"z": 1})
    assert matches(payload, {"b": {"d": [1, 2]}})
    assert not matches(payload, {"b": {"d": [1]}})
    assert matches(payload, {"a": lambda v: v > 0})
    assert not matches(payload, {"e": 1})  # True is not 1 in OCPP
    assert matches(payload, {"a": 1.0})


def test_call_error_handler_results_keep_the_incoming_id() -> None:
    error = CallError("other", "NotSupported")
    assert error.message_id == "other"


async def test_a_withheld_call_is_never_answered_and_the_peer_may_time_it_out_on_its_own_clock() -> None:
    """A handler may decide not to answer a CALL at all (Part 6 E13: the CSMS does not reply): nothing is sent,
    not even when a hold ends, the decision is recorded, and the peer's next CALL after the timeout the case gave
    (the peer's own message timeout, shorter than the harness's) is no one-outstanding-call finding."""
    from conformance.transport.connection import Withhold
    log = EventLog()
    async with harness_csms(log, security_profile=0) as server:
        ws = await raw_station(server)
        conn = await server.wait_for_connection("CS001", timeout=TIMEOUT)
        conn.on("Heartbeat", lambda incoming: Withhold("the case withholds it", peer_timeout=0.1))
        with conn.hold("StatusNotification"):
            await ws.send('[2,"h1","Heartbeat",{}]')
            withheld = await conn.expect_call("Heartbeat")
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(ws.recv(), 0.3)  # no answer, not even after the hold ended
        assert withheld.withheld and not withheld.answered.is_set()
        conn.on("Heartbeat", None)
        await ws.send('[2,"h2","Heartbeat",{}]')  # its own timeout (0.1 s) passed: allowed
        await conn.expect_call("Heartbeat")
        assert "h2" in await asyncio.wait_for(ws.recv(), TIMEOUT)
        assert not conn.findings
        assert any(e.data.get("withheld") == "h1" for e in log.events("note"))
        await ws.close()


async def test_a_call_sent_before_the_peer_timeout_of_a_withheld_call_is_still_a_finding() -> None:
    from conformance.transport.connection import Withhold
    async with harness_csms(EventLog(), security_profile=0) as server:
        ws = await raw_station(server)
        conn = await server.wait_for_connection("CS001", timeout=TIMEOUT)
        conn.on("Heartbeat", lambda incoming: Withhold("the case withholds it", peer_timeout=5.0))
        await ws.send('[2,"h1","Heartbeat",{}]')
        await conn.expect_call("Heartbeat")
        conn.on("Heartbeat", None)
        await ws.send('[2,"h2","Heartbeat",{}]')
        await conn.expect_call("Heartbeat")
        assert [f.rule for f in conn.findings] == ["one-outstanding-call"]
        await ws.close()


@pytest.mark.parametrize(("tolerance", "findings"), [(4.8, []), (0.0, ["one-outstanding-call"])])
async def test_a_withheld_call_times_out_within_the_max_time_deviation(tolerance: float, findings: list[str]) -> None:
    """The judge compares arrival times, which deviate from the peer's own timer: with the case's tolerance a next
    CALL that arrives up to ``tolerance`` before the peer timeout (5 s) is no finding; without it, it is."""
    from conformance.transport.connection import Withhold
    async with harness_csms(EventLog(), security_profile=0) as server:
        ws = await raw_station(server)
        conn = await server.wait_for_connection("CS001", timeout=TIMEOUT)
        conn.on("Heartbeat", lambda incoming: Withhold("the case withholds it", peer_timeout=5.0,
                                                       tolerance=tolerance))
        await ws.send('[2,"h1","Heartbeat",{}]')
        await conn.expect_call("Heartbeat")
        await asyncio.sleep(0.3)  # a peer whose timer ran 4.7 s ahead of the arrival times
        conn.on("Heartbeat", None)
        await ws.send('[2,"h2","Heartbeat",{}]')
        await conn.expect_call("Heartbeat")
        assert [f.rule for f in conn.findings] == findings
        await ws.close()
