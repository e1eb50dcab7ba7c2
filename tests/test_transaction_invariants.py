"""The transaction invariant checker (conformance/protocol/transactions.py): a ledger over every TransactionEvent of
a run. Conformant sequences, with the variants Part 2 allows, give no finding; each breach gives exactly one, naming
its rule and both events. End to end: a small station that breaks an invariant in a case that otherwise passes
FAILs it with the rule, and ``validate`` over the run's log finds the same; a conformant one doing allowed variants
passes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conformance.protocol.transactions import TransactionLedger, TransactionRecords
from conformance.recording import read_log
from conformance.reporting.model import build_model
from conformance.validate import validate_stream
from support import free_port
from test_misbehaving_sut import run_case, write_config
from test_wire_findings import Peer, generic_checks, station

BASE = 1_800_000_000.0  # the harness's clock (wall seconds) at the start of each scenario


def stamp(seconds: float) -> str:
    """An OCPP dateTime ``seconds`` after BASE (millisecond resolution, the station's clock = ours)."""
    from datetime import datetime, timezone
    return datetime.fromtimestamp(BASE + seconds, timezone.utc).isoformat(timespec="milliseconds").replace(
        "+00:00", "Z")


def tx(event_type: str, seq: int, trigger: str = "ChargingStateChanged", *, tid: str = "T1", at: float = 0.0,
       **fields: Any) -> dict[str, Any]:
    info = {"transactionId": tid, **fields.pop("info", {})}
    payload = {"eventType": event_type, "timestamp": stamp(at), "triggerReason": trigger, "seqNo": seq,
               "transactionInfo": info}
    payload.update(fields)
    return payload


STARTED = dict(info={"chargingState": "EVConnected"}, evse={"id": 1, "connectorId": 1})


class Scenario:
    """Drives a ledger with one station's traffic; ``findings`` collects every finding."""

    def __init__(self, *, idle: bool = True) -> None:
        self.ledger = TransactionLedger(max_time_deviation=0.5)
        self.findings: list[Any] = []
        self.n = 0
        self.clock = 0.0
        self.idle = idle  # the station reports its EVSEs 1 and 2 Available on its first connection (B01.FR.05)
        self.online = False

    def connect(self, at: float | None = None) -> "Scenario":
        self.clock = self.clock if at is None else at
        if self.online:  # a reconnect: the previous connection closed just before
            self.disconnect(self.clock)
        self.ledger.connected("CS1", BASE + self.clock)
        if self.idle and not self.online:
            for evse in (1, 2):
                self.ledger.connector_status("CS1", evse, "Available")
        self.idle, self.online = False, True
        return self

    def disconnect(self, at: float) -> "Scenario":
        if self.online:
            self.ledger.disconnected("CS1", BASE + at)
            self.online = False
        return self

    def send(self, payload: dict[str, Any], *, arrives: float | None = None, message_id: str | None = None) -> list:
        self.n += 1
        arrival = self.clock if arrives is None else arrives
        self.clock = max(self.clock, arrival)
        found = self.ledger.transaction_event("CS1", message_id or f"m{self.n}", payload, ref=self.n,
                                              wall=BASE + arrival + 0.001)
        self.findings += found
        return found

    def rules(self) -> list[str]:
        return [f.rule for f in self.findings]


def conformant(*payloads: dict[str, Any]) -> Scenario:
    s = Scenario().connect()
    for p in payloads:
        s.send(p)
    return s


# --------------------------------------------------------------------------- conformant sequences: no finding
def test_a_plain_transaction_gives_no_finding() -> None:
    s = conformant(tx("Started", 0, "CablePluggedIn", **STARTED),
                   tx("Updated", 1, "Authorized", idToken={"idToken": "A", "type": "ISO14443"}),
                   tx("Updated", 2, info={"chargingState": "Charging"}),
                   tx("Ended", 3, "StopAuthorized", info={"stoppedReason": "Local"}))
    assert s.findings == []


def test_allowed_variants_give_no_finding() -> None:
    s = Scenario().connect()
    # a continuously increasing seqNo (E §1.3.2.1): the Started need not be 0; stoppedReason omitted (Local)
    s.send(tx("Started", 7, "Authorized", tid="A", idToken={"idToken": "A"}, info={"chargingState": "Idle"},
              evse={"id": 1}))
    s.send(tx("Updated", 8, "CablePluggedIn", tid="A", info={"chargingState": "EVConnected"},
              evse={"id": 1, "connectorId": 1}))
    # a retry of the same message (after a CALLERROR or no answer) is neither a gap nor a repeat
    s.send(tx("Updated", 9, "ChargingStateChanged", tid="A", info={"chargingState": "Charging"}), message_id="r")
    s.send(tx("Updated", 9, "ChargingStateChanged", tid="A", info={"chargingState": "Charging"}), message_id="r")
    s.send(tx("Ended", 10, "StopAuthorized", tid="A"))
    # a station-wide counter: two transactions sharing it
    s.send(tx("Started", 11, "CablePluggedIn", tid="B", **STARTED))
    s.send(tx("Started", 12, "CablePluggedIn", tid="C", info={"chargingState": "EVConnected"},
              evse={"id": 2, "connectorId": 1}))
    s.send(tx("Ended", 13, "EVCommunicationLost", tid="B", info={"stoppedReason": "EVDisconnected"}))
    s.send(tx("Ended", 14, "EVCommunicationLost", tid="C", info={"stoppedReason": "EVDisconnected"}))
    assert s.findings == []


def test_seqno_continues_across_a_reconnect_with_the_queued_events_flagged_offline() -> None:
    s = Scenario().connect(at=0)
    s.send(tx("Started", 0, "CablePluggedIn", at=0, **STARTED))
    # offline from t=1 to t=10: an event at t=5 is queued and delivered after the reconnect with offline = true;
    # the one at t=0.5 was queued when the connection dropped (E11.FR.07); one after the reconnect is online
    s.connect(at=10)
    s.send(tx("Updated", 1, "MeterValuePeriodic", at=0.5, offline=True))
    s.send(tx("Updated", 2, "ChargingStateChanged", at=5, offline=True, info={"chargingState": "Charging"}))
    s.send(tx("Ended", 3, "EVCommunicationLost", at=10.2, info={"stoppedReason": "EVDisconnected"}))
    assert s.findings == []


def test_updated_events_dropped_from_the_offline_queue_are_no_gap() -> None:
    s = Scenario().connect(at=0)
    s.send(tx("Started", 0, "CablePluggedIn", at=0, **STARTED))
    s.connect(at=10)
    s.send(tx("Updated", 2, "MeterValuePeriodic", at=5, offline=True))  # seqNo 1 dropped (E11.FR.04)
    s.send(tx("Ended", 3, "EVCommunicationLost", at=10.5, info={"stoppedReason": "EVDisconnected"}))
    assert s.findings == []


def test_a_late_event_fills_its_gap_without_a_second_finding() -> None:
    s = conformant(tx("Started", 0, "CablePluggedIn", **STARTED), tx("Updated", 1))
    s.send(tx("Updated", 3))
    s.send(tx("Updated", 2))  # arrives late (out of order): no finding of its own
    s.send(tx("Ended", 4, "StopAuthorized"))
    assert s.rules() == ["transaction-seqno-gap"]


def test_an_event_queued_before_the_run_may_be_the_first_seen() -> None:
    s = Scenario().connect(at=10)
    s.send(tx("Updated", 5, "MeterValuePeriodic", at=2, offline=True))
    s.send(tx("Ended", 6, "EVCommunicationLost", at=10.5, info={"stoppedReason": "EVDisconnected"}))
    assert s.findings == []


def test_a_clock_behind_the_harness_is_no_offline_finding() -> None:
    s = Scenario().connect(at=0)
    skew = -30.0  # the station's clock runs 30 s behind ours
    s.ledger.station_timestamp("CS1", stamp(0.5 + skew), BASE + 0.5)
    s.connect(at=10)
    s.send(tx("Started", 0, "CablePluggedIn", at=10.1 + skew, **STARTED), arrives=10.1)
    assert s.findings == []


# --------------------------------------------------------------------------- each breach: exactly one finding
def started(s: Scenario, tid: str = "T1") -> None:
    s.send(tx("Started", 0, "CablePluggedIn", tid=tid, **STARTED))


BREACHES = {
    "transaction-seqno-gap": [tx("Updated", 2)],
    "transaction-seqno-repeated": [tx("Updated", 1), tx("Updated", 1, "MeterValuePeriodic")],
    "transaction-one-started": [tx("Started", 1, "Authorized", idToken={"idToken": "A"})],
    "transaction-ended-last": [tx("Ended", 1, "StopAuthorized"), tx("Updated", 2)],
    "transaction-id-changed": [tx("Updated", 1, tid="T2")],
    "transaction-id-token": [tx("Updated", 1, "Authorized")],
    "transaction-remote-start-id": [tx("Updated", 1, "RemoteStart", idToken={"idToken": "A"})],
    "transaction-stopped-reason": [tx("Ended", 1, "RemoteStop")],
    "transaction-deauthorized": [tx("Ended", 1, "Deauthorized", info={"stoppedReason": "DeAuthorized"})],
}


@pytest.mark.parametrize("rule", sorted(BREACHES))
def test_each_breach_gives_one_finding_naming_its_rule(rule: str) -> None:
    s = Scenario().connect()
    started(s)
    for payload in BREACHES[rule]:
        s.send(payload)
    [finding] = s.findings
    assert finding.rule == rule
    event = finding.as_event()
    assert event["passed"] is False and event["generic"] is True and event["requirements"]
    assert event["expected"] and event["actual"] and event["frame_index"] == s.n
    if rule not in ("transaction-id-token", "transaction-remote-start-id", "transaction-stopped-reason",
                    "transaction-deauthorized"):
        assert event["earlier_message_id"] and event["earlier_frame_index"] < s.n  # both events named


def test_a_first_event_that_is_not_started() -> None:
    s = conformant(tx("Updated", 0, "CablePluggedIn", **STARTED))
    assert s.rules() == ["transaction-started-first"]


def test_a_second_ended() -> None:
    s = Scenario().connect()
    started(s)
    s.send(tx("Ended", 1, "StopAuthorized"))
    s.send(tx("Ended", 2, "EVCommunicationLost", info={"stoppedReason": "EVDisconnected"}))
    assert s.rules() == ["transaction-ended-last"]


def test_seqno_restarting_after_a_reconnect_is_a_repeat() -> None:
    s = Scenario().connect(at=0)
    started(s)
    s.send(tx("Updated", 1, at=0.1))
    s.connect(at=5)
    s.send(tx("Updated", 0, "MeterValuePeriodic", at=6))
    assert s.rules() == ["transaction-seqno-repeated"]


def test_a_changed_transaction_id_is_told_from_an_abandoned_earlier_transaction() -> None:
    s = Scenario().connect()
    started(s)
    s.send(tx("Updated", 1, tid="T1-b"))  # T1 continues under another id (and so never ends as T1)
    s.send(tx("Ended", 2, "StopAuthorized", tid="T1-b"))
    started(s, "T2")  # the next transaction on the same EVSE: T1 is no candidate any more
    s.send(tx("Updated", 1, tid="T2-b"))
    assert s.rules() == ["transaction-id-changed", "transaction-id-changed"]
    assert s.findings[1].earlier.transaction_id == "T2"


def test_an_event_of_the_offline_period_without_the_flag() -> None:
    s = Scenario().connect(at=0)
    started(s)
    s.disconnect(at=1).connect(at=10)
    s.send(tx("Ended", 1, "StopAuthorized", at=5))
    [finding] = s.findings
    assert finding.rule == "transaction-offline-flag"
    assert "offline is <absent>" in finding.actual and finding.requirements[0] == "E04.FR.03"


def test_a_retry_after_a_reconnect_needs_the_offline_flag() -> None:
    s = Scenario().connect(at=0)
    started(s)
    s.send(tx("Updated", 1, at=0.2))  # received, but the answer was lost with the connection
    s.connect(at=10)
    s.send(tx("Updated", 1, at=0.2))  # E11.FR.07: still queued when the station went offline
    assert s.rules() == ["transaction-offline-flag"]


def test_the_first_event_with_the_ev_connected_names_evse_and_connector() -> None:
    s = conformant(tx("Started", 0, "Authorized", idToken={"idToken": "A"}, info={"chargingState": "Idle"},
                      evse={"id": 1}),
                   tx("Updated", 1, "CablePluggedIn", info={"chargingState": "EVConnected"}, evse={"id": 1}))
    assert s.rules() == ["transaction-evse"]


def test_remote_start_id_and_remote_stop_are_tied_to_the_harness_requests() -> None:
    s = Scenario().connect()
    s.ledger.harness_request("CS1", "h1", "RequestStartTransaction", {"idToken": {"idToken": "A"}, "remoteStartId": 7})
    s.ledger.station_answer("CS1", "h1", {"status": "Accepted"})
    s.send(tx("Started", 0, "RemoteStart", idToken={"idToken": "A"},
              info={"remoteStartId": 8, "chargingState": "Idle"}))
    assert s.rules() == ["transaction-remote-start-id"]
    s.ledger.harness_request("CS1", "h2", "RequestStopTransaction", {"transactionId": "T1"})
    s.ledger.station_answer("CS1", "h2", {"status": "Accepted"})
    s.send(tx("Ended", 1, "StopAuthorized"))
    assert s.rules() == ["transaction-remote-start-id", "transaction-remote-stop"]


def test_deauthorized_after_an_idtoken_the_harness_did_not_accept() -> None:
    s = Scenario().connect()
    started(s)
    s.ledger.harness_answer("CS1", "m1", {"idTokenInfo": {"status": "Invalid"}})  # its TransactionEventResponse
    s.send(tx("Updated", 1, "Deauthorized", info={"chargingState": "SuspendedEVSE"}))
    s.send(tx("Ended", 2, "Deauthorized", info={"stoppedReason": "DeAuthorized"}))
    assert s.findings == []


def test_a_rejected_remote_stop_ties_nothing() -> None:
    s = Scenario().connect()
    started(s)
    s.ledger.harness_request("CS1", "h2", "RequestStopTransaction", {"transactionId": "T1"})
    s.ledger.station_answer("CS1", "h2", {"status": "Rejected"})
    s.send(tx("Ended", 1, "StopAuthorized"))
    assert s.findings == []


def test_records_feed_the_ledger_like_the_event_log() -> None:
    """TransactionRecords reads event-log records: only the station SUT's frames (local_role CSMS, direction in)."""
    records = TransactionRecords()

    def frame(direction: str, message: list[Any], role: str = "CSMS", index: int = 0) -> dict[str, Any]:
        return {"kind": "frame", "direction": direction, "local_role": role, "connection": "CS1", "wall": BASE,
                "raw": json.dumps(message), "frame_index": index}

    assert records.observe({"kind": "connection", "event": "opened", "connection": "CS1", "wall": BASE}) == []
    assert records.observe(frame("in", [2, "a", "TransactionEvent", tx("Started", 0, **STARTED)], index=1)) == []
    # a harness station's (CSMS role) TransactionEvents are not the SUT's
    assert records.observe(frame("out", [2, "b", "TransactionEvent", tx("Updated", 5)], "ChargingStation")) == []
    [finding] = records.observe(frame("in", [2, "c", "TransactionEvent", tx("Updated", 3)], index=3))
    assert finding.rule == "transaction-seqno-gap" and finding.as_event()["earlier_frame_index"] == 1


# --------------------------------------------------------------------------- end to end: a station SUT
class TransactionPeer(Peer):
    """A station that runs a transaction during TC_P_01_CS's DataTransfer (the case otherwise passes): its
    TransactionEvents are ``events``."""

    def __init__(self, events: list[dict[str, Any]]) -> None:
        super().__init__()
        self.events = events
        self.on_call = self._on_call

    async def _on_call(self, ws: Any, action: str, payload: dict[str, Any]) -> dict[str, Any] | None:
        if action == "DataTransfer":
            for event in self.events:
                await self.call(ws, "TransactionEvent", event)
            return {"status": "UnknownVendorId"}
        return None


def now_tx(event_type: str, seq: int, trigger: str = "ChargingStateChanged", **fields: Any) -> dict[str, Any]:
    from conformance.protocol.frames import utc_now
    payload = tx(event_type, seq, trigger, tid="peer-tx-1", **fields)
    payload["timestamp"] = utc_now()
    return payload


async def _run(tmp_path: Path, peer: Peer) -> tuple[int, dict[str, Any], str, Path]:
    port = free_port()
    config = write_config(tmp_path / "sut.toml", "station", port)
    run_dir = tmp_path / "run"
    async with station(port, peer):
        code, results, output, _ = await run_case(config, "TC_P_01_CS", run_dir)
    return code, results, output, run_dir


async def test_a_station_skipping_a_seqno_fails_the_case_and_validate_agrees(tmp_path: Path) -> None:
    peer = TransactionPeer([now_tx("Started", 0, "CablePluggedIn", **STARTED), now_tx("Updated", 2),
                            now_tx("Ended", 3, "StopAuthorized")])
    code, results, output, run_dir = await _run(tmp_path, peer)
    assert code == 1, output
    result = results["TC_P_01_CS"]
    assert result["verdict"] == "FAIL", output
    assert "seqNo of a transaction increases by one" in result["message"], result["message"]
    [finding] = [f for f in generic_checks(run_dir, "TC_P_01_CS") if f["rule"].startswith("transaction-")]
    assert finding["rule"] == "transaction-seqno-gap" and "E01.FR.07" in finding["requirements"]
    assert finding["earlier_frame_index"] < finding["frame_index"]
    report = validate_stream((run_dir / "events.jsonl").read_text())
    assert [(f.rule, f.frame_index) for f in report.findings if f.rule.startswith("transaction-")] == \
        [("transaction-seqno-gap", finding["frame_index"])]
    # the report lists the transaction invariants among the generic validations, with the finding
    [invariants] = [v for v in build_model(read_log(run_dir / "events.jsonl")).generic_validations()
                    if "transaction-seqno-gap" in v.rules]
    assert invariants.findings == 1 and invariants.title.startswith("Transaction invariants")


async def test_a_conformant_station_with_allowed_variants_passes(tmp_path: Path) -> None:
    peer = TransactionPeer([now_tx("Started", 4, "CablePluggedIn", **STARTED),  # continuously increasing seqNo
                            now_tx("Updated", 5, "Authorized", idToken={"idToken": "A", "type": "ISO14443"}),
                            now_tx("Ended", 6, "StopAuthorized")])  # stoppedReason omitted: Local
    code, results, output, run_dir = await _run(tmp_path, peer)
    assert code == 0, output
    assert results["TC_P_01_CS"]["verdict"] == "PASS", output
    assert not [f for f in generic_checks(run_dir, "TC_P_01_CS") if f["rule"].startswith("transaction-")]


# --------------------------------------------------------------------------- review f-cs: orderings and bounds Part 2 allows
def test_a_remote_stop_event_before_the_answer_counts() -> None:
    """Part 2 does not order the RequestStopTransactionResponse before the event (review M3): a RemoteStop Updated
    sent before the answer, then an Ended (ChargingStateChanged, errata §6.2.117), gives no finding; an accepted stop
    ended without any RemoteStop event still does."""
    s = Scenario().connect()
    started(s)
    s.ledger.harness_request("CS1", "h1", "RequestStopTransaction", {"transactionId": "T1"})
    s.send(tx("Updated", 1, "RemoteStop", info={"chargingState": "EVConnected"}))
    s.ledger.station_answer("CS1", "h1", {"status": "Accepted"})
    s.send(tx("Ended", 2, "ChargingStateChanged", info={"stoppedReason": "Remote"}))
    assert s.findings == []
    s = Scenario().connect()
    started(s)
    s.ledger.harness_request("CS1", "h1", "RequestStopTransaction", {"transactionId": "T1"})
    s.ledger.station_answer("CS1", "h1", {"status": "Accepted"})
    s.send(tx("Ended", 1, "EVCommunicationLost", info={"stoppedReason": "EVDisconnected"}))
    assert s.rules() == ["transaction-remote-stop"]


def test_a_remote_start_event_before_the_answer_counts() -> None:
    """The RemoteStart event may arrive before the RequestStartTransactionResponse (review L16): its remoteStartId is
    the pending request's; another id is still a finding."""
    s = Scenario().connect()
    s.ledger.harness_request("CS1", "h1", "RequestStartTransaction", {"idToken": {"idToken": "A"}, "remoteStartId": 7})
    s.ledger.station_answer("CS1", "h1", {"status": "Accepted"})
    s.ledger.harness_request("CS1", "h2", "RequestStartTransaction", {"idToken": {"idToken": "A"}, "remoteStartId": 8})
    s.send(tx("Started", 0, "RemoteStart", idToken={"idToken": "A"}, info={"remoteStartId": 8, "chargingState": "Idle"},
              evse={"id": 1}))
    s.ledger.station_answer("CS1", "h2", {"status": "Accepted"})
    assert s.findings == []
    s.send(tx("Updated", 1, "RemoteStart", idToken={"idToken": "A"}, info={"remoteStartId": 9}))
    assert s.rules() == ["transaction-remote-start-id"]


def test_a_transaction_begun_before_the_run_is_not_judged_started_first() -> None:
    """Review M8: without seeing its EVSE idle in this run, an Updated of an unknown transaction may belong to one that
    began before the run (its Started went elsewhere); once the EVSE was reported Available it may not."""
    s = Scenario(idle=False).connect()
    s.send(tx("Updated", 4, "MeterValuePeriodic", tid="OLD", evse={"id": 1, "connectorId": 1}))
    s.send(tx("Ended", 5, "EVCommunicationLost", tid="OLD", info={"stoppedReason": "EVDisconnected"}))
    assert s.findings == []
    s.send(tx("Updated", 0, "CablePluggedIn", tid="NEW", **STARTED))  # EVSE 1 is known idle since the Ended
    assert s.rules() == ["transaction-started-first"]
    s = Scenario(idle=False).connect()
    s.ledger.connector_status("CS1", 1, "Occupied")  # the boot report: EVSE 1 busy, EVSE 2 idle
    s.ledger.connector_status("CS1", 2, "Available")
    s.send(tx("Updated", 4, "MeterValuePeriodic", tid="OLD"))  # no evse named, and EVSE 1 is not known idle
    assert s.findings == []


def test_an_event_stamped_before_the_connection_closed_needs_no_offline_flag() -> None:
    """Review M9: the Ended a station builds at boot after a power loss is stamped while its previous connection was
    still open: it did not occur while offline (E04.FR.03). One stamped inside the offline period still needs it."""
    s = Scenario().connect(at=0)
    started(s)
    s.disconnect(at=8).connect(at=10)
    s.send(tx("Ended", 1, "AbnormalCondition", at=7.9, info={"stoppedReason": "PowerLoss"}))
    assert s.findings == []
    s = Scenario().connect(at=0)
    started(s)
    s.connect(at=10)  # no close recorded before this reconnect: nothing is provable
    s.ledger._station("CS1").closed = None
    s.send(tx("Ended", 1, "AbnormalCondition", at=5, info={"stoppedReason": "PowerLoss"}))
    assert s.findings == []


def test_a_clock_set_by_a_heartbeat_response_is_learnt_again() -> None:
    """Review M10: a station 5 s ahead sets its clock from a HeartbeatResponse (G02.FR.06); the floor learnt before
    that would put its next online event inside the offline period. After the answer the bound is learnt again."""
    s = Scenario().connect(at=0)
    s.send(tx("Started", 0, "CablePluggedIn", at=5, **STARTED), arrives=0)  # the station's clock: 5 s ahead
    s.ledger.station_call("CS1", "hb", "Heartbeat", {})
    s.ledger.harness_answer("CS1", "hb", {"currentTime": stamp(1)})  # ... and now set to ours
    s.disconnect(at=20).connect(at=30)
    s.send(tx("Updated", 1, "MeterValuePeriodic", at=30.5), arrives=30.5)
    assert s.findings == []


def test_records_read_the_margin_from_the_session_and_heartbeats() -> None:
    records = TransactionRecords()
    records.observe({"kind": "session_start", "config": {"timing": {"max_time_deviation": 1.5}}})
    assert records.ledger.max_time_deviation == 1.5
