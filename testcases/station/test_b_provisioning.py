"""Block B Provisioning, the SUT is a Charging Station (the harness is its CSMS).

The cases are grouped by use case: cold boot accepted (B01), Get/SetVariables (B05/B06), boot Pending /
Rejected (B02/B03), offline behaviour (B04) and reconnection (Part 4 §5.3), device-model reports (B07 Get Base
Report, B08 Get Custom Report), Reset (B11/B12), network connection profiles and migration (B09/B10).

Reset: a reset of the whole station is judged by its reboot: a new WebSocket connection within the connect
timeout, BootNotificationRequest as its first CALL (with the reason Part 6 names, where it names one), and a
status report of every connector (StatusNotification or NotifyEvent AvailabilityState, in any order). A reset
of one EVSE (feature C-13) is judged by its answer (and, during a transaction, by the transaction's end): Part
6 checks nothing else of it. TC_B_24_CS: the 2025-02 errata changed the reset to Immediate (a pending
reservation is not "idle"). The reservation is made with ReserveNowRequest for the EVSE of <Configured
connectorId>; H01.FR.23 makes every connector of that EVSE Reserved, so those are expected Reserved after the
reboot, all others Available.

Migration (errata 2025-09 §6.2.17): the harness has two endpoints, its CSMS server (the original one, where the
station is connected) and a second CSMS server it starts for the case on a free port of the same host. The case
stores a profile for the second endpoint in the configuration slot that is not in use (ActiveNetworkProfile tells
which one is), puts that slot first in NetworkConfigurationPriority, followed by the slot in use, and resets the
station. Refusing a connection attempt means answering the WebSocket handshake with HTTP 503. Afterwards the
station is brought back: NetworkConfigurationPriority as it was, a reset when it is on the second endpoint, and
the next case finds it connected to the original endpoint and accepted. The profile stored in the other slot is
left there (OCPP has no message to delete one); it is not in NetworkConfigurationPriority any more.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import re
import socket
import ssl
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, AsyncIterator, Awaitable, Callable

from cryptography.hazmat.primitives import hashes
from cryptography.x509 import ocsp

from conformance.harness import ABSENT, ChargingStationUnderTest, OneOf, Satisfies, case, reusable_state
from conformance.harness.reports import (B07_PARTS, B08_PARTS, LIST_TYPES, Report, check_report_entries,
                                         collect_report, entry_name, new_request_id, request_report)
from conformance.harness.reusable_states import (BOOT_REASONS, StationTransaction, availability_restored,
                                                 energy_transfer_started, ev_connected_post_session, ev_disconnected,
                                                 expect_availability_reports, expect_connector_reports,
                                                 parking_bay_unoccupied, scope_connectors, stop_authorized,
                                                 transactions_ended_afterwards, unavailable)
from conformance.outcomes import CheckFailed, Inconclusive, NotApplicable, SutDisconnected, SutTimeout
from conformance.transport.connection import Connection, IncomingCall, Response
from conformance.transport.server import CsmsServer, Handshake
from conformance.transport.tls import Credential, cross_sign, issue_server, make_root, server_context


@case("TC_B_01_CS")
async def test_tc_b_01_cs(station: ChargingStationUnderTest) -> None:
    """Cold boot, accepted: after a power cycle the station sends BootNotification with a reason,
    is accepted, and reports the state of every connector."""
    boot = await reusable_state.booted(station)
    station.check.that("every configured connector was reported after the accepted boot",
                       set(boot.connector_reports) == set(station.connectors),
                       expected=sorted(station.connectors), actual=sorted(boot.connector_reports),
                       requirements=("B01.FR.05",))


OFFLINE_THRESHOLD = {"component": {"name": "OCPPCommCtrlr"}, "variable": {"name": "OfflineThreshold"}}


@case("TC_B_06_CS")
async def test_tc_b_06_cs(station: ChargingStationUnderTest) -> None:
    """Get Variables, single value: the station returns OCPPCommCtrlr.OfflineThreshold as set."""
    async with station.configured(OFFLINE_THRESHOLD, "300"):
        response = await station.call("GetVariables", {"getVariableData": [dict(OFFLINE_THRESHOLD,
                                                                                   attributeType="Actual")]})
        results = response.payload["getVariableResult"]
        station.check.equal("one getVariableResult per getVariableData entry", len(results), 1,
                            requirements=("B06.FR.01",))
        station.check.fields("GetVariablesResponse getVariableResult[0]", results[0], {
            "component.name": "OCPPCommCtrlr",
            "variable.name": "OfflineThreshold",
            "attributeType": "Actual",
            "attributeStatus": "Accepted",
            "attributeValue": "300",
            "attributeStatusInfo.reasonCode": OneOf(ABSENT, "NoError"),
        }, requirements=("B06.FR.02", "B06.FR.03", "B06.FR.04", "B06.FR.10"))


LOCAL_AUTHORIZE_OFFLINE = {"component": {"name": "AuthCtrlr"}, "variable": {"name": "LocalAuthorizeOffline"}}
MESSAGE_TIMEOUT_DEFAULT = {"component": {"name": "OCPPCommCtrlr"},
                           "variable": {"name": "MessageTimeout", "instance": "Default"}}


def _result_for(station: ChargingStationUnderTest, what: str, results: list[dict], wanted: dict,
                requirements: tuple[str, ...]) -> dict:
    """The result entry for a component/variable, in any position (Part 6: "in arbitrary order")."""
    matching = [r for r in results if r.get("component", {}).get("name") == wanted["component"]["name"]
                and r.get("variable", {}).get("name") == wanted["variable"]["name"]]
    station.check.that(f"{what} has a result for {wanted['component']['name']}.{wanted['variable']['name']}",
                       len(matching) == 1, expected=wanted, actual=results, requirements=requirements)
    return matching[0]


@case("TC_B_07_CS")
async def test_tc_b_07_cs(station: ChargingStationUnderTest) -> None:
    """Get Variables, multiple values: the station returns OCPPCommCtrlr.OfflineThreshold and
    AuthCtrlr.LocalAuthorizeOffline as set, one result for each, in any order."""
    async with station.configured(OFFLINE_THRESHOLD, "300"), station.configured(LOCAL_AUTHORIZE_OFFLINE, "true"):
        response = await station.call("GetVariables", {"getVariableData": [
            dict(OFFLINE_THRESHOLD, attributeType="Actual"), dict(LOCAL_AUTHORIZE_OFFLINE, attributeType="Actual")]})
        results = response.payload["getVariableResult"]
        station.check.equal("one getVariableResult per getVariableData entry", len(results), 2,
                            requirements=("B06.FR.01",))
        for wanted, value in ((OFFLINE_THRESHOLD, "300"), (LOCAL_AUTHORIZE_OFFLINE, "true")):
            result = _result_for(station, "GetVariablesResponse", results, wanted, ("B06.FR.01", "B06.FR.02"))
            station.check.fields(f"GetVariablesResponse result for {wanted['variable']['name']}", result, {
                "component.name": wanted["component"]["name"],
                "variable.name": wanted["variable"]["name"],
                "attributeType": "Actual",
                "attributeStatus": "Accepted",
                "attributeValue": value,
                "attributeStatusInfo.reasonCode": OneOf(ABSENT, "NoError"),
            }, requirements=("B06.FR.02", "B06.FR.03", "B06.FR.04", "B06.FR.10"))


@case("TC_B_09_CS")
async def test_tc_b_09_cs(station: ChargingStationUnderTest) -> None:
    """Set Variables, single value: the station accepts OCPPCommCtrlr.OfflineThreshold = 300 and
    repeats component, variable and attributeType in its result."""
    async with station.restoring(OFFLINE_THRESHOLD):
        response = await station.call("SetVariables", {"setVariableData": [
            dict(OFFLINE_THRESHOLD, attributeValue="300", attributeType="Actual")]})
        results = response.payload["setVariableResult"]
        station.check.equal("one setVariableResult per setVariableData entry", len(results), 1,
                            requirements=("B05.FR.01",))
        station.check.fields("SetVariablesResponse setVariableResult[0]", results[0], {
            "attributeStatus": "Accepted",
            "attributeType": "Actual",
            "component.name": "OCPPCommCtrlr",
            "variable.name": "OfflineThreshold",
            "attributeStatusInfo.reasonCode": OneOf(ABSENT, "NoError"),
        }, requirements=("B05.FR.02", "B05.FR.03", "B05.FR.10"))


@case("TC_B_10_CS")
async def test_tc_b_10_cs(station: ChargingStationUnderTest) -> None:
    """Set Variables, multiple values: the station accepts OCPPCommCtrlr.OfflineThreshold = 300 and
    AuthCtrlr.LocalAuthorizeOffline = true, one result for each, in any order."""
    async with station.restoring(OFFLINE_THRESHOLD), station.restoring(LOCAL_AUTHORIZE_OFFLINE):
        response = await station.call("SetVariables", {"setVariableData": [
            dict(OFFLINE_THRESHOLD, attributeValue="300", attributeType="Actual"),
            dict(LOCAL_AUTHORIZE_OFFLINE, attributeValue="true", attributeType="Actual")]})
        results = response.payload["setVariableResult"]
        station.check.equal("one setVariableResult per setVariableData entry", len(results), 2,
                            requirements=("B05.FR.01",))
        for wanted in (OFFLINE_THRESHOLD, LOCAL_AUTHORIZE_OFFLINE):
            result = _result_for(station, "SetVariablesResponse", results, wanted, ("B05.FR.01", "B05.FR.02"))
            station.check.fields(f"SetVariablesResponse result for {wanted['variable']['name']}", result, {
                "attributeStatus": "Accepted",
                "attributeType": "Actual",
                "component.name": wanted["component"]["name"],
                "variable.name": wanted["variable"]["name"],
                "attributeStatusInfo.reasonCode": OneOf(ABSENT, "NoError"),
            }, requirements=("B05.FR.02", "B05.FR.03", "B05.FR.10"))


@case("TC_B_39_CS")
async def test_tc_b_39_cs(station: ChargingStationUnderTest) -> None:
    """Set Variables, read-only: the station rejects a SetVariablesRequest for the read-only
    OCPPCommCtrlr.MessageTimeout[Default] (sent without attributeType)."""
    # A read-only variable cannot be restored, so nothing is restored: a conformant station does not change it.
    # The value sent differs from the current one, so that "no change needed" is no excuse to accept.
    current = await station.call("GetVariables", {"getVariableData": [MESSAGE_TIMEOUT_DEFAULT]})
    value = current.payload["getVariableResult"][0].get("attributeValue") if current.ok else None
    response = await station.call("SetVariables", {"setVariableData": [
        dict(MESSAGE_TIMEOUT_DEFAULT, attributeValue="31" if value != "31" else "32")]})
    results = response.payload["setVariableResult"]
    station.check.equal("one setVariableResult per setVariableData entry", len(results), 1,
                        requirements=("B05.FR.01",))
    station.check.fields("SetVariablesResponse setVariableResult[0]", results[0], {
        "attributeStatus": "Rejected",
        "component.name": "OCPPCommCtrlr",
        "variable.name": "MessageTimeout",
        "variable.instance": "Default",
    }, requirements=("B05.FR.09",))


async def _single_result(station: ChargingStationUnderTest, action: str, entry: dict) -> dict:
    """Send a one-entry Get/SetVariablesRequest, check one result came back and return it."""
    request, result = ("getVariableData", "getVariableResult") if action == "GetVariables" \
        else ("setVariableData", "setVariableResult")
    response = await station.call(action, {request: [entry]})
    results = response.payload[result]
    station.check.equal(f"one {result} per {request} entry", len(results), 1,
                        requirements=("B06.FR.01",) if action == "GetVariables" else ("B05.FR.01",))
    return results[0]


UNKNOWN_COMPONENT = {"component": {"name": "UnknownComponent"}, "variable": {"name": "OfflineThreshold"}}
UNKNOWN_VARIABLE = {"component": {"name": "OCPPCommCtrlr"}, "variable": {"name": "UnknownVariable"}}


@case("TC_B_32_CS")
async def test_tc_b_32_cs(station: ChargingStationUnderTest) -> None:
    """Get Variables, unknown component: the station answers UnknownComponent, echoes the
    requested component and variable, and gives no value."""
    result = await _single_result(station, "GetVariables", UNKNOWN_COMPONENT)
    station.check.fields("GetVariablesResponse getVariableResult[0]", result, {
        "attributeStatus": "UnknownComponent",
        "component.name": "UnknownComponent",
        "variable.name": "OfflineThreshold",
        "attributeValue": ABSENT,
    }, requirements=("B06.FR.06",))


@case("TC_B_33_CS")
async def test_tc_b_33_cs(station: ChargingStationUnderTest) -> None:
    """Get Variables, unknown variable: the station answers UnknownVariable, echoes the
    requested component and variable, and gives no value."""
    result = await _single_result(station, "GetVariables", UNKNOWN_VARIABLE)
    station.check.fields("GetVariablesResponse getVariableResult[0]", result, {
        "attributeStatus": "UnknownVariable",
        "component.name": "OCPPCommCtrlr",
        "variable.name": "UnknownVariable",
        "attributeValue": ABSENT,
    }, requirements=("B06.FR.07",))


@case("TC_B_34_CS")
async def test_tc_b_34_cs(station: ChargingStationUnderTest) -> None:
    """Get Variables, not supported attribute type: asked for the Target of
    OCPPCommCtrlr.OfflineThreshold, the station answers NotSupportedAttributeType without a value."""
    result = await _single_result(station, "GetVariables", dict(OFFLINE_THRESHOLD, attributeType="Target"))
    station.check.fields("GetVariablesResponse getVariableResult[0]", result, {
        "attributeStatus": "NotSupportedAttributeType",
        "component.name": "OCPPCommCtrlr",
        "variable.name": "OfflineThreshold",
        "attributeType": "Target",
        "attributeValue": ABSENT,
    }, requirements=("B06.FR.08",))


@case("TC_B_35_CS")
async def test_tc_b_35_cs(station: ChargingStationUnderTest) -> None:
    """Set Variables, unknown component: the station answers UnknownComponent and echoes the
    requested component and variable."""
    result = await _single_result(station, "SetVariables", dict(UNKNOWN_COMPONENT, attributeValue="300"))
    station.check.fields("SetVariablesResponse setVariableResult[0]", result, {
        "attributeStatus": "UnknownComponent",
        "component.name": "UnknownComponent",
        "variable.name": "OfflineThreshold",
    }, requirements=("B05.FR.04",))


@case("TC_B_36_CS")
async def test_tc_b_36_cs(station: ChargingStationUnderTest) -> None:
    """Set Variables, unknown variable: the station answers UnknownVariable and echoes the
    requested component and variable."""
    result = await _single_result(station, "SetVariables", dict(UNKNOWN_VARIABLE, attributeValue="300"))
    station.check.fields("SetVariablesResponse setVariableResult[0]", result, {
        "attributeStatus": "UnknownVariable",
        "component.name": "OCPPCommCtrlr",
        "variable.name": "UnknownVariable",
    }, requirements=("B05.FR.05",))


@case("TC_B_37_CS")
async def test_tc_b_37_cs(station: ChargingStationUnderTest) -> None:
    """Set Variables, not supported attribute type: asked to set the Target of
    OCPPCommCtrlr.OfflineThreshold, the station answers NotSupportedAttributeType without a value."""
    # Should a station wrongly write the Actual value instead, put it back.
    async with station.restoring(OFFLINE_THRESHOLD):
        result = await _single_result(station, "SetVariables",
                                      dict(OFFLINE_THRESHOLD, attributeValue="300", attributeType="Target"))
        station.check.fields("SetVariablesResponse setVariableResult[0]", result, {
            "attributeStatus": "NotSupportedAttributeType",
            "component.name": "OCPPCommCtrlr",
            "variable.name": "OfflineThreshold",
            "attributeType": "Target",
        }, requirements=("B05.FR.06",))


def _well_formed(data_type: str, value: str) -> bool:
    """Whether ``value`` is correctly formatted for an OCPP dataType (Part 2 §2.x DataEnumType)."""
    if data_type == "integer":
        return re.fullmatch(r"[+-]?\d+", value) is not None
    if data_type == "decimal":
        return re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", value) is not None
    if data_type == "boolean":
        return value in ("true", "false")
    try:  # dateTime
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return "T" in value


# Part 6 TC_B_11_CS steps 1-8: the variables and their dataTypes; OfflineThreshold is required, the
# others are tested when the station knows them.
B_11_VARIABLES = (
    (OFFLINE_THRESHOLD, "integer", True),
    ({"component": {"name": "SmartChargingCtrlr"}, "variable": {"name": "LimitChangeSignificance"}}, "decimal", False),
    ({"component": {"name": "AuthCtrlr"}, "variable": {"name": "AuthorizeRemoteStart"}}, "boolean", False),
    ({"component": {"name": "ClockCtrlr"}, "variable": {"name": "NextTimeOffsetTransitionDateTime"}}, "dateTime",
     False),
)


@case("TC_B_11_CS")
async def test_tc_b_11_cs(station: ChargingStationUnderTest) -> None:
    """Set Variables, invalidly formatted values: the configured OfflineThreshold, the same + 0.1, true,
    the current time and "abc" are set on an integer, a decimal, a boolean and a dateTime variable. A
    value malformed for the variable's dataType must be Rejected; a well-formed one may be Accepted or
    Rejected (range, read-only)."""
    current = await station.call("GetVariables", {"getVariableData": [OFFLINE_THRESHOLD]})
    configured = current.payload["getVariableResult"][0].get("attributeValue") if current.ok else None
    if not configured or not _well_formed("integer", configured):
        configured = "300"
        station.note("OCPPCommCtrlr.OfflineThreshold could not be read as an integer: 300 is used as its value")
    values = (configured, f"{configured}.1", "true", datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), "abc")
    for variable, data_type, required in B_11_VARIABLES:
        name = f"{variable['component']['name']}.{variable['variable']['name']}"
        async with station.restoring(variable):
            for value in values:
                result = await _single_result(station, "SetVariables", dict(variable, attributeValue=value))
                if not required and result.get("attributeStatus") in ("UnknownComponent", "UnknownVariable"):
                    station.note(f"{name} is not supported by the station: its steps are skipped")
                    break
                well_formed = _well_formed(data_type, value)
                station.check.fields(f"SetVariablesResponse for {name} = {value!r} ({data_type})", result, {
                    "attributeStatus": OneOf("Accepted", "Rejected") if well_formed else "Rejected",
                    "attributeType": "Actual",
                    "component.name": variable["component"]["name"],
                    "variable.name": variable["variable"]["name"],
                }, requirements=("B05.FR.07", "B05.FR.12"))


_BOOT_OFFLINE_THRESHOLD = {"component": {"name": "OCPPCommCtrlr"}, "variable": {"name": "OfflineThreshold"}}


def _boot_interval(station: ChargingStationUnderTest) -> int:
    """The interval the harness CSMS gives with a Pending / Rejected boot: the configured boot retry interval."""
    return station.config.timing.boot_retry_interval


async def _boot_restart(station: ChargingStationUnderTest) -> tuple[Connection, IncomingCall]:
    """Manual action: the station reboots; its first BootNotificationRequest on the new connection."""
    before = station.connection_count()
    await station.actions.do("reboot")
    conn = await station.wait_for_connection(after=before)
    boot = await station.expect_call("BootNotification", connection=conn, requirements=("B01.FR.01",))
    await _boot_answer_sent(station, boot)
    return conn, boot


async def _boot_answer_sent(station: ChargingStationUnderTest, boot: IncomingCall) -> None:
    """Wait until the harness CSMS has answered ``boot`` (its handler runs just after the CALL is recorded)."""
    async with asyncio.timeout(station.message_timeout):
        await boot.answered.wait()


async def _boot_notify_reports(station: ChargingStationUnderTest, conn: Connection, request_id: int) -> None:
    """The NotifyReportRequests of a GetBaseReport (seqNo 0, 1, ... until tbc is false)."""
    while True:
        report = await conn.expect_call("NotifyReport", requestId=request_id, requirements=("B02.FR.01",))
        if not report.payload.get("tbc", False):
            return


@case("TC_B_02_CS")
async def test_tc_b_02_cs(station: ChargingStationUnderTest) -> None:
    """Cold boot, Pending: after a reboot the harness answers the boot Pending. While pending the station
    retries no sooner than the interval, answers Set/GetVariables and GetBaseReport, rejects a remote start,
    keeps the connection open and sends nothing else; a TriggerMessage BootNotification makes it boot at once
    (reason Triggered). Once accepted it reports every connector and rejects a further BootNotification trigger."""
    interval = _boot_interval(station)
    async with station.restoring(_BOOT_OFFLINE_THRESHOLD), \
            reusable_state.boot_answered(station, "Pending", interval) as answers:
        count = station.connection_count() + 1
        conn, first = await _boot_restart(station)
        # The station retries after the interval (answered Pending again): not sooner, not much later.
        await reusable_state.expect_boot_retry(station, answers, conn, may_close=False, quiet=frozenset(),
                                               early=("B02.FR.04",), late=("B02.FR.08",),
                                               quiet_requirements=("B02.FR.02",), open_requirements=("B02.FR.06",))
        set_response = await conn.call("SetVariables", {"setVariableData": [
            dict(_BOOT_OFFLINE_THRESHOLD, attributeValue="300")]})
        station.check.fields("SetVariablesResponse (while Pending)", set_response.payload,
                             {"setVariableResult[0].attributeStatus": "Accepted"}, requirements=("B02.FR.01",))
        get_response = await conn.call("GetVariables", {"getVariableData": [_BOOT_OFFLINE_THRESHOLD]})
        station.check.fields("GetVariablesResponse (while Pending)", get_response.payload,
                             {"getVariableResult[0].attributeStatus": "Accepted"}, requirements=("B02.FR.01",))
        request_id = int(time.time()) % 100000
        report = await conn.call("GetBaseReport", {"requestId": request_id, "reportBase": "FullInventory"})
        station.check.fields("GetBaseReportResponse (while Pending)", report.payload, {"status": "Accepted"},
                             requirements=("B02.FR.01",))
        await _boot_notify_reports(station, conn, request_id)
        token = station.config.id_tokens.valid.to_ocpp()
        start = await conn.call("RequestStartTransaction", {"idToken": token, "remoteStartId": request_id})
        station.check.that("the station answers RequestStartTransactionRequest with a CALLRESULT while Pending",
                           start.ok, expected="CALLRESULT", actual=start.describe(), requirements=("B02.FR.05",))
        station.check.fields("RequestStartTransactionResponse (while Pending)", start.payload,
                             {"status": "Rejected"}, requirements=("B02.FR.05",))
        answers.accept_reason = "Triggered"
        mark = conn.mark()
        trigger = await conn.call("TriggerMessage", {"requestedMessage": "BootNotification"})
        station.check.fields("TriggerMessageResponse (BootNotification, while Pending)", trigger.payload,
                             {"status": OneOf("Accepted", "NotImplemented")}, requirements=("F06.FR.05", "F06.FR.08"))
        if trigger.payload["status"] == "Accepted":
            # The triggered boot comes at once (not after the interval), after the TriggerMessageResponse.
            booted = await conn.expect_call("BootNotification", since=mark, timeout=station.message_timeout,
                                            requirements=("F06.FR.10",))
            station.check.fields("BootNotificationRequest (triggered)", booted.payload, {"reason": "Triggered"},
                                 requirements=("B01.FR.09",))
            station.check.that("the triggered BootNotificationRequest follows the TriggerMessageResponse",
                               booted.received_mono >= trigger.received_mono, expected="after the response",
                               actual=f"{booted.received_mono - trigger.received_mono:+.3f}s after the response",
                               requirements=("F06.FR.04",))
        else:
            answers.status = "Accepted"
            _, booted = await reusable_state.expect_boot_retry(
                station, answers, conn, may_close=False, quiet=None, early=("B02.FR.04",), late=("B02.FR.08",),
                open_requirements=("B02.FR.06",))
        await _boot_answer_sent(station, booted)
        station.check.equal("the harness CSMS accepted the station", answers.answer_to(booted).status, "Accepted")
        # Pending phase, as a whole: no retry sooner than the interval, nothing but BootNotification and the
        # NotifyReports asked for, the connection open throughout.
        for previous, retry in zip(answers.log, answers.log[1:]):
            if retry.boot is booted and retry.boot.payload.get("reason") == "Triggered":
                continue
            station.check.timing("BootNotificationRequest is retried no sooner than the interval while Pending",
                                 retry.boot.received_mono - previous.answered_at, required=previous.interval,
                                 tolerance=reusable_state.BOOT_TIMER_GRANULARITY, at_least=True,
                                 requirements=("B02.FR.04",))
        pending = conn.mailbox[conn.mailbox.index(first):conn.mailbox.index(booted)]
        other = [i.action for i in pending if i.action not in ("BootNotification", "NotifyReport")]
        station.check.that("while Pending the station sends only BootNotification and the requested NotifyReport",
                           not other, expected="BootNotification, NotifyReport", actual=other,
                           requirements=("B02.FR.02",))
        station.check.that("the connection stayed open while Pending", conn.is_open
                           and station.connection_count() == count, expected="one connection, open",
                           actual=f"{station.connection_count() - count + 1} connection(s), open={conn.is_open}",
                           requirements=("B02.FR.06",))
        await reusable_state.expect_connector_reports(station, conn, requirements=("B01.FR.05",))
        # F06.FR.17: once accepted, a BootNotification trigger is rejected.
        again = await conn.call("TriggerMessage", {"requestedMessage": "BootNotification"})
        station.check.fields("TriggerMessageResponse (BootNotification, once Accepted)", again.payload,
                             {"status": "Rejected"}, requirements=("F06.FR.17",))


@case("TC_B_03_CS")
async def test_tc_b_03_cs(station: ChargingStationUnderTest) -> None:
    """Cold boot, Rejected: after a reboot the harness answers the boot Rejected. The station sends nothing
    until it retries the boot, no sooner than the interval (it may close the connection meanwhile); accepted
    then, it reports every connector Available."""
    interval = _boot_interval(station)
    async with reusable_state.boot_answered(station, "Rejected", interval) as answers:
        conn, _ = await _boot_restart(station)
        answers.status = "Accepted"
        conn, retry = await reusable_state.expect_boot_retry(
            station, answers, conn, may_close=True, quiet=frozenset(), early=("B03.FR.02", "B03.FR.06"),
            late=("B03.FR.06",), quiet_requirements=("B03.FR.02",))
        await _boot_answer_sent(station, retry)
        await reusable_state.expect_connector_reports(station, conn, requirements=("B01.FR.05",))


@case("TC_B_30_CS")
async def test_tc_b_30_cs(station: ChargingStationUnderTest) -> None:
    """Cold boot, Rejected, SecurityError: while its boot is Rejected, the station answers a GetBaseReportRequest
    with CALLERROR SecurityError (asked only while the station keeps the connection open)."""
    interval = _boot_interval(station)
    async with reusable_state.boot_answered(station, "Rejected", interval):
        conn, _ = await _boot_restart(station)
        if not conn.is_open:
            station.note("the station closed the connection after the Rejected boot (B03.FR.04): nothing to ask")
            return
        try:
            response = await conn.call("GetBaseReport", {"requestId": int(time.time()) % 100000,
                                                         "reportBase": "FullInventory"})
        except SutDisconnected as exc:  # the station closed the connection meanwhile (B03.FR.04)
            station.note(f"the station closed the connection after the Rejected boot (B03.FR.04): {exc}")
            return
        station.check.that("the station answers a request while its boot is Rejected with CALLERROR SecurityError",
                           response.error_code == "SecurityError", expected="CALLERROR SecurityError",
                           actual=response.describe() if not response.ok else f"CALLRESULT {response.payload}",
                           requirements=("B03.FR.08",))


# --------------------------------------------------------------------------- offline (B04), reconnection (Part 4 §5.3)
def _boot_comm(name: str) -> dict:
    return {"component": {"name": "OCPPCommCtrlr"}, "variable": {"name": name}}


_BOOT_WAIT_MINIMUM = _boot_comm("RetryBackOffWaitMinimum")
_BOOT_RANDOM_RANGE = _boot_comm("RetryBackOffRandomRange")
_BOOT_REPEAT_TIMES = _boot_comm("RetryBackOffRepeatTimes")
_BOOT_CONNECTION_ATTEMPTS = _boot_comm("NetworkProfileConnectionAttempts")


async def _boot_next_handshake(station: ChargingStationUnderTest, after: int, timeout: float) -> Handshake:
    """The station's connection attempt number ``after`` (0-based, counted over the run), accepted or not."""
    server = station.server
    deadline = time.monotonic() + timeout
    while True:
        server.handshake_seen.clear()
        mine = [h for h in server.handshakes if h.identity == station.identity]
        if len(mine) > after:
            return mine[after]
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise SutTimeout(f"the station tries to connect within {timeout:g}s", expected="a connection attempt",
                             actual="no attempt", requirements=("Part 4 §5.3",))
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(remaining):
                await server.handshake_seen.wait()


def _boot_attempts(station: ChargingStationUnderTest) -> int:
    return sum(1 for h in station.server.handshakes if h.identity == station.identity)


async def _boot_offline_status_change(station: ChargingStationUnderTest, wait_minimum: int
                                      ) -> tuple[Connection, float, tuple[int, int]]:
    """Part 6 TC_B_51/52_CS main steps 1-3: the station goes offline (action ``go_offline``; the harness also
    closes its side of the connection and refuses reconnection attempts meanwhile), an EV is plugged into the
    first configured connector while it is offline, then the network comes back (``go_online``) and the station
    reconnects by its back-off. Returns the new connection, the offline period as the harness saw it (its close
    to the accepted reconnection attempt) and the connector. The caller has configured threshold and back-off."""
    evse, connector = station.connectors[0]
    conn = station.connection
    count = station.connection_count()
    station.server.refusing.add(station.identity)
    try:
        await station.actions.do("go_offline")
        lost = time.monotonic()
        await conn.close(1000, "connection closed by the harness (test): offline period")
        await station.actions.do("plug_in", evse=evse, connector=connector)
    finally:
        station.server.refusing.discard(station.identity)
        await station.actions.do("go_online")
    station.protocol_wait(max(0.0, lost + wait_minimum - time.monotonic()),
                          "RetryBackOffWaitMinimum, set around OfflineThreshold, before the station reconnects")
    new = await station.wait_for_connection(after=count)
    attempt = [h for h in station.server.handshakes if h.identity == station.identity][-1]
    return new, attempt.mono - lost, (evse, connector)


@case("TC_B_51_CS")
async def test_tc_b_51_cs(station: ChargingStationUnderTest) -> None:
    """Status change during an offline period longer than OCPPCommCtrlr.OfflineThreshold: an EV is plugged in
    while the station is offline; after reconnecting, the station reports every connector (Occupied for that
    one, Available for the others)."""
    threshold = 1
    wait_minimum = threshold + 2  # Part 6: the first reconnect attempt comes after the threshold
    async with station.configured(_BOOT_OFFLINE_THRESHOLD, str(threshold)), \
            station.configured(_BOOT_WAIT_MINIMUM, str(wait_minimum)), station.configured(_BOOT_RANDOM_RANGE, "0"), \
            reusable_state.ev_unplugged_afterwards(station, *station.connectors[0]) as unplug:
        unplug.pending.append(station.connectors[0])
        conn, offline, plugged = await _boot_offline_status_change(station, wait_minimum)
        if offline <= threshold:
            raise Inconclusive(f"the offline period ({offline:.3f}s) did not exceed OfflineThreshold ({threshold}s)")
        station.note(f"offline for {offline:.3f}s (OfflineThreshold {threshold}s)")
        expected = {k: "Occupied" if k == plugged else "Available" for k in station.connectors}
        await reusable_state.expect_availability_reports(
            station, conn, expected, requirements=("B04.FR.01",),
            what="after an offline period longer than OfflineThreshold every connector is reported")


@case("TC_B_52_CS")
async def test_tc_b_52_cs(station: ChargingStationUnderTest) -> None:
    """Status change during an offline period shorter than OCPPCommCtrlr.OfflineThreshold: an EV is plugged in
    while the station is offline; after reconnecting, the station reports that connector Occupied and no
    other connector."""
    threshold = 4
    wait_minimum = threshold - 2  # Part 6: the first reconnect attempt comes before the threshold
    async with station.configured(_BOOT_OFFLINE_THRESHOLD, str(threshold)), \
            station.configured(_BOOT_WAIT_MINIMUM, str(wait_minimum)), station.configured(_BOOT_RANDOM_RANGE, "0"), \
            reusable_state.ev_unplugged_afterwards(station, *station.connectors[0]) as unplug:
        unplug.pending.append(station.connectors[0])
        conn, offline, plugged = await _boot_offline_status_change(station, wait_minimum)
        if offline >= threshold:
            raise Inconclusive(f"the offline period ({offline:.3f}s) was not shorter than OfflineThreshold "
                               f"({threshold}s)")
        station.note(f"offline for {offline:.3f}s (OfflineThreshold {threshold}s)")
        await reusable_state.expect_availability_reports(
            station, conn, {plugged: "Occupied"}, requirements=("B04.FR.02",),
            what="after a short offline period the connector that changed is reported")
        others = [k for k in station.connectors if k != plugged]
        if not others:
            return
        alternatives = [("StatusNotification", {"evseId": e, "connectorId": c}) for e, c in others] + [
            ("NotifyEvent", {"eventData": Satisfies(
                lambda data: any(e.get("variable", {}).get("name") == "AvailabilityState"
                                 and (e.get("component", {}).get("evse", {}).get("id"),
                                      e.get("component", {}).get("evse", {}).get("connectorId")) in others
                                 for e in data), "an AvailabilityState event of an unchanged connector")})]
        station.ctx.log.emit("wait", reason="no report of an unchanged connector expected", seconds=station.tolerance)
        try:
            extra = await conn.expect_one_of(alternatives, since=station.since(conn), timeout=station.tolerance)
        except SutTimeout:
            return
        station.check.that("after a short offline period only the connectors that changed are reported", False,
                           expected=f"no report of {others}", actual=f"{extra.action} {extra.payload}",
                           requirements=("B04.FR.02",))


@case("TC_B_57_CS")
async def test_tc_b_57_cs(station: ChargingStationUnderTest) -> None:
    """Network reconnection after connection loss: the harness closes the connection; the station reconnects
    no sooner than RetryBackOffWaitMinimum. Closed again, its attempt after RetryBackOffWaitMinimum is refused;
    its next attempt comes no sooner than twice that (the back-off doubles)."""
    wait_minimum = 1
    timeout = station.ctx.scaled(station.config.timing.connect_timeout)
    server = station.server
    async with station.configured(_BOOT_CONNECTION_ATTEMPTS, "3"), station.configured(_BOOT_REPEAT_TIMES, "2"), \
            station.configured(_BOOT_RANDOM_RANGE, "0"), station.configured(_BOOT_WAIT_MINIMUM, str(wait_minimum)):
        try:
            # Steps 1-3: closed by the harness, reconnected after the back-off.
            attempts, count = _boot_attempts(station), station.connection_count()
            closing = time.monotonic()
            await station.connection.close(1000, "connection closed by the harness (test)")
            station.protocol_wait(wait_minimum, "RetryBackOffWaitMinimum before reconnecting")
            first = await _boot_next_handshake(station, attempts, wait_minimum + timeout)
            station.check.timing("the station reconnects no sooner than RetryBackOffWaitMinimum", first.mono - closing,
                                 required=wait_minimum, tolerance=reusable_state.BOOT_TIMER_GRANULARITY,
                                 at_least=True, requirements=("Part 4 §5.3",))
            conn = await station.wait_for_connection(after=count)
            # Steps 4-6: closed again; the attempt after the (reset) back-off is refused.
            attempts, count = _boot_attempts(station), station.connection_count()
            server.refusing.add(station.identity)
            closing = time.monotonic()
            await conn.close(1000, "connection closed by the harness (test)")
            station.protocol_wait(wait_minimum, "RetryBackOffWaitMinimum before reconnecting")
            refused = await _boot_next_handshake(station, attempts, wait_minimum + timeout)
            server.refusing.discard(station.identity)
            step5 = refused.mono - closing
            station.check.timing("after a successful reconnection the station again waits RetryBackOffWaitMinimum",
                                 step5, required=wait_minimum, tolerance=reusable_state.BOOT_TIMER_GRANULARITY,
                                 at_least=True, requirements=("Part 4 §5.3",))
            # Steps 7-8: the next attempt comes after the doubled back-off, and is accepted.
            station.protocol_wait(2 * wait_minimum, "the doubled back-off after a refused attempt")
            retried = await _boot_next_handshake(station, attempts + 1, 2 * wait_minimum + timeout)
            step7 = retried.mono - refused.mono
            station.check.timing("after a failed attempt the back-off doubles: at least 2 x RetryBackOffWaitMinimum",
                                 step7, required=2 * wait_minimum, tolerance=reusable_state.BOOT_TIMER_GRANULARITY,
                                 at_least=True, requirements=("Part 4 §5.3",))
            station.check.timing("the reconnection time is at least twice that of the refused attempt",
                                 step7, required=2 * step5, tolerance=station.tolerance, at_least=True,
                                 requirements=("Part 4 §5.3",))
            await station.wait_for_connection(after=count)
        finally:
            server.refusing.discard(station.identity)


# Part 2 "Referenced Components and Variables": the required controller variables of the functional blocks
# every station implements (section ids in the comments; names as in the appendix CSV).
_REPORT_REQUIRED = (
    ("OCPPCommCtrlr", "MessageTimeout", "Default"),  # 2.1.3
    ("OCPPCommCtrlr", "FileTransferProtocols", None),  # 2.1.4
    ("OCPPCommCtrlr", "NetworkConfigurationPriority", None),  # 2.1.6
    ("OCPPCommCtrlr", "NetworkProfileConnectionAttempts", None),  # 2.1.7
    ("OCPPCommCtrlr", "OfflineThreshold", None),  # 2.1.8
    ("OCPPCommCtrlr", "MessageAttempts", "TransactionEvent"),  # 2.1.10
    ("OCPPCommCtrlr", "MessageAttemptInterval", "TransactionEvent"),  # 2.1.11
    ("OCPPCommCtrlr", "UnlockOnEVSideDisconnect", None),  # 2.1.12
    ("OCPPCommCtrlr", "ResetRetries", None),  # 2.1.14
    ("DeviceDataCtrlr", "ItemsPerMessage", "GetReport"),  # 2.1.16
    ("DeviceDataCtrlr", "ItemsPerMessage", "GetVariables"),  # 2.1.17
    ("DeviceDataCtrlr", "BytesPerMessage", "GetReport"),  # 2.1.18
    ("DeviceDataCtrlr", "BytesPerMessage", "GetVariables"),  # 2.1.19
    ("DeviceDataCtrlr", "ItemsPerMessage", "SetVariables"),  # 2.1.22
    ("DeviceDataCtrlr", "BytesPerMessage", "SetVariables"),  # 2.1.23
    ("ClockCtrlr", "DateTime", None),  # 2.1.24
    ("ClockCtrlr", "TimeSource", None),  # 2.1.30
    ("SecurityCtrlr", "OrganizationName", None),  # 2.2.3
    ("SecurityCtrlr", "CertificateEntries", None),  # 2.2.4
    ("SecurityCtrlr", "SecurityProfile", None),  # 2.2.5
    ("AuthCtrlr", "AuthorizeRemoteStart", None),  # 2.3.4
    ("AuthCtrlr", "LocalAuthorizeOffline", None),  # 2.3.5
    ("AuthCtrlr", "LocalPreAuthorize", None),  # 2.3.6
    ("TxCtrlr", "EVConnectionTimeOut", None),  # 2.6.1
    ("TxCtrlr", "StopTxOnEVSideDisconnect", None),  # 2.6.2
    ("TxCtrlr", "TxStartPoint", None),  # 2.6.4
    ("TxCtrlr", "TxStopPoint", None),  # 2.6.5
    ("TxCtrlr", "StopTxOnInvalidId", None),  # 2.6.8
    ("SampledDataCtrlr", "TxEndedMeasurands", None),  # 2.7.4
    ("SampledDataCtrlr", "TxEndedInterval", None),  # 2.7.5
    ("SampledDataCtrlr", "TxStartedMeasurands", None),  # 2.7.6
    ("SampledDataCtrlr", "TxUpdatedMeasurands", None),  # 2.7.7
    ("SampledDataCtrlr", "TxUpdatedInterval", None),  # 2.7.8
    ("AlignedDataCtrlr", "Measurands", None),  # 2.7.11
    ("AlignedDataCtrlr", "Interval", None),  # 2.7.12
    ("AlignedDataCtrlr", "TxEndedMeasurands", None),  # 2.7.15
    ("AlignedDataCtrlr", "TxEndedInterval", None),  # 2.7.16
)
# Required variables of optional functional blocks: checked when the station reports the controller (then it
# implements the block), LocalAuthListCtrlr only when its Available is not reported false.
_REPORT_REQUIRED_IF_PRESENT = {
    "SmartChargingCtrlr": (("ProfileStackLevel", None), ("RateUnit", None), ("PeriodsPerSchedule", None),  # 2.9.4-6
                           ("Entries", "ChargingProfiles"), ("LimitChangeSignificance", None)),  # 2.9.10-11
    "MonitoringCtrlr": (("ItemsPerMessage", "SetVariableMonitoring"), ("BytesPerMessage", "SetVariableMonitoring")),
    "DisplayMessageCtrlr": (("SupportedFormats", None), ("SupportedPriorities", None)),  # 2.12.4-5
    "LocalAuthListCtrlr": (("Entries", None), ("ItemsPerMessage", None), ("BytesPerMessage", None)),  # 2.5.2-5
    "ISO15118Ctrlr": (("ContractValidationOffline", None),),  # 2.14.2
}
# Charging infrastructure (Part 2 2.13): per component tier.
_REPORT_STATION_VARIABLES = ("Available", "AvailabilityState", "SupplyPhases")
_REPORT_EVSE_VARIABLES = ("Available", "AvailabilityState", "Power", "SupplyPhases")
_REPORT_CONNECTOR_VARIABLES = ("Available", "AvailabilityState", "ConnectorType", "SupplyPhases")
# Required writable controller variables (mutability ReadWrite in Part 2) for the ConfigurationInventory.
_REPORT_REQUIRED_WRITABLE = (
    ("OCPPCommCtrlr", "NetworkConfigurationPriority", None), ("OCPPCommCtrlr", "NetworkProfileConnectionAttempts", None),
    ("OCPPCommCtrlr", "OfflineThreshold", None), ("OCPPCommCtrlr", "MessageAttempts", "TransactionEvent"),
    ("OCPPCommCtrlr", "MessageAttemptInterval", "TransactionEvent"), ("OCPPCommCtrlr", "ResetRetries", None),
    ("TxCtrlr", "EVConnectionTimeOut", None), ("TxCtrlr", "StopTxOnInvalidId", None),
    ("SecurityCtrlr", "OrganizationName", None), ("AuthCtrlr", "LocalAuthorizeOffline", None),
    ("AuthCtrlr", "LocalPreAuthorize", None), ("SampledDataCtrlr", "TxEndedMeasurands", None),
    ("SampledDataCtrlr", "TxUpdatedInterval", None),
)
_REPORT_AVAILABILITY_STATES = {"Available", "Occupied", "Reserved", "Unavailable", "Faulted"}
_REPORT_EVSE1_AVAILABILITY = {"component": {"name": "EVSE", "evse": {"id": 1}}, "variable": {"name": "AvailabilityState"}}


def _report_key(component: str, variable: str, instance: str | None = None, evse: int | None = None,
                connector: int | None = None) -> tuple:
    return (component.casefold(), variable.casefold(), (instance or "").casefold(), evse, connector)


def _report_entry_key(entry: dict[str, Any]) -> tuple:
    component, variable = entry.get("component", {}), entry.get("variable", {})
    evse = component.get("evse") or {}
    return _report_key(str(component.get("name", "")), str(variable.get("name", "")), variable.get("instance"),
                       evse.get("id"), evse.get("connectorId"))


def _report_actual(entry: dict[str, Any]) -> dict[str, Any] | None:
    return next((a for a in entry.get("variableAttribute", []) if a.get("type", "Actual") == "Actual"), None)


async def _report_base(station: ChargingStationUnderTest, base: str, *, requirements: tuple[str, ...]) -> Report:
    """GetBaseReport ``base``: Accepted, then the whole report collected and its parts checked."""
    request_id = new_request_id()
    _, mark = await request_report(station, "GetBaseReport", {"requestId": request_id, "reportBase": base},
                                   requirements=requirements)
    return await collect_report(station, request_id, since=mark, requirements=B07_PARTS)


async def _report_custom(station: ChargingStationUnderTest, payload: dict[str, Any], *,
                         requirements: tuple[str, ...] = ()) -> Report:
    """GetReport (``payload`` without requestId): Accepted (``requirements`` also name what makes the selection
    non-empty), then the whole report collected and checked."""
    request_id = new_request_id()
    _, mark = await request_report(station, "GetReport", dict(payload, requestId=request_id),
                                   requirements=("B08.FR.01",) + requirements)
    report = await collect_report(station, request_id, since=mark, requirements=B08_PARTS)
    check_report_entries(station, report.entries, characteristics=("B08.FR.12",), write_only=("B08.FR.03",))
    return report


def _report_required_keys(station: ChargingStationUnderTest, entries: list[dict[str, Any]]) -> dict[tuple, str]:
    """The required component/variables (key -> name) for this station's topology and reported controllers."""
    keys = {_report_key(c, v, i): f"{c}.{v}" + (f"[{i}]" if i else "") for c, v, i in _REPORT_REQUIRED}
    present = {}
    for entry in entries:
        name = str(entry.get("component", {}).get("name", ""))
        present.setdefault(name.casefold(), set()).add(entry.get("variable", {}).get("name"))
        if name.casefold() == "localauthlistctrlr" and entry.get("variable", {}).get("name") == "Available" \
                and (_report_actual(entry) or {}).get("value") == "false":
            present[name.casefold()].add("<not available>")
    for controller, variables in _REPORT_REQUIRED_IF_PRESENT.items():
        if controller.casefold() in present and "<not available>" not in present[controller.casefold()]:
            keys.update({_report_key(controller, v, i): f"{controller}.{v}" + (f"[{i}]" if i else "")
                         for v, i in variables})
    keys.update({_report_key("ChargingStation", v): f"ChargingStation.{v}" for v in _REPORT_STATION_VARIABLES})
    for evse in station.config.evses:
        keys.update({_report_key("EVSE", v, evse=evse.id): f"EVSE@{evse.id}.{v}" for v in _REPORT_EVSE_VARIABLES})
        for connector in evse.connectors:
            keys.update({_report_key("Connector", v, evse=evse.id, connector=connector):
                         f"Connector@{evse.id}:{connector}.{v}" for v in _REPORT_CONNECTOR_VARIABLES})
    return keys


def _report_check_required(station: ChargingStationUnderTest, entries: list[dict[str, Any]],
                           requirements: tuple[str, ...]) -> None:
    reported = {_report_entry_key(e) for e in entries}
    missing = [name for key, name in _report_required_keys(station, entries).items() if key not in reported]
    station.check.that("the report contains every required component/variable (Part 2 Referenced Components and "
                       "Variables; charging infrastructure for every configured EVSE and connector)", not missing,
                       expected="all required variables reported", actual=f"missing: {missing}",
                       requirements=requirements)


def _report_check_availability_entry(station: ChargingStationUnderTest, entry: dict[str, Any], what: str,
                                     requirements: tuple[str, ...]) -> None:
    """An AvailabilityState entry as Part 6 describes it: OptionList with the five states, Actual, ReadOnly."""
    characteristics = entry.get("variableCharacteristics", {})
    values = {v.strip() for v in str(characteristics.get("valuesList", "")).split(",") if v.strip()}
    station.check.fields(what, entry, {"variableCharacteristics.dataType": "OptionList"}, requirements=requirements)
    station.check.that(f"{what} valuesList lists the five AvailabilityState values", values ==
                       _REPORT_AVAILABILITY_STATES, expected=sorted(_REPORT_AVAILABILITY_STATES),
                       actual=characteristics.get("valuesList"), requirements=requirements)
    attributes = entry.get("variableAttribute", [])
    station.check.that(f"{what} has an Actual attribute, ReadOnly", any(
        a.get("type", "Actual") == "Actual" and a.get("mutability", "ReadWrite") == "ReadOnly" for a in attributes),
        expected="variableAttribute type Actual, mutability ReadOnly", actual=attributes, requirements=requirements)


@case("TC_B_12_CS")
async def test_tc_b_12_cs(station: ChargingStationUnderTest) -> None:
    """Get Base Report, ConfigurationInventory: the station accepts, then reports in numbered parts only
    variables the operator can set (ReadWrite or WriteOnly attributes), each with its characteristics, at
    least the required writable controller variables."""
    report = await _report_base(station, "ConfigurationInventory", requirements=("B07.FR.01", "B07.FR.12"))
    entries = report.entries
    check_report_entries(station, entries, characteristics=("B07.FR.07",), write_only=("B07.FR.03",))
    not_settable = [entry_name(e) for e in entries for a in e.get("variableAttribute", [])
                    if a.get("mutability", "ReadWrite") not in ("ReadWrite", "WriteOnly")]
    station.check.that("the ConfigurationInventory reports only attributes the operator can set", not not_settable,
                       expected="mutability ReadWrite or WriteOnly", actual=f"ReadOnly: {not_settable[:10]}",
                       requirements=("B07.FR.07",))
    required = {_report_key(c, v, i): f"{c}.{v}" + (f"[{i}]" if i else "") for c, v, i in _REPORT_REQUIRED_WRITABLE}
    if "Smart Charging" in station.config.pics.profiles:
        required[_report_key("SmartChargingCtrlr", "LimitChangeSignificance")] = \
            "SmartChargingCtrlr.LimitChangeSignificance"
    reported = {_report_entry_key(e) for e in entries}
    missing = [name for key, name in required.items() if key not in reported]
    station.check.that("the ConfigurationInventory contains every required writable controller variable",
                       not missing, expected="all reported", actual=f"missing: {missing}", requirements=("B07.FR.07",))


@case("TC_B_13_CS")
async def test_tc_b_13_cs(station: ChargingStationUnderTest) -> None:
    """Get Base Report, FullInventory: the station accepts, then reports in numbered parts every
    component/variable with its characteristics, at least the required controller and charging
    infrastructure variables."""
    report = await _report_base(station, "FullInventory", requirements=("B07.FR.01", "B07.FR.12"))
    check_report_entries(station, report.entries, characteristics=("B07.FR.08",), write_only=("B07.FR.03",))
    _report_check_required(station, report.entries, ("B07.FR.08",))


@case("TC_B_14_CS")
async def test_tc_b_14_cs(station: ChargingStationUnderTest) -> None:
    """Get Base Report, SummaryInventory: the station accepts, then reports the AvailabilityState of the
    Charging Station and of every EVSE (connectors optional), each with its characteristics."""
    report = await _report_base(station, "SummaryInventory", requirements=("B07.FR.01",))
    entries = report.entries
    check_report_entries(station, entries, characteristics=("B07.FR.09",), write_only=("B07.FR.03",))
    reported = {_report_entry_key(e) for e in entries}
    wanted = {_report_key("ChargingStation", "AvailabilityState"): "ChargingStation.AvailabilityState"}
    wanted.update({_report_key("EVSE", "AvailabilityState", evse=e.id): f"EVSE@{e.id}.AvailabilityState"
                   for e in station.config.evses})
    missing = [name for key, name in wanted.items() if key not in reported]
    station.check.that("the SummaryInventory reports the AvailabilityState of the station and of every EVSE",
                       not missing, expected=sorted(wanted.values()), actual=f"missing: {missing}",
                       requirements=("B07.FR.09",))


@case("TC_B_15_CS")
async def test_tc_b_15_cs(station: ChargingStationUnderTest) -> None:
    """Get Base Report, not supported: a station without the SummaryInventory answers NotSupported and
    sends no NotifyReportRequest (waited for one message timeout)."""
    request_id = new_request_id()
    response, mark = await request_report(station, "GetBaseReport", {"requestId": request_id,
                                                                     "reportBase": "SummaryInventory"},
                                          status="NotSupported", requirements=("B07.FR.02",))
    station.check.fields("GetBaseReportResponse", response.payload, {
        "statusInfo.reasonCode": OneOf(ABSENT, "UnsupportedParam")}, requirements=("B07.FR.02",))
    await station.connection.expect_no_call("NotifyReport", within=station.message_timeout, since=mark,
                                            requirements=("B07.FR.05",))


def _report_component_key(entry: dict[str, Any]) -> tuple:
    component = entry.get("component", {})
    evse = component.get("evse") or {}
    return (str(component.get("name", "")).casefold(), str(component.get("instance") or "").casefold(),
            evse.get("id"), evse.get("connectorId"))


@case("TC_B_16_CS")
async def test_tc_b_16_cs(station: ChargingStationUnderTest) -> None:
    """Get Custom Report, componentCriteria Enabled: after a FullInventory, the station reports (in numbered
    parts, with characteristics) the components whose Enabled is true or that have no Enabled variable, every
    Enabled variable true in the FullInventory among them; each reported Enabled variable then reads true
    (or, WriteOnly, is rejected without a value) by GetVariables."""
    full = await _report_base(station, "FullInventory", requirements=("B07.FR.01",))
    enabled_in_full = {_report_component_key(e): (_report_actual(e) or {}).get("value") for e in full.entries
                       if e.get("variable", {}).get("name") == "Enabled" and not e["variable"].get("instance")}
    report = await _report_custom(station, {"componentCriteria": ["Enabled"]})
    entries = report.entries
    enabled_entries = [e for e in entries if e.get("variable", {}).get("name") == "Enabled"
                       and not e["variable"].get("instance")]
    not_true = [entry_name(e) for e in enabled_entries
                if (_report_actual(e) or {}).get("mutability") != "WriteOnly"
                and (_report_actual(e) or {}).get("value") != "true"]
    station.check.that("every Enabled variable in the report is true", not not_true, expected="value 'true'",
                       actual=f"not true: {not_true}", requirements=("B08.FR.09",))
    disabled = sorted({entry_name(e) for e in entries if enabled_in_full.get(_report_component_key(e)) == "false"})
    station.check.that("no variable of a component whose Enabled is false is reported", not disabled,
                       expected="only components with Enabled true or without Enabled", actual=f"reported: {disabled}",
                       requirements=("B08.FR.05", "B08.FR.09"))
    reported = {_report_component_key(e) for e in enabled_entries}
    left_out = [component for component, value in enabled_in_full.items() if value == "true"
                and component not in reported]
    station.check.that("every Enabled variable reported true in the FullInventory is in the custom report",
                       not left_out, expected="all reported", actual=f"missing Enabled of {left_out}",
                       requirements=("B08.FR.09",))
    limit_entry = next((e for e in full.entries if _report_entry_key(e) ==
                        _report_key("DeviceDataCtrlr", "ItemsPerMessage", "GetVariables")), None)
    limit_text = (_report_actual(limit_entry) or {}).get("value") if limit_entry else None
    limit = int(limit_text) if limit_text and limit_text.isdigit() and int(limit_text) > 0 else 1
    for start in range(0, len(enabled_entries), limit):  # step 5, within ItemsPerMessageGetVariables
        chunk = enabled_entries[start:start + limit]
        response = await station.call("GetVariables", {"getVariableData": [
            {"component": e["component"], "variable": e["variable"]} for e in chunk]})
        results = response.payload.get("getVariableResult", []) if response.ok else []
        station.check.equal("one getVariableResult per getVariableData entry", len(results), len(chunk),
                            requirements=("B06.FR.01",))
        for entry, result in zip(chunk, results):
            if (_report_actual(entry) or {}).get("mutability") == "WriteOnly":
                station.check.fields(f"GetVariablesResponse for {entry_name(entry)} (WriteOnly)", result, {
                    "attributeStatus": "Rejected", "attributeValue": ABSENT}, requirements=("B06.FR.09",))
            else:
                station.check.fields(f"GetVariablesResponse for {entry_name(entry)}", result, {
                    "attributeStatus": "Accepted", "attributeValue": "true"}, requirements=("B06.FR.10",))


def _report_check_evse1_availability(station: ChargingStationUnderTest, entries: list[dict[str, Any]],
                                     requirements: tuple[str, ...]) -> None:
    station.check.that("the report has an entry", bool(entries), expected="EVSE 1 AvailabilityState",
                       actual="no reportData", requirements=requirements)
    for entry in entries:
        station.check.fields(f"reportData {entry_name(entry)}", entry, {
            "component.name": "EVSE", "component.evse.id": 1, "component.evse.connectorId": ABSENT,
            "variable.name": "AvailabilityState"}, requirements=requirements)
        _report_check_availability_entry(station, entry, f"reportData {entry_name(entry)}", requirements)


@case("TC_B_17_CS")
async def test_tc_b_17_cs(station: ChargingStationUnderTest) -> None:
    """Get Custom Report, component/variable: asked for the AvailabilityState of EVSE 1, the station reports
    just that (OptionList of the five states, Actual, ReadOnly)."""
    report = await _report_custom(station, {"componentVariable": [_REPORT_EVSE1_AVAILABILITY]},
                                  requirements=("B08.FR.11",))
    _report_check_evse1_availability(station, report.entries, ("B08.FR.11",))


@case("TC_B_18_CS")
async def test_tc_b_18_cs(station: ChargingStationUnderTest) -> None:
    """Get Custom Report, componentCriteria and component/variable: EVSE 1's AvailabilityState is reported
    for criterion Available, and the same request for criterion Problem gives EmptyResultSet (EVSE 1 is
    taken to have no problem; checked first when the station knows EVSE.Problem)."""
    problem = await station.read_variable({"component": {"name": "EVSE", "evse": {"id": 1}},
                                           "variable": {"name": "Problem"}})
    if problem == "true":
        raise Inconclusive("EVSE 1 reports Problem = true: the case needs an EVSE without a problem")
    report = await _report_custom(station, {"componentCriteria": ["Available"],
                                            "componentVariable": [_REPORT_EVSE1_AVAILABILITY]})
    _report_check_evse1_availability(station, report.entries, ("B08.FR.05", "B08.FR.11"))
    request_id = new_request_id()
    response, mark = await request_report(station, "GetReport", {
        "requestId": request_id, "componentCriteria": ["Problem"], "componentVariable": [_REPORT_EVSE1_AVAILABILITY]},
        status="EmptyResultSet", requirements=("B08.FR.15",))
    station.check.fields("GetReportResponse", response.payload, {"statusInfo.reasonCode": OneOf(ABSENT, "NotFound")},
                         requirements=("B08.FR.15",))


@case("TC_B_19_CS")
async def test_tc_b_19_cs(station: ChargingStationUnderTest) -> None:
    """Get Custom Report, unsupported componentCriteria: GetReport with componentCriteria {Available, X} is
    sent for X = Active, Enabled, Problem until the station answers NotSupported, which it must for a
    criterion it does not evaluate (statusInfo absent, UnsupportedParam or InvalidValue). A station that
    evaluates every criterion does not meet the prerequisite (NOT APPLICABLE)."""
    # Part 5 lists no profile for this case; its use case B08 is tested in Advanced Device Management.
    station.require_profiles("Advanced Device Management", reason="Get Custom Report (B08) is part of that profile")
    for criterion in ("Active", "Enabled", "Problem"):
        request_id = new_request_id()
        conn = station.connection
        mark = conn.mark()
        response = await station.call("GetReport", {"requestId": request_id,
                                                    "componentCriteria": ["Available", criterion]})
        status = response.payload.get("status") if response.ok else response.describe()
        station.check.that(f"GetReportResponse to componentCriteria [Available, {criterion}]",
                           status in ("Accepted", "EmptyResultSet", "NotSupported"),
                           expected="NotSupported for a criterion the station does not evaluate (else Accepted "
                                    "or EmptyResultSet)", actual=status, requirements=("B08.FR.02",))
        if status == "NotSupported":
            station.check.fields("GetReportResponse", response.payload, {
                "statusInfo.reasonCode": OneOf(ABSENT, "UnsupportedParam", "InvalidValue")},
                requirements=("B08.FR.02",))
            return
        if status == "Accepted":  # the criterion is supported: let its report pass before the next request
            await collect_report(station, request_id, since=mark, requirements=B08_PARTS)
    raise NotApplicable("the station evaluates every componentCriteria value (Part 6 prerequisite: at least one "
                        "not supported)")


def _report_value_allowed(entry: dict[str, Any], value: str) -> bool:
    characteristics = entry.get("variableCharacteristics", {})
    allowed = {v.strip() for v in str(characteristics.get("valuesList", "")).split(",")}
    if characteristics.get("dataType") == "OptionList":
        return value in allowed
    return value == "" or all(member.strip() in allowed for member in value.split(","))


@case("TC_B_53_CS")
async def test_tc_b_53_cs(station: ChargingStationUnderTest) -> None:
    """Get Base Report, mandatory device model variables: the FullInventory contains every required
    variable; list dataTypes carry a valuesList and a value within it; WriteOnly attributes carry no value,
    all others do (EVSE.Power excepted, of which only maxLimit is required)."""
    report = await _report_base(station, "FullInventory", requirements=("B07.FR.01",))
    entries = report.entries
    requirements = ("B07.FR.08", "Chapter Referenced Components and Variables")
    check_report_entries(station, entries, characteristics=requirements, write_only=("B07.FR.03",))
    _report_check_required(station, entries, requirements)
    outside = [f"{entry_name(e)} = {a.get('value')!r}" for e in entries
               if e.get("variableCharacteristics", {}).get("dataType") in LIST_TYPES
               for a in e.get("variableAttribute", []) if isinstance(a.get("value"), str)
               and not _report_value_allowed(e, a["value"])]
    station.check.that("every value of an OptionList, SequenceList or MemberList variable is allowed by its "
                       "valuesList", not outside, expected="values from valuesList", actual=f"not allowed: {outside}",
                       requirements=requirements)
    no_value = [entry_name(e) for e in entries for a in e.get("variableAttribute", [])
                if a.get("mutability", "ReadWrite") != "WriteOnly" and "value" not in a
                and _report_entry_key(e)[:2] != ("evse", "power")]
    station.check.that("every attribute that is not WriteOnly is reported with its value", not no_value,
                       expected="value present (EVSE.Power excepted)", actual=f"no value: {no_value}",
                       requirements=requirements + ("B07.FR.03",))
    power = [e for e in entries if _report_entry_key(e)[:2] == ("evse", "power")]
    no_max = [entry_name(e) for e in power if "maxLimit" not in e.get("variableCharacteristics", {})]
    station.check.that("EVSE.Power reports its maxLimit", not no_max, expected="variableCharacteristics.maxLimit",
                       actual=f"missing for {no_max}", requirements=requirements)


_REPORT_ITEMS_PER_MESSAGE = {"component": {"name": "DeviceDataCtrlr"}, "variable": {"name": "ItemsPerMessage"}}


@case("TC_B_54_CS")
async def test_tc_b_54_cs(station: ChargingStationUnderTest) -> None:
    """Get Custom Report, component/variable without instance: asked for DeviceDataCtrlr.ItemsPerMessage,
    the station reports every instance of it (GetReport and GetVariables among them), nothing else."""
    report = await _report_custom(station, {"componentVariable": [_REPORT_ITEMS_PER_MESSAGE]},
                                  requirements=("B08.FR.21",))
    entries = report.entries
    for entry in entries:
        station.check.fields(f"reportData {entry_name(entry)}", entry, {
            "component.name": "DeviceDataCtrlr", "variable.name": "ItemsPerMessage"}, requirements=("B08.FR.11",))
    instances = {str(e.get("variable", {}).get("instance")) for e in entries}
    station.check.that("the report has the instances GetReport and GetVariables (in any order)",
                       {"GetReport", "GetVariables"} <= instances, expected=["GetReport", "GetVariables"],
                       actual=sorted(instances), requirements=("B08.FR.11", "B08.FR.21"))


@case("TC_B_55_CS")
async def test_tc_b_55_cs(station: ChargingStationUnderTest) -> None:
    """Get Custom Report, component/variable/instance: asked for DeviceDataCtrlr.ItemsPerMessage[GetReport],
    the station reports that instance only."""
    wanted = {"component": {"name": "DeviceDataCtrlr"}, "variable": {"name": "ItemsPerMessage", "instance": "GetReport"}}
    report = await _report_custom(station, {"componentVariable": [wanted]}, requirements=("B08.FR.11",))
    station.check.that("the report has an entry", bool(report.entries), expected="ItemsPerMessage[GetReport]",
                       actual="no reportData", requirements=("B08.FR.11",))
    for entry in report.entries:
        station.check.fields(f"reportData {entry_name(entry)}", entry, {
            "component.name": "DeviceDataCtrlr", "variable.name": "ItemsPerMessage",
            "variable.instance": "GetReport"}, requirements=("B08.FR.11",))


@case("TC_B_56_CS")
async def test_tc_b_56_cs(station: ChargingStationUnderTest) -> None:
    """Get Custom Report, component/variable without evse: asked for EVSE.AvailabilityState, the station
    reports it for every configured EVSE, nothing else."""
    wanted = {"component": {"name": "EVSE"}, "variable": {"name": "AvailabilityState"}}
    report = await _report_custom(station, {"componentVariable": [wanted]}, requirements=("B08.FR.23",))
    for entry in report.entries:
        station.check.fields(f"reportData {entry_name(entry)}", entry, {
            "component.name": "EVSE", "component.evse.connectorId": ABSENT, "variable.name": "AvailabilityState"},
            requirements=("B08.FR.11",))
    evses = sorted((e.get("component", {}).get("evse") or {}).get("id", -1) for e in report.entries)
    station.check.equal("the EVSEs reported (one entry each)", evses, sorted(e.id for e in station.config.evses),
                        requirements=("B08.FR.23",))


def _reset_configured_connector(station: ChargingStationUnderTest) -> tuple[int, int]:
    """<Configured evseId> and <Configured connectorId>: the first configured connector."""
    return station.connectors[0]


@dataclass
class _ResetWatch:
    """What a reset case asked and saw, for its restore: ``before`` is the station's connection count before
    the ResetRequest, ``answer`` the ResetResponse status, ``rebooted`` whether the case saw the reboot."""

    transactions: list[StationTransaction] = field(default_factory=list)
    before: int = 0
    station_scope: bool = False
    answer: str | None = None
    rebooted: bool = False


async def _reset_request(station: ChargingStationUnderTest, watch: _ResetWatch, payload: dict[str, Any]) -> Response:
    """Send ResetRequest ``payload``, noting what the restore needs to know."""
    watch.before = station.connection_count()
    watch.station_scope = "evseId" not in payload
    response = await station.call("Reset", payload)
    watch.answer = response.payload.get("status") if response.ok else None
    return response


async def _reset_wait_reports(station: ChargingStationUnderTest, conn: Connection,
                              connectors: list[tuple[int, int]] | None = None, since: int | None = None) -> None:
    """Wait (without judging) for a status report of each connector (default: all) on ``conn``."""
    since = station.since(conn) if since is None else since
    for evse, connector in station.connectors if connectors is None else connectors:
        await conn.expect_one_of([
            ("StatusNotification", {"evseId": evse, "connectorId": connector}),
            ("NotifyEvent", {"eventData": Satisfies(
                lambda data, e=evse, c=connector: any(
                    x.get("variable", {}).get("name") == "AvailabilityState"
                    and x.get("component", {}).get("evse", {}) == {"id": e, "connectorId": c} for x in data),
                f"AvailabilityState of EVSE {evse} connector {connector}")})], since=since)


@contextlib.asynccontextmanager
async def _reset_settled(station: ChargingStationUnderTest,
                         transactions: list[StationTransaction] | None = None) -> AsyncIterator[_ResetWatch]:
    """General precondition after a reset case that ended before the station's reboot was seen (it failed): a
    reset of the station answered Accepted, or Scheduled during transactions, is let happen (for Scheduled, the
    EVs are unplugged first, which ends the transactions), and the reboot and its connector reports are
    awaited, so that the next case (and the restores entered before this one) do not meet a rebooting
    station. The station's transactions are then taken as gone (only their EVs are left to unplug). Nothing is
    judged; a failed restore is noted."""
    watch = _ResetWatch(transactions if transactions is not None else [])
    try:
        yield watch
    finally:
        due = watch.answer == "Accepted" or watch.answer == "Scheduled" and bool(watch.transactions)
        if watch.station_scope and due and not watch.rebooted:
            try:
                if watch.answer == "Scheduled":
                    for tx in watch.transactions:
                        if tx.plugged and not tx.ended:
                            await station.actions.do("unplug", evse=tx.evse, connector=tx.connector)
                            tx.plugged = False
                conn = await station.wait_for_connection(after=watch.before)
                await conn.expect_call("BootNotification", since=station.since(conn))
                await _reset_wait_reports(station, conn)
                for tx in watch.transactions:
                    tx.ended = tx.stop_authorized = True
                station.note("restored: the station has rebooted after the reset")
            except Exception as exc:  # action failures, timeouts, disconnects: never the case's outcome
                station.note(f"the station's reboot after the reset was not seen: {exc}")


def _reset_answer(station: ChargingStationUnderTest, response: Response, status: object,
                  requirements: tuple[str, ...]) -> None:
    """The ResetResponse is a CALLRESULT (B11.FR.01) with the expected status."""
    station.check.that("the station answers ResetRequest with a ResetResponse (CALLRESULT)", response.ok,
                       expected="CALLRESULT", actual=response.describe(), requirements=("B11.FR.01",))
    station.check.fields("ResetResponse", response.payload, {"status": status}, requirements=requirements)


async def _reset_rebooted(station: ChargingStationUnderTest, watch: _ResetWatch, *,
                          reason: object = OneOf(*BOOT_REASONS), reason_requirements: tuple[str, ...] = ("B01.FR.09",),
                          statuses: dict[tuple[int, int], Any] | None = None,
                          status_requirements: tuple[str, ...] = ("B11.FR.04", "B01.FR.05"),
                          security_event: bool = False) -> tuple[Connection, IncomingCall]:
    """After an accepted reset of the station: it reboots (a new connection, B11.FR.03 / B01.FR.03), sends
    BootNotificationRequest first (B01.FR.08) with ``reason``, and reports every connector (Available unless
    ``statuses`` says otherwise)."""
    try:
        conn = await station.wait_for_connection(after=watch.before)
    except SutTimeout as exc:
        station.check.that("the station reboots after the accepted reset: it connects again", False,
                           expected="a new WebSocket connection", actual=exc.actual,
                           requirements=("B11.FR.03", "B01.FR.03"))
        raise
    watch.rebooted = True
    boot = await station.expect_call("BootNotification", connection=conn, requirements=("B01.FR.03",))
    first = conn.mailbox[station.since(conn)] if len(conn.mailbox) > station.since(conn) else None
    station.check.that("BootNotificationRequest is the first CALL after the reboot", first is boot,
                       expected="BootNotification", actual=first.action if first else None,
                       requirements=("B01.FR.08",))
    station.check.fields("BootNotificationRequest", boot.payload, {"reason": reason}, requirements=reason_requirements)
    await expect_connector_reports(station, conn, requirements=status_requirements, statuses=statuses)
    if security_event:
        event = await station.expect_call("SecurityEventNotification", connection=conn)
        station.check.fields("SecurityEventNotificationRequest", event.payload,
                             {"type": OneOf("StartupOfTheDevice", "ResetOrReboot")}, requirements=("A04.FR.01",))
    return conn, boot


@case("TC_B_20_CS")
async def test_tc_b_20_cs(station: ChargingStationUnderTest) -> None:
    """An OnIdle reset while nothing charges is accepted; the station reboots, boots again and reports every
    connector Available."""
    async with _reset_settled(station) as watch:
        response = await _reset_request(station, watch, {"type": "OnIdle"})
        _reset_answer(station, response, "Accepted", ("B11.FR.01", "B11.FR.03"))
        await _reset_rebooted(station, watch)


@case("TC_B_23_CS")
async def test_tc_b_23_cs(station: ChargingStationUnderTest) -> None:
    """A connector set Inoperative is still reported Unavailable after an accepted OnIdle reset, the other
    connectors Available."""
    evse, connector = _reset_configured_connector(station)
    async with availability_restored(station) as restore, _reset_settled(station) as watch:
        restore.pending.append((evse, connector))
        await unavailable(station, evse=evse, connector=connector, requirements=("G03.FR.01", "G03.FR.02"),
                          report_requirements=("G03.FR.04", "G01.FR.07"))
        response = await _reset_request(station, watch, {"type": "OnIdle"})
        _reset_answer(station, response, "Accepted", ("B11.FR.01", "B11.FR.03"))
        await _reset_rebooted(station, watch, reason="RemoteReset", reason_requirements=("B11.FR.04", "B01.FR.09"),
                              statuses={(evse, connector): "Unavailable"},
                              status_requirements=("B11.FR.02", "B01.FR.07", "B11.FR.04", "B01.FR.05"))


RESERVATION_LIFETIME = timedelta(hours=1)


@contextlib.asynccontextmanager
async def _reset_reservations_cancelled(station: ChargingStationUnderTest) -> AsyncIterator[list[tuple[int, int]]]:
    """General precondition after a case with a reservation: each (reservationId, evseId) the case put in the
    yielded list is cancelled (CancelReservation) and the EVSE's next status reports awaited, even when the
    case failed. A failed restore is noted, never the case's outcome."""
    pending: list[tuple[int, int]] = []
    try:
        yield pending
    finally:
        for reservation_id, evse in pending:
            try:
                conn = station.connection
                mark = conn.mark()
                response = await station.call("CancelReservation", {"reservationId": reservation_id})
                status = response.payload.get("status") if response.ok else response.describe()
                if status != "Accepted":
                    station.note(f"could not cancel reservation {reservation_id}: {status}")
                    continue
                await _reset_wait_reports(station, conn, scope_connectors(station, evse), since=mark)
                station.note(f"restored: reservation {reservation_id} cancelled")
            except (CheckFailed, Inconclusive) as exc:
                station.note(f"could not cancel reservation {reservation_id}: {exc}")


async def _reset_reserved(station: ChargingStationUnderTest, evse: int, reservations: list[tuple[int, int]]) -> int:
    """Memory state "Reserved": ReserveNowRequest for ``evse`` with the configured valid idToken, Accepted, and
    every connector of the EVSE reported Reserved (H01.FR.23). Not reached: INCONCLUSIVE."""
    conn = station.connection
    mark = conn.mark()
    reservation_id = random.randint(1000, 2**31 - 1)
    expiry = (datetime.now(UTC) + RESERVATION_LIFETIME).isoformat(timespec="seconds").replace("+00:00", "Z")
    response = await station.call("ReserveNow", {"id": reservation_id, "expiryDateTime": expiry, "evseId": evse,
                                                 "idToken": station.config.id_tokens.valid.to_ocpp()})
    status = response.payload.get("status") if response.ok else response.describe()
    if status != "Accepted":
        raise Inconclusive(f"memory state Reserved not reached: ReserveNow for EVSE {evse} answered {status}")
    reservations.append((reservation_id, evse))
    await expect_availability_reports(station, conn, {k: "Reserved" for k in scope_connectors(station, evse)},
                                      requirements=("H01.FR.23",), since=mark,
                                      what="every connector of the reserved EVSE is reported Reserved")
    return reservation_id


@case("TC_B_24_CS")
async def test_tc_b_24_cs(station: ChargingStationUnderTest) -> None:
    """A reserved EVSE is still reported Reserved after an accepted Immediate reset (errata 2025-02), the other
    connectors Available."""
    evse, _ = _reset_configured_connector(station)
    async with _reset_reservations_cancelled(station) as reservations, _reset_settled(station) as watch:
        await _reset_reserved(station, evse, reservations)
        response = await _reset_request(station, watch, {"type": "Immediate"})
        _reset_answer(station, response, "Accepted", ("B11.FR.01", "B11.FR.03"))
        await _reset_rebooted(station, watch, reason="RemoteReset", reason_requirements=("B11.FR.04", "B01.FR.09"),
                              statuses={k: "Reserved" for k in scope_connectors(station, evse)},
                              status_requirements=("B11.FR.05", "B01.FR.13", "B11.FR.04", "B01.FR.05"))


@case("TC_B_25_CS")
async def test_tc_b_25_cs(station: ChargingStationUnderTest) -> None:
    """A station that can reset a single EVSE accepts an OnIdle reset of an idle EVSE."""
    evse, _ = _reset_configured_connector(station)
    response = await station.call("Reset", {"type": "OnIdle", "evseId": evse})
    _reset_answer(station, response, "Accepted", ("B11.FR.01", "B11.FR.08"))


@case("TC_B_28_CS")
async def test_tc_b_28_cs(station: ChargingStationUnderTest) -> None:
    """A station that cannot reset a single EVSE rejects a reset for one EVSE."""
    evse, _ = _reset_configured_connector(station)
    response = await station.call("Reset", {"type": "OnIdle", "evseId": evse})
    _reset_answer(station, response, "Rejected", ("B11.FR.01", "B11.FR.09", "B12.FR.09"))


# --------------------------------------------------------------------------- with ongoing transactions (B12)
async def _reset_stopped_normally(station: ChargingStationUnderTest, tx: StationTransaction, *,
                                  disconnect: bool = False) -> None:
    """Part 6 steps StopAuthorized, EVConnectedPostSession, EVDisconnected and ParkingBayUnoccupied after a reset
    answered Scheduled: the transaction is ended normally (E06). EVDisconnected and ParkingBayUnoccupied are
    executed only while the transaction runs (the station resets as soon as it has ended), unless
    ``disconnect`` (Part 6 runs every step for an EVSE whose end does not yet reset the station)."""
    await stop_authorized(station, tx)
    await ev_connected_post_session(station, tx)
    if disconnect or not tx.ended:
        await ev_disconnected(station, tx)
    if disconnect or not tx.ended:
        await parking_bay_unoccupied(station, tx)
    station.check.that(f"the transaction on EVSE {tx.evse} has ended normally", tx.ended,
                       expected="TransactionEventRequest eventType Ended", actual=[e.payload.get("eventType")
                                                                                for e in tx.events],
                       requirements=("B12.FR.03", "B12.FR.07"))


async def _reset_ended_immediately(station: ChargingStationUnderTest, conn: Connection, tx: StationTransaction,
                                   requirements: tuple[str, ...]) -> IncomingCall:
    """After an accepted Immediate reset: the station ends the transaction with a TransactionEventRequest Ended,
    triggerReason ResetCommand, chargingState EVConnected, stoppedReason ImmediateReset, no idToken, before it
    resets (on the connection the transaction ran on)."""
    try:
        ended = await conn.expect_call("TransactionEvent", since=tx.since, requirements=requirements,
                                       **tx.pattern(), eventType="Ended")
    except SutTimeout as exc:
        station.check.that("the station ends the transaction before it resets", False,
                           expected=f"TransactionEventRequest eventType Ended of {tx.transaction_id}",
                           actual=exc.actual, requirements=requirements)
        raise
    tx.record(ended)
    # The EV stays plugged in; a second presentation of the idToken would start a new transaction: the restore
    # only unplugs it.
    tx.stop_authorized = True
    station.check.fields("TransactionEventRequest that ends the transaction on the Immediate reset", ended.payload, {
        "triggerReason": "ResetCommand",
        "transactionInfo.chargingState": "EVConnected",
        "transactionInfo.stoppedReason": "ImmediateReset",
        "idToken": ABSENT,
    }, requirements=requirements)
    return ended


def _reset_after_transactions(station: ChargingStationUnderTest,
                              transactions: list[StationTransaction]) -> dict[tuple[int, int], str]:
    """The connector statuses after the reboot: Occupied where the EV is still plugged in, else Available."""
    plugged = {(tx.evse, tx.connector) for tx in transactions if tx.plugged}
    return {k: "Occupied" if k in plugged else "Available" for k in station.connectors}


@case("TC_B_21_CS")
async def test_tc_b_21_cs(station: ChargingStationUnderTest) -> None:
    """An OnIdle reset during a transaction is answered Scheduled; once the transaction has ended normally the
    station reboots (reason ScheduledReset) and reports every connector."""
    evse, connector = _reset_configured_connector(station)
    async with transactions_ended_afterwards(station) as transactions, _reset_settled(station, transactions) as watch:
        tx = await energy_transfer_started(station, evse, connector)
        response = await _reset_request(station, watch, {"type": "OnIdle"})
        _reset_answer(station, response, "Scheduled", ("B12.FR.01",))
        await _reset_stopped_normally(station, tx)
        await _reset_rebooted(station, watch, reason="ScheduledReset", reason_requirements=("B12.FR.03", "B01.FR.09"),
                              statuses=_reset_after_transactions(station, [tx]),
                              status_requirements=("B01.FR.05", "B12.FR.03"), security_event=True)


@case("TC_B_22_CS")
async def test_tc_b_22_cs(station: ChargingStationUnderTest) -> None:
    """An Immediate reset during a transaction is accepted; the station ends the transaction (ResetCommand,
    ImmediateReset), reboots (reason RemoteReset) and reports the connector with the EV Occupied, the others
    Available."""
    evse, connector = _reset_configured_connector(station)
    async with transactions_ended_afterwards(station) as transactions, _reset_settled(station, transactions) as watch:
        tx = await energy_transfer_started(station, evse, connector)
        conn = station.connection
        response = await _reset_request(station, watch, {"type": "Immediate"})
        _reset_answer(station, response, "Accepted", ("B12.FR.02",))
        await _reset_ended_immediately(station, conn, tx, ("B12.FR.04",))
        await _reset_rebooted(station, watch, reason="RemoteReset", reason_requirements=("B12.FR.04", "B01.FR.09"),
                              statuses=_reset_after_transactions(station, [tx]),
                              status_requirements=("B01.FR.05", "B01.FR.03"))


@case("TC_B_26_CS")
async def test_tc_b_26_cs(station: ChargingStationUnderTest) -> None:
    """An OnIdle reset of the EVSE that charges is answered Scheduled and the transaction ends normally."""
    evse, connector = _reset_configured_connector(station)
    async with transactions_ended_afterwards(station):
        tx = await energy_transfer_started(station, evse, connector)
        response = await station.call("Reset", {"type": "OnIdle", "evseId": evse})
        _reset_answer(station, response, "Scheduled", ("B12.FR.01",))
        await _reset_stopped_normally(station, tx, disconnect=True)


@case("TC_B_27_CS")
async def test_tc_b_27_cs(station: ChargingStationUnderTest) -> None:
    """An Immediate reset of the EVSE that charges is accepted; the station ends its transaction (ResetCommand,
    ImmediateReset)."""
    evse, connector = _reset_configured_connector(station)
    async with transactions_ended_afterwards(station):
        tx = await energy_transfer_started(station, evse, connector)
        response = await station.call("Reset", {"type": "Immediate", "evseId": evse})
        _reset_answer(station, response, "Accepted", ("B12.FR.02",))
        await _reset_ended_immediately(station, station.connection, tx, ("B12.FR.08",))


@case("TC_B_29_CS")
async def test_tc_b_29_cs(station: ChargingStationUnderTest) -> None:
    """A station that cannot reset a single EVSE rejects a reset of the EVSE that charges."""
    evse, connector = _reset_configured_connector(station)
    async with transactions_ended_afterwards(station):
        await energy_transfer_started(station, evse, connector)
        response = await station.call("Reset", {"type": "OnIdle", "evseId": evse})
        _reset_answer(station, response, "Rejected", ("B12.FR.09",))


@case("TC_B_41_CS")
async def test_tc_b_41_cs(station: ChargingStationUnderTest) -> None:
    """With transactions on two EVSEs, an OnIdle reset is answered Scheduled; the station keeps running after
    the first transaction ended and reboots (reason ScheduledReset) once the second has ended."""
    first = {}
    for evse, connector in station.connectors:
        first.setdefault(evse, connector)
    if len(first) < 2:
        raise Inconclusive("the case needs two EVSEs in the configured topology")
    (evse1, connector1), (evse2, connector2) = sorted(first.items())[:2]
    async with transactions_ended_afterwards(station) as transactions, _reset_settled(station, transactions) as watch:
        tx1 = await energy_transfer_started(station, evse1, connector1)
        tx2 = await energy_transfer_started(station, evse2, connector2)
        conn = station.connection
        response = await _reset_request(station, watch, {"type": "OnIdle"})
        _reset_answer(station, response, "Scheduled", ("B12.FR.01",))
        await _reset_stopped_normally(station, tx1, disconnect=True)
        station.check.that("the station does not reset while a transaction is still ongoing",
                           conn.is_open and station.connection_count() == watch.before,
                           expected="the same connection, still open",
                           actual="open" if conn.is_open else f"closed ({conn.close_reason})",
                           requirements=("B12.FR.03",))
        await _reset_stopped_normally(station, tx2)
        await _reset_rebooted(station, watch, reason="ScheduledReset", reason_requirements=("B12.FR.03", "B01.FR.09"),
                              statuses=_reset_after_transactions(station, [tx1, tx2]),
                              status_requirements=("B01.FR.05", "B12.FR.03"))


_NETWORK_CTRLR = "OCPPCommCtrlr"
_NETWORK_PRIORITY = {"component": {"name": _NETWORK_CTRLR}, "variable": {"name": "NetworkConfigurationPriority"}}
_NETWORK_ACTIVE = {"component": {"name": _NETWORK_CTRLR}, "variable": {"name": "ActiveNetworkProfile"}}
_NETWORK_ATTEMPTS = {"component": {"name": _NETWORK_CTRLR}, "variable": {"name": "NetworkProfileConnectionAttempts"}}
_NETWORK_BACKOFF_REPEAT = {"component": {"name": _NETWORK_CTRLR}, "variable": {"name": "RetryBackOffRepeatTimes"}}
_NETWORK_BACKOFF_RANDOM = {"component": {"name": _NETWORK_CTRLR}, "variable": {"name": "RetryBackOffRandomRange"}}
_NETWORK_BACKOFF_MINIMUM = {"component": {"name": _NETWORK_CTRLR}, "variable": {"name": "RetryBackOffWaitMinimum"}}
# <Configured configurationSlot> and <Configured configurationSlot2>: the harness configuration has no keys for
# them yet, so the first two slots are used.
_NETWORK_SLOTS = (1, 2)


def _network_interface(station: ChargingStationUnderTest) -> str:
    """<Configured ocppInterface>: wireless when the PICS says the station communicates wirelessly (HFS-9)."""
    technology = str(station.config.pics.hardware.get("HFS-9", "")).lower()
    wireless = any(word in technology for word in ("wireless", "wifi", "wi-fi", "cellular", "gsm", "lte", "4g", "5g"))
    return "Wireless0" if wireless else "Wired0"


def _network_connection_data(station: ChargingStationUnderTest, url: str) -> dict[str, Any]:
    return {"ocppVersion": "OCPP20", "ocppTransport": "JSON", "ocppCsmsUrl": url,
            "messageTimeout": max(1, round(station.config.timing.message_timeout)),
            "securityProfile": station.config.connection.security_profile, "ocppInterface": _network_interface(station)}


def _network_public_url(server: CsmsServer) -> str:
    """The URL a station uses to reach ``server`` (a wildcard listen address is replaced by this host's name)."""
    host = server.host if server.host not in ("", "0.0.0.0", "::") else socket.getfqdn()
    host = f"[{host}]" if ":" in host else host
    return f"{'wss' if server.ssl_context is not None else 'ws'}://{host}:{server.port}{server.path}"


async def _network_write(conn: Connection, variable: dict, value: str) -> dict[str, Any]:
    """SetVariables of one variable through ``conn``; its setVariableResult."""
    response = await conn.call("SetVariables", {"setVariableData": [dict(variable, attributeValue=value)]})
    results = response.payload.get("setVariableResult", [])
    return results[0] if results else {}


@dataclass
class _NetworkMigration:
    """The two endpoints of a migration case and the slots involved."""

    main: CsmsServer
    second: CsmsServer
    old_slot: int
    new_slot: int
    priority: str  # NetworkConfigurationPriority before the case
    marks: tuple[int, int] = (0, 0)  # handshakes seen on (main, second) when the station was reset

    def attempts(self, identity: str) -> list[tuple[str, Handshake]]:
        """The station's connection attempts since the reset, ("old" | "new", handshake), in time order."""
        found = [("old", h) for h in self.main.handshakes[self.marks[0]:] if h.identity == identity]
        found += [("new", h) for h in self.second.handshakes[self.marks[1]:] if h.identity == identity]
        return sorted(found, key=lambda item: item[1].mono)


@contextlib.asynccontextmanager
async def _network_migration(station: ChargingStationUnderTest, *, ssl_context: ssl.SSLContext | None = None,
                             restore_trust: Callable[[Connection], Awaitable[None]] | None = None
                             ) -> AsyncIterator[_NetworkMigration]:
    """Start the second endpoint, choose the slots; afterwards bring the station back (see the module docstring).
    With TLS the second endpoint presents the original endpoint's certificate unless ``ssl_context`` says otherwise
    (a certificate of another CSMS root). ``restore_trust``: run on the station's connection when bringing it back,
    before it is reset (makes it trust the original endpoint's certificate again)."""
    conn = station.connection
    priority = await station.read_variable(_NETWORK_PRIORITY, connection=conn)
    if not priority:
        raise Inconclusive("OCPPCommCtrlr.NetworkConfigurationPriority cannot be read, so the slot in use is unknown")
    active = await station.read_variable(_NETWORK_ACTIVE, connection=conn)  # required since errata 2025-09 §2.57
    in_use = active.strip() if active and active.strip().isdigit() else priority.split(",")[0].strip()
    if not in_use.isdigit():
        raise Inconclusive(f"the slot in use cannot be told from ActiveNetworkProfile {active!r} or "
                           f"NetworkConfigurationPriority {priority!r}")
    old = int(in_use)
    new = _NETWORK_SLOTS[1] if old == _NETWORK_SLOTS[0] else _NETWORK_SLOTS[0]
    main = station.server
    second = CsmsServer(host=main.host, port=0, path=main.path, log=station.ctx.log,
                        message_timeout=main.message_timeout, passwords=main.passwords,
                        security_profile=main.security_profile, handled_actions=main.handled_actions,
                        default_handler_for=main.default_handler_for,
                        ssl_context=ssl_context or main.ssl_context)  # TLS: by default the same certificate
    await second.start()
    migration = _NetworkMigration(main, second, old, new, priority)
    station.note(f"second endpoint {_network_public_url(second)}; slot in use {old}, new profile in slot {new}")
    try:
        yield migration
    finally:
        try:
            await _network_restore(station, migration, restore_trust)
        except (CheckFailed, Inconclusive) as exc:  # timeouts and disconnects included
            station.note(f"could not bring the station back to the original endpoint: {exc}")
        finally:
            main.refusing.discard(station.identity)
            await second.stop()


async def _network_restore(station: ChargingStationUnderTest, migration: _NetworkMigration,
                           restore_trust: Callable[[Connection], Awaitable[None]] | None = None) -> None:
    identity = station.identity
    migration.main.refusing.discard(identity)
    on_second = migration.second.connections.get(identity)
    if on_second is not None and on_second.is_open:
        if restore_trust is not None:
            await restore_trust(on_second)
        result = await _network_write(on_second, _NETWORK_PRIORITY, migration.priority)
        station.note(f"restored NetworkConfigurationPriority = {migration.priority!r}: "
                     f"{result.get('attributeStatus')}")
        migration.second.refusing.add(identity)  # whatever it does, the station ends up on the original endpoint
        station.ctx.station_booted = False
        await on_second.call("Reset", {"type": "Immediate"})
        await station.ensure_ready()
        return
    await station.ensure_ready()  # after a reset in the case: waits for its boot on the original endpoint
    if restore_trust is not None:
        await restore_trust(station.connection)
    result = await _network_write(station.connection, _NETWORK_PRIORITY, migration.priority)
    station.note(f"restored NetworkConfigurationPriority = {migration.priority!r}: {result.get('attributeStatus')}")


async def _network_prepare(station: ChargingStationUnderTest, migration: _NetworkMigration) -> Connection:
    """Steps 1 to 6 of the migration cases: new profile, new priority, Reset OnIdle; the connection that was reset."""
    conn = station.connection
    response = await conn.call("SetNetworkProfile", {
        "configurationSlot": migration.new_slot,
        "connectionData": _network_connection_data(station, _network_public_url(migration.second))})
    station.check.that("the station answers SetNetworkProfileRequest", response.ok, expected="CALLRESULT",
                       actual=response.describe(), requirements=("B09.FR.01",))
    station.check.fields("SetNetworkProfileResponse", response.payload, {"status": "Accepted"},
                         requirements=("B09.FR.01",))
    result = await _network_write(conn, _NETWORK_PRIORITY, f"{migration.new_slot},{migration.old_slot}")
    station.check.fields("SetVariablesResponse setVariableResult[0] (NetworkConfigurationPriority)", result, {
        "attributeStatus": OneOf("Accepted", "RebootRequired")}, requirements=("B10.FR.01",))
    # Errata 2025-09 §6.2.18: the reset is always sent, whatever the SetVariablesResponse said.
    migration.marks = (len(migration.main.handshakes), len(migration.second.handshakes))
    reset = await conn.call("Reset", {"type": "OnIdle"})
    station.check.that("the station answers ResetRequest", reset.ok, expected="CALLRESULT", actual=reset.describe(),
                       requirements=("B11.FR.01",))
    station.check.fields("ResetResponse", reset.payload, {"status": "Accepted"}, requirements=("B11.FR.01",))
    station.ctx.station_booted = False  # it reboots: the boot is awaited (by the case or when restoring)
    return conn


async def _network_wait_attempts(station: ChargingStationUnderTest, migration: _NetworkMigration,
                                 done: Callable[[list[tuple[str, Handshake]]], bool], *, timeout: float,
                                 what: str, requirements: tuple[str, ...]) -> list[tuple[str, Handshake]]:
    """Wait until the station's connection attempts since the reset satisfy ``done``; FAIL naming
    ``requirements`` when they do not within ``timeout``."""
    deadline = time.monotonic() + timeout
    servers = (migration.main, migration.second)
    while True:
        for server in servers:
            server.handshake_seen.clear()
        attempts = migration.attempts(station.identity)
        if done(attempts):
            return attempts
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            station.check.that(what, False, expected=f"within {timeout:g}s",
                               actual="attempts: " + (", ".join(label for label, _ in attempts) or "none"),
                               requirements=requirements)
        waiters = [asyncio.ensure_future(server.handshake_seen.wait()) for server in servers]
        try:
            await asyncio.wait(waiters, timeout=remaining, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for waiter in waiters:
                waiter.cancel()


async def _network_booted(station: ChargingStationUnderTest, conn: Connection) -> None:
    """Reusable state Booted on ``conn``: BootNotification first (B10.FR.10 after switching profiles), every
    connector reported, the security event of the restart."""
    boot = await station.expect_call("BootNotification", connection=conn, requirements=("B10.FR.10",))
    first = conn.mailbox[0] if conn.mailbox else None
    station.check.that("BootNotificationRequest is the first CALL on the new connection", first is boot,
                       expected="BootNotification", actual=first.action if first else None,
                       requirements=("B10.FR.10", "B01.FR.08"))
    station.check.fields("BootNotificationRequest", boot.payload, {"reason": OneOf(*BOOT_REASONS)},
                         requirements=("B01.FR.09",))
    await expect_connector_reports(station, conn, requirements=("B01.FR.05",))
    event = await station.expect_call("SecurityEventNotification", connection=conn)
    station.check.fields("SecurityEventNotificationRequest", event.payload,
                         {"type": OneOf("StartupOfTheDevice", "ResetOrReboot")})


def _network_connect_timeout(station: ChargingStationUnderTest) -> float:
    return station.ctx.scaled(station.config.timing.connect_timeout)


async def _network_attempts_after_reset(station: ChargingStationUnderTest, migration: _NetworkMigration,
                                        old_conn: Connection) -> list[tuple[str, Handshake]]:
    """The station's first connection attempt(s) after the reset, and the check that it left the original endpoint
    before (B10.FR.06)."""
    attempts = await _network_wait_attempts(
        station, migration, lambda found: bool(found), timeout=_network_connect_timeout(station),
        what="the station tries to connect after the reset", requirements=("B10.FR.04",))
    station.check.that("the station closed the connection to the original endpoint before connecting to the new one",
                       not old_conn.is_open, expected="closed", actual="still open", requirements=("B10.FR.06",))
    return attempts


def _network_first_attempt_checked(station: ChargingStationUnderTest, attempts: list[tuple[str, Handshake]]) -> None:
    station.check.equal("after the reset the station first connects with the profile of the first entry of "
                        "NetworkConfigurationPriority (the new endpoint)", attempts[0][0], "new",
                        requirements=("B10.FR.04",))


@case("TC_B_43_CS")
async def test_tc_b_43_cs(station: ChargingStationUnderTest) -> None:
    """Set new NetworkConnectionProfile, Rejected: a profile for configuration slot 999, which the station does not
    offer, is rejected (valid connection data otherwise)."""
    response = await station.call("SetNetworkProfile", {
        "configurationSlot": 999, "connectionData": _network_connection_data(station, _network_public_url(station.server))})
    station.check.that("the station answers SetNetworkProfileRequest", response.ok, expected="CALLRESULT",
                       actual=response.describe(), requirements=("B09.FR.02",))
    station.check.fields("SetNetworkProfileResponse", response.payload, {"status": "Rejected"},
                         requirements=("B09.FR.02", "B09.FR.05"))


@case("TC_B_45_CS")
async def test_tc_b_45_cs(station: ChargingStationUnderTest) -> None:
    """Migrate to new ConnectionProfile, success, same CSMS root: with a profile for the second endpoint first in
    NetworkConfigurationPriority, the station leaves the original endpoint after the reset, connects to the second
    one and boots there."""
    async with _network_migration(station) as migration:
        old_conn = await _network_prepare(station, migration)
        attempts = await _network_attempts_after_reset(station, migration, old_conn)
        _network_first_attempt_checked(station, attempts)
        conn = await migration.second.wait_for_connection(station.identity, timeout=_network_connect_timeout(station))
        await _network_booted(station, conn)


@case("TC_B_46_CS")
async def test_tc_b_46_cs(station: ChargingStationUnderTest) -> None:
    """Migrate to new ConnectionProfile, fallback, same CSMS root: NetworkProfileConnectionAttempts is 2 and the
    second endpoint refuses the station; it tries the new profile twice, then connects to the original endpoint
    (second entry of NetworkConfigurationPriority) and boots there."""
    attempts_per_entry = 2
    async with station.configured(_NETWORK_ATTEMPTS, str(attempts_per_entry)), \
            _network_migration(station) as migration:
        migration.second.refusing.add(station.identity)
        before = station.connection_count()
        await _network_prepare(station, migration)
        timeout = _network_connect_timeout(station) * (attempts_per_entry + 2)
        attempts = await _network_wait_attempts(
            station, migration, lambda found: any(label == "old" for label, _ in found), timeout=timeout,
            what="after the attempts with the new profile the station connects with the next entry of "
                 "NetworkConfigurationPriority (the original endpoint)", requirements=("B10.FR.03",))
        _network_first_attempt_checked(station, attempts)
        tries = next(i for i, (label, _) in enumerate(attempts) if label == "old")
        station.check.equal("connection attempts with the new profile before the station turns to the next entry",
                            tries, attempts_per_entry, requirements=("B10.FR.03",))
        conn = await migration.main.wait_for_connection(station.identity, timeout=_network_connect_timeout(station),
                                                        after=before)
        await _network_booted(station, conn)
        station.ctx.station_booted = True


@case("TC_B_49_CS")
async def test_tc_b_49_cs(station: ChargingStationUnderTest) -> None:
    """Migrate to new ConnectionProfile, fallback after all entries failed, same CSMS root: one attempt per entry
    and no back-off growth; both endpoints refuse the first attempt, so every entry of NetworkConfigurationPriority
    fails. The station then keeps reconnecting to the profile of its last successful connection (the original
    endpoint), waiting RetryBackOffWaitMinimum, and is accepted there."""
    wait_minimum_text = await station.read_variable(_NETWORK_BACKOFF_MINIMUM)
    if not wait_minimum_text or not wait_minimum_text.strip().isdigit():
        raise Inconclusive("OCPPCommCtrlr.RetryBackOffWaitMinimum cannot be read")
    # <Configured RetryBackOffWaitMinimum>: no configuration key yet, the station's current value is kept.
    wait_minimum = int(wait_minimum_text)
    async with station.configured(_NETWORK_ATTEMPTS, "1"), station.configured(_NETWORK_BACKOFF_REPEAT, "0"), \
            station.configured(_NETWORK_BACKOFF_RANDOM, "0"), \
            station.configured(_NETWORK_BACKOFF_MINIMUM, str(wait_minimum)), \
            _network_migration(station) as migration:
        identity = station.identity
        migration.second.refusing.add(identity)
        migration.main.refusing.add(identity)
        before = station.connection_count()
        await _network_prepare(station, migration)
        timeout = _network_connect_timeout(station) * 3 + wait_minimum * 2
        attempts = await _network_wait_attempts(
            station, migration, lambda found: any(label == "old" for label, _ in found), timeout=timeout,
            what="after the attempt with the new profile the station tries the next entry of "
                 "NetworkConfigurationPriority (the original endpoint)", requirements=("B10.FR.03",))
        migration.main.refusing.discard(identity)  # the next attempt at the original endpoint is accepted
        _network_first_attempt_checked(station, attempts)
        refused = next(i for i, (label, _) in enumerate(attempts) if label == "old")
        station.check.equal("connection attempts with the new profile before the station turns to the next entry",
                            refused, 1, requirements=("B10.FR.03",))
        station.protocol_wait(wait_minimum, "RetryBackOffWaitMinimum before the reconnection to the original endpoint")
        conn = await migration.main.wait_for_connection(identity, timeout=timeout, after=before)
        later = [(label, h) for label, h in migration.attempts(identity)[refused + 1:] if h.mono <= time.monotonic()]
        station.check.that("after every entry failed the station reconnects with the profile of its last successful "
                           "connection (the original endpoint) only", all(label == "old" for label, _ in later),
                           expected="old", actual=", ".join(label for label, _ in later), requirements=("B10.FR.07",))
        accepted = next((h for label, h in later if label == "old"), None)
        if accepted is not None:
            station.check.timing("time between the refused attempt at the original endpoint and the reconnection",
                                 accepted.mono - attempts[refused][1].mono, required=wait_minimum,
                                 tolerance=station.tolerance, at_least=True, requirements=("B10.FR.07",))
        await _network_booted(station, conn)
        station.ctx.station_booted = True


# --------------------------------------------------------------------------- a new CSMS root (B10 with M05)
# The harness's CSMS root (security profile 2, the run's test PKI) is the "old CSMS root"; the case's "CSMS root
# certificate 2" is signed by it (TC_B_47_CS prerequisite; with AdditionalRootCertificateCheck, M05.FR.10/11, the
# station accepts nothing else). Such a station keeps only the new root once it connected with it (M05.FR.13), so
# on the way back the harness installs its own root again as a certificate of the same subject and key signed by
# the case's root, which the original endpoint's certificate chains to; the run context remembers that copy.
_NETWORK_HASHES = {"SHA256": hashes.SHA256, "SHA384": hashes.SHA384, "SHA512": hashes.SHA512}


def _network_tls_root(station: ChargingStationUnderTest) -> Credential:
    """The old CSMS root of the new-root cases (NotApplicable without TLS)."""
    profile = station.config.connection.security_profile
    if profile not in (2, 3):
        raise NotApplicable(f"the station is connected with security profile {profile}; the case needs security "
                            "profile 2 or 3 (TLS)")
    if station.server.ssl_context is None or station.ctx.csms_root is None:
        raise Inconclusive("the harness CSMS does not serve TLS with a CSMS root of its own, so no second CSMS root "
                           "can be tried")
    return station.ctx.csms_root


async def _network_install_root(station: ChargingStationUnderTest, root: Credential) -> None:
    """Memory State CertificateInstalled for the new CSMS root."""
    installed = await station.call("InstallCertificate", {"certificateType": "CSMSRootCertificate",
                                                          "certificate": root.certificate_pem})
    if not installed.ok or installed.payload.get("status") != "Accepted":
        raise Inconclusive(f"the new CSMS root certificate could not be installed: "
                           f"{installed.payload if installed.ok else installed.describe()}")


def _network_trust_back(station: ChargingStationUnderTest, in_force: Credential
                        ) -> Callable[[Connection], Awaitable[None]]:
    """For bringing a station with AdditionalRootCertificateCheck back: its CSMS root in force is ``in_force``, so
    the harness's root is installed again as a copy signed by ``in_force`` (M05.FR.10)."""
    async def install(conn: Connection) -> None:
        back = cross_sign(station.ctx.csms_root, in_force)
        response = await conn.call("InstallCertificate", {"certificateType": "CSMSRootCertificate",
                                                          "certificate": back.certificate_pem})
        status = response.payload.get("status") if response.ok else response.describe()
        station.note(f"the harness CSMS root installed again, signed by the case's CSMS root: {status}")
        if status == "Accepted":
            station.ctx.csms_root, station.ctx.csms_root_issuer = back, in_force.certificate
    return install


def _network_hash_matches(reported: Any, certificate: Any, issuer: Any) -> bool:
    """Whether a CertificateHashDataType names ``certificate`` (issued by ``issuer``), in the algorithm it states."""
    if not isinstance(reported, dict) or reported.get("hashAlgorithm") not in _NETWORK_HASHES:
        return False
    expected = ocsp.OCSPRequestBuilder().add_certificate(
        certificate, issuer, _NETWORK_HASHES[reported["hashAlgorithm"]]()).build()
    try:
        serial = int(str(reported.get("serialNumber", "")), 16)
    except ValueError:
        return False
    return (str(reported.get("issuerNameHash", "")).lower() == expected.issuer_name_hash.hex()
            and str(reported.get("issuerKeyHash", "")).lower() == expected.issuer_key_hash.hex()
            and serial == certificate.serial_number)


async def _network_csms_roots(station: ChargingStationUnderTest, conn: Connection,
                              requirements: tuple[str, ...]) -> list[Any] | None:
    """GetInstalledCertificateIds for CSMSRootCertificate through ``conn``: the certificateHashData of the CSMS roots;
    None when the station does not implement the message."""
    response = await conn.call("GetInstalledCertificateIds", {"certificateType": ["CSMSRootCertificate"]})
    if not response.ok:
        return None
    station.check.fields("GetInstalledCertificateIdsResponse", response.payload, {"status": "Accepted"},
                         requirements=("M03.FR.03", *requirements))
    return [entry.get("certificateHashData") for entry in response.payload.get("certificateHashDataChain", [])
            if entry.get("certificateType") == "CSMSRootCertificate"]


async def _network_backoff_allowance(station: ChargingStationUnderTest) -> float:
    """RetryBackOffWaitMinimum + RetryBackOffRandomRange as the station reports them (0 when it does not)."""
    total = 0.0
    for variable in (_NETWORK_BACKOFF_MINIMUM, _NETWORK_BACKOFF_RANDOM):
        value = await station.read_variable(variable)
        total += float(value) if value and value.strip().isdigit() else 0.0
    return total


@case("TC_B_47_CS")
async def test_tc_b_47_cs(station: ChargingStationUnderTest) -> None:
    """Migrate to new ConnectionProfile, fallback, new CSMS root, new CSMS: a CSMS root 2 signed by the old root
    is installed (AdditionalRootCertificateCheck), one attempt per entry. The second endpoint presents a certificate
    of the old root, which the station must not accept while migrating (only the new root counts then); it goes back
    to the previous profile, validates the original endpoint with the old root kept as fallback, boots there, and
    still lists the old root among its CSMS roots."""
    old_root = _network_tls_root(station)
    old_issuer = station.ctx.csms_root_issuer or old_root.certificate
    new_root = make_root("OCPP Conformance CSMS root 2", signer=old_root)
    async with station.configured(_NETWORK_ATTEMPTS, "1"):
        allowance = await _network_backoff_allowance(station)
        await _network_install_root(station, new_root)
        # Both endpoints present the original endpoint's certificate, signed by the old root (steps 7 and 9).
        async with _network_migration(station, restore_trust=_network_trust_back(station, new_root)) as migration:
            before = station.connection_count()
            await _network_prepare(station, migration)
            timeout = _network_connect_timeout(station) * 3 + allowance * 2
            # The failed TLS handshake with the new endpoint is not seen at the HTTP level: the first attempt that
            # is seen must be the one at the original endpoint.
            attempts = await _network_wait_attempts(
                station, migration, lambda found: bool(found), timeout=timeout,
                what="after the TLS handshake with the new endpoint failed, the station goes back to the previous "
                     "profile and connects to the original endpoint, validating its certificate with the old "
                     "(fallback) CSMS root", requirements=("M05.FR.16", "B10.FR.03"))
            station.check.equal("while migrating the station validates the new endpoint's certificate (signed by "
                                "the old root) with the new CSMS root only, so it does not connect there",
                                attempts[0][0], "old", requirements=("M05.FR.15",))
            conn = await migration.main.wait_for_connection(station.identity, timeout=timeout, after=before)
            await _network_booted(station, conn)
            station.ctx.station_booted = True
            roots = await _network_csms_roots(station, conn, ("M05.FR.16",))
            station.check.that("GetInstalledCertificateIdsResponse is a CALLRESULT", roots is not None,
                               expected="CALLRESULT", actual="CALLERROR", requirements=("M03.FR.01",))
            station.check.that("certificateHashDataChain lists the old CSMS root (kept as fallback)",
                               any(_network_hash_matches(r, old_root.certificate, old_issuer) for r in roots or []),
                               expected=f"CSMSRootCertificate serialNumber {old_root.certificate.serial_number:x}",
                               actual=roots, requirements=("M05.FR.12", "M05.FR.16", "M03.FR.04"))


@case("TC_B_50_CS")
async def test_tc_b_50_cs(station: ChargingStationUnderTest) -> None:
    """Migrate to new ConnectionProfile, success, new CSMS root, new CSMS: a second CSMS root certificate, signed
    by the old one, is installed, the second endpoint presents a certificate that only this new root signs; after
    the reset the station connects there, validating that certificate with the new root, and boots. A station with
    AdditionalRootCertificateCheck (AS-2) then no longer lists the old root."""
    old_root = _network_tls_root(station)
    main = station.server
    additional_check = "AS-2" in station.config.pics.supported()
    # Configured CSMS root certificate 2: signed by the old root (TC_B_47_CS prerequisite), as a station with
    # AdditionalRootCertificateCheck requires (M05.FR.10); one without it installs it next to the old one.
    new_root = make_root("OCPP Conformance CSMS root 2", signer=old_root)
    await _network_install_root(station, new_root)
    context = server_context(issue_server(new_root, [main.host]))
    restore_trust = _network_trust_back(station, new_root) if additional_check else None
    async with _network_migration(station, ssl_context=context, restore_trust=restore_trust) as migration:
        old_conn = await _network_prepare(station, migration)
        # A TLS handshake the station gives up is not seen at the HTTP level: the first attempt that is seen must
        # be the one at the new endpoint.
        attempts = await _network_attempts_after_reset(station, migration, old_conn)
        station.check.equal("after the reset the station connects to the new endpoint, accepting its certificate "
                            "signed by the newly installed CSMS root", attempts[0][0], "new",
                            requirements=("M05.FR.13", "B10.FR.04"))
        conn = await migration.second.wait_for_connection(station.identity, timeout=_network_connect_timeout(station))
        await _network_booted(station, conn)
        if additional_check:  # M05.FR.13: connected with the new root, the old one is removed
            roots = await _network_csms_roots(station, conn, ("M05.FR.13",))
            if roots is None:
                station.note("GetInstalledCertificateIds is not implemented: the removal of the old CSMS root "
                             "(M05.FR.13) cannot be observed")
            else:
                station.check.that("after connecting with the new CSMS root the station lists only that root",
                                   len(roots) == 1 and _network_hash_matches(roots[0], new_root.certificate,
                                                                             old_root.certificate),
                                   expected=f"one CSMSRootCertificate, serialNumber "
                                            f"{new_root.certificate.serial_number:x}",
                                   actual=roots, requirements=("M05.FR.13",))
