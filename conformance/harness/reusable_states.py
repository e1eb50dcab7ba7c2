"""Part 6 reusable states (§2.18 for Charging Stations, §3.18 for CSMSs), implemented once.

Each state is an async helper that drives the SUT into the state and checks the tool
validations Part 6 lists for it. A case calls them in its "before" or "main" stage.
"""

from __future__ import annotations

import contextlib
import uuid
from dataclasses import dataclass
from typing import Any, AsyncIterator

from ..transport.connection import Connection, IncomingCall, Response
from ..outcomes import CheckFailed, Inconclusive
from .checks import ABSENT, OneOf, Satisfies
from ..protocol.frames import utc_now
from .sides import ChargingStationUnderTest, CsmsUnderTest

BOOT_REASONS = ("ApplicationReset", "FirmwareUpdate", "LocalReset", "PowerUp", "RemoteReset", "ScheduledReset",
                "Triggered", "Unknown", "Watchdog")


@dataclass
class StationBoot:
    connection: Connection
    boot: IncomingCall
    connector_reports: dict[tuple[int, int], IncomingCall]
    security_event: IncomingCall | None


def _availability_events(incoming: IncomingCall) -> list[dict]:
    """The AvailabilityState events of a NotifyEvent (any component)."""
    return [e for e in incoming.payload.get("eventData", [])
            if e.get("variable", {}).get("name") == "AvailabilityState"]


AVAILABILITY_REPORTS = [("StatusNotification", {}),
                        ("NotifyEvent", {"eventData": Satisfies(
                            lambda data: any(e.get("variable", {}).get("name") == "AvailabilityState" for e in data),
                            "an AvailabilityState event")})]


async def expect_availability_reports(sut: ChargingStationUnderTest, conn: Connection,
                                      expected: dict[tuple[int, int], str], *, requirements: tuple[str, ...],
                                      what: str = "a connector status report arrives for every connector",
                                      since: int | None = None) -> dict[tuple[int, int], IncomingCall]:
    """Each connector of ``expected`` ((evse, connector) -> ConnectorStatus) is reported with its status, by
    StatusNotification or by NotifyEvent AvailabilityState of component Connector (Part 6 accepts
    either), in any order. NotifyEvent AvailabilityState events of an EVSE or the ChargingStation (optional
    in Part 6) are checked (trigger Delta, a status one of its connectors is expected to have) but report no
    connector. Reports of connectors outside ``expected`` must name a configured connector; their status
    is not judged. ``since``: a mark of ``conn`` (e.g. taken before the request that causes the reports);
    by default the start of the case."""
    since = sut.since(conn) if since is None else since
    topology = set(sut.connectors)
    reports: dict[tuple[int, int], IncomingCall] = {}
    while not expected.keys() <= reports.keys():
        missing = sorted(expected.keys() - reports.keys())
        try:
            incoming = await conn.expect_one_of(AVAILABILITY_REPORTS, since=since, requirements=requirements)
        except Exception as exc:
            sut.check.that(f"{what} (missing: {missing})", False,
                           expected=[f"EVSE {e} connector {c}: {expected[(e, c)]}" for e, c in missing],
                           actual=str(getattr(exc, "actual", exc)), requirements=requirements)
            raise
        if incoming.action == "StatusNotification":
            key = (incoming.payload["evseId"], incoming.payload["connectorId"])
            sut.check.fields("StatusNotificationRequest", incoming.payload, {
                "evseId": Satisfies(lambda v: v != 0, "not 0"),
                "connectorId": Satisfies(lambda v: v != 0, "not 0")}, requirements=requirements)
            found = [(key, incoming.payload["connectorStatus"], "StatusNotificationRequest connectorStatus")]
        else:
            found = []
            for event in _availability_events(incoming):
                component = event.get("component", {})
                evse = component.get("evse", {})
                sut.check.fields("NotifyEventRequest AvailabilityState event", event, {"trigger": "Delta"},
                                 requirements=requirements)
                if component.get("name") == "Connector":
                    found.append(((evse.get("id", 0), evse.get("connectorId", 0)), event.get("actualValue"),
                                  "NotifyEventRequest AvailabilityState actualValue (Connector)"))
                    continue
                covered = {s for (e, _), s in expected.items() if component.get("name") == "ChargingStation"
                           or e == evse.get("id")}
                if covered:
                    sut.check.equal(f"NotifyEventRequest AvailabilityState actualValue ({component.get('name')})",
                                    event.get("actualValue"), OneOf(*sorted(covered)), requirements=requirements)
        for key, status, field in found:
            sut.check.that(f"the reported connector EVSE {key[0]} connector {key[1]} exists in the configured "
                           f"topology", key in topology, expected=sorted(topology), actual=key,
                           requirements=requirements)
            if key in expected:
                sut.check.equal(f"{field} of EVSE {key[0]} connector {key[1]}", status, expected[key],
                                requirements=requirements)
                reports[key] = incoming
    return reports


async def expect_connector_reports(sut: ChargingStationUnderTest, conn: Connection, *,
                                   requirements: tuple[str, ...],
                                   statuses: dict[tuple[int, int], str] | None = None
                                   ) -> dict[tuple[int, int], IncomingCall]:
    """Every configured connector is reported, Available unless ``statuses`` says otherwise, by
    StatusNotification or by NotifyEvent(AvailabilityState) (Part 6 accepts either), in any order."""
    expected = {k: (statuses or {}).get(k, "Available") for k in sut.connectors}
    return await expect_availability_reports(sut, conn, expected, requirements=requirements)


async def booted(sut: ChargingStationUnderTest, *, via: str = "power_cycle", security_event: bool = True,
                 statuses: dict[tuple[int, int], str] | None = None,
                 status_requirements: tuple[str, ...] = ("B01.FR.05",)) -> StationBoot:
    """Reusable state Booted (Charging Station): power cycle (``via="reboot"``: the station's own reboot;
    ``"reset"``: Reset Immediate), boot accepted, every connector reported (Available unless ``statuses``
    says otherwise, e.g. Unavailable that persisted, checked against ``status_requirements``), security
    event StartupOfTheDevice / ResetOrReboot."""
    before = sut.connection_count()
    if via == "reset":
        response = await sut.call("Reset", {"type": "Immediate"})
        sut.check.fields("ResetResponse", response.payload, {"status": "Accepted"}, requirements=("B11.FR.01",))
    else:
        await sut.actions.do(via)
    conn = await sut.wait_for_connection(after=before)
    boot = await sut.expect_call("BootNotification", connection=conn, requirements=("B01.FR.01",))
    first = conn.mailbox[sut.since(conn)] if len(conn.mailbox) > sut.since(conn) else None
    sut.check.that("BootNotificationRequest is the first CALL after start-up", first is boot,
                   expected="BootNotification", actual=first.action if first else None, requirements=("B01.FR.08",))
    sut.check.fields("BootNotificationRequest", boot.payload, {"reason": OneOf(*BOOT_REASONS)},
                     requirements=("B01.FR.09",))
    reports = await expect_connector_reports(sut, conn, requirements=status_requirements, statuses=statuses)
    event = None
    if security_event:
        event = await sut.expect_call("SecurityEventNotification", connection=conn)
        sut.check.fields("SecurityEventNotificationRequest", event.payload,
                         {"type": OneOf("StartupOfTheDevice", "ResetOrReboot")})
    return StationBoot(conn, boot, reports, event)


TX_START_POINT = {"component": {"name": "TxCtrlr"}, "variable": {"name": "TxStartPoint"}}


async def tx_start_points(sut: ChargingStationUnderTest) -> list[str]:
    """The station's TxCtrlr.TxStartPoint (a required variable, Part 2 §2.6.4); [] when it cannot be read."""
    response = await sut.call("GetVariables", {"getVariableData": [TX_START_POINT]})
    result = response.payload.get("getVariableResult", [{}])[0] if response.ok else {}
    if result.get("attributeStatus") != "Accepted":
        sut.note(f"TxCtrlr.TxStartPoint could not be read: {result or response.describe()}")
        return []
    return [p.strip() for p in result.get("attributeValue", "").split(",") if p.strip()]


@dataclass
class EvConnected:
    report: IncomingCall
    transaction: IncomingCall | None  # the TransactionEventRequest, when TxStartPoint made one


async def ev_connected_pre_session(sut: ChargingStationUnderTest, evse: int, connector: int, *,
                                   requirements: tuple[str, ...] = ("G01.FR.03",)) -> EvConnected:
    """Reusable state EVConnectedPreSession (Charging Station, Part 6 §2.18), from an idle connector: the
    EV is plugged in (action ``plug_in``), the connector is reported Occupied (StatusNotification or
    NotifyEvent AvailabilityState) and, when TxStartPoint contains EVConnected, a TransactionEventRequest
    Started for that connector (triggerReason CablePluggedIn, ChargingStateChanged or RemoteStart;
    chargingState EVConnected, SuspendedEVSE or Charging). ParkingBayOccupied, optional in Part 6, is skipped."""
    points = await tx_start_points(sut)
    conn = sut.connection
    mark = conn.mark()
    await sut.actions.do("plug_in", evse=evse, connector=connector)
    reports = await expect_availability_reports(sut, conn, {(evse, connector): "Occupied"}, requirements=requirements,
                                                what="the plugged-in connector is reported Occupied", since=mark)
    transaction = None
    if "EVConnected" in points:
        transaction = await conn.expect_call("TransactionEvent", since=mark)
        sut.check.fields("TransactionEventRequest", transaction.payload, {
            "eventType": "Started",
            "triggerReason": OneOf("CablePluggedIn", "ChargingStateChanged", "RemoteStart"),
            "transactionInfo.chargingState": OneOf("EVConnected", "SuspendedEVSE", "Charging"),
            "evse.id": evse, "evse.connectorId": OneOf(connector, ABSENT)})
    return EvConnected(reports[(evse, connector)], transaction)


@contextlib.asynccontextmanager
async def ev_unplugged_afterwards(sut: ChargingStationUnderTest, evse: int, connector: int,
                                  ) -> AsyncIterator[AvailabilityRestore]:
    """General precondition after a case that plugs an EV in: while ``pending`` holds (evse, connector) at
    the end (the case clears it once it unplugged itself), the EV is unplugged (action ``unplug``) and the
    connector's next report awaited, even when the case failed. A failed restore is noted."""
    restore = AvailabilityRestore([])
    try:
        yield restore
    finally:
        if restore.pending:
            try:
                conn = sut.connection
                mark = conn.mark()
                await sut.actions.do("unplug", evse=evse, connector=connector)
                await conn.expect_one_of(
                    [("StatusNotification", {"evseId": evse, "connectorId": connector}),
                     ("NotifyEvent", {"eventData": Satisfies(
                         lambda data: any(e.get("variable", {}).get("name") == "AvailabilityState"
                                          and e.get("component", {}).get("evse", {}) ==
                                          {"id": evse, "connectorId": connector} for e in data),
                         f"AvailabilityState of EVSE {evse} connector {connector}")})], since=mark)
                sut.note(f"restored: EV unplugged from EVSE {evse} connector {connector}")
            except Exception as exc:  # action failures, timeouts, disconnects: never the case's outcome
                sut.note(f"could not unplug the EV from EVSE {evse} connector {connector}: {exc}")


def availability_scope(evse: int | None = None, connector: int | None = None) -> dict:
    """The ChangeAvailabilityRequest fields that name a scope: nothing (the station), an EVSE, a connector."""
    if evse is None:
        return {}
    return {"evse": {"id": evse} if connector is None else {"id": evse, "connectorId": connector}}


def scope_connectors(sut: ChargingStationUnderTest | CsmsUnderTest, evse: int | None = None,
                     connector: int | None = None) -> list[tuple[int, int]]:
    """The configured connectors a ChangeAvailability scope covers."""
    return [(e, c) for e, c in sut.connectors if evse is None or (e == evse and connector in (None, c))]


async def change_availability(sut: ChargingStationUnderTest, operational: str, *, evse: int | None = None,
                              connector: int | None = None, status: object = "Accepted",
                              requirements: tuple[str, ...]) -> Response:
    """Send ChangeAvailabilityRequest for the scope and check the answer's status (``status`` may be a OneOf)."""
    response = await sut.call("ChangeAvailability", {"operationalStatus": operational,
                                                     **availability_scope(evse, connector)})
    sut.check.that("the station answers ChangeAvailabilityRequest with a CALLRESULT", response.ok,
                   expected="CALLRESULT", actual=response.describe(), requirements=requirements)
    sut.check.fields("ChangeAvailabilityResponse", response.payload, {"status": status}, requirements=requirements)
    return response


async def unavailable(sut: ChargingStationUnderTest, *, evse: int | None = None, connector: int | None = None,
                      requirements: tuple[str, ...],
                      report_requirements: tuple[str, ...]) -> dict[tuple[int, int], IncomingCall]:
    """Reusable state Unavailable (Charging Station, Part 6 §2.18): ChangeAvailability Inoperative for the
    station / an EVSE / a connector is Accepted, and every connector of that scope is reported
    Unavailable (StatusNotification or NotifyEvent AvailabilityState)."""
    conn = sut.connection
    mark = conn.mark()
    await change_availability(sut, "Inoperative", evse=evse, connector=connector, requirements=requirements)
    return await expect_availability_reports(
        sut, conn, {k: "Unavailable" for k in scope_connectors(sut, evse, connector)},
        requirements=report_requirements, what="every connector of the scope is reported Unavailable", since=mark)


@dataclass
class AvailabilityRestore:
    """What :func:`availability_restored` sets back: ``pending`` scopes, as (evse, connector) pairs."""

    pending: list[tuple[int | None, int | None]]


@contextlib.asynccontextmanager
async def availability_restored(sut: ChargingStationUnderTest) -> AsyncIterator[AvailabilityRestore]:
    """General precondition after an availability case: whatever scope the case made Inoperative (it
    adds ``(evse, connector)`` to ``pending`` before it asks, ``(None, None)`` for the station) is made
    Operative again afterwards, even when the case failed, and the resulting reports are awaited so they
    do not leak into the next case. A failed restore is noted, never the case's outcome."""
    restore = AvailabilityRestore([])
    try:
        yield restore
    finally:
        for evse, connector in reversed(restore.pending):
            try:
                conn = sut.connection
                mark = conn.mark()
                response = await sut.call("ChangeAvailability", {"operationalStatus": "Operative",
                                                                 **availability_scope(evse, connector)})
                if not response.ok or response.payload.get("status") != "Accepted":
                    sut.note(f"could not make {availability_scope(evse, connector) or 'the station'} Operative "
                             f"again: {response.payload if response.ok else response.describe()}")
                    continue
                for key in scope_connectors(sut, evse, connector):
                    await conn.expect_one_of(
                        [("StatusNotification", {"evseId": key[0], "connectorId": key[1]}),
                         ("NotifyEvent", {"eventData": Satisfies(
                             lambda data, key=key: any(e.get("variable", {}).get("name") == "AvailabilityState"
                                                       and e.get("component", {}).get("evse", {}) ==
                                                       {"id": key[0], "connectorId": key[1]} for e in data),
                             f"AvailabilityState of EVSE {key[0]} connector {key[1]}")})],
                        since=mark)
                sut.note(f"restored: {availability_scope(evse, connector) or 'the station'} Operative")
            except (CheckFailed, Inconclusive) as exc:
                sut.note(f"could not restore availability of {availability_scope(evse, connector) or 'the station'}: "
                         f"{exc}")


@dataclass
class CsmsBoot:
    connection: Connection
    boot: Response
    statuses: list[Response]


async def booted_csms(csms: CsmsUnderTest) -> CsmsBoot:
    """Reusable state Booted (CSMS): the harness station connects, boots with reason PowerUp,
    must be Accepted, and reports every connector Available."""
    conn = await csms.connect()
    station = csms.station
    response = await csms.call("BootNotification", {
        "reason": "PowerUp", "chargingStation": {"model": station.model, "vendorName": station.vendor_name}})
    csms.check.fields("BootNotificationResponse", response.payload, {"status": "Accepted"},
                      requirements=("B01.FR.02",))
    statuses = []
    for evse, connector in csms.connectors:
        status = await csms.call("StatusNotification", {"timestamp": utc_now(), "connectorStatus": "Available",
                                                        "evseId": evse, "connectorId": connector})
        csms.check.that(f"the CSMS accepts the StatusNotification of EVSE {evse} connector {connector}", status.ok,
                        expected="CALLRESULT", actual=status.describe(), requirements=("FR.02",))
        statuses.append(status)
    return CsmsBoot(conn, response, statuses)


async def report_availability_csms(csms: CsmsUnderTest, connectors: list[tuple[int, int]], status: str) -> None:
    """The harness station reports each connector's status by StatusNotification; the CSMS must answer
    each with a CALLRESULT."""
    for evse, connector in connectors:
        response = await csms.call("StatusNotification", {"timestamp": utc_now(), "connectorStatus": status,
                                                          "evseId": evse, "connectorId": connector})
        csms.check.that(f"the CSMS accepts the StatusNotification {status} of EVSE {evse} connector {connector}",
                        response.ok, expected="CALLRESULT", actual=response.describe(), requirements=("FR.02",))


async def csms_changes_availability(csms: CsmsUnderTest, operational: str, *, evse: int | None = None,
                                    connector: int | None = None) -> IncomingCall:
    """On request (action ``csms_send``), the CSMS sends ChangeAvailabilityRequest for the station, an EVSE
    or a connector; the tool validations of Part 6 (operationalStatus, evse.id, evse.connectorId, or no
    evse for the whole station) are checked and the harness station answers Accepted."""
    await csms.actions.do("csms_send", station=csms.identity, request="ChangeAvailability",
                          payload={"operationalStatus": operational, **availability_scope(evse, connector)})
    request = await csms.expect_call("ChangeAvailability")
    scope = "G04" if evse is None else "G03"
    csms.check.fields("ChangeAvailabilityRequest", request.payload, {"operationalStatus": operational},
                      requirements=(scope,))
    if evse is None:
        csms.check.fields("ChangeAvailabilityRequest", request.payload, {"evse": ABSENT},
                          requirements=("G04.FR.01",))
    else:
        csms.check.fields("ChangeAvailabilityRequest", request.payload, {
            "evse.id": evse, "evse.connectorId": ABSENT if connector is None else connector}, requirements=(scope,))
    return request


async def unavailable_csms(csms: CsmsUnderTest, *, evse: int | None = None,
                           connector: int | None = None) -> IncomingCall:
    """Reusable state Unavailable (CSMS, Part 6 §3.18): the CSMS sends ChangeAvailability Inoperative for the
    scope, the harness answers Accepted and reports every connector of the scope Unavailable."""
    request = await csms_changes_availability(csms, "Inoperative", evse=evse, connector=connector)
    await report_availability_csms(csms, scope_connectors(csms, evse, connector), "Unavailable")
    return request


@contextlib.asynccontextmanager
async def csms_availability_restored(csms: CsmsUnderTest) -> AsyncIterator[AvailabilityRestore]:
    """General precondition after an availability case of a CSMS: each scope in ``pending`` is made Operative
    again through the CSMS (``csms_send``), answered Accepted and reported Available, even when the case
    failed. A failed restore is noted, never the case's outcome."""
    restore = AvailabilityRestore([])
    try:
        yield restore
    finally:
        for evse, connector in reversed(restore.pending):
            try:
                await csms.actions.do("csms_send", station=csms.identity, request="ChangeAvailability",
                                      payload={"operationalStatus": "Operative",
                                               **availability_scope(evse, connector)})
                await csms.expect_call("ChangeAvailability")
                await report_availability_csms(csms, scope_connectors(csms, evse, connector), "Available")
                csms.note(f"restored: {availability_scope(evse, connector) or 'the station'} Operative")
            except Exception as exc:  # action failures, timeouts, disconnects: never the case's outcome
                csms.note(f"could not restore availability of {availability_scope(evse, connector) or 'the station'}"
                          f": {exc}")


@dataclass
class CsmsTransaction:
    """A transaction the harness station runs against the CSMS under test (Part 6 §3.18 states)."""

    transaction_id: str
    evse: int
    connector: int
    seq_no: int = 0
    ended: bool = False


async def _transaction_event(csms: CsmsUnderTest, tx: CsmsTransaction, event_type: str, trigger: str,
                             charging_state: str, **extra: Any) -> Response:
    payload: dict[str, Any] = {"eventType": event_type, "timestamp": utc_now(), "triggerReason": trigger,
                               "seqNo": tx.seq_no, "transactionInfo": {"transactionId": tx.transaction_id,
                                                                       "chargingState": charging_state}}
    if tx.seq_no == 0:
        payload["evse"] = {"id": tx.evse, "connectorId": tx.connector}
    payload["transactionInfo"].update(extra.pop("info", {}))
    payload.update(extra)
    tx.seq_no += 1
    response = await csms.call("TransactionEvent", payload)
    csms.check.that(f"the CSMS answers TransactionEventRequest ({event_type}, {trigger}) with a CALLRESULT",
                    response.ok, expected="CALLRESULT", actual=response.describe(), requirements=("FR.02",))
    if event_type == "Ended":
        tx.ended = True
    return response


async def energy_transfer_started_csms(csms: CsmsUnderTest, evse: int, connector: int) -> CsmsTransaction:
    """Reusable states Authorized + EnergyTransferStarted (CSMS, Part 6 §3.18): the harness station authorizes
    the configured valid idToken (AuthorizeResponse and TransactionEventResponse must say Accepted), starts a
    transaction, reports the connector Occupied, the cable plugged in and the energy transfer Charging."""
    token = csms.config.id_tokens.valid.to_ocpp()
    authorize = await csms.call("Authorize", {"idToken": token})
    csms.check.fields("AuthorizeResponse", authorize.payload if authorize.ok else {}, {
        "idTokenInfo.status": "Accepted"})
    tx = CsmsTransaction(f"G-{uuid.uuid4().hex[:12]}", evse, connector)
    started = await _transaction_event(csms, tx, "Started", "Authorized", "Idle", idToken=token)
    csms.check.fields("TransactionEventResponse", started.payload, {"idTokenInfo.status": "Accepted"})
    await report_availability_csms(csms, [(evse, connector)], "Occupied")
    await _transaction_event(csms, tx, "Updated", "CablePluggedIn", "EVConnected",
                             evse={"id": evse, "connectorId": connector})
    await _transaction_event(csms, tx, "Updated", "ChargingStateChanged", "Charging")
    return tx


async def transaction_ends_csms(csms: CsmsUnderTest, tx: CsmsTransaction, *, status_after: str = "Available") -> None:
    """Reusable states StopAuthorized, EVConnectedPostSession and EVDisconnected (CSMS, Part 6 §3.18): the
    stop is authorized (TransactionEventResponse idTokenInfo Accepted), the energy transfer stops, the EV is
    unplugged: the connector is reported ``status_after`` (Available, or Unavailable when a change of
    availability was scheduled, G01.FR.05) and the transaction Ended with stoppedReason EVDisconnected."""
    token = csms.config.id_tokens.valid.to_ocpp()
    stop = await _transaction_event(csms, tx, "Updated", "StopAuthorized", "Charging", idToken=token)
    csms.check.fields("TransactionEventResponse", stop.payload, {"idTokenInfo.status": "Accepted"})
    await _transaction_event(csms, tx, "Updated", "ChargingStateChanged", "EVConnected")
    await report_availability_csms(csms, [(tx.evse, tx.connector)], status_after)
    await _transaction_event(csms, tx, "Ended", "EVCommunicationLost", "Idle", info={"stoppedReason": "EVDisconnected"})


@contextlib.asynccontextmanager
async def csms_transaction_closed(csms: CsmsUnderTest) -> AsyncIterator[list[CsmsTransaction]]:
    """General precondition after a CSMS case with a transaction: every transaction the case put in the
    yielded list and did not end is ended (EV unplugged, connector Available), even when the case failed."""
    transactions: list[CsmsTransaction] = []
    try:
        yield transactions
    finally:
        for tx in transactions:
            if tx.ended:
                continue
            try:
                await report_availability_csms(csms, [(tx.evse, tx.connector)], "Available")
                await _transaction_event(csms, tx, "Ended", "EVCommunicationLost", "Idle",
                                         info={"stoppedReason": "EVDisconnected"})
            except Exception as exc:  # timeouts, disconnects: never the case's outcome
                csms.note(f"could not end transaction {tx.transaction_id}: {exc}")


__all__ = ["booted", "booted_csms", "StationBoot", "CsmsBoot", "expect_connector_reports",
           "expect_availability_reports", "availability_scope", "scope_connectors", "change_availability",
           "unavailable", "availability_restored", "AvailabilityRestore", "report_availability_csms",
           "csms_changes_availability", "unavailable_csms", "csms_availability_restored", "tx_start_points",
           "EvConnected", "ev_connected_pre_session", "ev_unplugged_afterwards", "CsmsTransaction",
           "energy_transfer_started_csms", "transaction_ends_csms", "csms_transaction_closed"]


# --------------------------------------------------------------------------- station-side transactions (Part 6 §2)


# --------------------------------------------------------------------------- boot states (B02/B03)


# --------------------------------------------------------------------------- reports (B07/B08)
