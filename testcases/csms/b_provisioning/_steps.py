"""Steps the block B CSMS cases share (boot, device-model reports, reset): private to this block.
"""

from __future__ import annotations

import time
from typing import Any

from conformance.catalog import actions_handled_by
from conformance.harness import CsmsUnderTest, Satisfies
from conformance.harness.reports import check_csms_answers_report
from conformance.harness.reusable_states import csms as states
from conformance.protocol.errors import PeerClosed, PeerTimeout
from conformance.protocol.frames import utc_now
from conformance.protocol.variable_names import canonical
from conformance.protocol.variables import AUTHORIZE_REMOTE_START, component_variable, evse_availability_state
from conformance.roles import Role
from conformance.transport.connection import IncomingCall


async def boot_pending_interval(csms: CsmsUnderTest, interval: float) -> list[IncomingCall]:
    """The harness station waits the interval of a not-accepted boot before booting again (Part 6 TC_B_02_CSMS
    note: the configured heartbeat interval when the CSMS gave 0). Meanwhile the CSMS may send requests, which
    the harness station answers; the connection must stay open (B02.FR.06). Returns the CSMS's requests."""
    conn = csms.connection
    requests: list[IncomingCall] = []
    alternatives = [(action, {}) for action in sorted(actions_handled_by(Role.STATION))]
    csms.ctx.log.emit("wait", reason="the interval of the Pending BootNotificationResponse", seconds=interval)
    deadline = time.monotonic() + interval
    while (remaining := deadline - time.monotonic()) > 0:
        try:
            requests.append(await conn.expect_one_of(alternatives, timeout=remaining))
        except PeerTimeout:
            break
        except PeerClosed:
            csms.check.that("the CSMS keeps the connection open while the station is Pending", False,
                            expected="connection open", actual=f"closed: {conn.close_reason}",
                            requirements=("B02.FR.06",))
    csms.check.that("the connection is still open at the end of the interval", conn.is_open,
                    expected="connection open", actual=f"closed: {conn.close_reason}", requirements=("B02.FR.06",))
    return requests


def boot_interval_of(csms: CsmsUnderTest, response_payload: dict) -> float:
    interval = response_payload.get("interval", 0)
    return interval if interval > 0 else csms.config.timing.heartbeat_interval


REPORT_EVSE1_AVAILABILITY = evse_availability_state(1)
REPORT_REQUEST_ID = Satisfies(lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 0,
                              "an integer >= 0")


async def report_csms_delivered(csms: CsmsUnderTest, request: IncomingCall, requirements: tuple[str, ...]) -> None:
    """The harness station (which answered Accepted) sends the report; the CSMS must accept every part."""
    record = await csms.station.reports.sent(request.payload["requestId"], timeout=10 * csms.message_timeout)
    check_csms_answers_report(csms, record, requirements=requirements)


async def report_csms_base(csms: CsmsUnderTest, base: str, case: str) -> None:
    """TC_B_12/13/14_CSMS: on request the CSMS asks for the ``base`` report (tool validation step 1: requestId an
    integer >= 0, reportBase); the harness station sends it and the CSMS must answer every NotifyReportRequest
    (post-scenario "CSMS receives all NotifyReportRequest messages", OCPP-J Part 4 §4.2.2)."""
    await states.booted(csms)
    await csms.actions.do("csms_send", station=csms.identity, request="GetBaseReport", payload={"reportBase": base})
    request = await csms.expect_call("GetBaseReport")
    csms.check.fields("GetBaseReportRequest", request.payload, {"requestId": REPORT_REQUEST_ID, "reportBase": base},
                      requirements=(f"Part 6 {case} tool validation step 1",))
    await report_csms_delivered(csms, request, (f"Part 6 {case} post-scenario validation (all NotifyReportRequest "
                                                "received)", "OCPP-J Part 4 §4.2.2"))


async def report_csms_custom(csms: CsmsUnderTest, criterion: str, step: int) -> IncomingCall:
    """TC_B_18_CSMS steps 1/3: on request the CSMS asks for EVSE 1's AvailabilityState of ``criterion``
    components; tool validation: componentCriteria, componentVariable[0] (further entries are allowed)."""
    await csms.actions.do("csms_send", station=csms.identity, request="GetReport", payload={
        "componentCriteria": [criterion], "componentVariable": [REPORT_EVSE1_AVAILABILITY]})
    request = await csms.expect_call("GetReport")
    csms.check.fields("GetReportRequest", request.payload, {
        "requestId": REPORT_REQUEST_ID,
        "componentCriteria": [criterion],
        "componentVariable.0.component.name": "EVSE",
        "componentVariable.0.component.evse.id": 1,
        "componentVariable.0.variable.name": "AvailabilityState",
    }, requirements=(f"Part 6 TC_B_18_CSMS tool validation step {step}",))
    return request


def report_items_per_message(instance: str) -> dict[str, Any]:
    return component_variable("DeviceDataCtrlr", "ItemsPerMessage", instance=instance)


def report_bytes_per_message(instance: str) -> dict[str, Any]:
    return component_variable("DeviceDataCtrlr", "BytesPerMessage", instance=instance)


REPORT_LIMIT = 4  # Part 6 TC_B_08_CSMS configuration state
REPORT_FIVE_VARIABLES = (
    report_items_per_message("GetReport"), report_items_per_message("GetVariables"),
    report_bytes_per_message("GetReport"), report_bytes_per_message("GetVariables"),
    AUTHORIZE_REMOTE_START,
)


def report_variable_key(item: dict[str, Any]) -> tuple[str, str, str]:
    """A key under which every documented spelling of one variable compares equal (protocol/variable_names.py)."""
    component = str(item.get("component", {}).get("name", ""))
    return (component.casefold(), canonical(component, str(item.get("variable", {}).get("name", ""))).casefold(),
            str(item.get("variable", {}).get("instance") or "").casefold())


def reset_configured_connector(csms: CsmsUnderTest) -> tuple[int, int]:
    """<Configured evseId> and <Configured connectorId>: the first configured connector."""
    return csms.connectors[0]


async def reset_requested(csms: CsmsUnderTest, payload: dict[str, Any], expected: dict[str, Any],
                          requirements: tuple[str, ...]) -> IncomingCall:
    """The CSMS is asked (``csms_send``) to send ResetRequest ``payload``; the request it sends must have the
    ``expected`` fields (ABSENT: left out). The harness station answers with its current Reset answer."""
    await csms.actions.do("csms_send", station=csms.identity, request="Reset", payload=payload)
    request = await csms.expect_call("Reset")
    csms.check.fields("ResetRequest", request.payload, expected, requirements=requirements)
    return request


async def reset_reboot_csms(csms: CsmsUnderTest, request: IncomingCall, reason: str,
                            statuses: dict[tuple[int, int], str] | None = None, *, validation: str) -> None:
    """The harness station reboots after the reset: once it has answered ``request`` it connects again, boots
    with ``reason`` (the CSMS must accept it: ``validation``, the case's Part 6 tool validation, and B01.FR.02)
    and reports every connector (Available unless ``statuses`` says otherwise)."""
    await csms.station.reboot(request)
    response = await states.boot_notification(csms, reason)
    csms.check.fields(f"BootNotificationResponse ({validation})", response.payload, {"status": "Accepted"},
                      requirements=("B01.FR.02", validation))
    statuses = statuses or {}
    for status in sorted({statuses.get(k, "Available") for k in csms.connectors}):
        await states.report_availability(csms, [k for k in csms.connectors if statuses.get(k, "Available") == status],
                                         status)


async def reset_ended_immediately(csms: CsmsUnderTest, tx: states.Transaction) -> None:
    """The harness station ends the transaction because of an Immediate reset: TransactionEventRequest Ended,
    triggerReason ResetCommand, chargingState EVConnected, stoppedReason ImmediateReset, no idToken; the CSMS
    must answer it."""
    response = await csms.call("TransactionEvent", {
        "eventType": "Ended", "timestamp": utc_now(), "triggerReason": "ResetCommand", "seqNo": tx.seq_no,
        "transactionInfo": {"transactionId": tx.transaction_id, "chargingState": "EVConnected",
                            "stoppedReason": "ImmediateReset"}})
    tx.seq_no += 1
    tx.ended = True
    csms.check.that("the CSMS answers TransactionEventRequest (Ended, ResetCommand) with a CALLRESULT", response.ok,
                    expected="CALLRESULT", actual=response.describe(),
                    requirements=("Part 6: the CSMS responds with a TransactionEventResponse", "OCPP-J Part 4 §4.2.2"))


async def reset_scheduled_transaction_ends(csms: CsmsUnderTest, tx: states.Transaction, *, case: str) -> None:
    """Part 6 TC_B_21/26_CSMS steps 3-6: after the Scheduled answer the harness station sends exactly two events,
    Updated StopAuthorized (chargingState EVConnected, the configured valid idToken) and Ended
    EVCommunicationLost (chargingState Idle, stoppedReason EVDisconnected); the CSMS must answer each with a
    CALLRESULT (steps 4 and 6)."""
    token = csms.config.id_tokens.valid.to_ocpp()
    for step, event_type, trigger, info, extra in (
            (4, "Updated", "StopAuthorized", {"chargingState": "EVConnected"}, {"idToken": token}),
            (6, "Ended", "EVCommunicationLost", {"chargingState": "Idle", "stoppedReason": "EVDisconnected"}, {})):
        response = await csms.call("TransactionEvent", {
            "eventType": event_type, "timestamp": utc_now(), "triggerReason": trigger, "seqNo": tx.seq_no,
            "transactionInfo": {"transactionId": tx.transaction_id, **info}, **extra})
        tx.seq_no += 1
        if event_type == "Ended":
            tx.ended = True
        csms.check.that(f"the CSMS answers TransactionEventRequest ({event_type}, {trigger}) with a CALLRESULT",
                        response.ok, expected="CALLRESULT", actual=response.describe(),
                        requirements=(f"Part 6 {case} step {step}", "OCPP-J Part 4 §4.2.2"))



async def reset_during_transaction(csms: CsmsUnderTest, transactions: list[states.Transaction],
                                   payload: dict[str, Any], expected: dict[str, Any], requirements: tuple[str, ...],
                                   *, scheduled_case: str | None = None) -> IncomingCall:
    """Before EnergyTransferStarted on the configured connector (the transaction put in ``transactions``), then
    the ResetRequest asked for (:func:`reset_requested`) and the transaction's end: with ``scheduled_case``
    (TC_B_21/26_CSMS) the harness answers Scheduled and sends that case's steps 3-6
    (:func:`reset_scheduled_transaction_ends`), else (Immediate, TC_B_22/27_CSMS) it answers Accepted and ends the
    transaction at once (:func:`reset_ended_immediately`). The ResetRequest is returned."""
    tx = await states.energy_transfer_started(csms, *reset_configured_connector(csms))
    transactions.append(tx)
    if scheduled_case is None:
        request = await reset_requested(csms, payload, expected, requirements)
        await reset_ended_immediately(csms, tx)
        return request
    with csms.station.answering("Reset", {"status": "Scheduled"}):
        request = await reset_requested(csms, payload, expected, requirements)
    await reset_scheduled_transaction_ends(csms, tx, case=scheduled_case)
    return request