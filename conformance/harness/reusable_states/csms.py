"""Part 6 reusable states of a CSMS under test (§3.18), the harness playing the Charging Station.

The same names as :mod:`.station` for the same states (``booted``, ``unavailable``, ``availability_restored``,
``energy_transfer_started``, ...), each driving the CSMS and judging its answers.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any, AsyncIterator

from ...protocol.frames import utc_now
from ...protocol.patterns import ABSENT
from ...transport.connection import Connection, IncomingCall, Response
from ..sides import CsmsUnderTest
from .common import (AvailabilityRestore, availability_scope, _restore_each_scope, scope_connectors,
                     transaction_duration)


@dataclass
class Boot:
    connection: Connection
    boot: Response | None  # None: the station was still booted and idle, it did not boot again
    statuses: list[Response]


async def booted(csms: CsmsUnderTest, *, power_cycle: bool = False) -> Boot:
    """Reusable state Booted (CSMS): the harness station connects, boots with reason PowerUp and its configured
    model and vendor, must be Accepted, and reports every connector Available.

    A station still connected, booted and idle from the case before is in that state already and is not power
    cycled again: a real station stays connected between cases (issue 8 §2). ``power_cycle`` makes it reconnect
    and boot anyway, for a case whose scenario is the boot itself (TC_B_01_CSMS)."""
    station = csms.station
    if station.booted_and_idle and not power_cycle:
        csms.note("Booted: the harness station is still connected, booted and idle; it does not boot again")
        return Boot(csms.connection, None, [])
    conn = await csms.connect()
    response = await csms.call("BootNotification", {"reason": "PowerUp", "chargingStation": station.charging_station})
    csms.check.fields("BootNotificationResponse (Part 6 §3.18 Booted tool validation step 2)", response.payload,
                      {"status": "Accepted"}, requirements=("B01.FR.02", "Part 6 §3.18 Booted tool validation step 2"))
    statuses = []
    for evse, connector in csms.connectors:
        status = await csms.call("StatusNotification", {"timestamp": utc_now(), "connectorStatus": "Available",
                                                        "evseId": evse, "connectorId": connector})
        csms.check.that(f"the CSMS accepts the StatusNotification of EVSE {evse} connector {connector}", status.ok,
                        expected="CALLRESULT", actual=status.describe(),
                        requirements=("Part 6 §3.18 Booted step 4: the CSMS responds", "OCPP-J Part 4 §4.2.2"))
        statuses.append(status)
    return Boot(conn, response, statuses)


async def report_availability(csms: CsmsUnderTest, connectors: list[tuple[int, int]], status: str) -> None:
    """The harness station reports each connector's status by StatusNotification; the CSMS must answer
    each with a CALLRESULT."""
    for evse, connector in connectors:
        response = await csms.call("StatusNotification", {"timestamp": utc_now(), "connectorStatus": status,
                                                          "evseId": evse, "connectorId": connector})
        csms.check.that(f"the CSMS accepts the StatusNotification {status} of EVSE {evse} connector {connector}",
                        response.ok, expected="CALLRESULT", actual=response.describe(),
                        requirements=("Part 6 §3.18: the CSMS responds to the status report", "OCPP-J Part 4 §4.2.2"))


async def change_availability(csms: CsmsUnderTest, operational: str, *, evse: int | None = None,
                              connector: int | None = None) -> IncomingCall:
    """On request (action ``csms_send``), the CSMS sends ChangeAvailabilityRequest for the station, an EVSE
    or a connector; the tool validations of Part 6 (operationalStatus, evse.id, evse.connectorId, or no
    evse for the whole station) are checked and the harness station answers Accepted."""
    await csms.actions.do("csms_send", station=csms.identity, request="ChangeAvailability",
                          payload={"operationalStatus": operational, **availability_scope(evse, connector)})
    request = await csms.expect_call("ChangeAvailability")
    # The CSMS's request is judged by the Part 6 tool validation (G03/G04 only bind the station).
    validation = (f"Part 6 tool validation step 1 (ChangeAvailabilityRequest, {'G04' if evse is None else 'G03'}; "
                  "§3.18 Unavailable)")
    csms.check.fields("ChangeAvailabilityRequest", request.payload, {"operationalStatus": operational},
                      requirements=(validation,))
    if evse is None:
        csms.check.fields("ChangeAvailabilityRequest", request.payload, {"evse": ABSENT},
                          requirements=(validation,))
    else:
        csms.check.fields("ChangeAvailabilityRequest", request.payload, {
            "evse.id": evse, "evse.connectorId": ABSENT if connector is None else connector},
            requirements=(validation,))
    return request


async def unavailable(csms: CsmsUnderTest, *, evse: int | None = None,
                      connector: int | None = None) -> IncomingCall:
    """Reusable state Unavailable (CSMS, Part 6 §3.18): the CSMS sends ChangeAvailability Inoperative for the
    scope, the harness answers Accepted and reports every connector of the scope Unavailable."""
    request = await change_availability(csms, "Inoperative", evse=evse, connector=connector)
    await report_availability(csms, scope_connectors(csms, evse, connector), "Unavailable")
    return request


def availability_restored(csms: CsmsUnderTest) -> contextlib.AbstractAsyncContextManager[AvailabilityRestore]:
    """General precondition after an availability case of a CSMS: each scope in ``pending`` is made Operative
    again through the CSMS (``csms_send``), answered Accepted and reported Available, even when the case
    failed. A failed restore is noted, never the case's outcome."""
    async def restore_one(evse: int | None, connector: int | None) -> None:
        try:
            await csms.actions.do("csms_send", station=csms.identity, request="ChangeAvailability",
                                  payload={"operationalStatus": "Operative", **availability_scope(evse, connector)})
            await csms.expect_call("ChangeAvailability")
            await report_availability(csms, scope_connectors(csms, evse, connector), "Available")
            csms.note(f"restored: {availability_scope(evse, connector) or 'the station'} Operative")
        except Exception as exc:  # action failures, timeouts, disconnects: never the case's outcome
            csms.note(f"could not restore availability of {availability_scope(evse, connector) or 'the station'}"
                      f": {exc}")

    return _restore_each_scope(restore_one)


@dataclass
class Transaction:
    """A transaction the harness station runs against the CSMS under test (Part 6 §3.18 states)."""

    transaction_id: str
    evse: int
    connector: int
    seq_no: int = 0
    ended: bool = False


async def _transaction_event(csms: CsmsUnderTest, tx: Transaction, event_type: str, trigger: str,
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
                    response.ok, expected="CALLRESULT", actual=response.describe(),
                    requirements=("Part 6 §3.18: the CSMS responds with a TransactionEventResponse",
                                  "OCPP-J Part 4 §4.2.2"))
    if event_type == "Ended":
        tx.ended = True
    return response


async def energy_transfer_started(csms: CsmsUnderTest, evse: int, connector: int) -> Transaction:
    """Reusable states Authorized + EnergyTransferStarted (CSMS, Part 6 §3.18): the harness station authorizes
    the configured valid idToken (AuthorizeResponse and TransactionEventResponse must say Accepted), starts a
    transaction, reports the connector Occupied, the cable plugged in and the energy transfer Charging."""
    token = csms.config.id_tokens.valid.to_ocpp()
    authorize = await csms.call("Authorize", {"idToken": token})
    csms.check.fields("AuthorizeResponse", authorize.payload if authorize.ok else {}, {
        "idTokenInfo.status": "Accepted"}, requirements=("Part 6 §3.18 Authorized tool validation step 2",))
    tx = Transaction(csms.ctx.ids.text("transactionId", "G-"), evse, connector)
    started = await _transaction_event(csms, tx, "Started", "Authorized", "Idle", idToken=token)
    csms.check.fields("TransactionEventResponse", started.payload, {"idTokenInfo.status": "Accepted"},
                      requirements=("Part 6 §3.18 Authorized tool validation step 4",))
    await report_availability(csms, [(evse, connector)], "Occupied")
    await _transaction_event(csms, tx, "Updated", "CablePluggedIn", "EVConnected",
                             evse={"id": evse, "connectorId": connector})
    await _transaction_event(csms, tx, "Updated", "ChargingStateChanged", "Charging")
    return tx


async def transaction_ended(csms: CsmsUnderTest, tx: Transaction, *, status_after: str = "Available") -> None:
    """Reusable states StopAuthorized, EVConnectedPostSession and EVDisconnected (CSMS, Part 6 §3.18): the
    stop is authorized (TransactionEventResponse idTokenInfo Accepted), the energy transfer stops, the EV is
    unplugged: the connector is reported Available (EVDisconnected step 1) and the transaction Ended with
    stoppedReason EVDisconnected (step 3). ``status_after`` other than Available (a change of availability was
    scheduled, TC_G_11/14/17_CSMS step 6): the connector is then reported so, as Part 6 does after
    EVDisconnected."""
    token = csms.config.id_tokens.valid.to_ocpp()
    await transaction_duration(csms)
    stop = await _transaction_event(csms, tx, "Updated", "StopAuthorized", "Charging", idToken=token)
    csms.check.fields("TransactionEventResponse", stop.payload, {"idTokenInfo.status": "Accepted"},
                      requirements=("Part 6 §3.18 StopAuthorized tool validation step 2",))
    await _transaction_event(csms, tx, "Updated", "ChargingStateChanged", "EVConnected")
    await report_availability(csms, [(tx.evse, tx.connector)], "Available")
    await _transaction_event(csms, tx, "Ended", "EVCommunicationLost", "Idle", info={"stoppedReason": "EVDisconnected"})
    if status_after != "Available":
        await report_availability(csms, [(tx.evse, tx.connector)], status_after)


@contextlib.asynccontextmanager
async def transactions_ended_afterwards(csms: CsmsUnderTest) -> AsyncIterator[list[Transaction]]:
    """General precondition after a CSMS case with a transaction: every transaction the case put in the
    yielded list and did not end is ended (EV unplugged, connector Available), even when the case failed."""
    transactions: list[Transaction] = []
    try:
        yield transactions
    finally:
        for tx in transactions:
            if tx.ended:
                continue
            try:
                await report_availability(csms, [(tx.evse, tx.connector)], "Available")
                await _transaction_event(csms, tx, "Ended", "EVCommunicationLost", "Idle",
                                         info={"stoppedReason": "EVDisconnected"})
            except Exception as exc:  # timeouts, disconnects: never the case's outcome
                csms.note(f"could not end transaction {tx.transaction_id}: {exc}")


@contextlib.asynccontextmanager
async def boot_answered(csms: CsmsUnderTest, status: str) -> AsyncIterator[None]:
    """The CSMS is configured (``csms_configure boot_status``) to answer the harness station's BootNotification
    with ``status``; afterwards it is configured back to Accepted (a failure is noted)."""
    await csms.actions.do("csms_configure", setting="boot_status", value=status, station=csms.identity)
    try:
        yield
    finally:
        try:
            await csms.actions.do("csms_configure", setting="boot_status", value="Accepted", station=csms.identity)
        except Exception as exc:  # action failures: never the case's outcome
            csms.note(f"could not configure the CSMS back to accept the station: {exc}")


async def boot_notification(csms: CsmsUnderTest, reason: str = "PowerUp") -> Response:
    """The harness station sends BootNotificationRequest with ``reason`` and its configured model and vendor;
    the CSMS must answer it with a CALLRESULT (B01.FR.02)."""
    response = await csms.call("BootNotification", {"reason": reason,
                                                    "chargingStation": csms.station.charging_station})
    csms.check.that("the CSMS answers BootNotificationRequest with a CALLRESULT", response.ok, expected="CALLRESULT",
                    actual=response.describe(), requirements=("B01.FR.02",))
    return response


__all__ = ["availability_restored", "availability_scope", "AvailabilityRestore", "Boot", "boot_answered",
           "boot_notification", "booted", "change_availability", "energy_transfer_started", "report_availability",
           "scope_connectors", "Transaction", "transaction_duration", "transaction_ended", "transactions_ended_afterwards", "unavailable"]


# --------------------------------------------------------------------------- remote control (block F; helper fcsms)
async def transaction_event(csms: CsmsUnderTest, tx: Transaction, event_type: str, trigger: str, charging_state: str,
                            **extra: Any) -> Response:
    """The harness station sends a TransactionEventRequest of ``tx`` (seqNo counted on, the evse in the first
    event; ``info``: more transactionInfo fields, e.g. remoteStartId; other keywords: more request fields) and the
    CSMS must answer it with a CALLRESULT. For the steps of a case that are no reusable state (a remote start's
    event, a triggered event)."""
    return await _transaction_event(csms, tx, event_type, trigger, charging_state, **extra)


async def ev_connected_pre_session(csms: CsmsUnderTest, evse: int, connector: int,
                                   tx: Transaction | None = None) -> Transaction:
    """Reusable state EVConnectedPreSession (CSMS, Part 6 §3.18): the connector is reported Occupied and the cable
    plugged in by a TransactionEventRequest (triggerReason CablePluggedIn, chargingState EVConnected, the evse):
    eventType Started for a new transaction, Updated for ``tx`` when the state is Authorized already. Each message
    must be answered (CALLRESULT)."""
    await report_availability(csms, [(evse, connector)], "Occupied")
    event_type = "Updated" if tx is not None else "Started"
    if tx is None:
        tx = Transaction(csms.ctx.ids.text("transactionId", "F-"), evse, connector)
    await _transaction_event(csms, tx, event_type, "CablePluggedIn", "EVConnected",
                             evse={"id": evse, "connectorId": connector})
    return tx


async def energy_transfer_started_for(csms: CsmsUnderTest, tx: Transaction, *, ev_connected: bool) -> None:
    """Reusable state EnergyTransferStarted (CSMS, Part 6 §3.18) for ``tx``, already Authorized (locally or by a
    remote start): Part 1 when the EV is not connected yet (``ev_connected`` false: the connector reported
    Occupied, TransactionEvent Updated CablePluggedIn / EVConnected with the evse), then Part 2 (TransactionEvent
    Updated ChargingStateChanged / Charging). Each message must be answered (CALLRESULT)."""
    if not ev_connected:
        await report_availability(csms, [(tx.evse, tx.connector)], "Occupied")
        await _transaction_event(csms, tx, "Updated", "CablePluggedIn", "EVConnected",
                                 evse={"id": tx.evse, "connectorId": tx.connector})
    await _transaction_event(csms, tx, "Updated", "ChargingStateChanged", "Charging")


__all__ += ["energy_transfer_started_for", "ev_connected_pre_session", "transaction_event"]
