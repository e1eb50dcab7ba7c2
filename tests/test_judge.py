"""Judging a SUT's reaction to a malformed frame: every reaction Part 4 allows, or strict."""

from __future__ import annotations

import pytest

from conformance.actions import make_backend
from conformance.actions.port import ActionPort
from conformance.config import default_config
from conformance.harness.context import RunContext
from conformance.harness.sides import CsmsUnderTest
from conformance.outcomes import HarnessError
from conformance.reference.csms import ReferenceCsms

from conformance.protocol.frames import CallError, CallResult
from conformance.protocol.judge import expected_reaction, judge_reaction
from conformance.recording import EventLog
from conformance.catalog import actions_handled_by
from conformance.transport.client import open_station_connection
from conformance.transport.server import CsmsServer

MISSING_FIELD = '[2,"m1","Reset",{}]'
NOT_JSON = "[2, oops"


def test_valid_frames_and_responses_expect_no_error() -> None:
    assert expected_reaction('[2,"m1","Reset",{"type":"Immediate"}]') is None
    assert expected_reaction('[3,"m1",{}]') is None
    assert expected_reaction('[3,"m1"]') is None  # a broken response is never answered


def test_expected_reaction_for_a_schema_violation() -> None:
    expected = expected_reaction(MISSING_FIELD)
    assert expected is not None
    assert expected.message_id == "m1"
    assert expected.preferred == "OccurrenceConstraintViolation"
    assert {"FormatViolation", "ProtocolError"} <= set(expected.allowed)
    assert expected.may_drop


def test_expected_reaction_for_unreadable_frame_uses_minus_one() -> None:
    expected = expected_reaction(NOT_JSON)
    assert expected is not None and expected.message_id == "-1" and expected.preferred == "RpcFrameworkError"


def test_unknown_message_type_may_not_be_dropped() -> None:
    expected = expected_reaction('[7,"m9",{}]')
    assert expected is not None and not expected.may_drop
    assert not judge_reaction(expected, None).ok


@pytest.mark.parametrize("answer,strict,ok", [
    (CallError("m1", "OccurrenceConstraintViolation"), False, True),
    (CallError("m1", "OccurrenceConstraintViolation"), True, True),
    (CallError("m1", "FormatViolation"), False, True),
    (CallError("m1", "FormatViolation"), True, False),
    (CallError("m1", "NotImplemented"), False, False),
    (CallError("other", "OccurrenceConstraintViolation"), False, False),
    (CallResult("m1", {"status": "Accepted"}), False, False),
    (None, False, True),
    (None, True, False),
])
def test_judging(answer, strict: bool, ok: bool) -> None:
    expected = expected_reaction(MISSING_FIELD)
    assert expected is not None
    judgement = judge_reaction(expected, answer, strict=strict)
    assert judgement.ok is ok, judgement
    assert judgement.detail


async def test_send_malformed_returns_the_peers_answer_or_none() -> None:
    """Over a real connection: the harness CSMS answers a station's malformed CALL."""
    server = CsmsServer(host="127.0.0.1", port=0, path="/ocpp", log=EventLog(), message_timeout=1,
                        security_profile=0, handled_actions=actions_handled_by("CSMS"),
                        default_handler_for=lambda identity: lambda incoming: {"currentTime": "2025-01-01T00:00:00Z"})
    await server.start()
    try:
        station = await open_station_connection(server.url, "CS001", password=None, log=None, message_timeout=1,
                                                connect_timeout=1)
        missing = '[2,"b1","BootNotification",{"reason":"PowerUp"}]'
        answer = await station.send_malformed(missing, answer_id="b1")
        expected = expected_reaction(missing, actions_handled_by("CSMS"))
        assert expected is not None
        assert judge_reaction(expected, answer, strict=True).ok
        answer = await station.send_malformed(NOT_JSON, answer_id="-1")
        assert isinstance(answer, CallError) and answer.error_code == "RpcFrameworkError"
        # a peer that drops: nothing comes back for an id nobody answers
        assert await station.send_malformed('[3,"zz",[]]', answer_id="zz", timeout=0.2) is None
        assert (await station.call("Heartbeat", {})).ok  # the connection is still usable
        await station.close()
    finally:
        await server.stop()


async def test_a_side_records_the_judgement_as_a_check(tmp_path) -> None:
    cfg = default_config("csms")
    csms = ReferenceCsms(passwords={cfg.connection.identity: cfg.connection.password},
                         security_profile=cfg.connection.security_profile, message_timeout=2)
    await csms.start()
    try:
        cfg = cfg.with_csms_url(csms.url)
        log = EventLog()
        ctx = RunContext(config=cfg, log=log, run_dir=tmp_path,
                         actions=ActionPort(make_backend("reference", target=csms), log, timeout=2, role="csms"))
        side = CsmsUnderTest(ctx)
        await side.connect()
        judgement = await side.send_malformed('[2,"b1","BootNotification",{"reason":"PowerUp"}]')
        assert judgement.ok and judgement.reaction == "CALLERROR OccurrenceConstraintViolation"
        check = log.events("check")[-1]
        assert check.data["passed"] and "the preferred code" in check.data["name"]
        with pytest.raises(HarnessError):
            await side.send_malformed('[2,"h1","Heartbeat",{}]')  # not malformed: a bug in the case
        await side.close_all()
    finally:
        await csms.stop()
