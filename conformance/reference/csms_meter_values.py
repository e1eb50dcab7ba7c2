"""The reference CSMS and meter values (J01.FR.18, J02.FR.19): it answers every MeterValuesRequest and
TransactionEventRequest, whatever meter values they carry; the block J faults switched on in it make it refuse some
(realistic back-end mistakes: a parser that knows fewer shapes of meter data than Part 2 allows)."""

from __future__ import annotations

from typing import Any

from ..faults import FaultSet
from ..protocol import meter_values as mv
from ..protocol.frames import CallError, ErrorCode
from ..transport.connection import IncomingCall


def meter_value_refusal(faults: FaultSet, incoming: IncomingCall) -> CallError | None:
    """The CALLERROR a switched-on block J fault makes the CSMS answer ``incoming`` with; None: answered normally."""
    payload: dict[str, Any] = incoming.payload
    meter_values = payload.get("meterValue", [])
    sampled = mv.sampled_values(meter_values)

    def refuse(code: ErrorCode, text: str) -> CallError:
        return CallError(incoming.message_id, code, text, {})

    if incoming.action == "MeterValues":
        if "csms_meter_values_not_implemented" in faults:
            return refuse(ErrorCode.NOT_IMPLEMENTED, "no handler for MeterValues")
        if payload.get("evseId") == 0 and "csms_rejects_meter_values_of_evse_0" in faults:
            return refuse(ErrorCode.PROPERTY_CONSTRAINT_VIOLATION, "evseId 0: unknown EVSE")
    if incoming.action != "TransactionEvent" and incoming.action != "MeterValues":
        return None
    if any("signedMeterValue" in s for s in sampled) and "csms_rejects_signed_meter_values" in faults:
        return refuse(ErrorCode.FORMAT_VIOLATION, "sampledValue.signedMeterValue: unexpected property")
    if incoming.action != "TransactionEvent":
        return None
    if payload.get("triggerReason") in ("MeterValueClock", "MeterValuePeriodic") \
            and "csms_rejects_meter_value_trigger_reasons" in faults:
        return refuse(ErrorCode.NOT_IMPLEMENTED, f"triggerReason {payload.get('triggerReason')} not handled")
    if len(meter_values) > 1 and "csms_rejects_several_meter_values" in faults:
        return refuse(ErrorCode.OCCURRENCE_CONSTRAINT_VIOLATION, "meterValue: at most 1 element expected")
    if payload.get("eventType") == "Started" and meter_values and "csms_rejects_meter_values_in_started" in faults:
        return refuse(ErrorCode.FORMAT_VIOLATION, "meterValue not expected in a Started event")
    if payload.get("eventType") == "Updated" and any(mv.context_of(s) == mv.TRANSACTION_BEGIN for s in sampled) \
            and "csms_rejects_transaction_begin_in_updated" in faults:
        return refuse(ErrorCode.PROPERTY_CONSTRAINT_VIOLATION, "context Transaction.Begin only in a Started event")
    return None
