"""Part 6 reusable states of a Charging Station under test (§2.18), the harness being its CSMS.

Each state is an async helper that drives the station into the state and checks the tool validations Part 6
lists for it; :mod:`.csms` has the same names for the same states of a CSMS under test.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from datetime import datetime
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any, AsyncIterator

from ...outcomes import CheckFailed, Inconclusive
from ...protocol.errors import PeerClosed, PeerError, PeerTimeout
from ...protocol import registration
from ...protocol.frames import utc_now
from ...protocol.transactions import parse_timestamp
from ...protocol.patterns import ABSENT, OneOf, Satisfies, matches
from ...protocol.variables import (OFFLINE_THRESHOLD, RETRY_BACK_OFF_RANDOM_RANGE, RETRY_BACK_OFF_WAIT_MINIMUM,
                                    AUTH_CACHE_ENABLED, AUTH_ENABLED, AUTHORIZE_REMOTE_START,
                                    DISABLE_REMOTE_AUTHORIZATION, LOCAL_AUTH_LIST_BYTES_PER_MESSAGE,
                                    LOCAL_AUTH_LIST_ENABLED, LOCAL_AUTH_LIST_ENTRIES,
                                    LOCAL_AUTH_LIST_ITEMS_PER_MESSAGE, TX_START_POINT, TX_STOP_POINT)
from ...transport.connection import Connection, IncomingCall, Response
from ..sides import ChargingStationUnderTest
from .common import (AvailabilityRestore, _restore_each_scope, availability_scope, scope_connectors,
                     transaction_duration)

BOOT_REASONS = ("ApplicationReset", "FirmwareUpdate", "LocalReset", "PowerUp", "RemoteReset", "ScheduledReset",
                "Triggered", "Unknown", "Watchdog")


@dataclass
class Boot:
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
                                      since: int | None = None, trigger: bool = True,
                                      ) -> dict[tuple[int, int], IncomingCall]:
    """Each connector of ``expected`` ((evse, connector) -> ConnectorStatus) is reported with its status, by
    StatusNotification or by NotifyEvent AvailabilityState of component Connector (Part 6 accepts
    either), in any order; a Connector event has trigger Delta unless ``trigger`` is False (a case whose
    validation does not ask for it, TC_G_19_CS step 4). NotifyEvent AvailabilityState events of an EVSE or the
    ChargingStation are recorded, not judged: Part 6 validates only component Connector (Booted step 5,
    TC_B_51_CS step 4, TC_G_19_CS step 4) and no document derives their value from the connectors'. Reports of
    connectors outside ``expected`` must name a configured connector; their status
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
                if component.get("name") != "Connector":
                    sut.note(f"recorded: NotifyEvent AvailabilityState {event.get('actualValue')!r} of component "
                             f"{component.get('name')} {evse or ''} (not validated by Part 6)")
                    continue
                if trigger:
                    sut.check.fields("NotifyEventRequest AvailabilityState event", event, {"trigger": "Delta"},
                                     requirements=requirements)
                found.append(((evse.get("id", 0), evse.get("connectorId", 0)), event.get("actualValue"),
                              "NotifyEventRequest AvailabilityState actualValue (Connector)"))
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
                                   statuses: dict[tuple[int, int], str] | None = None,
                                   after: IncomingCall | None = None,
                                   trigger: bool = True) -> dict[tuple[int, int], IncomingCall]:
    """Every configured connector is reported, Available unless ``statuses`` says otherwise, by
    StatusNotification or by NotifyEvent(AvailabilityState) (Part 6 accepts either), in any order. ``after``:
    only reports that follow this CALL count (the accepted BootNotificationRequest: a report sent before the
    boot was accepted is not the post-boot one, B01.FR.08 / B02.FR.02)."""
    expected = {k: (statuses or {}).get(k, "Available") for k in sut.connectors}
    return await expect_availability_reports(sut, conn, expected, requirements=requirements,
                                             since=after_call(conn, after), trigger=trigger)


def after_call(conn: Connection, call: IncomingCall | None) -> int | None:
    """The mailbox position just after ``call`` on ``conn`` (None: no such call, the caller's default)."""
    if call is None or call not in conn.mailbox:
        return None
    return conn.mailbox.index(call) + 1


async def expect_startup_security_event(sut: ChargingStationUnderTest, conn: Connection) -> IncomingCall:
    """Part 6 reusable state Booted step 7: SecurityEventNotificationRequest type StartupOfTheDevice or
    ResetOrReboot (A04.FR.01: security events are reported to the CSMS; Part 2 appendix security events)."""
    event = await sut.expect_call("SecurityEventNotification", connection=conn, requirements=("A04.FR.01",))
    sut.check.fields("SecurityEventNotificationRequest (Part 6 Booted step 7)", event.payload,
                     {"type": OneOf("StartupOfTheDevice", "ResetOrReboot")}, requirements=("A04.FR.01",))
    return event


async def booted(sut: ChargingStationUnderTest, *, via: str = "power_cycle", security_event: bool = True,
                 statuses: dict[tuple[int, int], str] | None = None,
                 status_requirements: tuple[str, ...] = ("B01.FR.05",), trigger: bool = True) -> Boot:
    """Reusable state Booted (Charging Station): power cycle (``via="reboot"``: the station's own reboot;
    ``"reset"``: Reset Immediate), boot accepted, every connector reported (Available unless ``statuses``
    says otherwise, e.g. Unavailable that persisted, checked against ``status_requirements``), security
    event StartupOfTheDevice / ResetOrReboot."""
    before = sut.connection_count()
    if via == "reset":
        response = await sut.call("Reset", {"type": "Immediate"})
        sut.check.that("the station answers ResetRequest (Immediate) with a CALLRESULT", response.ok,
                       expected="CALLRESULT", actual=response.describe(),
                       requirements=("B11.FR.01", "Part 6 §2.18 Booting step 2"))
        sut.check.fields("ResetResponse (Part 6 §2.18 Booting / Booted step 2)",
                         response.payload if response.ok else {}, {"status": "Accepted"},
                         requirements=("B11.FR.01", "B11.FR.03", "Part 6 §2.18 Booting step 2"))
    else:
        await sut.actions.do(via)
    conn = await sut.wait_for_connection(after=before)
    boot = await sut.expect_call("BootNotification", connection=conn, requirements=("B01.FR.01",))
    first = conn.mailbox[sut.since(conn)] if len(conn.mailbox) > sut.since(conn) else None
    sut.check.that("BootNotificationRequest is the first CALL after start-up", first is boot,
                   expected="BootNotification", actual=first.action if first else None, requirements=("B01.FR.08",))
    sut.check.fields("BootNotificationRequest", boot.payload, {"reason": OneOf(*BOOT_REASONS)},
                     requirements=("B01.FR.09",))
    with contextlib.suppress(TimeoutError):  # the reports that count follow the harness's (Accepted) answer
        async with asyncio.timeout(sut.message_timeout):
            await boot.answered.wait()
    reports = await expect_connector_reports(sut, conn, requirements=status_requirements, statuses=statuses,
                                             trigger=trigger,
                                             after=boot)
    event = await expect_startup_security_event(sut, conn) if security_event else None
    return Boot(conn, boot, reports, event)


async def _tx_points(sut: ChargingStationUnderTest, variable: dict) -> list[str]:
    """The members of a TxCtrlr start/stop point list; [] when it cannot be read (noted)."""
    value = await sut.read_variable(variable, note_unreadable=True)
    return [p.strip() for p in (value or "").split(",") if p.strip()]


async def tx_start_points(sut: ChargingStationUnderTest) -> list[str]:
    """The station's TxCtrlr.TxStartPoint (a required variable, Part 2 §2.6.4); [] when it cannot be read."""
    return await _tx_points(sut, TX_START_POINT)


@dataclass
class EvConnected:
    report: IncomingCall
    transaction: IncomingCall | None  # the TransactionEventRequest, when TxStartPoint made one


async def ev_connected_pre_session(sut: ChargingStationUnderTest, evse: int, connector: int, *,
                                   requirements: tuple[str, ...] = ("G01.FR.03",),
                                   require_tx: bool = True) -> EvConnected:
    """Reusable state EVConnectedPreSession (Charging Station, Part 6 §2.18), from an idle connector: the
    EV is plugged in (action ``plug_in``), the connector is reported Occupied (StatusNotification or
    NotifyEvent AvailabilityState) and, when TxStartPoint contains EVConnected, a TransactionEventRequest
    Started for that connector (triggerReason CablePluggedIn, ChargingStateChanged or RemoteStart;
    chargingState EVConnected, SuspendedEVSE or Charging; evse.id and evse.connectorId, E01.FR.16). ParkingBayOccupied, optional in Part 6, is skipped.
    ``require_tx=False`` (a plug that cannot lock, TC_G_20_CS): the Started event is not required (a station
    may start the transaction only once the cable is locked)."""
    points = await tx_start_points(sut)
    conn = sut.connection
    mark = conn.mark()
    await sut.actions.do("plug_in", evse=evse, connector=connector)
    reports = await expect_availability_reports(sut, conn, {(evse, connector): "Occupied"}, requirements=requirements,
                                                what="the plugged-in connector is reported Occupied", since=mark)
    transaction = None
    if "EVConnected" in points and require_tx:
        transaction = await conn.expect_call("TransactionEvent", since=mark)
        sut.check.fields("TransactionEventRequest", transaction.payload, {
            "eventType": "Started",
            "triggerReason": OneOf("CablePluggedIn", "ChargingStateChanged", "RemoteStart"),
            "transactionInfo.chargingState": OneOf("EVConnected", "SuspendedEVSE", "Charging"),
            "evse.id": evse},
            requirements=("E01.FR.02", "Part 6 §2.18 EVConnectedPreSession tool validation step 3"))
        sut.check.fields("the first TransactionEventRequest after the EV was connected names its EVSE and connector",
                         transaction.payload, {"evse.id": evse, "evse.connectorId": connector},
                         requirements=("E01.FR.16", "Part 6 §2.1"))
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


def availability_restored(sut: ChargingStationUnderTest,
                          ) -> contextlib.AbstractAsyncContextManager[AvailabilityRestore]:
    """General precondition after an availability case: whatever scope the case made Inoperative (it
    adds ``(evse, connector)`` to ``pending`` before it asks, ``(None, None)`` for the station) is made
    Operative again afterwards, even when the case failed, and the resulting reports are awaited so they
    do not leak into the next case. A failed restore is noted, never the case's outcome."""
    async def restore_one(evse: int | None, connector: int | None) -> None:
        try:
            conn = sut.connection
            mark = conn.mark()
            response = await sut.call("ChangeAvailability", {"operationalStatus": "Operative",
                                                             **availability_scope(evse, connector)})
            if not response.ok or response.payload.get("status") != "Accepted":
                sut.note(f"could not make {availability_scope(evse, connector) or 'the station'} Operative "
                         f"again: {response.payload if response.ok else response.describe()}")
                return
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
        except (CheckFailed, PeerError, Inconclusive) as exc:
            sut.note(f"could not restore availability of {availability_scope(evse, connector) or 'the station'}: "
                     f"{exc}")

    return _restore_each_scope(restore_one)


# --------------------------------------------------------------------------- station-side transactions (Part 6 §2)


async def tx_stop_points(sut: ChargingStationUnderTest) -> list[str]:
    """The station's TxCtrlr.TxStopPoint (a required variable, Part 2 §2.6.5); [] when it cannot be read."""
    return await _tx_points(sut, TX_STOP_POINT)


# Errata 2025-09 §6.2.117: with one of these in TxStopPoint the StopAuthorized / EVConnectedPostSession events end
# the transaction (E06.FR.03, E06.FR.06, E06.FR.07); otherwise both are Updated.
TX_STOP_ENDING = ("Authorized", "PowerPathClosed", "EnergyTransfer")
TX_STOP_REQUIREMENTS = ("errata 2025-09 §6.2.117", "E06.FR.03", "E06.FR.06", "E06.FR.07")


@dataclass
class Transaction:
    """A transaction of the Charging Station under test, as the harness CSMS follows it through the Part 6
    §2.18 reusable states. ``transaction_id`` is None until the station sent its first TransactionEventRequest
    (with TxStartPoint PowerPathClosed, say, authorizing alone starts nothing); ``events`` are the station's
    TransactionEventRequests of this transaction, in arrival order. ``start_points`` / ``stop_points`` are the
    station's TxStartPoint / TxStopPoint as read at the start. ``since``: the connection mark from which the
    transaction's messages are looked for."""

    evse: int
    connector: int
    transaction_id: str | None = None
    events: list[IncomingCall] = dc_field(default_factory=list)
    start_points: list[str] = dc_field(default_factory=list)
    stop_points: list[str] = dc_field(default_factory=list)
    since: int = 0
    connection: Connection | None = None  # the connection ``since`` belongs to (a reboot brings a new one)
    authorized: bool = False  # the valid idToken was presented to start
    plugged: bool = False  # the EV is plugged in (by these helpers)
    stop_authorized: bool = False  # the idToken was presented again to stop
    ended: bool = False  # a TransactionEventRequest eventType Ended was seen
    mark: tuple[Connection, int] | None = None  # where the last instruction of a step was given (conn, position)
    plugged_at: int | None = None  # len(events) when the EV was plugged in (P6 §2.1, E01.FR.16)
    token_at: int | None = None  # len(events) when the idToken was presented to start (P6 §2.1)
    remote_start_id: int | None = None  # the remoteStartId of the RequestStartTransaction that authorized it (F01/F02)
    remote_at: int | None = None  # len(events) at that remote start, until its next event was judged (F01.FR.19)
    ev_side_disconnected: bool = False  # the cable was pulled at the EV only (E09/E10): it may be left in the socket
    parked: bool = False  # an EV was driven into the bay (ParkingBayOccupied) and has not left it
    authorized_mono: float | None = None  # when the harness answered the AuthorizeRequest of the start (errata §2.17)
    # dlist: the configured idToken (config IdTokenSpec) presented to start and stop; None: id_tokens.valid
    token: Any = None

    @property
    def started(self) -> bool:
        return self.transaction_id is not None

    def pattern(self) -> dict[str, Any]:
        """The TransactionEventRequest pattern of this transaction: its transactionId once known, before that
        the Started event of its EVSE, or a Started event without evse: a transaction started before the EV is
        connected (ParkingBayOccupancy, Authorized) need not name its EVSE yet (E01.FR.16: evse is due in the first
        event after the EV connected; E01.FR.09/17: the EVSE may be unknown at the start)."""
        if self.transaction_id is not None:
            return {"transactionInfo": {"transactionId": self.transaction_id}}
        return {"eventType": "Started", "evse": OneOf(ABSENT, {"id": self.evse})}

    def since_on(self, sut: ChargingStationUnderTest) -> tuple[Connection, int]:
        """Where this transaction's next messages are looked for: on the connection it ran on while that is open
        or holds one of its events not yet taken (a station that reboots right after its Ended event has sent it
        there); otherwise the station's current connection from the start of the case (events queued while
        offline come on the new one)."""
        own = self.connection
        if own is not None and (own.is_open or any(
                i.action == "TransactionEvent" and not i.claimed and matches(i.payload, self.pattern())
                for i in own.mailbox[self.since:])):
            return own, self.since
        conn = sut.connection
        return conn, (self.since if conn is self.connection else sut.since(conn))

    @property
    def stop_ends(self) -> bool | None:
        """Errata 2025-09 §6.2.117: whether StopAuthorized / EVConnectedPostSession end the transaction (TxStopPoint
        contains Authorized, PowerPathClosed or EnergyTransfer); None when TxStopPoint could not be read."""
        if not self.stop_points:
            return None
        return any(p in self.stop_points for p in TX_STOP_ENDING)

    def instruction(self, conn: Connection) -> None:
        """Take the mark of a step's instruction (plug in, present the idToken, unplug, drive out): the step's
        event is looked for from here."""
        self.mark = (conn, conn.mark())

    def first_since(self, index: int) -> IncomingCall | None:
        """The first of this transaction's events recorded from ``index`` on, in the station's order (seqNo:
        Part 6 §2.1, TransactionEventRequests need not arrive in chronological order)."""
        later = self.events[index:]
        return min(later, key=lambda e: (e.payload.get("seqNo", float("inf")), later.index(e))) if later else None

    def record(self, incoming: IncomingCall) -> IncomingCall:
        """Take a TransactionEventRequest of this transaction into account. A case that waits for one of its
        events itself (e.g. the Ended event of a reset) records it here, so the restore knows it has ended."""
        self.events.append(incoming)
        if self.transaction_id is None:
            self.transaction_id = incoming.payload.get("transactionInfo", {}).get("transactionId")
        if incoming.payload.get("eventType") == "Ended":
            self.ended = True
        return incoming


def _tx_registry(sut: ChargingStationUnderTest) -> list[Transaction] | None:
    return getattr(sut, "_station_transactions", None)


# TransactionEventRequests a station sends on its own while a transaction runs: periodic meter values every
# SampledDataCtrlr.TxUpdatedInterval (J02.FR.11), clock-aligned ones (J01), and a change of chargingState (E02.FR.13).
# A step that waits for its own event records these and answers them without judging them as the step.
SIDE_TRIGGERS = ("MeterValuePeriodic", "MeterValueClock", "ChargingStateChanged")


def _record_pending(sut: ChargingStationUnderTest, tx: Transaction, conn: Connection, since: int) -> None:
    """Record (claim, note, never judge) this transaction's events that arrived on ``conn`` from ``since`` and
    that no step took, e.g. periodic updates sent while the harness waited (J02.FR.11)."""
    for incoming in conn.mailbox[since:]:
        if incoming.action == "TransactionEvent" and not incoming.claimed and matches(incoming.payload, tx.pattern()):
            incoming.claimed = True
            tx.record(incoming)
            sut.note(f"recorded TransactionEventRequest seqNo {incoming.payload.get('seqNo')} triggerReason "
                     f"{incoming.payload.get('triggerReason')} (not a step's event)")


async def _tx_step_event(sut: ChargingStationUnderTest, tx: Transaction, what: str, *, triggers: tuple[str, ...],
                         requirements: tuple[str, ...], wanted: Any = None,
                         timeout: float | None = None) -> IncomingCall:
    """The TransactionEventRequest of a step: the first of ``tx``'s events from the mark of the step's
    instruction (:meth:`Transaction.instruction`; the transaction's start when none) whose triggerReason is one of
    ``triggers`` (and that ``wanted`` accepts, if given). Events the station sends on its own meanwhile
    (:data:`SIDE_TRIGGERS`, when not the step's) are recorded, not judged; any other event is returned for the step
    to judge. Events may arrive in any order (Part 6 §2.1): one that arrived before the mark and was not taken
    counts too."""
    conn, since = tx.since_on(sut)
    if tx.mark is not None and tx.mark[0] is conn:
        since = max(since, tx.mark[1])
    while True:
        try:
            event = await conn.expect_call("TransactionEvent", since=since, timeout=timeout,
                                           requirements=requirements, **tx.pattern())
        except PeerTimeout as exc:
            sut.check.that(what, False, expected=f"TransactionEventRequest {tx.pattern()} triggerReason "
                                                 f"{' or '.join(triggers)}", actual=exc.actual,
                           requirements=requirements)
            raise
        tx.record(event)
        trigger = event.payload.get("triggerReason")
        if trigger in triggers and (wanted is None or wanted(event)):
            return event
        if trigger in SIDE_TRIGGERS and event.payload.get("eventType") != "Ended":  # an Ended one: the step judges it
            sut.note(f"{what}: recorded TransactionEventRequest seqNo {event.payload.get('seqNo')} triggerReason "
                     f"{trigger} sent meanwhile (J02.FR.11 / E02.FR.13), not judged as the step's event")
            continue
        return event


def _token_fields(sut: ChargingStationUnderTest, tx: Transaction | None = None) -> dict[str, Any]:
    token = tx.token if tx is not None and tx.token is not None else sut.config.id_tokens.valid
    return {"idToken.idToken": token.id_token, "idToken.type": token.type}


async def authorized(sut: ChargingStationUnderTest, evse: int, connector: int, *,
                     tx: Transaction | None = None, require_tx: bool = True,
                     authorize_required: bool = False, token: Any = None) -> Transaction:
    """Reusable state Authorized (Charging Station, Part 6 §2.18, way A: local authorization): the configured
    valid idToken is presented at the EVSE (action ``present_id_token``).

    AuthorizeRequest (step 1) is checked when the station sends it (idToken value and type); Part 6 lets a
    station skip it (token cached or in the local list, AuthEnabled false), which is noted. A
    TransactionEventRequest (step 3: triggerReason Authorized, the idToken) is required when TxStartPoint
    contains Authorized or the transaction already started (``tx`` from EVConnectedPreSession with
    TxStartPoint EVConnected); otherwise Part 6 does not require it here (with PowerPathClosed and the EV
    plugged in, the transaction may start now, E01.FR.05: :func:`energy_transfer_started` takes that event).
    ParkingBayOccupied (the Before of Part 6) runs first when ``tx`` is None and TxStartPoint contains
    ParkingBayOccupancy (:func:`parking_bay_occupied`), otherwise it is skipped (optional in Part 6). Returns ``tx``
    (a new :class:`Transaction` when None),
    marked authorized; inside :func:`transactions_ended_afterwards` a new one is registered for the restore.
    ``require_tx=False`` (a plug that cannot lock, TC_G_20_CS: G05's postcondition is "transaction is not
    started"): step 3 is not required; a TransactionEventRequest sent first instead of an AuthorizeRequest is
    recorded, not judged. ``authorize_required`` (a case whose configuration state rules out a local decision:
    AuthEnabled true, no Authorization Cache, LocalPreAuthorize false): step 1 may not be skipped, a missing
    AuthorizeRequest FAILs C01.FR.02. ``token``: another configured idToken (``config.id_tokens.<role>``) to present
    instead of the valid one (TC_C_31_CS); the transaction remembers it for the checks and the restore."""
    conn = sut.connection
    if tx is None:
        start_points = await tx_start_points(sut)
        if "ParkingBayOccupancy" in start_points:
            # Part 6 Authorized Before: "If State is NOT ParkingBayOccupied OR EVConnectedPreSession, then execute
            # ParkingBayOccupied" (it matters here: the EV in the bay starts the transaction, E01.FR.01)
            tx = await parking_bay_occupied(sut, evse, connector)
        else:
            tx = Transaction(evse, connector, start_points=start_points,
                             stop_points=await tx_stop_points(sut), since=conn.mark(), connection=conn)
            registry = _tx_registry(sut)
            if registry is not None:
                registry.append(tx)
    if token is not None:
        tx.token = token
    token = tx.token or sut.config.id_tokens.valid
    expects_tx = require_tx and (tx.started or "Authorized" in tx.start_points)
    mark = conn.mark()
    tx.token_at = len(tx.events)
    tx.instruction(conn)
    await sut.actions.do("present_id_token", id_token=token.id_token, type=token.type, evse=evse)
    tx.authorized = True
    since, side_events = mark, 0
    first: IncomingCall | None = None
    while first is None:
        try:
            first = await conn.expect_one_of([("Authorize", {}), ("TransactionEvent", tx.pattern())], since=since,
                                             requirements=("C01.FR.02",))
        except PeerTimeout:
            if side_events or authorize_required:  # judged below
                break
            if expects_tx:
                raise
            sut.note("no AuthorizeRequest after the idToken was presented: Part 6 allows this when the token is "
                     "cached or in the local list, or authorization is disabled")
            return tx
        if first.action == "TransactionEvent" and first.payload.get("triggerReason") in SIDE_TRIGGERS \
                and first.payload.get("eventType") != "Ended":
            # a periodic / charging-state update sent meanwhile (J02.FR.11, E02.FR.13): recorded, not judged; the
            # AuthorizeRequest may still follow
            tx.record(first)
            side_events += 1
            since = conn.mailbox.index(first) + 1 if first in conn.mailbox else conn.mark()
            first = None
    if authorize_required and (first is None or first.action != "Authorize"):
        if first is None and not side_events:
            # Nothing at all answered the presentation (e.g. a station that took it for a second presentation and
            # withdrew a stale authorization): the restore must not present the idToken again, which would authorize.
            tx.authorized = False
        asked = None
        if first is not None:  # a TransactionEventRequest came first: the AuthorizeRequest may still follow
            with contextlib.suppress(PeerTimeout):
                asked = await conn.expect_call("Authorize", since=mark)
        sut.check.that("the station sends an AuthorizeRequest for the presented idToken (no local authorization in "
                       "this configuration: AuthEnabled true, no Authorization Cache, LocalPreAuthorize false)",
                       asked is not None, expected="AuthorizeRequest",
                       actual="none" if first is None else f"{first.action} {first.payload}",
                       requirements=("C01.FR.02", "Part 6 Authorized step 1"))
        if first is not None:
            tx.record(first)
        first = asked if first is None else first
        if asked is not None:
            sut.check.fields("AuthorizeRequest", asked.payload, _token_fields(sut, tx), requirements=("C01.FR.02",))
    elif first is not None and first.action == "Authorize":
        sut.check.fields("AuthorizeRequest", first.payload, _token_fields(sut, tx), requirements=("C01.FR.02",))
        with contextlib.suppress(TimeoutError):  # the authorization starts at the station's AuthorizeResponse
            async with asyncio.timeout(sut.message_timeout):
                await first.answered.wait()
        tx.authorized_mono = time.monotonic()
    elif first is not None:
        sut.note("the station sent no AuthorizeRequest before its TransactionEventRequest (allowed by Part 6 for a "
                 "cached / locally listed token)")
        tx.record(first)
    else:
        sut.note("no AuthorizeRequest after the idToken was presented (only periodic updates): Part 6 allows this "
                 "when the token is cached or in the local list, or authorization is disabled")
    if not expects_tx:
        return tx
    event = tx.events[-1] if first is not None and first.action == "TransactionEvent" else await _tx_step_event(
        sut, tx, "a TransactionEventRequest follows the authorization (TxStartPoint "
                 f"{','.join(tx.start_points) or '?'})", triggers=("Authorized",),
        requirements=("E01.FR.03", "E02.FR.01"))
    if expects_tx:
        sut.check.fields("TransactionEventRequest after authorization (Part 6 Authorized step 3)", event.payload,
                         {"triggerReason": "Authorized", **_token_fields(sut, tx)},
                         requirements=("E02.FR.01", "E03.FR.01", "E01.FR.10"))
    if len(tx.events) == 1:  # evse may come later, in the first event after the EV connected (E01.FR.16)
        sut.check.fields("TransactionEventRequest that starts the transaction", event.payload,
                         {"eventType": "Started"}, requirements=("E01.FR.03", "E01.FR.05"))
    return tx


async def ev_connected_transaction(sut: ChargingStationUnderTest, evse: int, connector: int, *,
                                   requirements: tuple[str, ...] = ("G01.FR.03",),
                                   require_tx: bool = True) -> Transaction:
    """Reusable state EVConnectedPreSession (:func:`ev_connected_pre_session`: plug in, Occupied, the Started
    event when TxStartPoint contains EVConnected) as the beginning of a :class:`Transaction`, for cases
    that plug in before authorizing (pass it as ``tx`` to :func:`authorized` / :func:`energy_transfer_started`).
    Inside :func:`transactions_ended_afterwards` it is registered for the restore before the EV is plugged in."""
    conn = sut.connection
    tx = Transaction(evse, connector, start_points=await tx_start_points(sut),
                     stop_points=await tx_stop_points(sut), since=conn.mark(), connection=conn, plugged=True)
    registry = _tx_registry(sut)
    if registry is not None:
        registry.append(tx)
    tx.plugged_at = len(tx.events)
    connected = await ev_connected_pre_session(sut, evse, connector, requirements=requirements, require_tx=require_tx)
    if connected.transaction is not None:
        tx.record(connected.transaction)
        tx.plugged_at = None  # the first event after plug-in was judged (E01.FR.16) by EVConnectedPreSession
    return tx


async def energy_transfer_started(sut: ChargingStationUnderTest, evse: int, connector: int, *,
                                  tx: Transaction | None = None) -> Transaction:
    """Reusable state EnergyTransferStarted (Charging Station, Part 6 §2.18), in Part 6's order: Authorized
    first (unless ``tx`` is already authorized), then, unless the EV is plugged in already (``tx`` from
    EVConnectedPreSession), Part 1: the EV is plugged in (action ``plug_in``), the connector reported
    Occupied and, when TxStartPoint contains EVConnected or the transaction already started, a
    TransactionEventRequest with triggerReason CablePluggedIn and chargingState EVConnected. Part 2: the
    station's TransactionEventRequests are followed until one reports chargingState Charging (triggerReason
    ChargingStateChanged, step 9); the transaction must have started with eventType Started for the EVSE,
    the first event after the plug-in (by seqNo) must name the EVSE and connector (E01.FR.16, Part 6 §2.1) and the
    first event after the idToken was presented must carry it (Part 6 §2.1, E01.FR.10). Events the station sends on
    its own meanwhile (periodic meter values, J02.FR.11) are recorded, not judged. Returns the
    :class:`Transaction`."""
    if tx is None or not tx.authorized:
        tx = await authorized(sut, evse, connector, tx=tx)
    conn = sut.connection
    if not tx.plugged:
        mark = conn.mark()
        was_started = tx.started
        tx.plugged_at = len(tx.events)
        tx.instruction(conn)
        await sut.actions.do("plug_in", evse=evse, connector=connector)
        tx.plugged = True
        await expect_availability_reports(sut, conn, {(evse, connector): "Occupied"},
                                          requirements=("G01.FR.03", "E02.FR.05"),
                                          what="the plugged-in connector is reported Occupied", since=mark)
        if "EVConnected" in tx.start_points or was_started:
            # After a remote start whose event is still due, that event is the plug-in's: F02.FR.21 (RemoteStart).
            plugged_triggers = ("CablePluggedIn", "RemoteStart") if tx.remote_at is not None else ("CablePluggedIn",)
            event = await _tx_step_event(sut, tx, "a TransactionEventRequest reports the cable plugged in",
                                         triggers=plugged_triggers, requirements=("E02.FR.06", "E01.FR.02"))
            # chargingState: Part 6 step 3 names EVConnected; the same plug-in after Authorized as reusable state
            # EVConnectedPreSession step 3 accepts SuspendedEVSE or Charging too, and Part 2 fixes no value at the
            # plug-in (E01.FR.18 only asks that the state be reported): the harness accepts that set here as well.
            sut.check.fields("TransactionEventRequest when the EV is connected (Part 6 EnergyTransferStarted "
                             "step 3)", event.payload,
                             {"triggerReason": OneOf(*plugged_triggers),
                              "transactionInfo.chargingState": OneOf("EVConnected", "SuspendedEVSE", "Charging")},
                             requirements=("E01.FR.15", "E01.FR.18") + (("F02.FR.21",) if len(plugged_triggers) > 1
                                                                       else ()))
    charging = next((e for e in tx.events if e.payload.get("transactionInfo", {}).get("chargingState") == "Charging"),
                    None)
    reported_before = charging is not None  # in an event an earlier step judged (EVConnectedPreSession, Authorized)
    while charging is None:
        event = await _tx_step_event(sut, tx, "a TransactionEventRequest reports chargingState Charging",
                                     triggers=("ChargingStateChanged",), requirements=("E01.FR.18",),
                                     wanted=lambda e: e.payload.get("transactionInfo", {}).get(
                                         "chargingState") == "Charging")
        if event.payload.get("transactionInfo", {}).get("chargingState") == "Charging":
            charging = event
        sut.check.that("the transaction does not end before the energy transfer starts", not tx.ended,
                       expected="eventType Started / Updated", actual=event.payload.get("eventType"),
                       requirements=("E01.FR.18",))
    trigger = charging.payload.get("triggerReason")
    # F02.FR.21 / F01.FR.19: the first event after a remote start is RemoteStart, even when it is the one that starts
    # the energy transfer (TxStartPoint EnergyTransfer): step 9 gives way to it (review H1)
    remote = ("RemoteStart",) if tx.remote_at is not None and charging is tx.first_since(tx.remote_at) else ()
    if reported_before and trigger != "ChargingStateChanged":
        # E02.FR.17: overlapping triggers may be reported in one message (the more specific triggerReason); the
        # change to Charging was reported (E01.FR.18) in an event an earlier step accepted, so step 9 is not
        # demanded as a separate ChargingStateChanged event.
        sut.note(f"EnergyTransferStarted step 9: chargingState Charging was reported already in "
                 f"TransactionEventRequest seqNo {charging.payload.get('seqNo')} (triggerReason {trigger}), judged by "
                 "an earlier step (E02.FR.17, E01.FR.18): no separate ChargingStateChanged event demanded")
    elif charging is tx.events[0] and charging.payload.get("eventType") == "Started":
        # TxStartPoint EnergyTransfer: the event that starts the energy transfer starts the transaction; Part 6
        # TC_E_02_CS step 3 accepts ChargingStateChanged or Authorized for it.
        sut.check.fields("TransactionEventRequest that starts the transaction and the energy transfer (Part 6 "
                         "EnergyTransferStarted step 9, TC_E_02_CS step 3)", charging.payload,
                         {"triggerReason": OneOf("ChargingStateChanged", "Authorized", *remote),
                          "transactionInfo.chargingState": "Charging"},
                         requirements=("E01.FR.06", "E01.FR.18", "E01.FR.15", "Part 6 TC_E_02_CS step 3")
                         + (("F02.FR.21",) if remote else ()))
    else:
        sut.check.fields("TransactionEventRequest that starts the energy transfer (Part 6 EnergyTransferStarted "
                         "step 9)", charging.payload, {"triggerReason": OneOf("ChargingStateChanged", *remote),
                                                       "transactionInfo.chargingState": "Charging"},
                         requirements=("E01.FR.18", "E01.FR.15"))
    first = tx.events[0]
    sut.check.fields("the first TransactionEventRequest of the transaction", first.payload,
                     {"eventType": "Started"}, requirements=("E01.FR.02", "E01.FR.05"))
    plugged = tx.first_since(tx.plugged_at) if tx.plugged_at is not None else None
    if plugged is not None:
        sut.check.fields("the first TransactionEventRequest after the EV was connected names its EVSE and connector",
                         plugged.payload, {"evse.id": evse, "evse.connectorId": connector},
                         requirements=("E01.FR.16", "Part 6 §2.1"))
    tx.plugged_at = None
    token_carried(sut, tx)
    if tx.remote_at is not None:
        judge_remote_start_event(sut, tx, tx.first_since(tx.remote_at))
    return tx


def token_carried(sut: ChargingStationUnderTest, tx: Transaction) -> None:
    """Part 6 §2.1: the first of the transaction's TransactionEventRequests after the idToken was presented to start
    it carries that idToken (E01.FR.10, E03.FR.01)."""
    token = tx.token or sut.config.id_tokens.valid
    after_token = None
    if tx.token_at is not None:
        # The station authorizes at its AuthorizeResponse (errata 2025-09 §2.17, Part 2 §1.6): a periodic meter value
        # update that arrived before the harness answered the AuthorizeRequest precedes the authorization (E03.FR.01:
        # the *next* event after it carries the idToken) and is not the one judged here.
        later = [e for e in tx.events[tx.token_at:]
                 if not (tx.authorized_mono is not None and e.received_mono <= tx.authorized_mono
                         and e.payload.get("triggerReason") in ("MeterValuePeriodic", "MeterValueClock"))]
        after_token = min(later, key=lambda e: (e.payload.get("seqNo", float("inf")), later.index(e))) \
            if later else None
    sut.check.that("the first TransactionEventRequest after the idToken was presented carries it",
                   after_token is not None and after_token.payload.get("idToken", {}).get("idToken") == token.id_token
                   and after_token.payload.get("idToken", {}).get("type") == token.type,
                   expected=f"idToken {token.id_token} ({token.type})",
                   actual=None if after_token is None else after_token.payload.get("idToken", "omitted"),
                   requirements=("Part 6 §2.1", "E01.FR.10", "E03.FR.01"))


# --------------------------------------------------------------------------- no charging (G05, TC_E_52_CS)
def _number(value: Any) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


class ChargingEvidence:
    """Every message by which a station shows that the energy transfer of an EVSE started: a
    TransactionEventRequest with chargingState Charging (any eventType, Started included; triggerReason
    ChargingStateChanged or any other), a meter value of the EVSE with import power or current above 0 or an
    energy register that rises, or a NotifyEvent of the EVSE's Power above 0. (StatusNotification has no
    charging status in OCPP 2.0.1: Occupied is what the plugged-in cable shows already.)"""

    ENERGY = "Energy.Active.Import.Register"
    FLOW = ("Power.Active.Import", "Current.Import")

    def __init__(self, evse: int) -> None:
        self.evse = evse
        self.energy: float | None = None

    def _meter(self, meter_values: Any) -> bool:
        for meter in meter_values or []:
            for sample in meter.get("sampledValue", []):
                measurand = sample.get("measurand", self.ENERGY)
                value = _number(sample.get("value"))
                if value is None:
                    continue
                if measurand in self.FLOW and value > 0:
                    return True
                if measurand == self.ENERGY:
                    if self.energy is not None and value > self.energy:
                        return True
                    self.energy = value if self.energy is None else min(self.energy, value)
        return False

    def alternatives(self) -> list[tuple[str, dict[str, Any]]]:
        def of_evse(payload_evse: Any) -> bool:
            return isinstance(payload_evse, dict) and payload_evse.get("id") == self.evse

        return [
            ("TransactionEvent", {"transactionInfo": {"chargingState": "Charging"}}),
            ("TransactionEvent", {"meterValue": Satisfies(self._meter, "a meter value showing energy flowing")}),
            ("MeterValues", {"evseId": self.evse, "meterValue": Satisfies(self._meter,
                                                                           "a meter value showing energy flowing")}),
            ("NotifyEvent", {"eventData": Satisfies(lambda data: any(
                e.get("component", {}).get("name") == "EVSE" and of_evse(e.get("component", {}).get("evse"))
                and e.get("variable", {}).get("name") == "Power" and (_number(e.get("actualValue")) or 0) > 0
                for e in data), "EVSE Power above 0")}),
        ]


def _other_evse(conn: Connection, incoming: IncomingCall, evse: int) -> bool:
    """Whether a TransactionEventRequest belongs to a transaction of another EVSE (its evse, or its Started
    event's)."""
    where = incoming.payload.get("evse", {}).get("id")
    if where is not None:
        return where != evse
    tid = incoming.payload.get("transactionInfo", {}).get("transactionId")
    started = {c.payload.get("evse", {}).get("id") for c in conn.mailbox if c.action == "TransactionEvent"
               and c.payload.get("transactionInfo", {}).get("transactionId") == tid and c.payload.get("evse")}
    return bool(started) and evse not in started


async def watch_no_charging(station: ChargingStationUnderTest, conn: Connection, evse: int, since: int,
                            window: float, *, what: str, name: str, requirements: tuple[str, ...]) -> None:
    """During ``window`` after ``since`` (a mark of ``conn``, the step ``what``), no message shows the energy
    transfer of the EVSE starting (:class:`ChargingEvidence`); the check ``name`` says so (TC_G_20_CS, TC_E_52_CS)."""
    evidence = ChargingEvidence(evse)
    station.protocol_wait(window, f"{name}: the station must not start charging")
    deadline = time.monotonic() + window
    found: IncomingCall | None = None
    while found is None and (remaining := deadline - time.monotonic()) > 0:
        try:
            incoming = await conn.expect_one_of(evidence.alternatives(), since=since, timeout=remaining)
        except (PeerTimeout, PeerClosed):
            break
        if incoming.action == "TransactionEvent" and _other_evse(conn, incoming, evse):
            continue  # a transaction of another EVSE
        found = incoming
    station.check.that(name, found is None,
                       expected=f"no sign of an energy transfer on EVSE {evse} for {window:g}s after {what}",
                       actual=f"{found.action} {found.payload}" if found else None, requirements=requirements)


# --------------------------------------------------------------------------- estart: start points (E01-E03)
def _followed(sut: ChargingStationUnderTest, tx: Transaction) -> Transaction:
    """Register ``tx`` for the restore of :func:`transactions_ended_afterwards` (when inside one)."""
    registry = _tx_registry(sut)
    if registry is not None:
        registry.append(tx)
    return tx


async def followed_transaction(sut: ChargingStationUnderTest, evse: int, connector: int) -> Transaction:
    """A :class:`Transaction` of ``evse`` followed from now on without any reusable state (a case that starts from
    an idle EVSE with no state, TC_C_05_CS): a transaction the station starts during the case is recorded into it
    and ended by :func:`transactions_ended_afterwards`."""
    conn = sut.connection
    return _followed(sut, Transaction(evse, connector, start_points=await tx_start_points(sut),
                                      stop_points=await tx_stop_points(sut), since=conn.mark(), connection=conn))


async def parking_bay_occupied(sut: ChargingStationUnderTest, evse: int, connector: int, *,
                               required: bool = False) -> Transaction:
    """Reusable state ParkingBayOccupied (Charging Station, Part 6 §2.18) as the beginning of a
    :class:`Transaction`. Part 6 makes the state optional (a station without a bay sensor, a test plug): it is
    executed when TxStartPoint contains ParkingBayOccupancy (the state then matters) or ``required``, otherwise
    skipped with a note. The EV drives into the bay (action ``drive_in``) and, with TxStartPoint
    ParkingBayOccupancy, the station sends a TransactionEventRequest with triggerReason EVDetected (step 1,
    E01.FR.01). The EV leaves the bay again in the restore (or in :func:`parking_bay_unoccupied`)."""
    conn = sut.connection
    tx = _followed(sut, Transaction(evse, connector, start_points=await tx_start_points(sut),
                                    stop_points=await tx_stop_points(sut), since=conn.mark(), connection=conn))
    if "ParkingBayOccupancy" not in tx.start_points and not required:
        sut.note("ParkingBayOccupied skipped (optional in Part 6): TxStartPoint does not contain ParkingBayOccupancy")
        return tx
    tx.instruction(conn)
    await sut.actions.do("drive_in", evse=evse)
    tx.parked = True
    if "ParkingBayOccupancy" in tx.start_points:
        event = await _tx_step_event(sut, tx, "a TransactionEventRequest reports the EV detected in the parking bay",
                                     triggers=("EVDetected",), requirements=("E01.FR.01",))
        sut.check.fields("TransactionEventRequest after the EV entered the parking bay (Part 6 ParkingBayOccupied "
                         "step 1)", event.payload, {"triggerReason": "EVDetected"},
                         requirements=("E01.FR.01", "E01.FR.15"))
    return tx


async def transaction_step_event(sut: ChargingStationUnderTest, tx: Transaction, what: str, *,
                                 triggers: tuple[str, ...], requirements: tuple[str, ...], wanted: Any = None,
                                 timeout: float | None = None) -> IncomingCall:
    """The TransactionEventRequest of a case's own step of ``tx`` (e.g. TC_E_05_CS step 1, TC_E_38_CS step 2), found
    the way the reusable states find theirs: from the mark of the last instruction, periodic / charging-state
    updates that are not the step's recorded and not judged (:data:`SIDE_TRIGGERS`)."""
    return await _tx_step_event(sut, tx, what, triggers=triggers, requirements=requirements, wanted=wanted,
                                timeout=timeout)


EV_CONNECTED_TRIGGERS = ("CablePluggedIn", "ChargingStateChanged", "RemoteStart")


async def ev_connected_pre_session_of(sut: ChargingStationUnderTest, tx: Transaction, *,
                                      requirements: tuple[str, ...] = ("G01.FR.03", "E02.FR.05"),
                                      ) -> IncomingCall | None:
    """Reusable state EVConnectedPreSession (Charging Station, Part 6 §2.18) for a transaction already followed
    (after ParkingBayOccupied and / or Authorized): the EV is plugged in (action ``plug_in``), the connector is
    reported Occupied (StatusNotification or NotifyEvent AvailabilityState) and, when TxStartPoint contains
    EVConnected, the transaction already started, or TxStartPoint is PowerPathClosed and the driver is authorized
    (step 3 note), a TransactionEventRequest: eventType Started unless the transaction had started (then Updated),
    triggerReason CablePluggedIn, ChargingStateChanged or RemoteStart, chargingState EVConnected, SuspendedEVSE or
    Charging, evse.id and evse.connectorId (E01.FR.16). Returns that event (None when step 3 does not apply)."""
    conn = sut.connection
    mark = conn.mark()
    was_started = tx.started
    tx.plugged_at = len(tx.events)
    tx.instruction(conn)
    await sut.actions.do("plug_in", evse=tx.evse, connector=tx.connector)
    tx.plugged = True
    await expect_availability_reports(sut, conn, {(tx.evse, tx.connector): "Occupied"}, requirements=requirements,
                                      what="the plugged-in connector is reported Occupied", since=mark)
    power_path = tx.authorized and "PowerPathClosed" in tx.start_points and "DataSigned" not in tx.start_points
    if not (was_started or "EVConnected" in tx.start_points or power_path):
        return None
    event = await _tx_step_event(sut, tx, "a TransactionEventRequest follows the connection of the EV",
                                 triggers=EV_CONNECTED_TRIGGERS, requirements=("E01.FR.02", "E01.FR.05", "E02.FR.06"))
    sut.check.fields("TransactionEventRequest after the EV was connected (Part 6 EVConnectedPreSession step 3)",
                     event.payload, {"eventType": "Updated" if was_started else "Started",
                                     "triggerReason": OneOf(*EV_CONNECTED_TRIGGERS),
                                     "transactionInfo.chargingState": OneOf("EVConnected", "SuspendedEVSE",
                                                                            "Charging"),
                                     "evse.id": tx.evse, "evse.connectorId": tx.connector},
                     requirements=("E01.FR.02" if "EVConnected" in tx.start_points else "E01.FR.05", "E01.FR.15",
                                   "E01.FR.16", "Part 6 §2.18 EVConnectedPreSession step 3"))
    tx.plugged_at = None
    return event


def _stopped_locally(sut: ChargingStationUnderTest, event: IncomingCall) -> None:
    """Part 6 general rule: a transaction stopped with StopAuthorized (local) ends with stoppedReason Local or
    without stoppedReason."""
    sut.check.fields("TransactionEventRequest eventType Ended after a local stop", event.payload,
                     {"transactionInfo.stoppedReason": OneOf("Local", ABSENT)},
                     requirements=("E07.FR.04", "E07.FR.05"))


async def stop_authorized(sut: ChargingStationUnderTest, tx: Transaction) -> IncomingCall:
    """Reusable state StopAuthorized (Charging Station, Part 6 §2.18, way A): the same idToken is presented
    again (action ``present_id_token``); the station must send a TransactionEventRequest with triggerReason
    StopAuthorized and the idToken omitted or the presented one (step 1). With TxStopPoint Authorized (or
    PowerPathClosed) that event is the Ended one, then with stoppedReason Local or omitted; otherwise the
    transaction goes on to EVConnectedPostSession. The same token ends the authorization without an
    AuthorizeRequest (C01.FR.03, E07.FR.01): one sent before the StopAuthorized event fails. Errata 2025-09 §6.2.117:
    the harness first lets the transaction run <Configured Transaction Duration> (``station_values.
    transaction_duration``); with TxStopPoint without Authorized / PowerPathClosed / EnergyTransfer this event must
    be Updated (checked for every TxStopPoint, not only the path taken; the Ended case is completed by
    :func:`ev_connected_post_session`). Returns the StopAuthorized event."""
    token = tx.token or sut.config.id_tokens.valid
    await transaction_duration(sut)
    conn = sut.connection
    mark = conn.mark()
    own, since = tx.since_on(sut)
    _record_pending(sut, tx, own, since)  # e.g. periodic updates sent during the Transaction Duration (J02.FR.11)
    tx.instruction(conn)
    await sut.actions.do("present_id_token", id_token=token.id_token, type=token.type, evse=tx.evse)
    tx.stop_authorized = True
    event = await _tx_step_event(sut, tx, "a TransactionEventRequest follows the stop authorization",
                                 triggers=("StopAuthorized",), requirements=("E07.FR.02", "E06.FR.03"))
    if conn is sut.connection:
        until = next((i for i, c in enumerate(conn.mailbox) if c is event), len(conn.mailbox))
        asked = [c for c in conn.mailbox[mark:until] if c.action == "Authorize"
                 and c.payload.get("idToken", {}).get("idToken") == token.id_token]
        sut.check.that("the station ends the authorization with the token that started it without an "
                       "AuthorizeRequest", not asked, expected="no AuthorizeRequest before the StopAuthorized event",
                       actual=[c.payload for c in asked], requirements=("C01.FR.03", "E07.FR.01"))
    sut.check.fields("TransactionEventRequest after the stop authorization (Part 6 StopAuthorized step 1)",
                     event.payload, {"triggerReason": "StopAuthorized",
                                     "idToken": OneOf(ABSENT, Satisfies(
                                         lambda t: t.get("idToken") == token.id_token and t.get("type") == token.type,
                                         f"the presented idToken {token.id_token} ({token.type})"))},
                     requirements=("E07.FR.02",))
    ends = tx.stop_ends
    if ends is False:
        sut.check.fields(f"TransactionEventRequest after the stop authorization with TxStopPoint "
                         f"{','.join(tx.stop_points)} (errata 2025-09 §6.2.117: Updated)", event.payload,
                         {"eventType": "Updated"}, requirements=TX_STOP_REQUIREMENTS)
    elif ends is None:
        sut.note("TxStopPoint could not be read: whether StopAuthorized must end the transaction (errata 2025-09 "
                 "§6.2.117) is not checked")
    if tx.ended:
        _stopped_locally(sut, event)
    return event


async def ev_connected_post_session(sut: ChargingStationUnderTest, tx: Transaction) -> IncomingCall | None:
    """Reusable state EVConnectedPostSession (Charging Station, Part 6 §2.18): unless the transaction has ended
    already, the station reports the energy transfer stopped: triggerReason ChargingStateChanged,
    chargingState EVConnected (step 1; Ended is accepted, e.g. TxStopPoint EnergyTransfer, then with
    stoppedReason Local or omitted) and, when TxStopPoint contains DataSigned, a SignedDataReceived event
    (step 3). Returns the step 1 event, None when the transaction had ended."""
    if tx.ended:
        sut.note("EVConnectedPostSession: the transaction has ended already, no TransactionEventRequest expected")
        return None
    event = await _tx_step_event(sut, tx, "a TransactionEventRequest reports the energy transfer stopped",
                                 triggers=("ChargingStateChanged",), requirements=("E01.FR.18",),
                                 wanted=lambda e: e.payload.get("transactionInfo", {}).get(
                                     "chargingState") not in ("SuspendedEV", "SuspendedEVSE", "Charging"))
    sut.check.fields("TransactionEventRequest after the stop (Part 6 EVConnectedPostSession step 1)", event.payload,
                     {"triggerReason": "ChargingStateChanged", "transactionInfo.chargingState": "EVConnected"},
                     requirements=("E01.FR.18", "E06.FR.15"))
    ends = tx.stop_ends
    if tx.stop_authorized and ends is not None:  # errata 2025-09 §6.2.117, StopAuthorized step 3
        sut.check.fields(f"the last TransactionEventRequest of StopAuthorized (step 3) with TxStopPoint "
                         f"{','.join(tx.stop_points)} (errata 2025-09 §6.2.117: "
                         f"{'Ended' if ends else 'Updated'})", event.payload,
                         {"eventType": "Ended" if ends else "Updated"}, requirements=TX_STOP_REQUIREMENTS)
    if tx.ended:
        _stopped_locally(sut, event)
    elif "DataSigned" in tx.stop_points:
        signed = await _tx_step_event(sut, tx, "a TransactionEventRequest reports the signed data",
                                      triggers=("SignedDataReceived",), requirements=("E06.FR.05",))
        sut.check.fields("TransactionEventRequest (Part 6 EVConnectedPostSession step 3)", signed.payload,
                         {"triggerReason": "SignedDataReceived"}, requirements=("E06.FR.15",))
        if tx.ended:
            _stopped_locally(sut, signed)
    return event


async def energy_transfer_suspended(sut: ChargingStationUnderTest, tx: Transaction) -> IncomingCall | None:
    """Reusable state EnergyTransferSuspended (Charging Station, Part 6 §2.18), from EnergyTransferStarted: after
    <Configured Transaction Duration> the EV suspends the energy transfer (action ``ev_suspend``) and, unless the
    transaction has ended already, the station reports it (step 1): chargingState EVConnected or SuspendedEV,
    eventType Ended or Updated, triggerReason ChargingStateChanged when SuspendedEV, stoppedReason StoppedByEV when
    Ended (TxStopPoint EnergyTransfer, E06.FR.07). Events the station sends on its own meanwhile are recorded.
    Returns the step 1 event, None when the transaction had ended."""
    await transaction_duration(sut)
    own, since = tx.since_on(sut)
    _record_pending(sut, tx, own, since)
    tx.instruction(sut.connection)
    await sut.actions.do("ev_suspend", evse=tx.evse, connector=tx.connector)
    if tx.ended:
        sut.note("EnergyTransferSuspended: the transaction has ended already, no TransactionEventRequest expected")
        return None
    event = await _tx_step_event(
        sut, tx, "a TransactionEventRequest reports the EV suspended the energy transfer",
        triggers=("ChargingStateChanged",), requirements=("E06.FR.15", "Part 6 §2.18 EnergyTransferSuspended"),
        wanted=lambda e: e.payload.get("eventType") == "Ended" or e.payload.get("transactionInfo", {}).get(
            "chargingState") in ("SuspendedEV", "EVConnected"))
    payload = event.payload
    requirements = ("E06.FR.15", "Part 6 §2.18 EnergyTransferSuspended step 1")
    sut.check.fields("TransactionEventRequest after the EV suspended the energy transfer (Part 6 "
                     "EnergyTransferSuspended step 1)", payload,
                     {"eventType": OneOf("Ended", "Updated"),
                      "transactionInfo.chargingState": OneOf("EVConnected", "SuspendedEV")}, requirements=requirements)
    if payload.get("transactionInfo", {}).get("chargingState") == "SuspendedEV":
        sut.check.fields("TransactionEventRequest reporting SuspendedEV", payload,
                         {"triggerReason": "ChargingStateChanged"}, requirements=requirements)
    if payload.get("eventType") == "Ended":
        sut.check.fields("TransactionEventRequest eventType Ended after the EV suspended the energy transfer",
                         payload, {"transactionInfo.stoppedReason": "StoppedByEV"},
                         requirements=("E06.FR.07", "E06.FR.08", "Part 6 §2.18 EnergyTransferSuspended step 1"))
    return event


async def ev_disconnected(sut: ChargingStationUnderTest, tx: Transaction, *, status: str = "Available",
                          status_requirements: tuple[str, ...] = ("G01.FR.04",),
                          report: bool = True, judge_stopped_reason: bool = True) -> IncomingCall | None:
    """Reusable state EVDisconnected (Charging Station, Part 6 §2.18): the EV is unplugged (action ``unplug``),
    the connector is reported ``status`` (Available; Unavailable when a change of availability was
    scheduled, G01.FR.05) unless ``report`` is False (the connector's status does not change, e.g. it became
    Unavailable when the transaction ended), and, unless the transaction has ended already, a
    TransactionEventRequest with triggerReason EVCommunicationLost and chargingState Idle (step 3); an Ended one after
    a local stop has stoppedReason Local or none (Part 6 §2.1) unless ``judge_stopped_reason`` is False (a case whose
    own rule differs, TC_E_14_CS). Returns that event, or None."""
    conn = tx.connection if tx.connection is not None and tx.connection.is_open else sut.connection
    mark = conn.mark()
    tx.instruction(conn)
    await sut.actions.do("unplug", evse=tx.evse, connector=tx.connector)
    tx.plugged = False
    if report:
        await expect_availability_reports(sut, conn, {(tx.evse, tx.connector): status},
                                          requirements=status_requirements,
                                          what=f"the unplugged connector is reported {status}", since=mark)
    if tx.ended:
        return None
    event = await _tx_step_event(sut, tx, "a TransactionEventRequest reports the EV disconnected",
                                 triggers=("EVCommunicationLost",), requirements=("E06.FR.02", "E06.FR.06"))
    sut.check.fields("TransactionEventRequest after the EV is disconnected (Part 6 EVDisconnected step 3)",
                     event.payload, {"triggerReason": "EVCommunicationLost", "transactionInfo.chargingState": "Idle"},
                     requirements=("E06.FR.15", "E01.FR.18"))
    if event.payload.get("eventType") == "Ended" and tx.stop_authorized and judge_stopped_reason:
        # (``judge_stopped_reason`` False: a case with its own rule, TC_E_14_CS.) The transaction the driver stopped
        # ends only now, at the unplug: errata 2025-09 §6.2.51 accepts EVDisconnected there as well as Local / omitted.
        sut.check.fields("TransactionEventRequest eventType Ended at the unplug after a local stop", event.payload,
                         {"transactionInfo.stoppedReason": OneOf("Local", "EVDisconnected", ABSENT)},
                         requirements=("E07.FR.04", "E07.FR.05", "errata 2025-09 §6.2.51"))
    return event


async def parking_bay_unoccupied(sut: ChargingStationUnderTest, tx: Transaction) -> IncomingCall | None:
    """Reusable state ParkingBayUnoccupied (Charging Station, Part 6 §2.18): only when the transaction is still
    running and TxStopPoint contains ParkingBayOccupancy, the EV leaves the bay (action ``drive_out``) and
    the station ends the transaction: triggerReason EVDeparted, eventType Ended and, after a local stop
    (StopAuthorized), stoppedReason Local or omitted (Part 6 §2.1, E07.FR.04). Otherwise
    the state is skipped with a note (Part 6 makes the parking bay steps optional: a station without a bay
    sensor, or tested with a test plug)."""
    if tx.ended or "ParkingBayOccupancy" not in tx.stop_points:
        sut.note("ParkingBayUnoccupied skipped: " + ("the transaction has ended" if tx.ended else
                                                    "TxStopPoint does not contain ParkingBayOccupancy"))
        return None
    tx.instruction(sut.connection)
    await sut.actions.do("drive_out", evse=tx.evse)
    tx.parked = False
    event = await _tx_step_event(sut, tx, "a TransactionEventRequest reports the EV departed",
                                 triggers=("EVDeparted",), requirements=("E06.FR.01",))
    sut.check.fields("TransactionEventRequest after the EV left the bay (Part 6 ParkingBayUnoccupied)",
                     event.payload, {"triggerReason": "EVDeparted", "eventType": "Ended"}, requirements=("E06.FR.01",))
    if tx.stop_authorized:
        _stopped_locally(sut, event)
    return event


async def _end_quietly(sut: ChargingStationUnderTest, tx: Transaction) -> None:
    """Stop, unplug and drain one transaction without judging anything (used by the restore)."""
    conn, since = tx.since_on(sut)
    token = tx.token or sut.config.id_tokens.valid

    async def drain() -> None:
        while not tx.ended and tx.started:
            tx.record(await conn.expect_call("TransactionEvent", since=since, **tx.pattern()))

    _record_pending(sut, tx, conn, since)  # an Ended event that arrived already (e.g. the cable was taken out)
    if tx.authorized and not tx.stop_authorized and not tx.ended and (tx.started or not tx.plugged):
        # A second presentation stops the transaction, or withdraws an authorization not yet used (a transaction
        # that has ended, e.g. by its stop point, has no authorization left: presenting would start a new one).
        await sut.actions.do("present_id_token", id_token=token.id_token, type=token.type, evse=tx.evse)
        tx.stop_authorized = True
        if tx.started:
            with contextlib.suppress(PeerTimeout):
                tx.record(await conn.expect_call("TransactionEvent", since=since, **tx.pattern()))
    if tx.parked and not tx.plugged and ("ParkingBayOccupancy" in tx.stop_points or not tx.authorized):
        tx.parked = False  # it ends when the EV leaves the bay (or nothing else could end it)
        await sut.actions.do("drive_out", evse=tx.evse)
    if tx.plugged:
        mark = conn.mark()
        await sut.actions.do("unplug", evse=tx.evse, connector=tx.connector)
        tx.plugged = False
        await conn.expect_one_of(
            [("StatusNotification", {"evseId": tx.evse, "connectorId": tx.connector}),
             ("NotifyEvent", {"eventData": Satisfies(
                 lambda data: any(e.get("variable", {}).get("name") == "AvailabilityState"
                                  and e.get("component", {}).get("evse", {}) ==
                                  {"id": tx.evse, "connectorId": tx.connector} for e in data),
                 f"AvailabilityState of EVSE {tx.evse} connector {tx.connector}")})], since=mark)
    try:
        await drain()
    except PeerTimeout:
        if "ParkingBayOccupancy" not in tx.stop_points:
            raise
        tx.parked = False
        await sut.actions.do("drive_out", evse=tx.evse)
        await drain()
    if tx.parked:  # the bay is left empty for the next case (general precondition)
        tx.parked = False
        await sut.actions.do("drive_out", evse=tx.evse)


@contextlib.asynccontextmanager
async def transactions_ended_afterwards(sut: ChargingStationUnderTest) -> AsyncIterator[list[Transaction]]:
    """General precondition after a case with transactions on the station: every :class:`Transaction`
    in the yielded list (the helpers :func:`authorized` / :func:`energy_transfer_started` add the ones they
    create inside the block; a case may add its own) that is still running, authorized or plugged in at the
    end (a case that waited for a transaction's Ended event itself, e.g. after a reset, records it with
    :meth:`Transaction.record`) is stopped (the idToken presented again), the EV unplugged and the
    transaction's Ended event awaited (after ``drive_out`` when TxStopPoint has ParkingBayOccupancy), even
    when the case failed, so the connector is free for the next case. Nothing is judged; a failed restore is noted, never the case's
    outcome. Availability a case changed is :func:`availability_restored`'s job (enter that one first)."""
    previous = _tx_registry(sut)
    transactions: list[Transaction] = []
    sut._station_transactions = transactions  # type: ignore[attr-defined]
    try:
        yield transactions
    finally:
        sut._station_transactions = previous  # type: ignore[attr-defined]
        for tx in reversed(transactions):
            with contextlib.suppress(Inconclusive):  # events that arrived already (e.g. an Ended after a timeout)
                if tx.started and not tx.ended:
                    _record_pending(sut, tx, *tx.since_on(sut))
            if tx.ended and not tx.plugged and not tx.parked:
                continue
            try:
                await _end_quietly(sut, tx)
                sut.note(f"restored: transaction {tx.transaction_id or '(not started)'} on EVSE {tx.evse} ended, "
                         f"EV unplugged")
            except Exception as exc:  # action failures, timeouts, disconnects: never the case's outcome
                sut.note(f"could not end transaction {tx.transaction_id or '(not started)'} on EVSE {tx.evse}: {exc}")


# --------------------------------------------------------------------------- remote start / stop (F01-F03)


@contextlib.asynccontextmanager
async def settable(sut: ChargingStationUnderTest, variable: dict, value: str) -> AsyncIterator[str | None]:
    """Part 6 "<variable> is <value> (If implemented AND ReadWrite)": when the station has the variable with another
    value, it is set for the block and restored afterwards; a station without the variable, or that does not accept
    the value (ReadOnly), keeps its own (noted). Yields the value in effect (None: the variable is not
    implemented). A name the documents spell two ways is read and written as the station spells it."""
    current = await sut.read_variable(variable)
    variable = await sut.spelled(variable)
    name = f"{variable['component']['name']}.{variable['variable']['name']}"
    if current is None:
        sut.note(f"{name} is not implemented (or not readable): the configuration state 'if implemented' is skipped")
        yield None
        return
    if current.strip().lower() == value.lower():
        yield current
        return
    async with sut.restoring(variable):
        response = await sut.call("SetVariables", {"setVariableData": [dict(variable, attributeValue=value)]})
        status = response.payload["setVariableResult"][0]["attributeStatus"] if response.ok else response.describe()
        if status == "Accepted":
            sut.note(f"configuration state: {name} = {value!r}")
            yield value
        else:
            sut.note(f"{name} stays {current!r}: setting {value!r} was answered {status} (ReadOnly)")
            yield current


@dataclass
class RemoteStartSettings:
    """The AuthCtrlr values a remote start depends on, as in effect for the case (None: not implemented)."""

    auth_enabled: str | None
    authorize_remote_start: str | None
    token_known_locally: bool  # AuthCacheCtrlr / LocalAuthListCtrlr enabled: the idToken may be known without asking

    @property
    def must_authorize(self) -> bool | None:
        """Whether an AuthorizeRequest must follow a remote start (Part 6 Authorized (remote) step 3 note): when
        AuthorizeRemoteStart is true, unless AuthEnabled is false or the idToken may be known locally (cache, local
        list: F01.FR.01 note). None: not decided (AuthorizeRemoteStart unreadable, or the idToken may be known
        locally: the station may authorize it from there or ask, either is allowed)."""
        if self.authorize_remote_start is None:
            return None
        if not _true(self.authorize_remote_start):
            return False
        if self.auth_enabled is not None and not _true(self.auth_enabled):
            return False
        # (dlist) a cache / list that may know the idToken lets the station skip the request, never forbids it
        return None if self.token_known_locally else True


def _true(value: str | None) -> bool:
    return (value or "").strip().lower() == "true"


@contextlib.asynccontextmanager
async def remote_start_settings(sut: ChargingStationUnderTest, *, authorize_remote_start: bool | None = None,
                                ) -> AsyncIterator[RemoteStartSettings]:
    """The configuration state of the remote start cases (Part 6 TC_F_01..04_CS, TC_E_13_CS): AuthCtrlr.AuthEnabled
    true (if implemented and ReadWrite), AuthCtrlr.DisableRemoteAuthorization false (if implemented), and, when
    given, AuthorizeRemoteStart (if ReadWrite); all restored afterwards."""
    async with contextlib.AsyncExitStack() as stack:
        auth_enabled = await stack.enter_async_context(settable(sut, AUTH_ENABLED, "true"))
        disabled = await stack.enter_async_context(settable(sut, DISABLE_REMOTE_AUTHORIZATION, "false"))
        if _true(disabled):  # Part 6: "false (If implemented)"; true makes the station skip the AuthorizeRequest
            raise Inconclusive("configuration state not reached: AuthCtrlr.DisableRemoteAuthorization stays true "
                               "(the case needs it false where implemented)")
        if authorize_remote_start is None:
            remote = await sut.read_variable(AUTHORIZE_REMOTE_START, note_unreadable=True)
        else:
            remote = await stack.enter_async_context(
                settable(sut, AUTHORIZE_REMOTE_START, "true" if authorize_remote_start else "false"))
        local = any([_true(await sut.read_variable(AUTH_CACHE_ENABLED)),
                     _true(await sut.read_variable(LOCAL_AUTH_LIST_ENABLED))])
        yield RemoteStartSettings(auth_enabled, remote, local)


def judge_remote_start_event(sut: ChargingStationUnderTest, tx: Transaction, event: IncomingCall | None) -> None:
    """The first TransactionEventRequest after an accepted RequestStartTransaction carries triggerReason RemoteStart
    and its remoteStartId (F01.FR.19, F01.FR.25, F02.FR.01, F02.FR.21; Part 6 Authorized (remote) step 5), and the
    idToken of the request (F01.FR.04, F02.FR.05)."""
    tx.remote_at = None
    token = sut.config.id_tokens.valid
    requirements = ("F01.FR.19", "F01.FR.25", "F02.FR.01", "F02.FR.21", "Part 6 Authorized (remote) step 5")
    sut.check.that("a TransactionEventRequest follows the remote start", event is not None,
                   expected="TransactionEventRequest triggerReason RemoteStart", actual=None, requirements=requirements)
    assert event is not None
    sut.check.fields("the first TransactionEventRequest after the remote start", event.payload, {
        "triggerReason": "RemoteStart", "transactionInfo.remoteStartId": tx.remote_start_id,
        "idToken.idToken": token.id_token, "idToken.type": token.type},
        requirements=requirements + ("F01.FR.04", "F02.FR.05"))


async def authorized_remote(sut: ChargingStationUnderTest, evse: int, connector: int, settings: RemoteStartSettings,
                            *, tx: Transaction | None = None) -> Transaction:
    """Reusable state Authorized (Charging Station, Part 6 §2.18, way B: RequestStartTransaction).

    Step 1-2: RequestStartTransactionRequest with the configured valid idToken, the EVSE and a remoteStartId of the
    run; the response Accepted and, when the transaction had started already (``tx`` from EVConnectedPreSession with
    TxStartPoint EVConnected), its transactionId (F01.FR.13). Step 3: an AuthorizeRequest with the idToken when
    ``settings.must_authorize``; with AuthorizeRemoteStart false none may be sent (F01.FR.02, F02.FR.10: "without
    checking authorization"). Step 5/7: when TxStartPoint contains Authorized or the transaction already started, the
    TransactionEventRequest (Started unless the transaction had started, then Updated) with triggerReason RemoteStart,
    the remoteStartId and the idToken; otherwise that event comes later (the plug-in, EnergyTransferStarted judges it
    with :func:`judge_remote_start_event`). The step 5 StatusNotification Occupied of Part 6 is not required: no Part 2
    requirement makes a remote start change a connector's status. ParkingBayOccupied, optional, is skipped. Returns
    ``tx`` (a new :class:`Transaction` when None, registered for the restore), marked authorized."""
    conn = sut.connection
    if tx is None:
        start_points = await tx_start_points(sut)
        if "ParkingBayOccupancy" in start_points:
            # Part 6 Authorized Before: "If State is NOT ParkingBayOccupied OR EVConnectedPreSession, then execute
            # ParkingBayOccupied" (it matters here: the EV in the bay starts the transaction, E01.FR.01)
            tx = await parking_bay_occupied(sut, evse, connector)
        else:
            tx = Transaction(evse, connector, start_points=start_points,
                             stop_points=await tx_stop_points(sut), since=conn.mark(), connection=conn)
            registry = _tx_registry(sut)
            if registry is not None:
                registry.append(tx)
    token = sut.config.id_tokens.valid
    was_started = tx.started
    tx.remote_start_id = sut.ctx.ids.next("remoteStartId")
    tx.token_at = tx.remote_at = remote_at = len(tx.events)
    mark = conn.mark()
    tx.instruction(conn)
    sent = time.time()
    response = await sut.call("RequestStartTransaction", {
        "idToken": {"idToken": token.id_token, "type": token.type}, "evseId": evse,
        "remoteStartId": tx.remote_start_id})
    answer = ("F01.FR.01", "F02.FR.09", "Part 6 Authorized (remote) step 2")
    sut.check.that("the station answers RequestStartTransactionRequest with a CALLRESULT", response.ok,
                   expected="CALLRESULT", actual=response.describe(), requirements=answer)
    sut.check.fields("RequestStartTransactionResponse (Part 6 Authorized (remote) step 2)", response.payload,
                     {"status": "Accepted"}, requirements=answer)
    tx.authorized = True
    if was_started:
        sut.check.fields("RequestStartTransactionResponse for a transaction started before its authorization",
                         response.payload, {"transactionId": tx.transaction_id},
                         requirements=("F01.FR.13", "Part 6 Authorized (remote) step 2"))
    must = settings.must_authorize
    # ParkingBayOccupancy starts a transaction only with an EV in the bay (E01.FR.01): required when ParkingBayOccupied
    # ran (tx.parked), otherwise the remote start's event comes later (F02.FR.21 note; review M1)
    expects_tx = was_started or "Authorized" in tx.start_points or (
        "ParkingBayOccupancy" in tx.start_points and tx.parked)
    first: IncomingCall | None = None
    if must or expects_tx:
        try:
            while True:
                first = await conn.expect_one_of([("Authorize", {}), ("TransactionEvent", tx.pattern())], since=mark,
                                                 requirements=("F01.FR.01", "F01.FR.03", "F02.FR.11"))
                if first.action != "TransactionEvent" or not _produced_before(sut, first, sent):
                    break
                _skip_before_request(sut, tx, first)
        except PeerTimeout as exc:
            sut.check.that("the station authorizes the remote start's idToken (AuthorizeRemoteStart true)" if must
                           else "a TransactionEventRequest follows the remote start", False,
                           expected="AuthorizeRequest" if must else f"TransactionEventRequest {tx.pattern()}",
                           actual=exc.actual, requirements=("F01.FR.01", "F02.FR.09", "Part 6 Authorized (remote) "
                                                            "step 3") if must else ("F01.FR.03", "F02.FR.11"))
            raise
    if first is not None and first.action == "Authorize":
        sut.check.that("no AuthorizeRequest after a remote start with AuthorizeRemoteStart false", must is not False,
                       expected="no AuthorizeRequest (F01.FR.02, F02.FR.10: the station starts without checking "
                                "authorization)", actual=first.payload, requirements=("F01.FR.02", "F02.FR.10"))
        sut.check.fields("AuthorizeRequest (Part 6 Authorized (remote) step 3)", first.payload, _token_fields(sut),
                         requirements=("F01.FR.01", "F02.FR.09", "C01.FR.02"))
    elif must:
        sut.check.that("the station authorizes the remote start's idToken (AuthorizeRemoteStart true)", False,
                       expected="AuthorizeRequest before the TransactionEventRequest",
                       actual=first.action if first is not None else None,
                       requirements=("F01.FR.01", "F02.FR.09", "Part 6 Authorized (remote) step 3"))
    else:
        if first is not None:
            tx.record(first)
        if must is False:
            # No AuthorizeRequest may come; one sent later than the event is found here too.
            late = next((c for c in conn.mailbox[mark:] if c.action == "Authorize"
                         and c.payload.get("idToken", {}).get("idToken") == token.id_token), None)
            sut.check.that("no AuthorizeRequest after a remote start with AuthorizeRemoteStart false", late is None,
                           expected="no AuthorizeRequest", actual=late.payload if late else None,
                           requirements=("F01.FR.02", "F02.FR.10"))
    if not expects_tx:
        return tx
    event = tx.events[-1] if tx.events and first is tx.events[-1] else await _tx_step_event(
        sut, tx, "a TransactionEventRequest follows the remote start", triggers=("RemoteStart",),
        requirements=("F01.FR.03", "F01.FR.19", "F02.FR.21"))
    while _produced_before(sut, tx.first_since(remote_at), sent):  # recorded, produced before the request arrived
        remote_at += 1
        tx.token_at = tx.remote_at = remote_at
    sut.check.fields("TransactionEventRequest after the remote start (Part 6 Authorized (remote) step 5)",
                     event.payload, {"eventType": "Updated" if was_started else "Started"},
                     requirements=("E01.FR.03", "F02.FR.13", "Part 6 Authorized (remote) step 5"))
    if not was_started:
        sut.check.fields("TransactionEventRequest that starts the transaction", event.payload, {"evse.id": evse},
                         requirements=("E01.FR.16", "F01.FR.05"))
    judge_remote_start_event(sut, tx, tx.first_since(remote_at))
    return tx


def _produced_before(sut: ChargingStationUnderTest, event: IncomingCall | None, sent: float) -> bool:
    """Whether ``event`` is one the station sends on its own (:data:`SIDE_TRIGGERS`) stamped no later than the
    RequestStartTransaction was sent (``sent``, our clock) plus timing.max_time_deviation: produced before the
    request arrived, so not "the next TransactionEventRequest" after it (F01.FR.19), however late it arrives."""
    if event is None or event.payload.get("triggerReason") not in SIDE_TRIGGERS:
        return False
    parsed = parse_timestamp(event.payload.get("timestamp"))
    return parsed is not None and parsed[0] <= sent + sut.tolerance


def _skip_before_request(sut: ChargingStationUnderTest, tx: Transaction, event: IncomingCall) -> None:
    tx.record(event)
    sut.note(f"recorded TransactionEventRequest seqNo {event.payload.get('seqNo')} triggerReason "
             f"{event.payload.get('triggerReason')} stamped {event.payload.get('timestamp')}, produced before the "
             "RequestStartTransaction: not the remote start's event (F01.FR.19), not judged")


@dataclass
class RemoteStop:
    """What the reusable state StopAuthorized (remote) saw: the response and the RemoteStop event (and the
    ChargingStateChanged one of step 5 when it came)."""

    response: Response
    remote_stop: IncomingCall
    after: IncomingCall | None


async def stop_authorized_remote(sut: ChargingStationUnderTest, tx: Transaction, *,
                                 ended_by_remote_stop_event: bool = False, any_ending: bool = False) -> RemoteStop:
    """Reusable state StopAuthorized (Charging Station, Part 6 §2.18 way B as amended by errata 2025-09 §6.2.117):
    after <Configured Transaction Duration>, RequestStopTransactionRequest with the transaction's id; the response
    Accepted (step 2, F03.FR.07); a TransactionEventRequest with triggerReason RemoteStop (step 3, F03.FR.09). When
    TxStopPoint contains Authorized, PowerPathClosed or EnergyTransfer, the last of the RemoteStop event and the
    step 5 event (ChargingStateChanged, chargingState EVConnected) is Ended with stoppedReason Remote (F03.FR.03);
    otherwise both are Updated (F03.FR.02; step 5 optional, then left to EVConnectedPostSession).
    ``ended_by_remote_stop_event`` (TC_E_21_CS step 3): the RemoteStop event itself must be the Ended one.
    ``any_ending`` (TC_E_35_CS as amended by errata 2025-09 §6.2.49): the transaction must end, its last event with
    stoppedReason Remote, whatever that event's triggerReason."""
    await transaction_duration(sut)
    conn = sut.connection
    own, since = tx.since_on(sut)
    _record_pending(sut, tx, own, since)
    tx.instruction(conn)
    response = await sut.call("RequestStopTransaction", {"transactionId": tx.transaction_id})
    answer = ("F03.FR.07", "Part 6 StopAuthorized (remote) step 2")
    sut.check.that("the station answers RequestStopTransactionRequest with a CALLRESULT", response.ok,
                   expected="CALLRESULT", actual=response.describe(), requirements=answer)
    sut.check.fields("RequestStopTransactionResponse (Part 6 StopAuthorized (remote) step 2)", response.payload,
                     {"status": "Accepted"}, requirements=answer)
    tx.stop_authorized = True
    event = await _tx_step_event(sut, tx, "a TransactionEventRequest follows the remote stop", triggers=("RemoteStop",),
                                 requirements=("F03.FR.02", "F03.FR.03", "F03.FR.09"))
    sut.check.fields("TransactionEventRequest after the remote stop (Part 6 StopAuthorized (remote) step 3)",
                     event.payload, {"triggerReason": "RemoteStop"}, requirements=("F03.FR.09", "F03.FR.02"))
    ends = tx.stop_ends
    after: IncomingCall | None = None
    if ended_by_remote_stop_event:
        sut.check.fields("the RemoteStop TransactionEventRequest ends the transaction", event.payload,
                         {"eventType": "Ended", "transactionInfo.stoppedReason": "Remote"},
                         requirements=("F03.FR.03", "E06.FR.15", "Part 6 step 3"))
    elif ends is False:
        sut.check.fields(f"TransactionEventRequest after the remote stop with TxStopPoint {','.join(tx.stop_points)} "
                         f"(errata 2025-09 §6.2.117: Updated)", event.payload, {"eventType": "Updated"},
                         requirements=("F03.FR.02", "errata 2025-09 §6.2.117"), soft=True)
        # Step 5 is optional and not waited for; one that has arrived already is judged (errata 2025-09 §6.2.117).
        seq = event.payload.get("seqNo", -1)
        after = next((c for c in conn.mailbox[tx.mark[1] if tx.mark else 0:] if c.action == "TransactionEvent"
                      and c.payload.get("transactionInfo", {}).get("transactionId") == tx.transaction_id
                      and c.payload.get("triggerReason") == "ChargingStateChanged"
                      and isinstance(c.payload.get("seqNo"), int) and c.payload["seqNo"] > seq), None)
        if after is not None:
            sut.check.fields("TransactionEventRequest after the remote stop (Part 6 StopAuthorized (remote) step 5, "
                             "optional)", after.payload, {"eventType": "Updated",
                                                          "transactionInfo.chargingState": "EVConnected"},
                             requirements=("F03.FR.02", "errata 2025-09 §6.2.117"), soft=True)
    elif ends is None:
        sut.note("TxStopPoint could not be read: whether the remote stop must end the transaction is not checked")
    elif not tx.ended and any_ending:
        while not tx.ended:
            after = await _tx_step_event(sut, tx, "the transaction ends after the remote stop", triggers=SIDE_TRIGGERS,
                                         requirements=("F03.FR.03", "E06.FR.15"),
                                         wanted=lambda e: e.payload.get("eventType") == "Ended")
    elif not tx.ended:  # step 5, the Ended event (errata 2025-09 §6.2.117)
        after = await _tx_step_event(sut, tx, "the transaction ends after the remote stop",
                                     triggers=("ChargingStateChanged",), requirements=("F03.FR.03",),
                                     wanted=lambda e: e.payload.get("eventType") == "Ended")
        sut.check.fields("TransactionEventRequest after the remote stop (Part 6 StopAuthorized (remote) step 5)",
                         after.payload, {"triggerReason": "ChargingStateChanged",
                                         "transactionInfo.chargingState": "EVConnected"},
                         requirements=("F03.FR.03", "errata 2025-09 §6.2.117"))
    last = after or event
    if ends and not ended_by_remote_stop_event:
        sut.check.fields(f"the last TransactionEventRequest of the remote stop with TxStopPoint "
                         f"{','.join(tx.stop_points)} (errata 2025-09 §6.2.117)", last.payload,
                         {"eventType": "Ended", "transactionInfo.stoppedReason": "Remote"},
                         requirements=("F03.FR.03", "E06.FR.15", "errata 2025-09 §6.2.117"))
    return RemoteStop(response, event, after)


# --------------------------------------------------------------------------- boot states (B02/B03)
# A station's timers may fire this much before the interval ends (timer granularity); the harness measures from
# the moment it answered to the moment the retry arrived, which network latency only lengthens.


@dataclass
class BootAnswer:
    """One BootNotificationRequest of the station and how the harness CSMS answered it."""

    boot: IncomingCall
    status: str
    interval: int
    answered_at: float  # harness monotonic clock, just before the answer was sent


class BootAnswers:
    """How the harness CSMS answers the station's BootNotificationRequests in a case: with ``status`` and
    ``interval`` as currently set (a boot whose reason is ``accept_reason`` is Accepted); every answer is
    recorded with its time in ``log``. An Accepted answer carries ``accepted_interval`` (the configured heartbeat
    interval, which the station adopts, B01.FR.04); Pending / Rejected ones ``interval`` (what the case gives:
    Part 6 TC_B_02/03 step 2 give <Configured heartbeatInterval>, ``timing.heartbeat_interval``)."""

    def __init__(self, status: str, interval: int, accepted_interval: int | None = None) -> None:
        self.status = status
        self.interval = interval
        self.accepted_interval = interval if accepted_interval is None else accepted_interval
        self.accept_reason: str | None = None
        self.log: list[BootAnswer] = []

    def __call__(self, incoming: IncomingCall) -> dict[str, Any]:
        status = "Accepted" if self.accept_reason and incoming.payload.get("reason") == self.accept_reason \
            else self.status
        interval = self.accepted_interval if status == "Accepted" else self.interval
        self.log.append(BootAnswer(incoming, status, interval, time.monotonic()))
        return {"currentTime": utc_now(), "interval": interval, "status": status}

    @property
    def last(self) -> BootAnswer:
        return self.log[-1]

    def answer_to(self, boot: IncomingCall) -> BootAnswer:
        return next(a for a in self.log if a.boot is boot)


@contextlib.asynccontextmanager
async def boot_answered(sut: ChargingStationUnderTest, status: str, interval: int) -> AsyncIterator[BootAnswers]:
    """Inside the block the harness CSMS answers BootNotificationRequests ``status`` (Pending / Rejected) with
    ``interval``, unless the case changes ``answers.status``. Afterwards (general precondition, Part 6 §2.1) the
    station ends connected and Accepted: unless its last boot was Accepted, its next BootNotification (at most the
    interval plus the connect timeout later) is answered Accepted and its connector reports are awaited. A failed
    restore is noted, never the case's outcome."""
    answers = BootAnswers(status, interval, sut.config.timing.heartbeat_interval)
    with sut.answering("BootNotification", answers):
        try:
            yield answers
        finally:
            answers.status = "Accepted"
            if answers.log and answers.last.status != "Accepted":
                await _boot_accepted_again(sut, answers)
            elif answers.log:
                await _boot_reports_done(sut, answers.last.boot)


async def _boot_accepted_again(sut: ChargingStationUnderTest, answers: BootAnswers) -> None:
    timeout = answers.interval + sut.tolerance + sut.ctx.scaled(sut.config.timing.connect_timeout)
    deadline = time.monotonic() + timeout
    try:
        while answers.last.status != "Accepted":
            previous = answers.last.boot
            conn = previous.connection
            if not conn.is_open:
                conn = await sut.server.wait_for_connection(sut.identity,
                                                            timeout=max(0.0, deadline - time.monotonic()))
            since = conn.mailbox.index(previous) + 1 if previous in conn.mailbox else 0
            with contextlib.suppress(PeerClosed):
                boot = await conn.expect_call("BootNotification", since=since,
                                              timeout=max(0.0, deadline - time.monotonic()))
                async with asyncio.timeout(max(0.1, deadline - time.monotonic())):
                    await boot.answered.wait()
        await _boot_reports_done(sut, answers.last.boot)
        sut.note("restored: the station booted again and was accepted")
    except (CheckFailed, PeerError, Inconclusive, TimeoutError) as exc:
        sut.note(f"could not get the station accepted again: {exc!r}")


async def _boot_reports_done(sut: ChargingStationUnderTest, boot: IncomingCall) -> None:
    """Wait (at most one message timeout, not judged) until every connector was reported after the accepted
    ``boot``, so that no report of this boot leaks into the next case."""
    conn = boot.connection
    start = conn.mailbox.index(boot) + 1 if boot in conn.mailbox else len(conn.mailbox)

    def reported(incoming: IncomingCall) -> set[tuple[int, int]]:
        if incoming.action == "StatusNotification":
            return {(incoming.payload.get("evseId"), incoming.payload.get("connectorId"))}
        return {(e.get("component", {}).get("evse", {}).get("id"), e.get("component", {}).get("evse", {}).get(
            "connectorId")) for e in _availability_events(incoming)} if incoming.action == "NotifyEvent" else set()

    pending = set(sut.connectors)
    for incoming in conn.mailbox[start:]:
        pending -= reported(incoming)
    deadline = time.monotonic() + sut.message_timeout
    while pending and conn.is_open:
        try:
            pending -= reported(await conn.expect_one_of(AVAILABILITY_REPORTS, since=start, timeout=max(
                0.0, deadline - time.monotonic())))
        except (CheckFailed, PeerError):
            sut.note(f"no status report of connector(s) {sorted(pending)} after the accepted boot")
            return


async def expect_boot_retry(sut: ChargingStationUnderTest, answers: BootAnswers, conn: Connection, *,
                            may_close: bool, asked_for: frozenset[str] | None, early: tuple[str, ...],
                            late: tuple[str, ...], open_requirements: tuple[str, ...] = (),
                            reason: str | None = None) -> tuple[Connection, IncomingCall]:
    """After the harness answered the station's last BootNotification with a status other than Accepted: the
    next BootNotificationRequest (with ``reason``, when given) arrives no sooner than the interval (``early``
    requirements). No document sets an upper bound (B02.FR.08 / B03.FR.06 say "after the interval"): the harness
    waits the interval plus the connect timeout (an operational limit, the time a reconnection may take) and fails
    ``late`` only when no retry comes at all. ``may_close``: the station may close the connection meanwhile and
    send it on a new one (Rejected, B03.FR.04); otherwise a close fails ``open_requirements`` (Pending,
    B02.FR.06). ``asked_for``: the messages the harness asked the station for meanwhile (TriggerMessage,
    GetBaseReport, GetReport); every other CALL is judged by the registration table (what a station may send in
    the status of the last answer; None: not checked). Returns the connection and the retry."""
    last = answers.last
    interval = last.interval
    since = conn.mailbox.index(last.boot) + 1 if last.boot in conn.mailbox else len(conn.mailbox)
    count = sut.connection_count()
    deadline = last.answered_at + interval + sut.ctx.scaled(sut.config.timing.connect_timeout)
    window = f"after the interval ({interval}s) of the {last.status} answer"
    sut.protocol_wait(max(0.0, last.answered_at + interval - time.monotonic()),
                      f"the boot retry interval of the {last.status} answer")
    pattern = {"reason": reason} if reason else {}
    calls: list[IncomingCall] = []
    try:
        try:
            retry = await conn.expect_call("BootNotification", since=since,
                                           timeout=max(0.0, deadline - time.monotonic()), **pattern)
            calls = conn.mailbox[since:conn.mailbox.index(retry)]
        except PeerClosed:
            sut.check.that(f"the station keeps the connection open after a {last.status} boot", may_close,
                           expected="connection open", actual=f"closed: {conn.close_reason}",
                           requirements=open_requirements)
            calls = list(conn.mailbox[since:])
            conn = await sut.server.wait_for_connection(sut.identity, after=count,
                                                        timeout=max(0.0, deadline - time.monotonic()))
            retry = await conn.expect_call("BootNotification", timeout=max(0.0, deadline - time.monotonic()),
                                           **pattern)
            calls += conn.mailbox[:conn.mailbox.index(retry)]
    except PeerTimeout as exc:
        sut.check.that(f"the station sends BootNotificationRequest again {window}", False,
                       expected=f"BootNotificationRequest {window} (waited up to the interval + connect timeout)",
                       actual=exc.actual, requirements=late)
    gap = retry.received_mono - last.answered_at
    sut.no_sooner_than(f"BootNotificationRequest is retried no sooner than the interval ({interval}s) after the "
                       f"{last.status} answer", gap, required=interval, requirements=early)
    if asked_for is not None:
        other = [i.action for i in calls
                 if not registration.station_may_send(last.status, i.action, triggered=i.action in asked_for)]
        sut.check.that(f"the station sends no other CALL while its boot is {last.status}", not other,
                       expected=f"only {sorted(asked_for)}" if asked_for else "no CALL", actual=other,
                       requirements=registration.station_sending_requirements(last.status))
    return conn, retry


__all__ = ["transaction_step_event", "followed_transaction", "ChargingEvidence", "watch_no_charging", "EV_CONNECTED_TRIGGERS",
           "ev_connected_pre_session_of", "parking_bay_occupied", "token_carried",
           "authorized_remote", "judge_remote_start_event", "remote_start_settings", "RemoteStartSettings",
           "stop_authorized_remote", "RemoteStop", "settable",
           "authorized", "transaction_duration", "SIDE_TRIGGERS", "AVAILABILITY_REPORTS", "availability_restored", "availability_scope", "AvailabilityRestore",
           "Boot", "boot_answered", "BOOT_REASONS", "BootAnswer", "BootAnswers", "booted",
           "change_availability", "energy_transfer_started", "energy_transfer_suspended",
           "ev_connected_post_session", "ev_connected_pre_session",
           "ev_connected_transaction", "ev_disconnected", "ev_unplugged_afterwards", "EvConnected",
           "expect_availability_reports", "expect_boot_retry", "expect_connector_reports",
           "expect_startup_security_event", "after_call", "parking_bay_unoccupied",
           "scope_connectors", "stop_authorized", "Transaction", "transactions_ended_afterwards",
           "tx_start_points", "TX_STOP_ENDING", "TX_STOP_REQUIREMENTS", "tx_stop_points",
           "unavailable"]


# --------------------------------------------------------------------------- Local Authorization List (D01, D02; dlist)
LOCAL_LIST_SEND = ("D01.FR.02",)


def invented_id_token(sut: ChargingStationUnderTest) -> dict[str, str]:
    """An idToken the harness invents for a list entry nobody presents (unique per run and across runs): the type of
    the configured valid idToken, a value in hexadecimal like a card UID (7 bytes) so a station that checks the
    format of its RFID types takes it."""
    value = f"{sut.ctx.ids.run_tag}{sut.ctx.ids.next('localListIdToken') % 0x1000000:06X}".upper()
    return {"idToken": value, "type": sut.config.id_tokens.valid.type}


def list_entry(token: dict[str, Any], status: str | None = "Accepted") -> dict[str, Any]:
    """An AuthorizationData element: ``token`` with idTokenInfo ``status`` (None: without idTokenInfo, which removes
    the idToken in a Differential update, D01.FR.17)."""
    entry: dict[str, Any] = {"idToken": dict(token)}
    if status is not None:
        entry["idTokenInfo"] = {"status": status}
    return entry


def configured_entry(sut: ChargingStationUnderTest, role: str, status: str) -> dict[str, Any]:
    """The list entry of a configured idToken (``id_tokens.<role>``: valid, invalid, blocked, expired) with
    idTokenInfo ``status``; INCONCLUSIVE when that idToken is not configured."""
    spec = getattr(sut.config.id_tokens, role)
    if spec is None:
        raise Inconclusive(f"the case needs [id_tokens.{role}] (it presents that idToken), which is not configured")
    return list_entry({"idToken": spec.id_token, "type": spec.type}, status)


async def local_list_limits(sut: ChargingStationUnderTest) -> tuple[int | None, int | None]:
    """LocalAuthListCtrlr.ItemsPerMessage and BytesPerMessage as the station declares them (D01.FR.11), read once per
    run; None where the station does not say."""
    known = sut.ctx.local_list_limits
    if known is not None:
        return known
    limits = []
    for variable in (LOCAL_AUTH_LIST_ITEMS_PER_MESSAGE, LOCAL_AUTH_LIST_BYTES_PER_MESSAGE):
        value = await sut.read_variable(variable, note_unreadable=True)
        try:
            limits.append(int(value) if value is not None and int(value) > 0 else None)
        except ValueError:
            limits.append(None)
    result = (limits[0], limits[1])
    sut.ctx.local_list_limits = result
    return result


def _message_size(update_type: str, version: int, entries: list[dict[str, Any]]) -> int:
    payload = {"versionNumber": version, "updateType": update_type, "localAuthorizationList": entries}
    return len(json.dumps(payload, separators=(",", ":")).encode())


def _split(entries: list[dict[str, Any]], items: int | None, size: int | None, version: int) -> list[list]:
    """``entries`` in parts that each respect ItemsPerMessage and BytesPerMessage (a part never empty unless the
    list is)."""
    parts: list[list[dict[str, Any]]] = [[]]
    for entry in entries:
        part = parts[-1]
        if part and ((items is not None and len(part) >= items)
                     or (size is not None and _message_size("Differential", version, part + [entry]) > size)):
            parts.append([entry])
        else:
            part.append(entry)
    return parts


async def send_local_list(sut: ChargingStationUnderTest, update_type: str, version: int,
                          entries: list[dict[str, Any]], *, status: Any = "Accepted",
                          requirements: tuple[str, ...] = LOCAL_LIST_SEND, what: str = "SendLocalListResponse",
                          precondition: bool = False) -> tuple[int, Response]:
    """SendLocalListRequest ``update_type`` with ``entries`` and ``version``, split to respect the ItemsPerMessage and
    BytesPerMessage the station declares (D01.FR.11): a Full list too large for one message is sent as a Full part
    and Differential parts (D01.FR.03 note), each with the next version. Each response must be a CALLRESULT with
    ``status`` (a pattern: OneOf for alternatives); with ``precondition`` another answer makes the case INCONCLUSIVE
    (a memory state not reached) instead of FAIL. Returns the version of the last part and its response."""
    items, size = await local_list_limits(sut)
    parts = _split(entries, items, size, version)
    if len(parts) > 1:
        sut.note(f"the list of {len(entries)} entries is sent in {len(parts)} SendLocalListRequests "
                 f"(ItemsPerMessage {items}, BytesPerMessage {size}, D01.FR.11)")
    response: Response | None = None
    for index, part in enumerate(parts):
        kind = update_type if index == 0 else "Differential"
        payload: dict[str, Any] = {"versionNumber": version + index, "updateType": kind}
        if part:
            payload["localAuthorizationList"] = part
        response = await sut.call("SendLocalList", payload)
        answered = response.payload.get("status") if response.ok else response.describe()
        if precondition and not (response.ok and matches(status, answered)):
            raise Inconclusive(f"the Local Authorization List could not be installed ({what}): SendLocalList "
                               f"{kind} version {version + index} answered {answered}")
        sut.check.that(f"the station answers SendLocalListRequest ({kind}) with a CALLRESULT", response.ok,
                       expected="CALLRESULT", actual=response.describe(), requirements=requirements)
        sut.check.fields(what, response.payload, {"status": status}, requirements=requirements)
    assert response is not None
    return version + len(parts) - 1, response


async def local_list_version(sut: ChargingStationUnderTest, expected: Any, *, requirements: tuple[str, ...],
                             what: str = "GetLocalListVersionResponse") -> int | None:
    """GetLocalListVersionRequest; the response's versionNumber must match ``expected``. Returns it."""
    response = await sut.call("GetLocalListVersion", {})
    sut.check.that("the station answers GetLocalListVersionRequest with a CALLRESULT", response.ok,
                   expected="CALLRESULT", actual=response.describe(), requirements=requirements)
    sut.check.fields(what, response.payload, {"versionNumber": expected}, requirements=requirements)
    return response.payload.get("versionNumber")


async def local_list_entries_reported(sut: ChargingStationUnderTest, count: int, *,
                                      requirements: tuple[str, ...], what: str) -> None:
    """Part 2 where Part 6 checks only the version: LocalAuthListCtrlr.Entries, the number of idTokens in the list
    (D01.FR.12, required with the list), equals ``count``; a station whose Entries cannot be read is noted."""
    value = await sut.read_variable(LOCAL_AUTH_LIST_ENTRIES, note_unreadable=True)
    if value is None:
        return
    sut.check.that(f"LocalAuthListCtrlr.Entries counts the idTokens of the list: {what}", value.strip() == str(count),
                   expected=str(count), actual=value, requirements=requirements + ("D01.FR.12",))


async def id_token_local_auth_list(sut: ChargingStationUnderTest, entries: list[dict[str, Any]] | None = None, *,
                                   version: int | None = None) -> int:
    """Memory state IdTokenLocalAuthList (Part 6 §3, errata 2025-09 §6.2.121: LocalAuthListCtrlr.Enabled true if
    implemented, set by the caller's configuration state): SendLocalListRequest Full with ``entries`` (default: one
    invented idToken, Accepted) and ``version`` (default ``configured.local_list_version``); the response Accepted
    (step 2). Not reached: INCONCLUSIVE. Returns the list's version."""
    entries = [list_entry(invented_id_token(sut))] if entries is None else entries
    version = sut.config.configured.local_list_version if version is None else version
    last, _ = await send_local_list(sut, "Full", version, entries, precondition=True,
                                    requirements=("D01.FR.02", "D01.FR.15", "Part 6 §3 IdTokenLocalAuthList step 2"),
                                    what="SendLocalListResponse (memory state IdTokenLocalAuthList)")
    return last


@contextlib.asynccontextmanager
async def local_list_enabled(sut: ChargingStationUnderTest, enabled: bool = True) -> AsyncIterator[str | None]:
    """Configuration state "LocalAuthListEnabled is <enabled> (If implemented)" for the block, and afterwards the
    list the case left emptied: a Full update without entries with version ``configured.local_list_version - 1``
    (so a case's Full update with the configured version is a change, and a Differential with it is accepted), then
    Enabled restored. A station that cannot take that update keeps what the case left (noted)."""
    async with settable(sut, LOCAL_AUTH_LIST_ENABLED, "true" if enabled else "false") as value:
        try:
            yield value
        finally:
            await _local_list_emptied(sut)


async def _local_list_emptied(sut: ChargingStationUnderTest) -> None:
    conn = sut.server.connections.get(sut.identity)
    if conn is None or not conn.is_open:
        sut.note("the Local Authorization List could not be emptied after the case: the station is not connected")
        return
    version = sut.config.configured.local_list_version - 1
    try:
        enabled = await sut.read_variable(LOCAL_AUTH_LIST_ENABLED)
        if enabled is not None and not _true(enabled):
            await sut.call("SetVariables", {"setVariableData": [dict(LOCAL_AUTH_LIST_ENABLED, attributeValue="true")]})
        response = await sut.call("SendLocalList", {"versionNumber": version, "updateType": "Full"})
    except PeerError as exc:
        sut.note(f"the Local Authorization List could not be emptied after the case: {exc}")
        return
    answered = response.payload.get("status") if response.ok else response.describe()
    sut.note(f"the Local Authorization List emptied after the case (Full, no entries, version {version}): {answered}")


__all__ += ["LOCAL_LIST_SEND", "configured_entry", "id_token_local_auth_list", "invented_id_token", "list_entry",
            "local_list_enabled", "local_list_entries_reported", "local_list_limits", "local_list_version",
            "send_local_list"]


# ---------------------------------------------------------------------- offline period (Part 6 §2.18; E, C13, C15)
@dataclass
class OfflinePeriod:
    """One offline period the harness makes: the close (harness clocks) and, once accepted, the new connection."""

    station: ChargingStationUnderTest
    closed_mono: float
    count: int  # the station's connections before the close
    connection: Connection | None = None
    reconnected_mono: float | None = None
    reconnected_wall: float | None = None
    events: list[IncomingCall] = dc_field(default_factory=list)

    async def accept(self, *, not_before: float = 0.0, back_off: float = 0.0) -> Connection:
        """Accept the station's next connection attempt from ``not_before`` seconds after the close on (attempts
        before are refused, each one awaited); ``back_off``: how long the station may wait before that attempt
        (its reconnect back-off), on top of ``timing.connect_timeout``."""
        server, identity = self.station.server, self.station.identity
        until = self.closed_mono + not_before
        if not_before > 0:
            self.station.protocol_wait(max(0.0, until - time.monotonic()),
                                       "the harness does not accept a reconnect before RetryBackOffWaitMinimum")
        while time.monotonic() < until:  # an attempt meanwhile is refused; wake on each one
            server.handshake_seen.clear()
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(max(0.0, until - time.monotonic())):
                    await server.handshake_seen.wait()
        server.refusing.discard(identity)
        timeout = self.station.ctx.scaled(self.station.config.timing.connect_timeout) + back_off
        self.connection = await server.wait_for_connection(identity, timeout=timeout, after=self.count)
        self.reconnected_mono, self.reconnected_wall = time.monotonic(), time.time()
        self.station.note(f"reconnection accepted {self.reconnected_mono - self.closed_mono:.3f}s after the close")
        return self.connection


@contextlib.asynccontextmanager
async def offline_period(station: ChargingStationUnderTest) -> AsyncIterator[OfflinePeriod]:
    """Part 6: the harness closes the WebSocket connection and does not accept a reconnect (no network action: Part 6
    only closes and refuses) until :meth:`OfflinePeriod.accept`. Afterwards (also when the case failed) reconnection
    attempts are accepted again and the station's return is awaited, so the next case finds it connected."""
    conn = station.connection
    server = station.server
    period = OfflinePeriod(station, time.monotonic(), station.connection_count())
    server.refusing.add(station.identity)
    try:
        await conn.close(1000, "connection closed by the harness (test): offline period")
        period.closed_mono = time.monotonic()
        yield period
    finally:
        server.refusing.discard(station.identity)
        if period.connection is None:
            with contextlib.suppress(Exception):
                await server.wait_for_connection(station.identity, timeout=station.ctx.scaled(
                    station.config.timing.connect_timeout), after=period.count)


@contextlib.asynccontextmanager
async def offline_configured(station: ChargingStationUnderTest, wait_minimum: float,
                             threshold: float) -> AsyncIterator[None]:
    """Part 6 Configuration State of the offline cases: OfflineThreshold ``threshold``, RetryBackOffWaitMinimum
    ``wait_minimum``, RetryBackOffRandomRange 0 (restored afterwards)."""
    async with station.configured(OFFLINE_THRESHOLD, str(int(threshold))), \
            station.configured(RETRY_BACK_OFF_WAIT_MINIMUM, str(int(wait_minimum))), \
            station.configured(RETRY_BACK_OFF_RANDOM_RANGE, "0"):
        yield


@contextlib.asynccontextmanager
async def configured_if_implemented(station: ChargingStationUnderTest, variable: dict,
                                    value: str) -> AsyncIterator[None]:
    """A Part 6 Configuration State marked "(If implemented)" / "(If ReadWrite)": set (and restored afterwards) when
    the station takes it; skipped with a note when it does not report the variable or does not accept the value."""
    name = f"{variable['component']['name']}.{variable['variable']['name']}"
    async with contextlib.AsyncExitStack() as stack:
        if await station.read_variable(variable) is None:
            station.note(f"{name} is not implemented: not set")
        else:
            try:
                await stack.enter_async_context(station.configured(variable, value))
            except Inconclusive as exc:
                station.note(f"{name} not set ({exc}): Part 6 sets it only where possible")
        yield


def event_time(incoming: IncomingCall) -> float | None:
    """The timestamp of a TransactionEventRequest (POSIX seconds), None when unreadable."""
    text = incoming.payload.get("timestamp")
    try:
        return datetime.fromisoformat(str(text).replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


async def queued_events(station: ChargingStationUnderTest, period: OfflinePeriod, *, until_ended: bool,
                        transaction_id: str | None = None) -> list[IncomingCall]:
    """The TransactionEventRequests the station sends on the new connection once it is back (Part 6: "the Charging
    Station will empty its Transaction message queue"): with ``until_ended``, up to the Ended event of the
    transaction (``transaction_id``, or the first one seen; a timeout fails the case); otherwise those whose
    timestamp lies in the offline period (up to the reconnection, within ``timing.max_time_deviation``), until one
    generated after the reconnection arrives or none for a message timeout. Events of another transaction are left
    alone."""
    conn = period.connection
    assert conn is not None and period.reconnected_wall is not None
    found: list[IncomingCall] = []
    while True:
        pattern = {} if transaction_id is None else {"transactionInfo": {"transactionId": transaction_id}}
        try:
            incoming = await conn.expect_call("TransactionEvent", requirements=(
                "E11.FR.02", "E12.FR.02", "E08.FR.06"), **pattern)
        except PeerTimeout:
            if not until_ended:
                return found
            raise
        if transaction_id is None:
            transaction_id = incoming.payload.get("transactionInfo", {}).get("transactionId")
        stamp = event_time(incoming)
        if not until_ended and stamp is not None and stamp > period.reconnected_wall + station.tolerance:
            station.note(f"TransactionEventRequest seqNo {incoming.payload.get('seqNo')} was generated after the "
                         f"reconnection: the queue is empty")
            return found
        found.append(incoming)
        if until_ended and incoming.payload.get("eventType") == "Ended":
            return found


def check_offline_flag(station: ChargingStationUnderTest, events: list[IncomingCall], *, step: str,
                       requirements: tuple[str, ...]) -> None:
    """Part 6 "All messages: TransactionEventRequest - offline must be true" (soft: every message is judged); no
    queued message at all fails (Part 6: "one or more")."""
    station.check.that(f"{step}: the station sends the TransactionEventRequests it queued while offline", bool(events),
                       expected="one or more TransactionEventRequests generated during the offline period",
                       actual="none", requirements=requirements)
    for incoming in events:
        station.check.that(f"{step}: the queued TransactionEventRequest seqNo {incoming.payload.get('seqNo')} "
                           f"({incoming.payload.get('eventType')}, {incoming.payload.get('triggerReason')}) has "
                           f"offline true", incoming.payload.get("offline") is True, expected="offline true",
                           actual=f"offline {incoming.payload.get('offline', 'omitted (false)')!r}; message "
                                  f"{incoming.message_id}", requirements=requirements, soft=True)


@contextlib.asynccontextmanager
async def start_offline_transaction(station: ChargingStationUnderTest, evse: int, connector: int, token: Any, *,
                                    back_off: float) -> AsyncIterator[tuple["OfflinePeriod", Transaction]]:
    """Reusable state StartOfflineTransaction (Part 6 §2.18): TxStartPoint / TxStopPoint are read while online, then
    (step 1) the harness closes the connection and refuses reconnects (:func:`offline_period`, which the block
    spans): drive in (only with TxStartPoint ParkingBayOccupancy), present ``token`` (a configured idToken), connect
    the EV; (step 2) the next reconnection attempt is accepted. Yields the period and the transaction the harness
    follows (registered for the restore); its events arrive on the new connection: the queue the station empties,
    judged by the case. Nothing is judged here."""
    tx = Transaction(evse, connector, start_points=await tx_start_points(station),
                     stop_points=await tx_stop_points(station), token=token)
    registry = _tx_registry(station)
    if registry is not None:
        registry.append(tx)
    async with offline_period(station) as period:
        if "ParkingBayOccupancy" in tx.start_points:
            await station.actions.do("drive_in", evse=evse)
            tx.parked = True
        await station.actions.do("present_id_token", id_token=token.id_token, type=token.type, evse=evse)
        tx.authorized = True
        await station.actions.do("plug_in", evse=evse, connector=connector)
        tx.plugged = True
        conn = await period.accept(back_off=back_off)
        tx.connection, tx.since = conn, 0
        yield period, tx


# --------------------------------------------------------------------------- ccache: Authorization Cache (C10-C12)
from ...protocol.variables import LOCAL_PRE_AUTHORIZE  # noqa: E402 (kept with its section: several helpers add here)


def authorize_requests(conn: Connection, since: int, id_token: str) -> list[IncomingCall]:
    """The AuthorizeRequests for ``id_token`` the station sent on ``conn`` from the mark ``since`` on (claimed by a
    step or not)."""
    return [c for c in conn.mailbox[since:] if c.action == "Authorize"
            and c.payload.get("idToken", {}).get("idToken") == id_token]


async def id_token_cached(sut: ChargingStationUnderTest, evse: int, connector: int, *, token: Any = None,
                          status: str = "Accepted", token_info: dict[str, Any] | None = None) -> None:
    """Memory state IdTokenCached (Charging Station, Part 6 §2.18 as errata 2025-09 §6.2.120 gives it): ``token`` (an
    ``[id_tokens]`` entry; the valid one by default) is stored in the station's Authorization Cache with ``status``.

    Accepted (the valid idToken): ParkingBayOccupied (optional state), Authorized, EVConnectedPreSession,
    EnergyTransferStarted, StopAuthorized, EVDisconnected, ParkingBayUnoccupied, each with its tool validations; the
    CSMS's idTokenInfo Accepted is what the cache keeps (C10.FR.04, C10.FR.05). Another status: errata §6.2.120 step 2
    only (Authorized, answered with ``status``; steps 3 onwards are for an Accepted idToken): AuthCtrlr.LocalPreAuthorize
    is false while the idToken is presented (if implemented and ReadWrite, restored), so the station asks the CSMS
    (C10.FR.03, C12.FR.05) and keeps the answer (C10.FR.01, C10.FR.04). A station that sends no AuthorizeRequest then
    has not reached the memory state: INCONCLUSIVE. ``token_info`` (optional): the idTokenInfo the harness answers
    in that AuthorizeResponse instead of just ``status`` (e.g. with a groupIdToken; a Master Pass, TC_C_14_CS)."""
    spec = token if token is not None else sut.config.id_tokens.valid
    if status == "Accepted" and token_info is None and spec.id_token == sut.config.id_tokens.valid.id_token:
        async with transactions_ended_afterwards(sut):
            tx = await parking_bay_occupied(sut, evse, connector)
            tx = await authorized(sut, evse, connector, tx=tx)
            await ev_connected_pre_session_of(sut, tx)
            await energy_transfer_started(sut, evse, connector, tx=tx)
            await stop_authorized(sut, tx)
            await ev_disconnected(sut, tx)
            await parking_bay_unoccupied(sut, tx)
        sut.note(f"memory state IdTokenCached: {spec.id_token} ({spec.type}) authorized Accepted")
        return
    async with settable(sut, LOCAL_PRE_AUTHORIZE, "false"):
        conn = sut.connection
        mark = conn.mark()
        # token_info (coffline): the whole idTokenInfo answered, e.g. with a groupIdToken (TC_C_41/44_CS)
        with sut.answering("Authorize", {"idTokenInfo": token_info or {"status": status}}):
            await sut.actions.do("present_id_token", id_token=spec.id_token, type=spec.type, evse=evse)
            try:
                await conn.expect_call("Authorize", since=mark, idToken={"idToken": spec.id_token})
            except PeerTimeout:
                raise Inconclusive(f"memory state IdTokenCached for {spec.id_token} ({status}) not reached: the station "
                                   f"sent no AuthorizeRequest for it (errata 2025-09 §6.2.120 step 2)") from None
    sut.note(f"memory state IdTokenCached: {spec.id_token} ({spec.type}) answered {status}")


@contextlib.asynccontextmanager
async def cache_cleared_afterwards(sut: ChargingStationUnderTest) -> AsyncIterator[None]:
    """After a case that left an idToken in the Authorization Cache with a status the next case does not expect (the
    valid idToken cached Invalid, say): the cache is cleared (ClearCacheRequest, C11), even when the case failed. The
    answer is noted, never judged (the case's own outcome stands)."""
    try:
        yield
    finally:
        conn = sut.server.connections.get(sut.identity)
        if conn is not None and conn.is_open:
            try:
                response = await conn.call("ClearCache", {})
                sut.note(f"restored: Authorization Cache cleared (ClearCacheResponse "
                         f"{response.payload.get('status') if response.ok else response.describe()})")
            except PeerError as exc:
                sut.note(f"could not clear the Authorization Cache: {exc}")


def answering_invalid(sut: ChargingStationUnderTest, id_token: str) -> Any:
    """Inside the block the harness answers every TransactionEventRequest carrying ``id_token`` with idTokenInfo
    Invalid (Part 6 Deauthorized step 2; TC_C_33_CS step 13), every other one as usual (Accepted for an idToken)."""
    def answer(incoming: IncomingCall) -> dict[str, Any]:
        carried = incoming.payload.get("idToken")
        if carried is None:
            return {}
        return {"idTokenInfo": {"status": "Invalid" if carried.get("idToken") == id_token else "Accepted"}}
    return sut.answering("TransactionEvent", answer)


DEAUTHORIZED_REQUIREMENTS = ("E05.FR.09", "E05.FR.10", "E06.FR.04", "Part 6 §2.18 Deauthorized step 3 (errata 2025-09 "
                             "§6.2.118)")


async def deauthorized(sut: ChargingStationUnderTest, tx: Transaction, *, stop_tx_on_invalid_id: bool
                       ) -> IncomingCall | None:
    """Reusable state Deauthorized (Charging Station, errata 2025-09 §6.2.118) after Authorized, inside
    :func:`answering_invalid` (entered before Authorized, so the first answer is already Invalid): the transaction
    reusable states go on (EVConnectedPreSession when the EV is not plugged in) until the first
    TransactionEventRequest carrying the idToken (step 1: the valid idToken and type), answered Invalid (step 2);
    with StopTxOnInvalidId true, step 3: triggerReason Deauthorized, chargingState EVConnected or SuspendedEVSE, and
    with TxStopPoint Authorized, PowerPathClosed or EnergyTransfer eventType Ended with stoppedReason DeAuthorized,
    otherwise Updated (with no EV plugged in, chargingState Idle or omitted). Steps 5-6 (UnlockConnector for a locked connector) are not executed (noted). Returns the step 3
    event (None without StopTxOnInvalidId)."""
    token = sut.config.id_tokens.valid

    def carries(event: IncomingCall) -> bool:
        return "idToken" in event.payload

    first = next((e for e in tx.events[tx.token_at or 0:] if carries(e)), None)
    if first is None and not tx.plugged:
        await ev_connected_pre_session_of(sut, tx)
        first = next((e for e in tx.events[tx.token_at or 0:] if carries(e)), None)
    while first is None:
        event = await _tx_step_event(sut, tx, "a TransactionEventRequest carries the idToken (Part 6 Deauthorized "
                                              "step 1)", triggers=("Authorized", "CablePluggedIn"),
                                     requirements=("E01.FR.10", "Part 6 §2.18 Deauthorized step 1"), wanted=carries)
        first = event if carries(event) else None
    sut.check.fields("TransactionEventRequest carrying the idToken (Part 6 Deauthorized step 1)", first.payload,
                     {"idToken.idToken": token.id_token, "idToken.type": token.type},
                     requirements=("Part 6 §2.18 Deauthorized step 1",))
    if not stop_tx_on_invalid_id:
        return None
    tx.mark = None  # the Deauthorized event may have followed the answer at once: look from the transaction's start
    event = await _tx_step_event(sut, tx, "a TransactionEventRequest reports the transaction deauthorized (Part 6 "
                                          "Deauthorized step 3)", triggers=("Deauthorized",),
                                 requirements=DEAUTHORIZED_REQUIREMENTS)
    ends = bool(set(tx.stop_points) & {"Authorized", "PowerPathClosed", "EnergyTransfer"})
    # Part 6 step 3 names EVConnected or SuspendedEVSE: an EV is connected. Deauthorized at the authorization itself
    # (TxStartPoint Authorized, no EV plugged in), the chargingState stays Idle (omitted: unchanged), Part 2 §2.1.
    expected: dict[str, Any] = {"triggerReason": "Deauthorized", "transactionInfo.chargingState": OneOf(
        "EVConnected", "SuspendedEVSE") if tx.plugged else OneOf(ABSENT, "Idle")}
    expected.update({"eventType": "Ended", "transactionInfo.stoppedReason": "DeAuthorized"} if ends
                    else {"eventType": "Updated"})
    sut.check.fields(f"TransactionEventRequest after idTokenInfo Invalid with TxStopPoint "
                     f"{','.join(tx.stop_points) or '?'} (Part 6 Deauthorized step 3)", event.payload, expected,
                     requirements=DEAUTHORIZED_REQUIREMENTS)
    sut.note("Deauthorized steps 5-6 (UnlockConnector when the connector stays locked) not executed")
    return event


__all__ += ["authorize_requests", "cache_cleared_afterwards", "id_token_cached"]
__all__ += ["answering_invalid", "deauthorized", "DEAUTHORIZED_REQUIREMENTS"]


def reconnect_back_off(wait_minimum: float) -> float:
    """How long the station may wait for its next attempt after refused ones: the back-off doubled a few times
    (OCPP-J Part 4 §5.3, at most RetryBackOffRepeatTimes)."""
    return 8 * wait_minimum
__all__ += ["OfflinePeriod", "check_offline_flag", "configured_if_implemented", "event_time", "offline_configured",
            "offline_period", "queued_events", "reconnect_back_off", "start_offline_transaction"]  # coffline
