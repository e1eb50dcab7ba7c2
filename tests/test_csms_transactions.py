"""The reference CSMS's transaction book (conformance/reference/csms_transactions.py), without a network: it accepts
and stores every TransactionEventRequest (late, offline, filling a seqNo gap, a new transaction at seqNo 0), answers
idTokenInfo exactly when the event carries an idToken, and its faults break what they name."""

from __future__ import annotations

from typing import Any

import pytest

from conformance.actions.port import ActionFailed
from conformance.faults import FaultSet
from conformance.protocol.frames import CallError
from conformance.reference.csms_transactions import CsmsTransactions

TOKEN = {"idToken": "VALID", "type": "ISO14443"}


def book(*faults: str, supports: Any = lambda feature: True) -> CsmsTransactions:
    tokens = {"VALID": "Accepted", "BAD": "Invalid"}
    return CsmsTransactions(FaultSet(faults, sut="csms"),
                            lambda token: {"status": tokens.get(token["idToken"], "Unknown")}, supports)


def event(tx: str, seq: int, event_type: str = "Updated", **extra: Any) -> dict[str, Any]:
    return {"eventType": event_type, "timestamp": "2026-01-01T00:00:00.000Z", "triggerReason": "Authorized",
            "seqNo": seq, "transactionInfo": {"transactionId": tx}, **extra}


def test_late_and_out_of_order_events_are_stored_in_seq_no_order() -> None:
    b = book()
    assert b.on_event("CS1", event("T1", 0, "Started", evse={"id": 1, "connectorId": 1})) == {}
    assert b.on_event("CS1", event("T1", 3, "Ended", offline=True)) == {}
    assert b.on_event("CS1", event("T1", 1, offline=True)) == {}
    assert b.on_event("CS1", event("T1", 2, offline=True)) == {}
    tx = b.of("CS1")["T1"]
    assert [e["seqNo"] for e in tx.events] == [0, 1, 2, 3]
    assert tx.ended and tx.late == 3 and tx.connector == (1, 1)


def test_a_new_transaction_may_start_again_at_seq_no_0() -> None:
    b = book()
    for tx in ("T1", "T2"):
        assert b.on_event("CS1", event(tx, 0, "Started")) == {}
        assert b.on_event("CS1", event(tx, 1, "Ended")) == {}
    assert set(b.of("CS1")) == {"T1", "T2"}


def test_id_token_info_exactly_when_the_event_has_an_id_token() -> None:
    b = book()
    assert b.on_event("CS1", event("T1", 0, "Started", idToken=TOKEN)) == {"idTokenInfo": {"status": "Accepted"}}
    assert b.on_event("CS1", event("T1", 1)) == {}
    assert b.on_event("CS1", event("T2", 0, "Started", idToken={"idToken": "BAD", "type": "ISO14443"})) == {
        "idTokenInfo": {"status": "Invalid"}}


@pytest.mark.parametrize("fault, payloads", [
    ("csms_rejects_offline_events", [event("T1", 0, "Started", offline=True)]),
    ("csms_rejects_events_after_ended", [event("T1", 0, "Ended"), event("T1", 1)]),
    ("csms_seq_no_restart_rejected", [event("T1", 0, "Started"), event("T2", 0, "Started")]),
    ("csms_requires_id_token_on_started", [event("T1", 0, "Started")]),
])
def test_callerror_faults_refuse_the_event(fault: str, payloads: list[dict[str, Any]]) -> None:
    b = book(fault)
    answers = [b.on_event("CS1", p) for p in payloads]
    assert isinstance(answers[-1], CallError)
    assert not any(isinstance(a, CallError) for a in answers[:-1])
    assert all(not isinstance(a, CallError) for a in (book().on_event("CS1", p) for p in payloads))


def test_get_transaction_status_is_sent_as_asked_unless_a_fault_or_the_pics_says_otherwise() -> None:
    b = book()
    b.on_event("CS1", event("T1", 0, "Started"))
    assert b.outgoing("CS1", "GetTransactionStatus", {}) == {}
    assert b.outgoing("CS1", "GetTransactionStatus", {"transactionId": "T1"}) == {"transactionId": "T1"}
    faulty = book("csms_transaction_status_always_names_transaction")
    assert faulty.outgoing("CS1", "GetTransactionStatus", {}) == {"transactionId": ""}
    faulty.on_event("CS1", event("T1", 0, "Started"))
    assert faulty.outgoing("CS1", "GetTransactionStatus", {}) == {"transactionId": "T1"}
    with pytest.raises(ActionFailed, match="C-16"):
        book(supports=lambda feature: feature != "C-16").outgoing("CS1", "GetTransactionStatus", {})
