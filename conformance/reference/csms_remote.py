"""The reference CSMS's remote control (block F): RequestStartTransaction, UnlockConnector and TriggerMessage on
``csms_send``, and what it learns from the answers.

* RequestStartTransaction (F01, F02): the CSMS gives each request its own remoteStartId (unique for the CSMS's
  lifetime, counted from the clock so that a restarted CSMS does not repeat the ids of the last one) unless the
  operator named one; the answer (status, the transactionId of a transaction started already: F01.FR.13) and the
  transaction that reports the remoteStartId (F02.FR.01, F01.FR.25) are kept per station (:attr:`remote_starts`).
* UnlockConnector (F05) and TriggerMessage (F06): the request and the station's answer are kept per station
  (:attr:`answers`), as an operator's screen would show them.

The faults of block F that are not payload edits (conformance/faults/f.py, helper fcsms) are applied here:
:meth:`refusal` is how the CSMS wrongly refuses a station's message, :meth:`answered` what it wrongly does
after an answer.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field
from typing import Any

from ..faults import FaultSet
from ..protocol.frames import CallError, ErrorCode
from ..transport.connection import Connection, IncomingCall, Response

# Integer ids are OCPP "integer" fields: a signed 32-bit int every implementation can store.
_INT_MAX = 2**31 - 1
# The sampled-value contexts a CSMS with the fault csms_rejects_trigger_context knows (no Trigger).
_PERIODIC_CONTEXTS = ("Sample.Periodic", "Sample.Clock", "Transaction.Begin", "Transaction.End", "Interruption.Begin",
                      "Interruption.End", "Other")


@dataclass
class RemoteStart:
    """One RequestStartTransactionRequest the CSMS sent, and what became of it."""

    remote_start_id: int
    request: dict[str, Any]
    status: str | None = None  # RequestStartTransactionResponse.status (None: no answer)
    transaction_id: str | None = None  # answered (F01.FR.13) or reported with the remoteStartId (F02.FR.01)


@dataclass
class RemoteControl:
    """The remote-control part of one reference CSMS (see the module docstring)."""

    faults: FaultSet
    remote_starts: dict[str, dict[int, RemoteStart]] = field(default_factory=dict)  # identity -> remoteStartId ->
    answers: dict[str, list[tuple[str, dict[str, Any], dict[str, Any] | None]]] = field(default_factory=dict)
    _ids: Any = field(default_factory=lambda: itertools.count(1 + int(time.time() * 4) % (_INT_MAX // 2)))

    # ------------------------------------------------------------------ CSMS -> station
    def prepare(self, action: str, payload: dict[str, Any]) -> dict[str, Any]:
        """The request the CSMS sends for the operator's ``payload``: a RequestStartTransaction gets a new
        remoteStartId unless the operator gave one."""
        if action == "RequestStartTransaction" and "remoteStartId" not in payload:
            return {**payload, "remoteStartId": 1 + (next(self._ids) - 1) % _INT_MAX}
        return payload

    def sending(self, identity: str, action: str, payload: dict[str, Any]) -> None:
        """A remote start is known before it goes out: the station may report its transaction (with the
        remoteStartId) before the CSMS has read the answer."""
        if action == "RequestStartTransaction":
            start = RemoteStart(payload["remoteStartId"], payload)
            self.remote_starts.setdefault(identity, {})[start.remote_start_id] = start

    async def answered(self, identity: str, action: str, payload: dict[str, Any], response: Response,
                       conn: Connection) -> None:
        """What the CSMS keeps of the station's answer to its request."""
        answer = response.payload if response.ok else None
        if action == "RequestStartTransaction":
            start = self.remote_starts.get(identity, {}).get(payload["remoteStartId"])
            if start is not None and answer is not None:
                start.status = answer.get("status")
                start.transaction_id = start.transaction_id or answer.get("transactionId")
        elif action in ("UnlockConnector", "TriggerMessage"):
            self.answers.setdefault(identity, []).append((action, payload, answer))
        if action == "TriggerMessage" and answer is not None and answer.get("status") == "NotImplemented" \
                and "csms_trigger_not_implemented_closes_connection" in self.faults:
            # The fault: the CSMS's trigger code takes an answer other than Accepted / Rejected for a broken peer.
            await conn.close(1002, "unexpected TriggerMessageResponse status")

    # ------------------------------------------------------------------ station -> CSMS
    def transaction_event(self, identity: str, payload: dict[str, Any]) -> None:
        """A TransactionEvent that reports a remoteStartId names the transaction of that remote start."""
        info = payload.get("transactionInfo", {})
        start = self.remote_starts.get(identity, {}).get(info.get("remoteStartId"))
        if start is not None and start.transaction_id is None:
            start.transaction_id = info.get("transactionId")

    def refusal(self, incoming: IncomingCall) -> CallError | None:
        """The CALLERROR a block F fault makes the CSMS answer ``incoming`` with (None: answered as usual)."""
        action, payload = incoming.action, incoming.payload
        if "csms_rejects_trigger_context" in self.faults and action in ("MeterValues", "TransactionEvent"):
            contexts = {value.get("context", "Sample.Periodic") for meter in payload.get("meterValue", [])
                        for value in meter.get("sampledValue", [])}
            unknown = sorted(contexts - set(_PERIODIC_CONTEXTS))
            if unknown:
                return CallError(incoming.message_id, ErrorCode.PROPERTY_CONSTRAINT_VIOLATION,
                                 f"sampledValue.context: unknown value {unknown[0]!r}", {})
        if "csms_job_status_requires_request_id" in self.faults \
                and action in ("LogStatusNotification", "FirmwareStatusNotification") and "requestId" not in payload:
            return CallError(incoming.message_id, ErrorCode.OCCURRENCE_CONSTRAINT_VIOLATION,
                             "requestId: no log / firmware request of this CSMS", {})
        return None
