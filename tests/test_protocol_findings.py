"""The generic rules of conformance/protocol/findings.py, without I/O, and how the event log attributes
and caps the findings (shared contract 2 of HELPERS.md)."""

from __future__ import annotations

import json

from conformance.protocol.findings import TrafficJudge, close_finding
from conformance.recording import FINDINGS_PER_RULE, EventLog

BOOT = {"reason": "PowerUp", "chargingStation": {"model": "M", "vendorName": "V"}}
NOW = "2026-01-01T00:00:00.000Z"


def frame(*items: object) -> str:
    return json.dumps(list(items))


def rules(judged) -> list[str]:  # type: ignore[no-untyped-def]
    return [f.rule for f in judged.findings]


def test_a_conformant_exchange_raises_nothing() -> None:
    judge = TrafficJudge()
    assert rules(judge.frame("in", frame(2, "b1", "BootNotification", BOOT))) == []
    assert rules(judge.frame("out", frame(3, "b1", {"currentTime": NOW, "interval": 300, "status": "Accepted"}))) == []
    assert rules(judge.frame("out", frame(2, "g1", "GetVariables", {"getVariableData": [
        {"component": {"name": "OCPPCommCtrlr"}, "variable": {"name": "HeartbeatInterval"}}]}))) == []
    # optional fields absent, a CALL of the peer crossing ours (Part 4 §4.1.1 NOTE): allowed
    assert rules(judge.frame("in", frame(2, "h1", "Heartbeat", {}))) == []
    assert rules(judge.frame("in", frame(3, "g1", {"getVariableResult": [
        {"attributeStatus": "Accepted", "component": {"name": "OCPPCommCtrlr"},
         "variable": {"name": "HeartbeatInterval"}}]}))) == []


def test_response_schema_is_judged_against_the_call_it_answers() -> None:
    judge = TrafficJudge()
    judge.frame("out", frame(2, "b1", "BootNotification", BOOT))
    judged = judge.frame("in", frame(3, "b1", {"interval": 300, "status": "Accepted"}))
    [finding] = judged.findings
    assert finding.rule == "response-schema"
    assert finding.requirements == ("schema BootNotificationResponse",)
    assert "$.currentTime" in finding.actual and finding.message_id == "b1"
    assert finding.action == "BootNotification"


def test_data_transfer_response_with_mistyped_status_info_and_an_extra_field() -> None:
    judge = TrafficJudge()
    judge.frame("out", frame(2, "d1", "DataTransfer", {"vendorId": "x"}))
    judged = judge.frame("in", frame(3, "d1", {"status": "Accepted", "statusInfo": "nope", "extra": 1}))
    [finding] = judged.findings  # one finding per rule per frame, every violation listed
    assert {v.path for v in finding.violations} == {"$.statusInfo", "$.extra"}


def test_part2_rules_the_schemas_cannot_express() -> None:
    judge = TrafficJudge()
    judged = judge.frame("in", frame(2, "s1", "StatusNotification", {
        "timestamp": "2026-01-01T00:00:00", "connectorStatus": "Available", "evseId": 1, "connectorId": 1}))
    [finding] = judged.findings
    assert finding.rule == "request-schema" and "$.timestamp" in finding.actual


def test_framing_rules() -> None:
    judge = TrafficJudge()
    assert rules(judge.frame("in", frame(2, "h1", "Heartbeat", {}).encode(), binary=True)) == ["text-frame"]
    judge.frame("out", frame(3, "h1", {"currentTime": NOW}))
    assert rules(judge.frame("in", "}{")) == ["json"]
    assert rules(judge.frame("in", frame(5, "x", {}))) == ["message-type"]
    too_long = judge.frame("in", frame(2, "x" * 37, "Heartbeat", {}))
    assert rules(too_long) == ["message-id"] and "OCPP-J Part 4 §4.1.4" in too_long.findings[0].requirements
    assert rules(judge.frame("in", frame(2, "u1", "NoSuchAction", {}))) == ["known-action"]


def test_response_without_an_outstanding_call() -> None:
    judge = TrafficJudge()
    judged = judge.frame("in", frame(3, "never", {}))
    assert rules(judged) == ["response-matches-call"]
    assert "no CALL with this id" in judged.findings[0].actual
    judge.frame("out", frame(2, "r1", "Reset", {"type": "Immediate"}))
    assert rules(judge.frame("in", frame(3, "r1", {"status": "Accepted"}))) == []
    assert rules(judge.frame("in", frame(3, "r1", {"status": "Accepted"}))) == ["response-matches-call"]


def test_reused_message_id_and_the_retry_the_errata_allow() -> None:
    judge = TrafficJudge()
    judge.frame("in", frame(2, "t1", "Heartbeat", {}))
    judge.frame("out", frame(3, "t1", {"currentTime": NOW}))
    assert rules(judge.frame("in", frame(2, "t1", "Heartbeat", {}))) == []  # the same message again: a retry
    judge.frame("out", frame(3, "t1", {"currentTime": NOW}))
    reused = judge.frame("in", frame(2, "t1", "StatusNotification", {
        "timestamp": NOW, "connectorStatus": "Available", "evseId": 1, "connectorId": 1}))
    assert rules(reused) == ["unique-message-id"] and "Heartbeat" in reused.findings[0].actual
    # errata 2024-09 §4.1.4: a CALL that got no response (timed out) may be retried with the same id
    judge = TrafficJudge(peer_timeout=1.0)
    judge.frame("in", frame(2, "m1", "MeterValues", {"evseId": 1, "meterValue": [
        {"timestamp": NOW, "sampledValue": [{"value": 1.0}]}]}), mono=0.0)
    retry = judge.frame("in", frame(2, "m1", "MeterValues", {"evseId": 1, "meterValue": [
        {"timestamp": NOW, "sampledValue": [{"value": 1.0}]}]}), mono=2.0)
    assert rules(retry) == []
    assert rules(judge.frame("out", frame(3, "m1", {}))) == []


def test_one_outstanding_call_per_sender() -> None:
    judge = TrafficJudge(peer_timeout=5.0)
    judge.frame("in", frame(2, "a", "Heartbeat", {}), mono=0.0)  # held by the receiver
    judged = judge.frame("in", frame(2, "b", "Heartbeat", {}), mono=1.0)
    assert rules(judged) == ["one-outstanding-call"] and "Heartbeat 'a'" in judged.findings[0].actual
    assert rules(judge.frame("in", frame(2, "c", "Heartbeat", {}), mono=1.5)) == ["one-outstanding-call"]  # b
    # after the sender's timeout the next CALL is allowed (Part 4 §4.1.1)
    judge = TrafficJudge(peer_timeout=5.0)
    judge.frame("in", frame(2, "a", "Heartbeat", {}), mono=0.0)
    assert rules(judge.frame("in", frame(2, "b", "Heartbeat", {}), mono=6.0)) == []
    # answered, but the next CALL was already queued behind the answer: sent before it could arrive
    judge = TrafficJudge()
    judge.frame("in", frame(2, "a", "Heartbeat", {}))
    judge.frame("out", frame(3, "a", {"currentTime": NOW}))
    assert rules(judge.frame("in", frame(2, "b", "Heartbeat", {}), overtook="a")) == ["one-outstanding-call"]
    judge.frame("out", frame(3, "b", {"currentTime": NOW}))
    assert rules(judge.frame("in", frame(2, "c", "Heartbeat", {}))) == []


def test_deliberately_malformed_frames_are_not_judged_and_may_be_answered() -> None:
    judge = TrafficJudge()
    assert rules(judge.frame("out", frame(2, "x1", "Heartbeat", {"bogus": 1}), deliberate=True)) == []
    assert rules(judge.frame("in", frame(4, "x1", "FormatViolation", "", {}))) == []
    assert rules(judge.frame("out", "not json", deliberate=True)) == []
    assert rules(judge.frame("in", frame(4, "-1", "RpcFrameworkError", "", {}))) == []


def test_close_findings() -> None:
    assert close_finding(by="peer", code=1000) is None  # a plain close: a SUT may close and reconnect
    assert close_finding(by="local", code=1000) is None  # asked for by the harness
    assert close_finding(by="abort", code=None, expected=True) is None  # a power cycle the case asked for
    big = close_finding(by="local", code=1009, reason="message too big")
    assert big is not None and "1009" in big.actual and "message too big" in big.actual
    utf8 = close_finding(by="peer", code=1007)
    assert utf8 is not None and "invalid UTF-8" in utf8.actual
    abort = close_finding(by="abort", code=None)
    assert abort is not None and "without a WebSocket close frame" in abort.actual
    mid_call = close_finding(by="peer", code=1000, outstanding=["the harness's Reset 'r1'"])
    assert mid_call is not None and "Reset 'r1'" in mid_call.actual


def test_event_log_attributes_findings_to_the_case_and_late_ones_to_the_case_that_ended() -> None:
    log = EventLog()
    log.finding(rule="json", name="n", expected="e", actual="a")  # before any case: unattributed
    log.current_case = "TC_1"
    log.finding(rule="json", name="n", expected="e", actual="a")
    log.current_case = None
    late = log.finding(rule="json", name="n", expected="e", actual="a")
    assert late is not None and late.case == "TC_1" and late.data["late"] is True
    log.current_case = "TC_2"
    log.current_case = None
    assert log.finding(rule="json", name="n", expected="e", actual="a").case == "TC_2"  # type: ignore[union-attr]
    checks = log.events("check")
    assert [c.case for c in checks] == [None, "TC_1", "TC_1", "TC_2"]
    assert all(c.data["generic"] and c.data["passed"] is False for c in checks)


def test_event_log_caps_findings_per_rule_per_case_with_a_summary() -> None:
    log = EventLog()
    log.current_case = "TC_FLOOD"
    for _ in range(10_000):
        log.finding(rule="one-outstanding-call", name="n", expected="e", actual="a")
    log.finding(rule="json", name="n", expected="e", actual="a")
    log.current_case = None
    checks = log.events("check", case="TC_FLOOD")
    assert len(checks) == FINDINGS_PER_RULE + 2
    [summary] = [c for c in checks if c.data.get("summary")]
    assert summary.data["count"] == 10_000 - FINDINGS_PER_RULE and "one-outstanding-call" in summary.data["name"]
