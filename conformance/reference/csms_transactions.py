"""The reference CSMS's transactions (E01-E14): what it knows of every transaction of its stations and how it answers
the TransactionEventRequests.

* Every TransactionEventRequest is stored with its transaction, whenever it arrives: events queued while the station
  was offline (``offline`` true), events of a transaction that has already ended and events whose seqNo fills a gap
  are accepted and kept in seqNo order (E12; a TransactionEventRequest cannot be refused: E01 remark, Part 6
  TC_E_53_CSMS). A new transaction starting again at seqNo 0 is a new transaction, not a duplicate (E01.FR.07).
* An event with an idToken is answered with idTokenInfo, the status the CSMS holds for the token (E01.FR.11,
  E01.FR.12, E02.FR.02, E03.FR.02, TransactionEventResponse.idTokenInfo "required when the request contained an
  idToken"); an event without one is answered ``{}``.
* GetTransactionStatusRequest (E14) goes out on ``csms_send`` as the operator gives it: with the transactionId asked
  for, or without one (not at all when the CSMS is declared without Part 5 C-16).

The faults of the E rows of conformance/faults/e.py ("# ecsms") break exactly what they name here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from ..actions.port import ActionFailed
from ..faults import FaultSet
from ..protocol.frames import CallError, ErrorCode


@dataclass
class CsmsTransaction:
    """One transaction as the CSMS knows it: its events in seqNo order, whether it has ended."""

    transaction_id: str
    events: list[dict[str, Any]] = field(default_factory=list)
    ended: bool = False
    late: int = 0  # events that arrived after the Ended event or queued offline
    number: int = 0  # the CSMS's own number of it (its database key), never sent: the station's id is the id
    connector: tuple[int, int] | None = None  # (evseId, connectorId) of its first event that names one
    closed: bool = False  # the fault csms_connector_available_closes_transaction: refused from then on

    def add(self, payload: dict[str, Any]) -> None:
        if self.ended or payload.get("offline"):
            self.late += 1
        if self.connector is None and "evse" in payload:
            self.connector = (payload["evse"].get("id"), payload["evse"].get("connectorId", 1))
        self.events.append(payload)
        self.events.sort(key=lambda e: e.get("seqNo", 0))
        if payload.get("eventType") == "Ended":
            self.ended = True

    @property
    def id_token(self) -> dict[str, Any] | None:
        """The idToken that authorized the transaction (the first event that carried one)."""
        return next((e["idToken"] for e in self.events if "idToken" in e), None)


class CsmsTransactions:
    """The transactions of every station of one reference CSMS. ``token_info(idToken)`` is the CSMS's
    authorization of a token (the IdTokenInfo it answers)."""

    def __init__(self, faults: FaultSet, token_info: Callable[[dict[str, Any]], dict[str, Any]],
                 supports: Callable[[str], bool] = lambda feature: True) -> None:
        self.faults = faults
        self.token_info = token_info
        self.supports = supports  # the Part 5 features the CSMS's PICS declares
        self.by_station: dict[str, dict[str, CsmsTransaction]] = {}
        self._last_started: dict[str, str] = {}  # identity -> transactionId of its last Started event

    def of(self, identity: str) -> dict[str, CsmsTransaction]:
        return self.by_station.setdefault(identity, {})

    def on_event(self, identity: str, payload: dict[str, Any]) -> dict[str, Any] | CallError:
        """Store the TransactionEventRequest and answer it."""
        transactions = self.of(identity)
        transaction_id = payload["transactionInfo"]["transactionId"]
        tx = transactions.get(transaction_id)
        refusal = self._refusal(identity, tx, payload)
        if refusal is not None:
            return CallError("", *refusal, {})
        if tx is None:
            tx = transactions[transaction_id] = CsmsTransaction(transaction_id, number=len(transactions) + 1)
        tx.add(payload)
        if payload.get("eventType") == "Started":
            self._last_started[identity] = transaction_id
        if "idToken" not in payload or not self._answers_token(payload):
            return {}
        info = dict(self.token_info(payload["idToken"]))
        if "csms_transaction_token_not_checked" in self.faults:
            info["status"] = "Accepted"
        return {"idTokenInfo": info}

    def _answers_token(self, payload: dict[str, Any]) -> bool:
        if "csms_started_without_id_token_info" in self.faults and payload.get("eventType") == "Started":
            return False
        if "csms_id_token_info_only_on_authorized_trigger" in self.faults and \
                payload.get("triggerReason") not in ("Authorized", "StopAuthorized"):
            return False
        if "csms_id_token_info_only_on_started" in self.faults and payload.get("eventType") != "Started":
            return False
        return True

    def _refusal(self, identity: str, tx: CsmsTransaction | None,
                 payload: dict[str, Any]) -> tuple[str, str] | None:
        """(error code, description) of the CALLERROR a fault answers the event with; None: none does."""
        started = payload.get("eventType") == "Started"
        if "csms_requires_id_token_on_started" in self.faults and started and "idToken" not in payload:
            return ErrorCode.OCCURRENCE_CONSTRAINT_VIOLATION, "idToken is required to start a transaction"
        if "csms_rejects_offline_events" in self.faults and payload.get("offline"):
            return ErrorCode.PROPERTY_CONSTRAINT_VIOLATION, "offline transaction events are not accepted"
        if "csms_rejects_suspended_ev_state" in self.faults and \
                payload["transactionInfo"].get("chargingState") == "SuspendedEV":
            return ErrorCode.PROPERTY_CONSTRAINT_VIOLATION, "chargingState: unknown value 'SuspendedEV'"
        reason = payload["transactionInfo"].get("stoppedReason")
        if "csms_stopped_reason_ocpp16_only" in self.faults and reason is not None and reason not in _OCPP16_REASONS:
            return ErrorCode.PROPERTY_CONSTRAINT_VIOLATION, f"stoppedReason: unknown value {reason!r}"
        if "csms_stop_authorized_requires_id_token" in self.faults and payload.get("eventType") == "Ended" \
                and payload.get("triggerReason") == "StopAuthorized" and "idToken" not in payload:
            return ErrorCode.OCCURRENCE_CONSTRAINT_VIOLATION, "idToken is required to stop a transaction"
        if tx is not None and tx.closed:
            return ErrorCode.PROPERTY_CONSTRAINT_VIOLATION, f"transaction {tx.transaction_id} is closed"
        if "csms_rejects_events_after_ended" in self.faults and tx is not None and tx.ended:
            return ErrorCode.PROPERTY_CONSTRAINT_VIOLATION, f"transaction {tx.transaction_id} has already ended"
        if "csms_seq_no_restart_rejected" in self.faults and started:
            previous = self.of(identity).get(self._last_started.get(identity, ""))
            last = max((e.get("seqNo", 0) for e in previous.events), default=-1) if previous else -1
            if payload.get("seqNo", 0) <= last:
                return ErrorCode.PROPERTY_CONSTRAINT_VIOLATION, f"seqNo {payload.get('seqNo')} was already received"
        return None

    def connector_status(self, identity: str, evse: int, connector: int, status: str) -> None:
        """A StatusNotificationRequest of the station: under the fault csms_connector_available_closes_transaction, an
        Available connector closes the transaction that runs on it."""
        if status != "Available" or "csms_connector_available_closes_transaction" not in self.faults:
            return
        for tx in self.of(identity).values():
            if tx.connector == (evse, connector) and not tx.ended:
                tx.closed = True

    def outgoing(self, identity: str, action: str, payload: dict[str, Any]) -> dict[str, Any]:
        """A request the operator has the CSMS send (``csms_send``), as the CSMS sends it: unchanged, except where
        a fault reshapes it from what the CSMS knows. Declared without Part 5 C-16 (checking the transaction status) the
        CSMS has no GetTransactionStatus to send."""
        if action == "GetTransactionStatus" and not self.supports("C-16"):
            raise ActionFailed("csms_send", {"station": identity, "request": action},
                               "the reference CSMS is declared without C-16 (checking the TransactionStatus)")
        if action == "GetTransactionStatus" and "transactionId" not in payload \
                and "csms_transaction_status_always_names_transaction" in self.faults:
            return {**payload, "transactionId": self._last_started.get(identity, "")}
        tx = self.of(identity).get(payload.get("transactionId", ""))
        if action == "RequestStopTransaction" and tx is not None \
                and "csms_request_stop_internal_transaction_id" in self.faults:
            return {**payload, "transactionId": str(tx.number)}
        return payload


# OCPP 1.6 Reason values (the fault csms_stopped_reason_ocpp16_only): 2.0.1 added Timeout, StoppedByEV and others.
_OCPP16_REASONS = frozenset({"EmergencyStop", "EVDisconnected", "HardReset", "Local", "Other", "PowerLoss", "Reboot",
                             "Remote", "SoftReset", "UnlockCommand", "DeAuthorized"})
