"""Part 6 reusable states of a CSMS under test (§3.18), the harness playing the Charging Station.

The same names as :mod:`.station` for the same states (``booted``, ``unavailable``, ``availability_restored``,
``energy_transfer_started``, ...), each driving the CSMS and judging its answers.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass
from typing import Any, AsyncIterator, Callable

from ...outcomes import Inconclusive
from ...protocol import meter_values as mv
from ...protocol.frames import utc_now
from ...protocol.patterns import ABSENT
from ...transport.connection import Connection, IncomingCall, Response
from ..sides import CsmsUnderTest
from .common import (AvailabilityRestore, availability_scope, _restore_each_scope, scope_connectors,
                     _station_timer, transaction_duration)

station_timer = _station_timer  # a timer of the station the harness plays (see common)


@dataclass
class Boot:
    connection: Connection
    boot: Response | None  # None: the station was still booted and idle, it did not boot again
    statuses: list[Response]


async def booted(csms: CsmsUnderTest, *, power_cycle: bool = False, precondition: bool = False) -> Boot:
    """Reusable state Booted (CSMS): the harness station connects, boots with reason PowerUp and its configured
    model and vendor, must be Accepted, and reports every connector Available.

    ``precondition``: for a case whose Part 6 Before does not name Booted (it is only the general precondition, e.g.
    blocks E and F), a boot the CSMS does not accept is an unmet precondition (INCONCLUSIVE, case pattern §3; the
    station may not be provisioned in the CSMS), not a failed tool validation.

    A station still connected, booted and idle from the case before is in that state already and is not power
    cycled again: a real station stays connected between cases (issue 8 §2). ``power_cycle`` makes it reconnect
    and boot anyway, for a case whose scenario is the boot itself (TC_B_01_CSMS)."""
    station = csms.station
    if station.booted_and_idle and not power_cycle:
        csms.note("Booted: the harness station is still connected, booted and idle; it does not boot again")
        return Boot(csms.connection, None, [])
    conn = await csms.connect()
    response = await csms.call("BootNotification", {"reason": "PowerUp", "chargingStation": station.charging_station})
    if precondition and response.ok and response.payload.get("status") != "Accepted":
        raise Inconclusive(f"general precondition Booted not met: the CSMS answered the harness station's "
                           f"BootNotification {response.payload.get('status')!r}, not Accepted (is the station "
                           "provisioned in the CSMS?)")
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
    failed. A restore that cannot be done (an action, a timeout, a disconnect) is noted and never replaces the
    case's outcome; a failed check of the CSMS's answers to it is recorded and makes the case FAIL like any
    check (the frame arrived during the case)."""
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
    # What the simulated station knows (Part 6 §3.18: "If State is Authorized", "If EVConnected is true").
    authorized: bool = False
    ev_connected: bool = False


async def _transaction_event(csms: CsmsUnderTest, tx: Transaction, event_type: str, trigger: str,
                             charging_state: str | None, *, seq_no: int | None = None,
                             requirements: tuple[str, ...] = (), **extra: Any) -> Response:
    """The harness station sends a TransactionEventRequest of ``tx`` (seqNo: the next one, or ``seq_no`` for an event
    sent out of order; evse in the first event; ``charging_state`` None: left out) and the CSMS must answer it with a
    CALLRESULT that carries idTokenInfo when the event carries an idToken (``requirements``: what else the answer is
    required by, e.g. the case's Part 6 step)."""
    info: dict[str, Any] = {"transactionId": tx.transaction_id}
    if charging_state is not None:
        info["chargingState"] = charging_state
    payload: dict[str, Any] = {"eventType": event_type, "timestamp": utc_now(), "triggerReason": trigger,
                               "seqNo": tx.seq_no if seq_no is None else seq_no, "transactionInfo": info}
    if payload["seqNo"] == 0:
        payload["evse"] = {"id": tx.evse, "connectorId": tx.connector}
    payload["transactionInfo"].update(extra.pop("info", {}))
    payload.update(extra)
    payload = {k: v for k, v in payload.items() if v is not None}  # evse=None: the EVSE not known yet
    if seq_no is None:
        tx.seq_no += 1
    response = await csms.call("TransactionEvent", payload)
    if event_type == "Ended":  # the station has ended it, whatever the CSMS answers
        tx.ended = True
        csms.station.ongoing_transactions.pop(tx.transaction_id, None)
    elif not tx.ended:  # started (whatever the CSMS answers): a case's restore ends it (transactions_ended_afterwards)
        csms.station.ongoing_transactions[tx.transaction_id] = tx
    what = f"TransactionEventRequest ({event_type}, {trigger}, seqNo {payload['seqNo']}" + \
        (", offline" if payload.get("offline") else "") + ")"
    csms.check.that(f"the CSMS answers {what} with a CALLRESULT",
                    response.ok, expected="CALLRESULT", actual=response.describe(),
                    requirements=("Part 6 §3.18: the CSMS responds with a TransactionEventResponse",
                                  "OCPP-J Part 4 §4.2.2", *requirements))
    if "idToken" in payload:
        csms.check.that(f"the TransactionEventResponse to {what} carries idTokenInfo (the event has an idToken)",
                        "idTokenInfo" in response.payload, expected="idTokenInfo present",
                        actual=response.payload, requirements=_TOKEN_INFO_REQUIRED)
        group = _configured_group(csms, payload["idToken"])
        if group is not None:  # soft: the case's own Part 6 validation of idTokenInfo.status is still recorded
            csms.check.fields(f"TransactionEventResponse to {what}: the idToken's configured group", response.payload,
                              {"idTokenInfo.groupIdToken.idToken": group}, requirements=("E01.FR.12", "C09.FR.12"),
                              soft=True)
    return response


async def transaction_event(csms: CsmsUnderTest, tx: Transaction, event_type: str, trigger: str,
                            charging_state: str | None, *, seq_no: int | None = None,
                            requirements: tuple[str, ...] = (), **extra: Any) -> Response:
    """A case's own TransactionEvent step: the harness station sends a TransactionEventRequest of ``tx`` with
    ``event_type``, ``trigger`` and ``charging_state`` (None: left out); ``extra``: more fields (``info``: more of
    transactionInfo, e.g. stoppedReason; ``idToken``, ``offline``, ``meterValue``, ``timestamp``); ``seq_no``: an
    explicit seqNo for an event sent out of order (the next seqNo is otherwise used and counted). The CSMS must answer
    with a CALLRESULT (``requirements``: the case's Part 6 step ...), with idTokenInfo when the event has an idToken."""
    return await _transaction_event(csms, tx, event_type, trigger, charging_state, seq_no=seq_no,
                                    requirements=requirements, **extra)


def _configured_group(csms: CsmsUnderTest, id_token: dict[str, Any]) -> str | None:
    """The groupIdToken the CSMS is provisioned with for ``id_token`` (``[id_tokens.*] group_id_token``), if any: the
    CSMS then answers idTokenInfo with it (E01.FR.12 "and the groupIdToken if one exists", C09.FR.12)."""
    return next((spec.group_id_token for _, spec in csms.config.id_tokens.items()
                 if spec.id_token == id_token.get("idToken") and spec.group_id_token), None)


# TransactionEventResponse.idTokenInfo is "required when the request contained an idToken" (Part 2 messages, field
# definition); E01.FR.12 / E03.FR.02: the CSMS answers an authorization status for the idToken.
_TOKEN_INFO_REQUIRED = ("E01.FR.12", "E03.FR.02", "Part 2 TransactionEventResponse.idTokenInfo (required when the "
                        "request contained an idToken)")


def new_transaction(csms: CsmsUnderTest, evse: int, connector: int) -> Transaction:
    """A transaction the harness station is about to start on ``evse`` / ``connector``, with a transactionId unique
    in the run (``ids``)."""
    return Transaction(csms.ctx.ids.text("transactionId", "TX-"), evse, connector)


async def authorized(csms: CsmsUnderTest, evse: int, connector: int, *, tx: Transaction | None = None,
                     requirements: tuple[str, ...] = (), id_token: dict[str, Any] | None = None) -> Transaction:
    """Reusable state Authorized (CSMS, Part 6 §3.18 Table 702): the harness station sends AuthorizeRequest with the
    configured valid idToken (step 2: AuthorizeResponse Accepted), then TransactionEventRequest triggerReason
    Authorized with that idToken, Started, or Updated when ``tx`` is already running (EVConnectedPreSession); step 4:
    TransactionEventResponse idTokenInfo Accepted. ``requirements``: what else the TransactionEvent's answer is
    judged by (the case's Part 6 step, e.g. E02.FR.02). ``id_token``: another configured valid token than
    ``[id_tokens.valid]`` (e.g. valid_idtoken2 of a group, TC_C_47_CSMS)."""
    token = id_token or csms.config.id_tokens.valid.to_ocpp()
    authorize = await csms.call("Authorize", {"idToken": token})
    csms.check.fields("AuthorizeResponse", authorize.payload if authorize.ok else {}, {
        "idTokenInfo.status": "Accepted"}, requirements=("Part 6 §3.18 Authorized tool validation step 2",))
    if tx is None:
        tx = new_transaction(csms, evse, connector)
    event_type = "Updated" if tx.seq_no else "Started"
    response = await _transaction_event(csms, tx, event_type, "Authorized",
                                        "EVConnected" if tx.ev_connected else "Idle", idToken=token,
                                        requirements=requirements)
    csms.check.fields("TransactionEventResponse", response.payload, {"idTokenInfo.status": "Accepted"},
                      requirements=("Part 6 §3.18 Authorized tool validation step 4", *requirements))
    tx.authorized = True
    return tx


async def ev_connected_pre_session(csms: CsmsUnderTest, evse: int, connector: int,
                                   tx: Transaction | None = None) -> Transaction:
    """Reusable state EVConnectedPreSession (CSMS, Part 6 §3.18 Table 701), also Part 1 of EnergyTransferStarted: the
    connector is reported Occupied (answered), then TransactionEventRequest triggerReason CablePluggedIn, chargingState
    EVConnected, with the evse: Started, or Updated when ``tx`` is already running (Authorized)."""
    await report_availability(csms, [(evse, connector)], "Occupied")
    if tx is None:
        tx = new_transaction(csms, evse, connector)
    await _transaction_event(csms, tx, "Updated" if tx.seq_no else "Started", "CablePluggedIn", "EVConnected",
                             evse={"id": evse, "connectorId": connector})
    tx.ev_connected = True
    return tx


async def energy_transfer_started(csms: CsmsUnderTest, evse: int, connector: int, *,
                                  tx: Transaction | None = None, requirements: tuple[str, ...] = (),
                                  id_token: dict[str, Any] | None = None) -> Transaction:
    """Reusable state EnergyTransferStarted (CSMS, Part 6 §3.18 Table 703): Authorized first unless ``tx`` is
    authorized (AuthorizeResponse and TransactionEventResponse must say Accepted), Part 1 unless the EV is connected
    (connector Occupied, CablePluggedIn), Part 2: TransactionEventRequest ChargingStateChanged, Charging.
    ``requirements``: what else the answer to the Authorized event (Started when ``tx`` is new) is judged by;
    ``id_token``: the valid token it is authorized with (``[id_tokens.valid]`` when None)."""
    if tx is None or not tx.authorized:
        tx = await authorized(csms, evse, connector, tx=tx, requirements=requirements, id_token=id_token)
    if not tx.ev_connected:
        await ev_connected_pre_session(csms, evse, connector, tx=tx)
    await _transaction_event(csms, tx, "Updated", "ChargingStateChanged", "Charging")
    return tx


async def energy_transfer_suspended(csms: CsmsUnderTest, tx: Transaction) -> None:
    """Reusable state EnergyTransferSuspended (CSMS, Part 6 §3.18 Table 704), from EnergyTransferStarted: after the
    configured transaction duration, TransactionEventRequest ChargingStateChanged, SuspendedEV."""
    await transaction_duration(csms)
    await _transaction_event(csms, tx, "Updated", "ChargingStateChanged", "SuspendedEV")


# the meterValue of an Ended event, or a callable making it when the event is sent (readings taken right before it)
MeterValuesArg = list[dict[str, Any]] | Callable[[], list[dict[str, Any]]] | None


async def stop_authorized(csms: CsmsUnderTest, tx: Transaction) -> None:
    """Reusable state StopAuthorized (CSMS, Part 6 §3.18 Table 705): after the configured transaction duration,
    TransactionEventRequest Updated, StopAuthorized, with the idToken that started it; step 2: idTokenInfo
    Accepted."""
    token = csms.config.id_tokens.valid.to_ocpp()
    await transaction_duration(csms)
    stop = await _transaction_event(csms, tx, "Updated", "StopAuthorized", "Charging", idToken=token)
    csms.check.fields("TransactionEventResponse", stop.payload, {"idTokenInfo.status": "Accepted"},
                      requirements=("Part 6 §3.18 StopAuthorized tool validation step 2",))
    tx.authorized = False


async def ev_connected_post_session(csms: CsmsUnderTest, tx: Transaction) -> None:
    """Reusable state EVConnectedPostSession (CSMS, Part 6 §3.18 Table 706), StopAuthorized first unless done:
    TransactionEventRequest Updated, ChargingStateChanged, EVConnected."""
    if tx.authorized:
        await stop_authorized(csms, tx)
    await _transaction_event(csms, tx, "Updated", "ChargingStateChanged", "EVConnected")


async def ev_disconnected(csms: CsmsUnderTest, tx: Transaction, *, ends: bool = True,
                          meter_values: MeterValuesArg = None) -> None:
    """Reusable state EVDisconnected (CSMS, Part 6 §3.18 Table 707), from EVConnectedPostSession: the connector is
    reported Available (answered), then TransactionEventRequest EVCommunicationLost, Idle, Ended with stoppedReason
    EVDisconnected. ``ends=False``: a station whose TxStopPoint is not EVConnected (ParkingBayOccupancy,
    TC_E_19_CSMS) reports the unplugging as an Updated event and the transaction goes on."""
    await report_availability(csms, [(tx.evse, tx.connector)], "Available")
    tx.ev_connected = False
    if ends:  # ``meter_values``: the meterValue of the Ended event (block J), or what makes it right before it
        if callable(meter_values):
            meter_values = meter_values()
        await _transaction_event(csms, tx, "Ended", "EVCommunicationLost", "Idle",
                                 info={"stoppedReason": "EVDisconnected"}, meterValue=meter_values or None,
                                 requirements=("J02.FR.19",) if meter_values else ())
    else:
        await _transaction_event(csms, tx, "Updated", "EVCommunicationLost", "Idle")


async def transaction_ended(csms: CsmsUnderTest, tx: Transaction, *, status_after: str = "Available",
                            meter_values: MeterValuesArg = None) -> None:
    """Reusable states StopAuthorized, EVConnectedPostSession and EVDisconnected (CSMS, Part 6 §3.18): the
    stop is authorized (TransactionEventResponse idTokenInfo Accepted), the energy transfer stops, the EV is
    unplugged: the connector is reported Available (EVDisconnected step 1) and the transaction Ended with
    stoppedReason EVDisconnected (step 3). ``status_after`` other than Available (a change of availability was
    scheduled, TC_G_11/14/17_CSMS step 6): the connector is then reported so, as Part 6 does after
    EVDisconnected. ``meter_values``: the meterValue of the Ended event (block J)."""
    await stop_authorized(csms, tx)
    await ev_connected_post_session(csms, tx)
    await ev_disconnected(csms, tx, meter_values=meter_values)
    if status_after != "Available":
        await report_availability(csms, [(tx.evse, tx.connector)], status_after)


@contextlib.asynccontextmanager
async def transactions_ended_afterwards(csms: CsmsUnderTest) -> AsyncIterator[list[Transaction]]:
    """General precondition after a CSMS case with a transaction: every transaction the case put in the
    yielded list, and every other one the harness station started inside the block (e.g. inside a reusable state
    whose check failed before the case could list it), that did not end is ended (EV unplugged, connector
    Available; one whose RequestStopTransaction the station accepted on its own, F03.FR.07: RemoteStop), even
    when the case failed; the connector of one that ended with the EV still plugged in, or never started, is
    reported Available when it was last reported Occupied.

    An exception of the restore (timeouts, disconnects) is noted and never replaces the case's outcome; a failed
    check of the CSMS's answers to the restore's messages is recorded like any check of the case and makes the
    case FAIL (a failed check decides the verdict wherever it came from: the frame arrived during the case)."""
    transactions: list[Transaction] = []
    before = set(csms.station.ongoing_transactions)
    try:
        yield transactions
    finally:
        started_inside = [tx for tx_id, tx in list(csms.station.ongoing_transactions.items())
                          if tx_id not in before and not any(tx is t for t in transactions)]
        for tx in [*transactions, *started_inside]:
            if tx.ended or tx.seq_no == 0:  # ended, or never started (no event was sent)
                if csms.station.statuses.get((tx.evse, tx.connector)) == "Occupied":
                    with contextlib.suppress(Exception):  # timeouts, disconnects: never the case's outcome
                        await report_availability(csms, [(tx.evse, tx.connector)], "Available")
                continue
            try:
                if tx.transaction_id in csms.station.remote_stops_accepted:
                    csms.station.remote_stops_accepted.discard(tx.transaction_id)
                    await _transaction_event(csms, tx, "Ended", "RemoteStop", "Idle" if not tx.ev_connected else
                                             "EVConnected", info={"stoppedReason": "Remote"},
                                             requirements=("restore: F03.FR.03",))
                    if csms.station.statuses.get((tx.evse, tx.connector)) == "Occupied":
                        await report_availability(csms, [(tx.evse, tx.connector)], "Available")
                else:
                    await ev_disconnected(csms, tx)
            except Exception as exc:  # timeouts, disconnects: never the case's outcome
                csms.note(f"could not end transaction {tx.transaction_id}: {exc}")


@contextlib.asynccontextmanager
async def transaction_ended_afterwards(csms: CsmsUnderTest, evse: int, connector: int) -> AsyncIterator[Transaction]:
    """A new transaction (:func:`new_transaction`) the harness station is about to start on ``evse`` /
    ``connector``, listed before anything starts it, so it is ended afterwards
    (:func:`transactions_ended_afterwards`) even when a check inside the block fails."""
    async with transactions_ended_afterwards(csms) as transactions:
        tx = new_transaction(csms, evse, connector)
        transactions.append(tx)
        yield tx


# --------------------------------------------------------------------------- meter values (block J, helper j)
def harness_meter_value(csms: CsmsUnderTest, evse: int, context: str, moment: float, *,
                        measurands: tuple[str, ...] = (mv.DEFAULT_MEASURAND, "Voltage"),
                        signed: bool = False) -> dict[str, Any]:
    """A MeterValueType of the harness station's meter of ``evse`` (0: the whole station) read at ``moment``
    (epoch): a value per measurand with ``context``, signed (with the public key) when ``signed``."""
    sampled = []
    for measurand in measurands:
        value = csms.station.read_meter(evse, measurand, moment)
        signature = csms.station.signer.sign({"evse": evse, "measurand": measurand, "value": round(value, 3),
                                              "context": context, "timestamp": mv.format_time(moment)},
                                             with_public_key=True) if signed else None
        sampled.append(mv.sampled_value(value, measurand, context, location="Outlet" if evse else "Inlet",
                                        signed=signature))
    return {"timestamp": mv.format_time(moment), "sampledValue": sampled}


async def meter_values_sent(csms: CsmsUnderTest, evse: int, meter_values: list[dict[str, Any]], *,
                            requirements: tuple[str, ...] = ("J01.FR.18",)) -> Response:
    """The harness station sends MeterValuesRequest for ``evse``; the CSMS must answer with a MeterValuesResponse
    (a CALLRESULT; its schema is checked with every frame)."""
    response = await csms.call("MeterValues", {"evseId": evse, "meterValue": meter_values})
    csms.check.that(f"the CSMS answers MeterValuesRequest (evseId {evse}, "
                    f"{mv.context_of(meter_values[0]['sampledValue'][0])}) with a MeterValuesResponse", response.ok,
                    expected="CALLRESULT", actual=response.describe(), requirements=requirements + (
                        "OCPP-J Part 4 §4.2.2",))
    return response


async def meter_value_event(csms: CsmsUnderTest, tx: Transaction, trigger: str,
                            meter_values: list[dict[str, Any]], *, event_type: str = "Updated",
                            charging_state: str = "Charging", **extra: Any) -> Response:
    """A TransactionEventRequest of the harness station's transaction that carries ``meter_values`` (triggerReason
    MeterValueClock / MeterValuePeriodic, or the event of a reusable state); the CSMS must answer it (J02.FR.19)."""
    return await _transaction_event(csms, tx, event_type, trigger, charging_state, meterValue=meter_values or None,
                                    requirements=("J02.FR.19",), **extra)


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


async def energy_transfer_started_for(csms: CsmsUnderTest, tx: Transaction, *, ev_connected: bool) -> None:
    """Reusable state EnergyTransferStarted (CSMS, Part 6 §3.18) for ``tx``, already Authorized (locally or by a
    remote start): Part 1 when the EV is not connected yet (``ev_connected`` false), then Part 2 (helper fcsms's
    name for :func:`energy_transfer_started` with a transaction that is authorized)."""
    tx.authorized = True
    tx.ev_connected = tx.ev_connected or ev_connected
    await energy_transfer_started(csms, tx.evse, tx.connector, tx=tx)


__all__ = ["authorized", "availability_restored", "availability_scope", "AvailabilityRestore", "Boot", "boot_answered",
           "boot_notification", "booted", "change_availability", "energy_transfer_started",
           "energy_transfer_started_for", "energy_transfer_suspended", "ev_connected_post_session",
           "ev_connected_pre_session", "ev_disconnected", "harness_meter_value", "meter_value_event",
           "meter_values_sent", "new_transaction", "report_availability", "scope_connectors", "station_timer",
           "stop_authorized", "Transaction", "transaction_duration", "transaction_event", "transaction_ended",
           "transactions_ended_afterwards", "unavailable"]
__all__ += ["MeterValuesArg", "transaction_ended_afterwards"]
