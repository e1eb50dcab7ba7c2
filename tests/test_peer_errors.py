"""Issue 11 item 4: the transport raises role-neutral peer errors (no requirement ids, no verdict); the harness
maps them to verdicts with the requirements it chooses, so verdicts and messages stay what they were."""

from __future__ import annotations

from conformance.harness.sut_state import suspicion
from conformance.outcomes import CheckFailed, HarnessError, SutDisconnected, SutTimeout, Verdict, as_check_failed
from conformance.protocol.errors import LocalError, PeerClosed, PeerError, PeerMalformed, PeerRefused, PeerTimeout
from conformance.recording import EventLog
from conformance.session import record_failed_check, verdict_of


def test_harness_raised_timeouts_and_closes_are_caught_as_peer_errors() -> None:
    for raised, neutral in ((SutTimeout("t"), PeerTimeout), (SutDisconnected("d"), PeerClosed)):
        try:
            raise raised
        except neutral as exc:
            assert isinstance(exc, CheckFailed) and isinstance(exc, PeerError)
    assert isinstance(HarnessError("h"), LocalError)


def test_a_peer_error_carries_no_requirement_of_its_own() -> None:
    exc = PeerTimeout("the SUT answers HeartbeatRequest within the message timeout", expected="a response",
                      actual="no response", rule="response-timeout")
    assert exc.requirements == () and not isinstance(exc, CheckFailed)


def test_the_harness_maps_a_peer_error_to_fail_naming_the_requirement() -> None:
    timeout = PeerTimeout("the SUT answers HeartbeatRequest within the message timeout", expected="a response",
                          actual="no response", rule="response-timeout")
    verdict, message = verdict_of(timeout)
    assert verdict == Verdict.FAIL
    assert message.startswith("the SUT answers HeartbeatRequest within the message timeout [OCPP-J Part 4 §4.1.1]")
    assert isinstance(as_check_failed(timeout), SutTimeout)
    schema = PeerMalformed("BootNotificationRequest conforms to its JSON schema", expected="a schema-valid payload",
                           actual="reason: missing", rule="request-schema", requirements=("B01.FR.01",))
    verdict, message = verdict_of(schema)
    assert verdict == Verdict.FAIL and "[OCPP-J Part 4 §4.1.2, B01.FR.01]" in message
    assert verdict_of(PeerClosed("the SUT sends X", expected="X", actual="closed"))[0] == Verdict.FAIL
    assert isinstance(as_check_failed(PeerClosed("c")), SutDisconnected)
    assert verdict_of(PeerRefused("the CSMS accepts station 'CS001'", expected="HTTP 101", actual="HTTP 401"))[0] \
        == Verdict.FAIL
    assert verdict_of(LocalError("the harness was about to send an invalid ResetRequest")) == (
        Verdict.ERROR, "harness error: the harness was about to send an invalid ResetRequest")


def test_an_unrecorded_peer_error_becomes_a_failed_check_event() -> None:
    log = EventLog()
    record_failed_check(log, PeerTimeout("the SUT sends HeartbeatRequest within 1s", expected="HeartbeatRequest",
                                         actual="not received", rule="response-timeout"))
    (check,) = [e.data for e in log.events("check")]
    assert check["passed"] is False and check["requirements"] == ["OCPP-J Part 4 §4.1.1"]
    assert check["name"] == "the SUT sends HeartbeatRequest within 1s"


def test_a_silent_or_refusing_sut_stays_suspect() -> None:
    assert suspicion(PeerTimeout("the SUT answers X")) == "SutTimeout: the SUT answers X"
    assert suspicion(PeerClosed("the SUT sends X")) == "SutDisconnected: the SUT sends X"
    assert suspicion(PeerRefused("the CSMS accepts station 'CS001'")) == "the CSMS accepts station 'CS001'"
