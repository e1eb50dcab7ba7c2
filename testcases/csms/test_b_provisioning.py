"""Block B Provisioning, the SUT is a CSMS (the harness plays the Charging Station).

The cases are grouped by use case: cold boot (B01), Get/SetVariables (B05/B06, including the GetVariables item
limit), boot Pending / Rejected (B02/B03), device-model reports (B07/B08), Reset (B11/B12), network
connection profiles (B09) and the WebSocket subprotocol negotiation of Part 4 §3.1.2 (TC_B_58_CSMS, a case
the errata add: Part 5 erratum 5.10, Part 6 erratum 6.2.21).

Reset: on request (action ``csms_send``) the CSMS sends ResetRequest for the station or one EVSE, OnIdle or
Immediate; the harness station answers Accepted, or Scheduled while a transaction runs and the reset is OnIdle. A
reset of the whole station is followed by the harness station's reboot: a new WebSocket connection,
BootNotificationRequest (reason RemoteReset, ScheduledReset after a Scheduled one), which the CSMS must accept,
and a status report of every connector. The ResetRequest must leave evseId out when the station is reset (errata
2024-09 for TC_B_20/21/22_CSMS) and carry the configured evseId when an EVSE is. Where Part 6 has the harness
stop a transaction with a StopAuthorized event in chargingState EVConnected followed by Ended (TC_B_21/26_CSMS),
the CSMS-side reusable states StopAuthorized, EVConnectedPostSession and EVDisconnected are used (a
ChargingStateChanged event and the connector's Available report in between); the CSMS is judged on answering each
of them.

Network profiles: the operator is asked (action ``csms_send``) to set a network connection profile with the
configured values: the slot is one of the harness station's configuration slots (the valuesList of its
NetworkConfigurationPriority) other than the one in use, the URL is the CSMS's configured URL, the timeout the
configured message timeout and the security profile the configured one.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from conformance.catalog import actions_handled_by
from conformance.harness import ABSENT, CsmsUnderTest, OneOf, Satisfies, case, reusable_state
from conformance.harness.reports import check_csms_answers_report, entry_name
from conformance.harness.reusable_states import (CsmsTransaction, boot_csms, csms_transaction_closed,
                                                 energy_transfer_started_csms, report_availability_csms,
                                                 transaction_ends_csms)
from conformance.outcomes import CheckFailed, Inconclusive, SutDisconnected, SutTimeout
from conformance.protocol.frames import utc_now
from conformance.transport.connection import IncomingCall


@case("TC_B_01_CSMS")
async def test_tc_b_01_csms(csms: CsmsUnderTest) -> None:
    """Cold boot, accepted: the CSMS accepts a registered station's BootNotification and its
    connector status reports."""
    boot = await reusable_state.booted_csms(csms)
    csms.check.fields("BootNotificationResponse", boot.boot.payload, {
        "interval": Satisfies(lambda v: isinstance(v, int) and v >= 0, "a heartbeat interval in seconds (>= 0)"),
    }, requirements=("B01.FR.02",))


@case("TC_B_06_CSMS")
async def test_tc_b_06_csms(csms: CsmsUnderTest) -> None:
    """Get Variables, single value: on request, the CSMS asks the station for
    OCPPCommCtrlr.OfflineThreshold with a well-formed GetVariablesRequest."""
    await reusable_state.booted_csms(csms)
    wanted = {"component": {"name": "OCPPCommCtrlr"}, "variable": {"name": "OfflineThreshold"}}
    await csms.actions.do("csms_send", station=csms.identity, request="GetVariables",
                          payload={"getVariableData": [wanted]})
    request = await csms.expect_call("GetVariables")
    items = request.payload["getVariableData"]
    limit = csms.station.device_model.items_per_message("GetVariables")
    csms.check.that("the request does not exceed ItemsPerMessageGetVariables", len(items) <= limit,
                    expected=f"<= {limit} entries", actual=len(items), requirements=("B06.FR.05",))
    matching = [i for i in items if i["component"]["name"] == "OCPPCommCtrlr"
                and i["variable"]["name"] == "OfflineThreshold"]
    csms.check.that("getVariableData asks for OCPPCommCtrlr.OfflineThreshold (in any position)", bool(matching),
                    expected=wanted, actual=items, requirements=("B06.FR.02",))
    csms.check.fields("GetVariablesRequest getVariableData entry", matching[0], {
        "attributeType": OneOf(ABSENT, "Actual", "Target", "MinSet", "MaxSet")})


OFFLINE_THRESHOLD = {"component": {"name": "OCPPCommCtrlr"}, "variable": {"name": "OfflineThreshold"}}
AUTHORIZE_REMOTE_START = {"component": {"name": "AuthCtrlr"}, "variable": {"name": "AuthorizeRemoteStart"}}


def _entry_for(csms: CsmsUnderTest, what: str, items: list[dict], wanted: dict,
               requirements: tuple[str, ...]) -> dict:
    """The request entry for a component/variable, in any position (Part 6: "in arbitrary order")."""
    matching = [i for i in items if i.get("component", {}).get("name") == wanted["component"]["name"]
                and i.get("variable", {}).get("name") == wanted["variable"]["name"]]
    csms.check.that(f"{what} asks for {wanted['component']['name']}.{wanted['variable']['name']} "
                    "(in any position)", bool(matching), expected=wanted, actual=items, requirements=requirements)
    return matching[0]


@case("TC_B_07_CSMS")
async def test_tc_b_07_csms(csms: CsmsUnderTest) -> None:
    """Get Variables, multiple values: on request, the CSMS asks the station for
    OCPPCommCtrlr.OfflineThreshold and AuthCtrlr.AuthorizeRemoteStart in one GetVariablesRequest."""
    await reusable_state.booted_csms(csms)
    await csms.actions.do("csms_send", station=csms.identity, request="GetVariables",
                          payload={"getVariableData": [OFFLINE_THRESHOLD, AUTHORIZE_REMOTE_START]})
    request = await csms.expect_call("GetVariables")
    items = request.payload["getVariableData"]
    for wanted in (OFFLINE_THRESHOLD, AUTHORIZE_REMOTE_START):
        entry = _entry_for(csms, "getVariableData", items, wanted, ("B06.FR.02",))
        csms.check.fields(f"GetVariablesRequest entry for {wanted['variable']['name']}", entry, {
            "attributeType": OneOf(ABSENT, "Actual", "Target", "MinSet", "MaxSet")}, requirements=("B06.FR.03",))


@case("TC_B_09_CSMS")
async def test_tc_b_09_csms(csms: CsmsUnderTest) -> None:
    """Set Variables, single value: on request, the CSMS sets OCPPCommCtrlr.OfflineThreshold to 123
    with a well-formed SetVariablesRequest."""
    await reusable_state.booted_csms(csms)
    await csms.actions.do("csms_send", station=csms.identity, request="SetVariables",
                          payload={"setVariableData": [dict(OFFLINE_THRESHOLD, attributeValue="123")]})
    request = await csms.expect_call("SetVariables")
    entry = _entry_for(csms, "setVariableData", request.payload["setVariableData"], OFFLINE_THRESHOLD,
                       ("B05.FR.02",))
    csms.check.fields("SetVariablesRequest entry for OfflineThreshold", entry, {
        "attributeValue": "123",
        "attributeType": OneOf(ABSENT, "Actual"),
    }, requirements=("B05.FR.02", "B05.FR.12"))


@case("TC_B_10_CSMS")
async def test_tc_b_10_csms(csms: CsmsUnderTest) -> None:
    """Set Variables, multiple values: on request, the CSMS sets OCPPCommCtrlr.OfflineThreshold to 123
    and AuthCtrlr.AuthorizeRemoteStart to false in one SetVariablesRequest."""
    await reusable_state.booted_csms(csms)
    await csms.actions.do("csms_send", station=csms.identity, request="SetVariables", payload={"setVariableData": [
        dict(OFFLINE_THRESHOLD, attributeValue="123"), dict(AUTHORIZE_REMOTE_START, attributeValue="false")]})
    request = await csms.expect_call("SetVariables")
    items = request.payload["setVariableData"]
    csms.check.that("one SetVariablesRequest carries both variables", len(items) >= 2,
                    expected=">= 2 setVariableData entries", actual=len(items), requirements=("B05.FR.01",))
    for wanted, value in ((OFFLINE_THRESHOLD, "123"), (AUTHORIZE_REMOTE_START, "false")):
        entry = _entry_for(csms, "setVariableData", items, wanted, ("B05.FR.02",))
        csms.check.fields(f"SetVariablesRequest entry for {wanted['variable']['name']}", entry, {
            "attributeValue": value,
            "attributeType": OneOf(ABSENT, "Actual"),
        }, requirements=("B05.FR.02", "B05.FR.12"))


async def _boot_pending_interval(csms: CsmsUnderTest, interval: float) -> list[IncomingCall]:
    """The harness station waits the interval of a not-accepted boot before booting again (Part 6 TC_B_02_CSMS
    note: the configured heartbeat interval when the CSMS gave 0). Meanwhile the CSMS may send requests, which
    the harness station answers; the connection must stay open (B02.FR.06). Returns the CSMS's requests."""
    conn = csms.connection
    requests: list[IncomingCall] = []
    alternatives = [(action, {}) for action in sorted(actions_handled_by("ChargingStation"))]
    csms.ctx.log.emit("wait", reason="the interval of the Pending BootNotificationResponse", seconds=interval)
    deadline = time.monotonic() + interval
    while (remaining := deadline - time.monotonic()) > 0:
        try:
            requests.append(await conn.expect_one_of(alternatives, timeout=remaining))
        except SutTimeout:
            break
        except SutDisconnected:
            csms.check.that("the CSMS keeps the connection open while the station is Pending", False,
                            expected="connection open", actual=f"closed: {conn.close_reason}",
                            requirements=("B02.FR.06",))
    csms.check.that("the connection is still open at the end of the interval", conn.is_open,
                    expected="connection open", actual=f"closed: {conn.close_reason}", requirements=("B02.FR.06",))
    return requests


def _boot_interval_of(csms: CsmsUnderTest, response_payload: dict) -> float:
    interval = response_payload.get("interval", 0)
    return interval if interval > 0 else csms.config.timing.heartbeat_interval


@case("TC_B_02_CSMS")
async def test_tc_b_02_csms(csms: CsmsUnderTest) -> None:
    """Cold boot, Pending: configured to first answer Pending, the CSMS answers the harness station's boot
    Pending, keeps the connection open during the interval (it may ask the station for information meanwhile),
    and accepts the boot that follows and the connector status reports."""
    async with reusable_state.csms_boot_status(csms, "Pending"):
        await csms.connect()
        first = await reusable_state.boot_csms(csms)
        csms.check.fields("BootNotificationResponse (first boot)", first.payload, {"status": "Pending"},
                          requirements=("B02",))
        requests = await _boot_pending_interval(csms, _boot_interval_of(csms, first.payload))
        if requests:
            csms.note(f"during the Pending interval the CSMS sent: {[r.action for r in requests]}")
        await csms.actions.do("csms_configure", setting="boot_status", value="Accepted", station=csms.identity)
        second = await reusable_state.boot_csms(csms)
        csms.check.fields("BootNotificationResponse (after the interval)", second.payload, {"status": "Accepted"},
                          requirements=("B01.FR.02",))
        await reusable_state.report_availability_csms(csms, csms.connectors, "Available")


@case("TC_B_30_CSMS")
async def test_tc_b_30_csms(csms: CsmsUnderTest) -> None:
    """Cold boot, Pending/Rejected, SecurityError: configured to first answer Pending (Rejected when the CSMS does
    not declare C-44), the CSMS answers the status reports the harness station then sends, unasked, with
    CALLERROR SecurityError."""
    wanted = "Pending" if csms.config.pics.supports("C-44") else "Rejected"
    async with reusable_state.csms_boot_status(csms, wanted):
        await csms.connect()
        boot = await reusable_state.boot_csms(csms)
        csms.check.fields("BootNotificationResponse", boot.payload, {"status": OneOf("Pending", "Rejected")},
                          requirements=("B02", "B03"))
        requirement = "B02.FR.09" if boot.payload["status"] == "Pending" else "B03.FR.07"
        for evse, connector in csms.connectors:
            response = await csms.call("StatusNotification", {"timestamp": utc_now(),
                                                              "connectorStatus": "Available", "evseId": evse,
                                                              "connectorId": connector})
            csms.check.that(f"the CSMS answers the StatusNotification of EVSE {evse} connector {connector} of a "
                            f"{boot.payload['status']} station with CALLERROR SecurityError",
                            response.error_code == "SecurityError", expected="CALLERROR SecurityError",
                            actual=response.describe() if not response.ok else f"CALLRESULT {response.payload}",
                            requirements=(requirement,))


@case("TC_B_31_CSMS")
async def test_tc_b_31_csms(csms: CsmsUnderTest) -> None:
    """Cold boot, Pending/Rejected, TriggerMessage: after answering the harness station's boot Pending (or
    Rejected), the CSMS asks for a BootNotification with TriggerMessage before the interval is over, and accepts
    the triggered boot and the connector status reports."""
    wanted = "Pending" if csms.config.pics.supports("C-44") else "Rejected"
    async with reusable_state.csms_boot_status(csms, wanted):
        await csms.connect()
        boot = await reusable_state.boot_csms(csms)
        csms.check.fields("BootNotificationResponse (first boot)", boot.payload,
                          {"status": OneOf("Pending", "Rejected")}, requirements=("B02", "B03"))
        # The operator accepts the station and makes the CSMS ask for a new BootNotification.
        await csms.actions.do("csms_configure", setting="boot_status", value="Accepted", station=csms.identity)
        with csms.station.answering("TriggerMessage", {"status": "Accepted"}):
            await csms.actions.do("csms_send", station=csms.identity, request="TriggerMessage",
                                  payload={"requestedMessage": "BootNotification"})
            trigger = await csms.expect_call("TriggerMessage")
            async with asyncio.timeout(csms.message_timeout):
                await trigger.answered.wait()  # the harness station boots after its TriggerMessageResponse
        csms.check.fields("TriggerMessageRequest", trigger.payload, {"requestedMessage": "BootNotification"},
                          requirements=("F06.FR.01",))
        triggered = await reusable_state.boot_csms(csms, reason="Triggered")
        csms.check.fields("BootNotificationResponse (triggered boot)", triggered.payload, {"status": "Accepted"},
                          requirements=("B02", "F06"))
        await reusable_state.report_availability_csms(csms, csms.connectors, "Available")


_REPORT_EVSE1_AVAILABILITY = {"component": {"name": "EVSE", "evse": {"id": 1}}, "variable": {"name": "AvailabilityState"}}
_REPORT_REQUEST_ID = Satisfies(lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 0,
                               "an integer >= 0")


async def _report_csms_delivered(csms: CsmsUnderTest, request: IncomingCall, requirements: tuple[str, ...]) -> None:
    """The harness station (which answered Accepted) sends the report; the CSMS must accept every part."""
    record = await csms.station.reports.sent(request.payload["requestId"], timeout=10 * csms.message_timeout)
    check_csms_answers_report(csms, record, requirements=requirements)


async def _report_csms_base(csms: CsmsUnderTest, base: str, requirements: tuple[str, ...]) -> None:
    await reusable_state.booted_csms(csms)
    await csms.actions.do("csms_send", station=csms.identity, request="GetBaseReport", payload={"reportBase": base})
    request = await csms.expect_call("GetBaseReport")
    csms.check.fields("GetBaseReportRequest", request.payload, {"requestId": _REPORT_REQUEST_ID, "reportBase": base},
                      requirements=requirements)
    await _report_csms_delivered(csms, request, requirements)


@case("TC_B_12_CSMS")
async def test_tc_b_12_csms(csms: CsmsUnderTest) -> None:
    """Get Base Report, ConfigurationInventory: on request, the CSMS asks for a ConfigurationInventory
    (requestId >= 0) and accepts every NotifyReportRequest part of the report."""
    await _report_csms_base(csms, "ConfigurationInventory", ("B07.FR.07",))


@case("TC_B_13_CSMS")
async def test_tc_b_13_csms(csms: CsmsUnderTest) -> None:
    """Get Base Report, FullInventory: on request, the CSMS asks for a FullInventory (requestId >= 0)
    and accepts every NotifyReportRequest part of the report."""
    await _report_csms_base(csms, "FullInventory", ("B07.FR.08",))


@case("TC_B_14_CSMS")
async def test_tc_b_14_csms(csms: CsmsUnderTest) -> None:
    """Get Base Report, SummaryInventory: on request, the CSMS asks for a SummaryInventory (requestId
    >= 0) and accepts every NotifyReportRequest part of the report."""
    await _report_csms_base(csms, "SummaryInventory", ("B07.FR.09",))


async def _report_csms_custom(csms: CsmsUnderTest, criterion: str) -> IncomingCall:
    await csms.actions.do("csms_send", station=csms.identity, request="GetReport", payload={
        "componentCriteria": [criterion], "componentVariable": [_REPORT_EVSE1_AVAILABILITY]})
    request = await csms.expect_call("GetReport")
    csms.check.fields("GetReportRequest", request.payload, {
        "requestId": _REPORT_REQUEST_ID,
        "componentCriteria": [criterion],
        "componentVariable": Satisfies(lambda v: isinstance(v, list) and len(v) == 1, "one entry"),
        "componentVariable.0.component.name": "EVSE",
        "componentVariable.0.component.evse.id": 1,
        "componentVariable.0.variable.name": "AvailabilityState",
    }, requirements=("B08.FR.01",))
    return request


@case("TC_B_18_CSMS")
async def test_tc_b_18_csms(csms: CsmsUnderTest) -> None:
    """Get Custom Report, componentCriteria and component/variable: on request, the CSMS asks for EVSE 1's
    AvailabilityState of Problem components (the station answers EmptyResultSet), then of Available
    components (Accepted) and accepts every NotifyReportRequest part of that report."""
    await reusable_state.booted_csms(csms)
    await _report_csms_custom(csms, "Problem")  # the harness station has no problem: EmptyResultSet
    request = await _report_csms_custom(csms, "Available")
    await _report_csms_delivered(csms, request, ("B08.FR.03",))


def _report_items_per_message(instance: str) -> dict[str, Any]:
    return {"component": {"name": "DeviceDataCtrlr"}, "variable": {"name": "ItemsPerMessage", "instance": instance}}


def _report_bytes_per_message(instance: str) -> dict[str, Any]:
    return {"component": {"name": "DeviceDataCtrlr"}, "variable": {"name": "BytesPerMessage", "instance": instance}}


_REPORT_LIMIT = 4  # Part 6 TC_B_08_CSMS configuration state
_REPORT_FIVE_VARIABLES = (
    _report_items_per_message("GetReport"), _report_items_per_message("GetVariables"),
    _report_bytes_per_message("GetReport"), _report_bytes_per_message("GetVariables"),
    {"component": {"name": "AuthCtrlr"}, "variable": {"name": "AuthorizeRemoteStart"}},
)


def _report_variable_key(item: dict[str, Any]) -> tuple[str, str, str]:
    return (str(item.get("component", {}).get("name", "")).casefold(),
            str(item.get("variable", {}).get("name", "")).casefold(),
            str(item.get("variable", {}).get("instance") or "").casefold())


@case("TC_B_08_CSMS")
async def test_tc_b_08_csms(csms: CsmsUnderTest) -> None:
    """Get Variables, limit to the maximum number of values: the harness station's
    ItemsPerMessage[GetVariables] is 4 and the CSMS is made to read it; asked then for 5 variables, the
    CSMS sends GetVariablesRequests of at most 4 entries that together ask for all 5."""
    await reusable_state.booted_csms(csms)
    model = csms.station.device_model
    original = model.get("DeviceDataCtrlr", "ItemsPerMessage", instance="GetVariables")
    model.set_value("DeviceDataCtrlr", "ItemsPerMessage", _REPORT_LIMIT, instance="GetVariables")
    try:
        # Configuration state: the CSMS learns the limit by reading it (a GetVariablesRequest).
        await csms.actions.do("csms_send", station=csms.identity, request="GetVariables",
                              payload={"getVariableData": [_report_items_per_message("GetVariables")]})
        learn = await csms.expect_call("GetVariables")
        if _report_variable_key(_report_items_per_message("GetVariables")) not in \
                {_report_variable_key(i) for i in learn.payload["getVariableData"]}:
            raise Inconclusive("the CSMS did not read DeviceDataCtrlr.ItemsPerMessage[GetVariables] when asked to")
        wanted = {_report_variable_key(item): entry_name(item) for item in _REPORT_FIVE_VARIABLES}
        await csms.actions.do("csms_send", station=csms.identity, request="GetVariables",
                              payload={"getVariableData": list(_REPORT_FIVE_VARIABLES)})
        asked: set[tuple[str, str, str]] = set()
        requests = 0
        while not wanted.keys() <= asked:
            try:
                request = await csms.expect_call("GetVariables")
            except SutTimeout as exc:
                missing = [name for key, name in wanted.items() if key not in asked]
                raise CheckFailed("the CSMS's GetVariablesRequests together ask for the 5 variables",
                                  expected=sorted(wanted.values()), actual=f"never asked for {missing} ({exc.actual})",
                                  requirements=("B06.FR.05",)) from None
            items = request.payload["getVariableData"]
            requests += 1
            csms.check.that(f"GetVariablesRequest {requests} has at most ItemsPerMessageGetVariables entries",
                            len(items) <= _REPORT_LIMIT, expected=f"<= {_REPORT_LIMIT} getVariableData entries",
                            actual=f"{len(items)}: {[entry_name(i) for i in items]}", requirements=("B06.FR.05",))
            asked |= {_report_variable_key(i) for i in items}
    finally:
        model.set_value("DeviceDataCtrlr", "ItemsPerMessage", original, instance="GetVariables")


def _reset_configured_connector(csms: CsmsUnderTest) -> tuple[int, int]:
    """<Configured evseId> and <Configured connectorId>: the first configured connector."""
    return csms.connectors[0]


async def _reset_requested(csms: CsmsUnderTest, payload: dict[str, Any], expected: dict[str, Any],
                           requirements: tuple[str, ...]) -> IncomingCall:
    """The CSMS is asked (``csms_send``) to send ResetRequest ``payload``; the request it sends must have the
    ``expected`` fields (ABSENT: left out). The harness station answers with its current Reset answer."""
    await csms.actions.do("csms_send", station=csms.identity, request="Reset", payload=payload)
    request = await csms.expect_call("Reset")
    csms.check.fields("ResetRequest", request.payload, expected, requirements=requirements)
    return request


async def _reset_reboot_csms(csms: CsmsUnderTest, request: IncomingCall, reason: str,
                             statuses: dict[tuple[int, int], str] | None = None) -> None:
    """The harness station reboots after the reset: once it has answered ``request`` it connects again, boots
    with ``reason`` (the CSMS must accept it: Part 6 tool validation, B11.FR.04 / B01.FR.02) and reports every
    connector (Available unless ``statuses`` says otherwise)."""
    await csms.station.reboot(request)
    response = await boot_csms(csms, reason)
    csms.check.fields("BootNotificationResponse", response.payload, {"status": "Accepted"},
                      requirements=("B01.FR.02", "B11.FR.04"))
    statuses = statuses or {}
    for status in sorted({statuses.get(k, "Available") for k in csms.connectors}):
        await report_availability_csms(csms, [k for k in csms.connectors if statuses.get(k, "Available") == status],
                                       status)


async def _reset_ended_immediately(csms: CsmsUnderTest, tx: CsmsTransaction) -> None:
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
                    expected="CALLRESULT", actual=response.describe(), requirements=("FR.02",))


@case("TC_B_20_CSMS")
async def test_tc_b_20_csms(csms: CsmsUnderTest) -> None:
    """On request the CSMS resets the idle station (OnIdle, no evseId) and accepts its boot after the reboot."""
    await reusable_state.booted_csms(csms)
    request = await _reset_requested(csms, {"type": "OnIdle"}, {"evseId": ABSENT}, ("B11", "B11.FR.03"))
    await _reset_reboot_csms(csms, request, "RemoteReset")


@case("TC_B_21_CSMS")
async def test_tc_b_21_csms(csms: CsmsUnderTest) -> None:
    """On request during a transaction the CSMS resets the station OnIdle; it accepts the Scheduled answer, the
    transaction's end and the boot (reason ScheduledReset) after the reboot."""
    await reusable_state.booted_csms(csms)
    evse, connector = _reset_configured_connector(csms)
    async with csms_transaction_closed(csms) as transactions:
        tx = await energy_transfer_started_csms(csms, evse, connector)
        transactions.append(tx)
        with csms.station.answering("Reset", {"status": "Scheduled"}):
            request = await _reset_requested(csms, {"type": "OnIdle"}, {"type": "OnIdle", "evseId": ABSENT},
                                             ("B12", "B12.FR.01", "B12.FR.03"))
        await transaction_ends_csms(csms, tx)
        await _reset_reboot_csms(csms, request, "ScheduledReset")


@case("TC_B_22_CSMS")
async def test_tc_b_22_csms(csms: CsmsUnderTest) -> None:
    """On request during a transaction the CSMS resets the station Immediate; it accepts the transaction's end
    (ResetCommand, ImmediateReset) and the boot (reason RemoteReset) after the reboot."""
    await reusable_state.booted_csms(csms)
    evse, connector = _reset_configured_connector(csms)
    async with csms_transaction_closed(csms) as transactions:
        tx = await energy_transfer_started_csms(csms, evse, connector)
        transactions.append(tx)
        request = await _reset_requested(csms, {"type": "Immediate"}, {"type": "Immediate", "evseId": ABSENT},
                                         ("B12", "B12.FR.02", "B12.FR.04"))
        await _reset_ended_immediately(csms, tx)
        await _reset_reboot_csms(csms, request, "RemoteReset", {(evse, connector): "Occupied"})


@case("TC_B_25_CSMS")
async def test_tc_b_25_csms(csms: CsmsUnderTest) -> None:
    """On request the CSMS resets one idle EVSE: ResetRequest OnIdle with the configured evseId."""
    await reusable_state.booted_csms(csms)
    evse, _ = _reset_configured_connector(csms)
    await _reset_requested(csms, {"type": "OnIdle", "evseId": evse}, {"type": "OnIdle", "evseId": evse},
                           ("B11", "B11.FR.08"))


@case("TC_B_26_CSMS")
async def test_tc_b_26_csms(csms: CsmsUnderTest) -> None:
    """On request the CSMS resets the EVSE that charges, OnIdle; it accepts the Scheduled answer and the
    transaction's end."""
    await reusable_state.booted_csms(csms)
    evse, connector = _reset_configured_connector(csms)
    async with csms_transaction_closed(csms) as transactions:
        tx = await energy_transfer_started_csms(csms, evse, connector)
        transactions.append(tx)
        with csms.station.answering("Reset", {"status": "Scheduled"}):
            await _reset_requested(csms, {"type": "OnIdle", "evseId": evse}, {"type": "OnIdle", "evseId": evse},
                                   ("B12", "B12.FR.01", "B12.FR.07"))
        await transaction_ends_csms(csms, tx)


@case("TC_B_27_CSMS")
async def test_tc_b_27_csms(csms: CsmsUnderTest) -> None:
    """On request the CSMS resets the EVSE that charges, Immediate; it accepts the transaction's end
    (ResetCommand, ImmediateReset)."""
    await reusable_state.booted_csms(csms)
    evse, connector = _reset_configured_connector(csms)
    async with csms_transaction_closed(csms) as transactions:
        tx = await energy_transfer_started_csms(csms, evse, connector)
        transactions.append(tx)
        await _reset_requested(csms, {"type": "Immediate", "evseId": evse}, {"type": "Immediate", "evseId": evse},
                               ("B12", "B12.FR.02", "B12.FR.08"))
        await _reset_ended_immediately(csms, tx)


def _network_interface(csms: CsmsUnderTest) -> str:
    """The configured OCPP interface: wireless when the PICS says the station communicates wirelessly (HFS-9)."""
    technology = str(csms.config.pics.hardware.get("HFS-9", "")).lower()
    wireless = any(word in technology for word in ("wireless", "wifi", "wi-fi", "cellular", "gsm", "lte", "4g", "5g"))
    return "Wireless0" if wireless else "Wired0"


def _network_slots(csms: CsmsUnderTest) -> list[int]:
    """The harness station's configuration slots (valuesList of NetworkConfigurationPriority)."""
    spec = csms.station.device_model.spec("OCPPCommCtrlr.NetworkConfigurationPriority")
    return [int(v) for v in spec.values_list or () if str(v).isdigit()]


def _network_profile_request(csms: CsmsUnderTest) -> dict[str, Any]:
    """What the operator is asked to set: a slot that is not in use, with the configured connection data."""
    in_use = csms.station.device_model.get("OCPPCommCtrlr", "NetworkConfigurationPriority") or []
    free = [s for s in _network_slots(csms) if str(s) not in in_use]
    return {"configurationSlot": free[0] if free else _network_slots(csms)[-1], "connectionData": {
        "ocppVersion": "OCPP20", "ocppTransport": "JSON", "ocppCsmsUrl": csms.config.connection.csms_url or "",
        "messageTimeout": max(1, round(csms.config.timing.message_timeout)),
        "securityProfile": csms.config.connection.security_profile, "ocppInterface": _network_interface(csms)}}


async def _network_expect_profile(csms: CsmsUnderTest, wanted: dict[str, Any]) -> dict[str, Any]:
    """Ask the CSMS to send the profile; the SetNetworkProfileRequest that arrives, its slot checked to be one
    the station offers."""
    await csms.actions.do("csms_send", station=csms.identity, request="SetNetworkProfile", payload=wanted)
    request = await csms.expect_call("SetNetworkProfile")
    csms.check.fields("SetNetworkProfileRequest", request.payload, {
        "configurationSlot": OneOf(*_network_slots(csms))}, requirements=("B09.FR.05",))
    return request.payload


@case("TC_B_42_CSMS")
async def test_tc_b_42_csms(csms: CsmsUnderTest) -> None:
    """Set new NetworkConnectionProfile, Accepted: on request the CSMS sends a SetNetworkProfileRequest with the
    configured slot and connection data (JSON, OCPP 2.0.1); the harness station accepts it."""
    await reusable_state.booted_csms(csms)
    wanted = _network_profile_request(csms)
    with csms.station.answering("SetNetworkProfile", {"status": "Accepted"}):
        payload = await _network_expect_profile(csms, wanted)
    data = wanted["connectionData"]
    csms.check.fields("SetNetworkProfileRequest", payload, {
        "configurationSlot": wanted["configurationSlot"],
        "connectionData.messageTimeout": data["messageTimeout"],
        "connectionData.ocppCsmsUrl": data["ocppCsmsUrl"],
        "connectionData.ocppInterface": data["ocppInterface"],
        "connectionData.ocppTransport": "JSON",
        "connectionData.ocppVersion": "OCPP20",
        "connectionData.securityProfile": data["securityProfile"],
    }, requirements=("B09.FR.01",))


@case("TC_B_44_CSMS")
async def test_tc_b_44_csms(csms: CsmsUnderTest) -> None:
    """Set new NetworkConnectionProfile, Failed: the harness station answers the CSMS's SetNetworkProfileRequest
    with Failed; the CSMS must cope with that answer and go on serving the station."""
    await reusable_state.booted_csms(csms)
    with csms.station.answering("SetNetworkProfile", {"status": "Failed"}):
        await _network_expect_profile(csms, _network_profile_request(csms))
    # Part 6 lists no tool validation; the CSMS shows it handled the answer by still serving the station.
    heartbeat = await csms.call("Heartbeat", {})
    csms.check.that("after a Failed SetNetworkProfileResponse the CSMS still answers the station", heartbeat.ok,
                    expected="HeartbeatResponse", actual=heartbeat.describe(), requirements=("B09.FR.03",))


@case("TC_B_58_CSMS")
async def test_tc_b_58_csms(csms: CsmsUnderTest) -> None:
    """WebSocket subprotocol negotiation (added by Part 5 erratum 5.10, defined in the Part 6 errata):
    offered only an OCPP version it does not implement, the CSMS must not end up with a working
    connection on it; offered that version and ocpp2.0.1, it must upgrade and name ocpp2.0.1 in
    Sec-WebSocket-Protocol.

    Part 6 asks for the first attempt not to be upgraded; Part 4 §3.1.2 also lets a CSMS complete
    the handshake without a Sec-WebSocket-Protocol header and close the connection at once. Both are
    accepted; an upgrade that selects the unsupported version, or stays open, is not."""
    from conformance.transport.client import probe_subprotocols

    requirements = ("Part 4 §3.1.2",)
    config = csms.ctx.config
    await csms.close_all()  # the harness station is disconnected before each attempt

    async def attempt(offered: tuple[str, ...], close_wait: float):
        return await probe_subprotocols(
            config.connection.csms_url or "", csms.identity, offered, password=csms.station.password,
            connect_timeout=csms.ctx.scaled(config.timing.connect_timeout), close_wait=close_wait,
            log=csms.ctx.log)

    # An upgrade without a subprotocol must be closed by the CSMS "at once": within the message timeout.
    unsupported = await attempt(("ocpp0.1",), csms.ctx.message_timeout)
    refused = not unsupported.upgraded or (unsupported.selected is None and unsupported.closed_by_sut)
    csms.check.that("offered only ocpp0.1, the CSMS refuses the connection (no upgrade, or an upgrade without "
                    "Sec-WebSocket-Protocol that it closes at once)", refused,
                    expected="no upgrade, or 101 without Sec-WebSocket-Protocol and then closed",
                    actual=unsupported.describe(), requirements=requirements)
    both = await attempt(("ocpp0.1", "ocpp2.0.1"), 0)  # not watched: the harness closes it right away
    csms.check.that("offered ocpp0.1 and ocpp2.0.1, the CSMS upgrades the connection", both.upgraded,
                    expected="HTTP 101", actual=both.describe(), requirements=requirements)
    csms.check.equal("Sec-WebSocket-Protocol of the upgrade response", both.selected, "ocpp2.0.1",
                     requirements=requirements)
