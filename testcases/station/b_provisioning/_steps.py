"""Steps the block B station cases share (boot, device-model reports, reset): private to this block.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, AsyncIterator

from conformance.harness import ABSENT, ChargingStationUnderTest, OneOf, Satisfies
from conformance.harness.reports import (B07_PARTS, B08_PARTS, Report, check_report_entries, collect_report, entry_name,
                                         new_request_id, request_report)
from conformance.harness.reusable_states import station as states
from conformance.protocol.variable_names import canonical, sources_of, spellings
from conformance.outcomes import CheckFailed, Inconclusive, SutTimeout
from conformance.protocol.errors import PeerError, PeerTimeout
from conformance.protocol.variables import (OFFLINE_THRESHOLD, RETRY_BACK_OFF_RANDOM_RANGE, RETRY_BACK_OFF_WAIT_MINIMUM,
                                            evse_availability_state)
from conformance.transport.connection import Connection, IncomingCall, Response
from conformance.transport.server import Handshake


def boot_interval(station: ChargingStationUnderTest) -> int:
    """The interval the harness CSMS gives with a Pending / Rejected boot: Part 6 TC_B_02/03_CS step 2 give
    <Configured heartbeatInterval> (``timing.heartbeat_interval``)."""
    return station.config.timing.heartbeat_interval


async def boot_restart(station: ChargingStationUnderTest) -> tuple[Connection, IncomingCall]:
    """Manual action: the station reboots; its first BootNotificationRequest on the new connection."""
    before = station.connection_count()
    await station.actions.do("reboot")
    conn = await station.wait_for_connection(after=before)
    boot = await station.expect_call("BootNotification", connection=conn, requirements=("B01.FR.01",))
    await boot_answer_sent(station, boot)
    return conn, boot


async def boot_answer_sent(station: ChargingStationUnderTest, boot: IncomingCall) -> None:
    """Wait until the harness CSMS has answered ``boot`` (its handler runs just after the CALL is recorded)."""
    async with asyncio.timeout(station.message_timeout):
        await boot.answered.wait()


async def boot_notify_reports(station: ChargingStationUnderTest, conn: Connection, request_id: int) -> None:
    """The NotifyReportRequests of a GetBaseReport (seqNo 0, 1, ... until tbc is false)."""
    while True:
        report = await conn.expect_call("NotifyReport", requestId=request_id, requirements=("B02.FR.01",))
        if not report.payload.get("tbc", False):
            return


# --------------------------------------------------------------------------- offline (B04), reconnection (Part 4 §5.3)
async def boot_next_handshake(station: ChargingStationUnderTest, after: int, timeout: float) -> Handshake:
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
                             actual="no attempt", requirements=("OCPP-J Part 4 §5.3",))
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(remaining):
                await server.handshake_seen.wait()


def boot_attempts(station: ChargingStationUnderTest) -> int:
    return sum(1 for h in station.server.handshakes if h.identity == station.identity)


@contextlib.asynccontextmanager
async def boot_offline_status_change(station: ChargingStationUnderTest, threshold: int, wait_minimum: int, *,
                                     refuse_for: float = 0.0
                                     ) -> AsyncIterator[tuple[Connection, float, tuple[int, int]]]:
    """Part 6 TC_B_51/52_CS main steps 1-3, with OfflineThreshold ``threshold`` and RetryBackOffWaitMinimum
    ``wait_minimum`` (RetryBackOffRandomRange 0) configured for the case: the harness closes the WebSocket
    connection and refuses reconnection attempts (step 1), an EV is plugged into the first configured connector
    meanwhile (step 2, action ``plug_in``), then the harness accepts the station's next attempt (step 3), once
    ``refuse_for`` seconds have passed since the close (TC_B_51: the threshold exceeded). No network action:
    Part 6 only closes and refuses. Yields the new connection, the offline period as the harness saw it (its
    close to the accepted reconnection attempt) and the connector; afterwards the EV is unplugged and the
    variables are restored, even when the case failed."""
    evse, connector = station.connectors[0]
    async with station.configured(OFFLINE_THRESHOLD, str(threshold)), \
            station.configured(RETRY_BACK_OFF_WAIT_MINIMUM, str(wait_minimum)), \
            station.configured(RETRY_BACK_OFF_RANDOM_RANGE, "0"), \
            states.ev_unplugged_afterwards(station, evse, connector) as unplug:
        unplug.pending.append((evse, connector))
        conn = station.connection
        count = station.connection_count()
        server = station.server
        server.refusing.add(station.identity)
        try:
            lost = time.monotonic()
            await conn.close(1000, "connection closed by the harness (test): offline period")
            await station.actions.do("plug_in", evse=evse, connector=connector)
            if refuse_for > 0:
                station.protocol_wait(max(0.0, lost + refuse_for - time.monotonic()),
                                      "reconnection attempts refused until the offline threshold is exceeded")
                while time.monotonic() < lost + refuse_for:  # an attempt meanwhile is refused; wake on each one
                    server.handshake_seen.clear()
                    with contextlib.suppress(TimeoutError):
                        async with asyncio.timeout(max(0.0, lost + refuse_for - time.monotonic())):
                            await server.handshake_seen.wait()
        finally:
            server.refusing.discard(station.identity)
        station.protocol_wait(max(0.0, lost + wait_minimum - time.monotonic()),
                              "RetryBackOffWaitMinimum, set around OfflineThreshold, before the station reconnects")
        new = await station.wait_for_connection(after=count)
        attempt = [h for h in server.handshakes if h.identity == station.identity][-1]
        yield new, attempt.mono - lost, (evse, connector)


# Part 2 "Referenced Components and Variables": the required controller variables of the functional blocks
# every station implements (section ids in the comments; names as in the appendix CSV, every documented spelling
# accepted: protocol/variable_names.py), and whether Part 2 makes them ReadWrite (required in the
# ConfigurationInventory; "ReadOnly or ReadWrite, up to the implementation" counts as not).
REPORT_REQUIRED = (
    ("OCPPCommCtrlr", "MessageTimeout", "Default", False),  # 2.1.3
    ("OCPPCommCtrlr", "FileTransferProtocols", None, False),  # 2.1.4
    ("OCPPCommCtrlr", "ActiveNetworkProfile", None, False),  # 2.1.5, required by errata 2025-09 §2.57
    ("OCPPCommCtrlr", "NetworkConfigurationPriority", None, True),  # 2.1.6
    ("OCPPCommCtrlr", "NetworkProfileConnectionAttempts", None, True),  # 2.1.7
    ("OCPPCommCtrlr", "OfflineThreshold", None, True),  # 2.1.8
    ("OCPPCommCtrlr", "MessageAttempts", "TransactionEvent", True),  # 2.1.10
    ("OCPPCommCtrlr", "MessageAttemptInterval", "TransactionEvent", True),  # 2.1.11
    ("OCPPCommCtrlr", "UnlockOnEVSideDisconnect", None, False),  # 2.1.12 (ReadWrite/ReadOnly)
    ("OCPPCommCtrlr", "ResetRetries", None, True),  # 2.1.14
    ("DeviceDataCtrlr", "ItemsPerMessage", "GetReport", False),  # 2.1.16
    ("DeviceDataCtrlr", "ItemsPerMessage", "GetVariables", False),  # 2.1.17
    ("DeviceDataCtrlr", "BytesPerMessage", "GetReport", False),  # 2.1.18
    ("DeviceDataCtrlr", "BytesPerMessage", "GetVariables", False),  # 2.1.19
    ("DeviceDataCtrlr", "ItemsPerMessage", "SetVariables", False),  # 2.1.22
    ("DeviceDataCtrlr", "BytesPerMessage", "SetVariables", False),  # 2.1.23
    ("ClockCtrlr", "DateTime", None, False),  # 2.1.24
    ("ClockCtrlr", "TimeSource", None, True),  # 2.1.30
    ("SecurityCtrlr", "OrganizationName", None, True),  # 2.2.3
    ("SecurityCtrlr", "CertificateEntries", None, False),  # 2.2.4
    ("SecurityCtrlr", "SecurityProfile", None, False),  # 2.2.5
    ("AuthCtrlr", "AuthorizeRemoteStart", None, False),  # 2.3.4 (ReadOnly or ReadWrite)
    ("AuthCtrlr", "LocalAuthorizeOffline", None, True),  # 2.3.5
    ("AuthCtrlr", "LocalPreAuthorize", None, True),  # 2.3.6
    ("TxCtrlr", "EVConnectionTimeOut", None, True),  # 2.6.1
    ("TxCtrlr", "StopTxOnEVSideDisconnect", None, False),  # 2.6.2 (ReadWrite or ReadOnly)
    ("TxCtrlr", "TxStartPoint", None, False),  # 2.6.4 (ReadOnly or ReadWrite)
    ("TxCtrlr", "TxStopPoint", None, False),  # 2.6.5 (ReadOnly or ReadWrite)
    ("TxCtrlr", "StopTxOnInvalidId", None, True),  # 2.6.8
    ("SampledDataCtrlr", "TxEndedMeasurands", None, True),  # 2.7.4
    ("SampledDataCtrlr", "TxEndedInterval", None, True),  # 2.7.5
    ("SampledDataCtrlr", "TxStartedMeasurands", None, True),  # 2.7.6
    ("SampledDataCtrlr", "TxUpdatedMeasurands", None, True),  # 2.7.7
    ("SampledDataCtrlr", "TxUpdatedInterval", None, True),  # 2.7.8
    ("AlignedDataCtrlr", "Measurands", None, True),  # 2.7.11
    ("AlignedDataCtrlr", "Interval", None, True),  # 2.7.12
    ("AlignedDataCtrlr", "TxEndedMeasurands", None, True),  # 2.7.15
    ("AlignedDataCtrlr", "TxEndedInterval", None, True),  # 2.7.16
)
# Required variables of optional functional blocks: checked when the station reports the controller (then it
# implements the block), LocalAuthListCtrlr only when its Available is not reported false. (variable, instance,
# ReadWrite in Part 2)
REPORT_REQUIRED_IF_PRESENT = {
    "SmartChargingCtrlr": (("ProfileStackLevel", None, False), ("RateUnit", None, False),  # 2.9.4-5
                           ("PeriodsPerSchedule", None, False), ("Entries", "ChargingProfiles", False),  # 2.9.6-10
                           ("LimitChangeSignificance", None, True)),  # 2.9.11
    "MonitoringCtrlr": (("ItemsPerMessage", "SetVariableMonitoring", False),
                        ("BytesPerMessage", "SetVariableMonitoring", False)),
    "DisplayMessageCtrlr": (("DisplayMessages", None, False), ("SupportedFormats", None, False),  # 2.12.3-4
                            ("SupportedPriorities", None, False)),  # 2.12.5
    "LocalAuthListCtrlr": (("Entries", None, False), ("ItemsPerMessage", None, False),
                           ("BytesPerMessage", None, False)),  # 2.5.2-5
    "ISO15118Ctrlr": (("ContractValidationOffline", None, False),),  # 2.14.2
    "TariffCostCtrlr": (("TariffFallbackMessage", None, True), ("TotalCostFallbackMessage", None, True),
                        ("Currency", None, True)),  # 2.11
}
# Charging infrastructure (Part 2 2.13; Connector.AvailabilityState required by errata 2025-09 §2.66): per tier.
REPORT_STATION_VARIABLES = ("Available", "AvailabilityState", "SupplyPhases")
REPORT_EVSE_VARIABLES = ("Available", "AvailabilityState", "Power", "SupplyPhases")
REPORT_CONNECTOR_VARIABLES = ("Available", "AvailabilityState", "ConnectorType", "SupplyPhases")
REPORT_AVAILABILITY_STATES = {"Available", "Occupied", "Reserved", "Unavailable", "Faulted"}
REPORT_EVSE1_AVAILABILITY = evse_availability_state(1)


def report_key(component: str, variable: str, instance: str | None = None, evse: int | None = None,
               connector: int | None = None) -> tuple:
    """Compares equal for every spelling of a variable the documents spell two ways (variable_names.py)."""
    return (component.casefold(), canonical(component, variable).casefold(), (instance or "").casefold(), evse,
            connector)


def report_entry_key(entry: dict[str, Any]) -> tuple:
    component, variable = entry.get("component", {}), entry.get("variable", {})
    evse = component.get("evse") or {}
    return report_key(str(component.get("name", "")), str(variable.get("name", "")), variable.get("instance"),
                      evse.get("id"), evse.get("connectorId"))


def report_actual(entry: dict[str, Any]) -> dict[str, Any] | None:
    return next((a for a in entry.get("variableAttribute", []) if a.get("type", "Actual") == "Actual"), None)


async def report_base(station: ChargingStationUnderTest, base: str, *, requirements: tuple[str, ...]) -> Report:
    """GetBaseReport ``base``: Accepted, then the whole report collected and its parts checked."""
    request_id = new_request_id()
    _, mark = await request_report(station, "GetBaseReport", {"requestId": request_id, "reportBase": base},
                                   requirements=requirements)
    return await collect_report(station, request_id, since=mark, requirements=B07_PARTS)


async def report_custom(station: ChargingStationUnderTest, payload: dict[str, Any], *,
                        requirements: tuple[str, ...] = ()) -> Report:
    """GetReport (``payload`` without requestId): Accepted (``requirements`` also name what makes the selection
    non-empty), then the whole report collected and checked."""
    request_id = new_request_id()
    _, mark = await request_report(station, "GetReport", dict(payload, requestId=request_id),
                                   requirements=("B08.FR.01",) + requirements)
    report = await collect_report(station, request_id, since=mark, requirements=B08_PARTS)
    check_report_entries(station, report.entries, characteristics=("B08.FR.12",), write_only=("B08.FR.03",))
    return report


def report_required_keys(station: ChargingStationUnderTest, entries: list[dict[str, Any]], *,
                         writable_only: bool = False) -> dict[tuple, str]:
    """The required component/variables (key -> name) for this station's topology and reported controllers;
    ``writable_only``: only the controller variables Part 2 makes ReadWrite (ConfigurationInventory)."""
    def label(component: str, variable: str, instance: str | None) -> str:
        names = spellings(component, variable)
        return f"{component}.{'/'.join(names)}" + (f"[{instance}]" if instance else "")

    keys = {report_key(c, v, i): label(c, v, i) for c, v, i, rw in REPORT_REQUIRED if rw or not writable_only}
    present = {}
    for entry in entries:
        name = str(entry.get("component", {}).get("name", ""))
        present.setdefault(name.casefold(), set()).add(entry.get("variable", {}).get("name"))
        if name.casefold() == "localauthlistctrlr" and entry.get("variable", {}).get("name") == "Available" \
                and (report_actual(entry) or {}).get("value") == "false":
            present[name.casefold()].add("<not available>")
    for controller, variables in REPORT_REQUIRED_IF_PRESENT.items():
        if controller.casefold() in present and "<not available>" not in present[controller.casefold()]:
            keys.update({report_key(controller, v, i): label(controller, v, i) for v, i, rw in variables
                         if rw or not writable_only})
    if writable_only:
        return keys
    keys.update({report_key("ChargingStation", v): f"ChargingStation.{v}" for v in REPORT_STATION_VARIABLES})
    for evse in station.config.evses:
        keys.update({report_key("EVSE", v, evse=evse.id): f"EVSE@{evse.id}.{v}" for v in REPORT_EVSE_VARIABLES})
        for connector in evse.connectors:
            keys.update({report_key("Connector", v, evse=evse.id, connector=connector):
                         f"Connector@{evse.id}:{connector}.{v}" for v in REPORT_CONNECTOR_VARIABLES})
    return keys


def report_note_spellings(station: ChargingStationUnderTest, entries: list[dict[str, Any]]) -> None:
    """Say which spelling the station uses for each variable the documents spell two ways."""
    for entry in entries:
        component, variable = str(entry.get("component", {}).get("name", "")), str(entry.get("variable", {}).get(
            "name", ""))
        if len(spellings(component, variable)) > 1:
            station.note(f"the station reports {component}.{variable} ({'; '.join(sources_of(component, variable))})",
                         variable_spelling={"component": component, "used": variable})


def report_check_required(station: ChargingStationUnderTest, entries: list[dict[str, Any]],
                          requirements: tuple[str, ...], *, writable_only: bool = False, what: str | None = None
                          ) -> None:
    reported = {report_entry_key(e) for e in entries}
    missing = [name for key, name in report_required_keys(station, entries, writable_only=writable_only).items()
               if key not in reported]
    report_note_spellings(station, entries)
    station.check.that(what or "the report contains every required component/variable (Part 2 Referenced Components "
                       "and Variables with errata 2025-09 §2.57 / §2.66; charging infrastructure for every configured "
                       "EVSE and connector; either spelling where the documents spell a name two ways)", not missing,
                       expected="all required variables reported", actual=f"missing: {missing}",
                       requirements=requirements)


def report_check_availability_entry(station: ChargingStationUnderTest, entry: dict[str, Any], what: str,
                                    requirements: tuple[str, ...]) -> None:
    """An AvailabilityState entry as Part 6 describes it: OptionList with the five states, Actual, ReadOnly."""
    characteristics = entry.get("variableCharacteristics", {})
    values = {v.strip() for v in str(characteristics.get("valuesList", "")).split(",") if v.strip()}
    station.check.fields(what, entry, {"variableCharacteristics.dataType": "OptionList"}, requirements=requirements)
    station.check.that(f"{what} valuesList lists the five AvailabilityState values", values ==
                       REPORT_AVAILABILITY_STATES, expected=sorted(REPORT_AVAILABILITY_STATES),
                       actual=characteristics.get("valuesList"), requirements=requirements)
    attributes = entry.get("variableAttribute", [])
    station.check.that(f"{what} has an Actual attribute, ReadOnly", any(
        a.get("type", "Actual") == "Actual" and a.get("mutability", "ReadWrite") == "ReadOnly" for a in attributes),
        expected="variableAttribute type Actual, mutability ReadOnly", actual=attributes, requirements=requirements)


def report_component_key(entry: dict[str, Any]) -> tuple:
    component = entry.get("component", {})
    evse = component.get("evse") or {}
    return (str(component.get("name", "")).casefold(), str(component.get("instance") or "").casefold(),
            evse.get("id"), evse.get("connectorId"))


def report_check_evse1_availability(station: ChargingStationUnderTest, entries: list[dict[str, Any]],
                                    requirements: tuple[str, ...]) -> None:
    station.check.that("the report has an entry", bool(entries), expected="EVSE 1 AvailabilityState",
                       actual="no reportData", requirements=requirements)
    for entry in entries:
        station.check.fields(f"reportData {entry_name(entry)}", entry, {
            "component.name": "EVSE", "component.evse.id": 1, "component.evse.connectorId": ABSENT,
            "variable.name": "AvailabilityState"}, requirements=requirements)
        report_check_availability_entry(station, entry, f"reportData {entry_name(entry)}", requirements)


def report_value_allowed(entry: dict[str, Any], value: str) -> bool:
    characteristics = entry.get("variableCharacteristics", {})
    allowed = {v.strip() for v in str(characteristics.get("valuesList", "")).split(",")}
    if characteristics.get("dataType") == "OptionList":
        return value in allowed
    return value == "" or all(member.strip() in allowed for member in value.split(","))


def reset_configured_connector(station: ChargingStationUnderTest) -> tuple[int, int]:
    """<Configured evseId> and <Configured connectorId>: the first configured connector."""
    return station.connectors[0]


@dataclass
class ResetWatch:
    """What a reset case asked and saw, for its restore: ``before`` is the station's connection count before
    the ResetRequest, ``answer`` the ResetResponse status, ``rebooted`` whether the case saw the reboot."""

    transactions: list[states.Transaction] = field(default_factory=list)
    before: int = 0
    station_scope: bool = False
    answer: str | None = None
    rebooted: bool = False


async def reset_request(station: ChargingStationUnderTest, watch: ResetWatch, payload: dict[str, Any]) -> Response:
    """Send ResetRequest ``payload``, noting what the restore needs to know."""
    watch.before = station.connection_count()
    watch.station_scope = "evseId" not in payload
    response = await station.call("Reset", payload)
    watch.answer = response.payload.get("status") if response.ok else None
    return response


async def reset_wait_reports(station: ChargingStationUnderTest, conn: Connection,
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
async def reset_settled(station: ChargingStationUnderTest,
                        transactions: list[states.Transaction] | None = None) -> AsyncIterator[ResetWatch]:
    """General precondition after a reset case that ended before the station's reboot was seen (it failed): a
    reset of the station answered Accepted, or Scheduled during transactions, is let happen (for Scheduled, the
    EVs are unplugged first, which ends the transactions), and the reboot and its connector reports are
    awaited, so that the next case (and the restores entered before this one) do not meet a rebooting
    station. The station's transactions are then taken as gone (only their EVs are left to unplug). Nothing is
    judged; a failed restore is noted."""
    watch = ResetWatch(transactions if transactions is not None else [])
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
                await reset_wait_reports(station, conn)
                for tx in watch.transactions:
                    tx.ended = tx.stop_authorized = True
                station.note("restored: the station has rebooted after the reset")
            except Exception as exc:  # action failures, timeouts, disconnects: never the case's outcome
                station.note(f"the station's reboot after the reset was not seen: {exc}")


def reset_answer(station: ChargingStationUnderTest, response: Response, status: object,
                 requirements: tuple[str, ...]) -> None:
    """The ResetResponse is a CALLRESULT (B11.FR.01) with the expected status."""
    station.check.that("the station answers ResetRequest with a ResetResponse (CALLRESULT)", response.ok,
                       expected="CALLRESULT", actual=response.describe(), requirements=("B11.FR.01",))
    station.check.fields("ResetResponse", response.payload, {"status": status}, requirements=requirements)


async def reset_rebooted(station: ChargingStationUnderTest, watch: ResetWatch, *,
                         reason: object = OneOf(*states.BOOT_REASONS),
                         reason_requirements: tuple[str, ...] = ("B01.FR.09",),
                         statuses: dict[tuple[int, int], Any] | None = None,
                         status_requirements: tuple[str, ...] = ("B11.FR.04", "B01.FR.05"),
                         security_event: bool = False) -> tuple[Connection, IncomingCall]:
    """After an accepted reset of the station: it reboots (a new connection, B11.FR.03 / B01.FR.03), sends
    BootNotificationRequest first (B01.FR.08) with ``reason``, and reports every connector (Available unless
    ``statuses`` says otherwise)."""
    try:
        conn = await station.wait_for_connection(after=watch.before)
    except PeerTimeout as exc:
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
    await boot_answer_sent(station, boot)
    await states.expect_connector_reports(station, conn, requirements=status_requirements, statuses=statuses,
                                          after=boot)
    if security_event:
        await states.expect_startup_security_event(station, conn)
    return conn, boot


RESERVATION_LIFETIME = timedelta(hours=1)


@contextlib.asynccontextmanager
async def reset_reservations_cancelled(station: ChargingStationUnderTest) -> AsyncIterator[list[tuple[int, int]]]:
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
                await reset_wait_reports(station, conn, states.scope_connectors(station, evse), since=mark)
                station.note(f"restored: reservation {reservation_id} cancelled")
            except (CheckFailed, PeerError, Inconclusive) as exc:
                station.note(f"could not cancel reservation {reservation_id}: {exc}")


async def reset_reserved(station: ChargingStationUnderTest, evse: int, reservations: list[tuple[int, int]]) -> int:
    """Memory state "Reserved": ReserveNowRequest for ``evse`` with the configured valid idToken, Accepted, and
    every connector of the EVSE reported Reserved (H01.FR.23). Not reached: INCONCLUSIVE."""
    conn = station.connection
    mark = conn.mark()
    reservation_id = station.ctx.ids.next("reservationId")
    expiry = (datetime.now(UTC) + RESERVATION_LIFETIME).isoformat(timespec="seconds").replace("+00:00", "Z")
    response = await station.call("ReserveNow", {"id": reservation_id, "expiryDateTime": expiry, "evseId": evse,
                                                 "idToken": station.config.id_tokens.valid.to_ocpp()})
    status = response.payload.get("status") if response.ok else response.describe()
    if status != "Accepted":
        raise Inconclusive(f"memory state Reserved not reached: ReserveNow for EVSE {evse} answered {status}")
    reservations.append((reservation_id, evse))
    reserved = {k: "Reserved" for k in states.scope_connectors(station, evse)}
    await states.expect_availability_reports(station, conn, reserved,
                                             requirements=("H01.FR.23",), since=mark,
                                             what="every connector of the reserved EVSE is reported Reserved")
    return reservation_id


# --------------------------------------------------------------------------- with ongoing transactions (B12)
async def reset_stopped_normally(station: ChargingStationUnderTest, tx: states.Transaction, *,
                                 disconnect: bool = False) -> None:
    """Part 6 steps StopAuthorized, EVConnectedPostSession, EVDisconnected and ParkingBayUnoccupied after a reset
    answered Scheduled: the transaction is ended normally (E06). EVDisconnected and ParkingBayUnoccupied are
    executed only while the transaction runs (the station resets as soon as it has ended), unless
    ``disconnect`` (Part 6 runs every step for an EVSE whose end does not yet reset the station)."""
    await states.stop_authorized(station, tx)
    await states.ev_connected_post_session(station, tx)
    if disconnect or not tx.ended:
        await states.ev_disconnected(station, tx)
    if disconnect or not tx.ended:
        await states.parking_bay_unoccupied(station, tx)
    station.check.that(f"the transaction on EVSE {tx.evse} has ended normally", tx.ended,
                       expected="TransactionEventRequest eventType Ended", actual=[e.payload.get("eventType")
                                                                                for e in tx.events],
                       requirements=("B12.FR.03", "B12.FR.07"))


async def reset_ended_immediately(station: ChargingStationUnderTest, conn: Connection, tx: states.Transaction,
                                  requirements: tuple[str, ...], *, part6_case: str,
                                  token_absent: bool = False) -> IncomingCall:
    """After an accepted Immediate reset: the station ends the transaction with a TransactionEventRequest Ended,
    triggerReason ResetCommand and stoppedReason ImmediateReset (``requirements``: B12.FR.04 / B12.FR.08 with errata
    2.16), chargingState EVConnected (Part 6's expectation) and, when ``token_absent`` (only Part 6 TC_B_22 asks it),
    no idToken, before it resets (on the connection the transaction ran on)."""
    try:
        ended = await conn.expect_call("TransactionEvent", since=tx.since, requirements=requirements,
                                       **tx.pattern(), eventType="Ended")
    except PeerTimeout as exc:
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
        "transactionInfo.stoppedReason": "ImmediateReset",
    }, requirements=requirements)
    expected: dict[str, Any] = {"transactionInfo.chargingState": "EVConnected"}
    if token_absent:
        expected["idToken"] = ABSENT
    station.check.fields(f"TransactionEventRequest that ends the transaction on the Immediate reset (Part 6 "
                         f"{part6_case} step 3: {', '.join(expected)})", ended.payload, expected,
                         requirements=requirements)
    return ended


def reset_after_transactions(station: ChargingStationUnderTest,
                             transactions: list[states.Transaction]) -> dict[tuple[int, int], str]:
    """The connector statuses after the reboot: Occupied where the EV is still plugged in, else Available."""
    plugged = {(tx.evse, tx.connector) for tx in transactions if tx.plugged}
    return {k: "Occupied" if k in plugged else "Available" for k in station.connectors}
