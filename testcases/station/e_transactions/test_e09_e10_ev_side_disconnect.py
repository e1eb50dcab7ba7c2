"""Block E Transactions, the SUT is a Charging Station (the harness is its CSMS): the cable pulled at the EV (helper
estop), E06 S2/S3/S5 stop points (TC_E_17/20/37/54_CS), E09 stop with UnlockOnEVSideDisconnect true / false
(TC_E_24/25_CS) and E10 suspend (TC_E_26_CS, fixed-cable timeout TC_E_27_CS).

Every case starts from EnergyTransferSuspended and pulls the cable at the EV (action ``unplug`` side ``ev``). A
detachable cable then stays in the station's socket (the connector stays Occupied), locked until the driver presents
the idToken unless StopTxOnEVSideDisconnect and UnlockOnEVSideDisconnect are both true (E09.FR.02/03, E10.FR.01); it
is taken out with ``unplug`` side ``station``. A fixed cable (PICS HFS-2 without HFS-1) leaves the connector
Available. Whatever the case ends with, the cable is taken out afterwards (the idToken presented first where the
station keeps it locked) and the configuration restored.
"""

from __future__ import annotations

import contextlib
import math
from typing import AsyncIterator

from conformance.harness import ChargingStationUnderTest, OneOf, case
from conformance.harness.reusable_states import station as states
from conformance.outcomes import Inconclusive, NotApplicable
from conformance.protocol.variables import (EV_CONNECTION_TIMEOUT, STOP_TX_ON_EV_SIDE_DISCONNECT, TX_STOP_POINT,
                                            UNLOCK_ON_EV_SIDE_DISCONNECT)
from conformance.transport.connection import IncomingCall

from ._steps import configured_connector, local_start_configuration
from ._steps_stop import (boolean_state, cable_released_afterwards, fixed_cable, points, present_token,
                          tx_stop_point)

_AVAILABLE = ("G01.FR.04",)


async def _flag(station: ChargingStationUnderTest, variable: dict) -> bool | None:
    value = await station.read_variable(variable, note_unreadable=True)
    return None if value is None else value.strip().lower() == "true"


@contextlib.asynccontextmanager
async def _suspended_then_released(station: ChargingStationUnderTest) -> AsyncIterator[states.Transaction]:
    """Reusable states EnergyTransferStarted and EnergyTransferSuspended on the configured connector; afterwards the
    cable is taken out (after the idToken where the station keeps it locked) and the transaction ended."""
    evse, connector = configured_connector(station)
    async with states.transactions_ended_afterwards(station):
        stop_tx = await _flag(station, STOP_TX_ON_EV_SIDE_DISCONNECT)
        unlock = await _flag(station, UNLOCK_ON_EV_SIDE_DISCONNECT)
        tx = await states.energy_transfer_started(station, evse, connector)
        try:
            await states.energy_transfer_suspended(station, tx)
            yield tx
        finally:
            locked = not fixed_cable(station) and not (stop_tx and unlock) and not tx.stop_authorized
            await cable_released_afterwards(station, tx, locked=lambda: locked)


async def _ev_side_disconnect(station: ChargingStationUnderTest, tx: states.Transaction, *,
                              requirements: tuple[str, ...], may_have_ended: bool = False,
                              ) -> tuple[IncomingCall | None, int]:
    """Manual action: disconnect at the EV side (``unplug`` side ev); step 1: the station's TransactionEventRequest
    for it (triggerReason EVCommunicationLost, judged by the case). Returns it (None: the transaction had ended
    before, which ``may_have_ended`` allows) and the mark of the instruction."""
    conn = station.connection
    if tx.ended and may_have_ended:  # e.g. TxStopPoint EnergyTransfer: EnergyTransferSuspended ended it
        station.note("the transaction ended when the EV suspended the energy transfer (TxStopPoint "
                     f"{','.join(tx.stop_points)}): step 1 has no transaction to report")
    else:
        station.check.that("the transaction is still running before the cable is pulled at the EV", not tx.ended,
                           expected="a running transaction (EnergyTransferSuspended)",
                           actual="the transaction had ended", requirements=requirements)
    mark = conn.mark()
    tx.instruction(conn)
    await station.actions.do("unplug", evse=tx.evse, connector=tx.connector, side="ev")
    tx.ev_side_disconnected = True
    if fixed_cable(station):
        tx.plugged = False  # nothing is left in a socket
    if tx.ended:
        return None, mark
    event = await states.transaction_step_event(station, tx, "a TransactionEventRequest reports the EV-side disconnect",
                                       triggers=("EVCommunicationLost",), requirements=requirements)
    return event, mark


async def _cable_taken_out(station: ChargingStationUnderTest, tx: states.Transaction, *, token: bool,
                           since: int, step: str) -> None:
    """The rest of E09 (TC_E_17/24/25_CS): with a detachable cable, the idToken presented when ``token`` (the station
    keeps the cable locked, E09.FR.03) and the cable taken out at the station; then the step ``step``: the connector
    reported Available (StatusNotification or NotifyEvent AvailabilityState, from ``since`` for a fixed cable)."""
    conn = station.connection
    if not fixed_cable(station):
        if token:
            await present_token(station, tx)
            tx.stop_authorized = True
        ev_side = since
        since = conn.mark()
        await station.actions.do("unplug", evse=tx.evse, connector=tx.connector, side="station")
        tx.plugged = tx.ev_side_disconnected = False
        # Part 6 step 3 asks for the connector's current state after the manual actions: a station that reported it
        # Available as soon as the EV was lost (and nothing else since) sends nothing more at the station-side unplug.
        last = _last_status_report(conn, ev_side, since, tx.evse, tx.connector)
        if last is not None and last[1] == "Available":
            since = last[0]
    await states.expect_availability_reports(station, conn, {(tx.evse, tx.connector): "Available"},
                                             requirements=(*_AVAILABLE, step),
                                             what="the connector is reported Available", since=since)


def _last_status_report(conn, start: int, end: int, evse: int, connector: int) -> tuple[int, str] | None:
    """The last status report of the connector (StatusNotification or NotifyEvent AvailabilityState) in
    ``conn.mailbox[start:end]``: its position and status."""
    found: tuple[int, str] | None = None
    for index in range(start, min(end, len(conn.mailbox))):
        incoming = conn.mailbox[index]
        payload = incoming.payload
        if incoming.action == "StatusNotification" and (payload.get("evseId"), payload.get("connectorId")) == (
                evse, connector):
            found = (index, payload.get("connectorStatus"))
        elif incoming.action == "NotifyEvent":
            for event in payload.get("eventData", []):
                if event.get("variable", {}).get("name") == "AvailabilityState" and event.get(
                        "component", {}).get("evse", {}) == {"id": evse, "connectorId": connector}:
                    found = (index, event.get("actualValue"))
    return found


# --------------------------------------------------------------------------- E06 stop points (S2, S3, S5)
@case
async def test_tc_e_37_cs(station: ChargingStationUnderTest) -> None:
    """Stop transaction options - PowerPathClosed - EV side disconnect: with TxStopPoint PowerPathClosed, pulling
    the cable at the EV ends the transaction.

    Part 6 steps / validations implemented:
    - Before: TxStopPoint contains PowerPathClosed and none of EnergyTransfer, EVConnected, DataSigned (set for the
      case; prerequisite otherwise NOT APPLICABLE); StopTxOnEVSideDisconnect false (if ReadWrite);
      EnergyTransferSuspended;
    - step 1: triggerReason EVCommunicationLost, chargingState Idle, stoppedReason EVDisconnected or StoppedByEV,
      eventType Ended (E06.FR.06)."""
    async with tx_stop_point(station, "PowerPathClosed", lambda p: "PowerPathClosed" in p and not p & {
            "EnergyTransfer", "EVConnected", "DataSigned"},
            prerequisite="TxStopPoint is ReadWrite with PowerPathClosed supported, or ReadOnly with PowerPathClosed "
                         "and none of EnergyTransfer, EVConnected, DataSigned (TC_E_37_CS)"), \
            boolean_state(station, STOP_TX_ON_EV_SIDE_DISCONNECT, False, required=None), \
            _suspended_then_released(station) as tx:
        requirements = ("E06.FR.06", "E06.FR.08", "E06.FR.15", "Part 6 TC_E_37_CS step 1")
        event, _ = await _ev_side_disconnect(station, tx, requirements=requirements)
        station.check.fields("TransactionEventRequest (Part 6 TC_E_37_CS step 1)", event.payload, {
            "triggerReason": "EVCommunicationLost", "transactionInfo.chargingState": "Idle",
            "transactionInfo.stoppedReason": OneOf("EVDisconnected", "StoppedByEV"), "eventType": "Ended"},
            requirements=requirements)


async def _ev_connected_stop(station: ChargingStationUnderTest, case_id: str, reasons: tuple[str, ...]) -> None:
    """TC_E_20_CS / TC_E_54_CS: TxStopPoint EVConnected, the cable pulled at the EV ends the transaction."""
    async with tx_stop_point(station, "EVConnected", lambda p: "EVConnected" in p and not p & {
            "EnergyTransfer", "PowerPathClosed"},
            prerequisite=f"TxStopPoint is ReadWrite with EVConnected supported, or ReadOnly with EVConnected and "
                         f"neither EnergyTransfer nor PowerPathClosed ({case_id})"), \
            boolean_state(station, STOP_TX_ON_EV_SIDE_DISCONNECT, False, required=None), \
            _suspended_then_released(station) as tx:
        requirements = ("E06.FR.02", "E06.FR.08", "E06.FR.15", f"Part 6 {case_id} step 1")
        event, _ = await _ev_side_disconnect(station, tx, requirements=requirements)
        station.check.fields(f"TransactionEventRequest (Part 6 {case_id} step 1)", event.payload, {
            "triggerReason": "EVCommunicationLost", "transactionInfo.chargingState": "Idle",
            "transactionInfo.stoppedReason": OneOf(*reasons), "eventType": "Ended"}, requirements=requirements)


@case
async def test_tc_e_20_cs(station: ChargingStationUnderTest) -> None:
    """Stop transaction options - EVDisconnected - EV side (able to charge IEC 61851-1 EV): with TxStopPoint
    EVConnected, pulling the cable at the EV ends the transaction.

    Part 6 steps / validations implemented:
    - Before: TxStopPoint contains EVConnected and neither EnergyTransfer nor PowerPathClosed (set for the case;
      prerequisite otherwise NOT APPLICABLE); StopTxOnEVSideDisconnect false (if ReadWrite);
      EnergyTransferSuspended;
    - step 1: triggerReason EVCommunicationLost, chargingState Idle, stoppedReason EVDisconnected, eventType Ended
      (E06.FR.02)."""
    await _ev_connected_stop(station, "TC_E_20_CS", ("EVDisconnected",))


@case
async def test_tc_e_54_cs(station: ChargingStationUnderTest) -> None:
    """Stop transaction options - EVDisconnected - EV side (not able to charge IEC 61851-1 EV): as TC_E_20_CS for a
    station with high-level communication.

    Part 6 steps / validations implemented: as TC_E_20_CS; step 1 stoppedReason StoppedByEV or EVDisconnected."""
    await _ev_connected_stop(station, "TC_E_54_CS", ("StoppedByEV", "EVDisconnected"))


@case
async def test_tc_e_17_cs(station: ChargingStationUnderTest) -> None:
    """Stop transaction options - Deauthorized - EV side disconnect: with TxStopPoint Authorized and
    StopTxOnEVSideDisconnect true, pulling the cable at the EV deauthorizes and so ends the transaction.

    Part 6 steps / validations implemented (errata 2025-09 §6.2.45 / §6.2.46 applied):
    - Before: TxStopPoint contains Authorized and none of EVConnected, PowerPathClosed, EnergyTransfer (set for the
      case; prerequisite otherwise NOT APPLICABLE); StopTxOnEVSideDisconnect true (a prerequisite: NOT APPLICABLE
      when it cannot be set); UnlockOnEVSideDisconnect false (kept when ReadOnly); AuthCtrlr.AuthEnabled true (if
      implemented and ReadWrite), DisableRemoteAuthorization false (if implemented); EnergyTransferSuspended;
    - step 1: triggerReason EVCommunicationLost, chargingState Idle, stoppedReason EVDisconnected, eventType Ended
      (E06.FR.03 through E09.FR.01);
    - with a detachable cable: the idToken presented (when UnlockOnEVSideDisconnect is false), the cable taken out
      at the station; step 3: the connector reported Available."""
    async with tx_stop_point(station, "Authorized", lambda p: "Authorized" in p and not p & {
            "EVConnected", "PowerPathClosed", "EnergyTransfer"},
            prerequisite="Authorized a supported TxStopPoint value and EVConnected, PowerPathClosed, EnergyTransfer "
                         "not set (TC_E_17_CS, errata 2025-09 §6.2.46)"), \
            boolean_state(station, STOP_TX_ON_EV_SIDE_DISCONNECT, True,
                          required="StopTxOnEVSideDisconnect true a supported value (TC_E_17_CS, errata 2025-09 "
                                   "§6.2.46)"), \
            boolean_state(station, UNLOCK_ON_EV_SIDE_DISCONNECT, False, required=None), \
            local_start_configuration(station), _suspended_then_released(station) as tx:
        requirements = ("E06.FR.03", "E09.FR.01", "E06.FR.08", "E06.FR.15", "Part 6 TC_E_17_CS step 1")
        unlock = await _flag(station, UNLOCK_ON_EV_SIDE_DISCONNECT)
        event, mark = await _ev_side_disconnect(station, tx, requirements=requirements)
        station.check.fields("TransactionEventRequest (Part 6 TC_E_17_CS step 1)", event.payload, {
            "triggerReason": "EVCommunicationLost", "transactionInfo.chargingState": "Idle",
            "transactionInfo.stoppedReason": "EVDisconnected", "eventType": "Ended"}, requirements=requirements)
        await _cable_taken_out(station, tx, token=not unlock, since=mark, step="Part 6 TC_E_17_CS step 3")


# --------------------------------------------------------------------------- E09: stop transaction
async def _e09(station: ChargingStationUnderTest, case_id: str, *, unlock: bool) -> None:
    """TC_E_24_CS / TC_E_25_CS: StopTxOnEVSideDisconnect true, UnlockOnEVSideDisconnect ``unlock``. Step 1 is
    unconditional in Part 6: a TxStopPoint with EnergyTransfer would end the transaction already at
    EnergyTransferSuspended, so for the case TxStopPoint is made free of it (the station's other points kept,
    Authorized when none is left; restored afterwards); a station that does not take that cannot reach step 1:
    INCONCLUSIVE."""
    current = points(await station.read_variable(TX_STOP_POINT))
    rest = ",".join(sorted(current - {"EnergyTransfer"}))
    try:
        stop_point = tx_stop_point(station, (rest, "Authorized") if rest else "Authorized",
                                   lambda p: "EnergyTransfer" not in p,
                                   prerequisite=f"TxStopPoint without EnergyTransfer ({case_id} step 1)")
        await stop_point.__aenter__()
    except NotApplicable as exc:
        raise Inconclusive(f"step 1 cannot be reached: TxStopPoint EnergyTransfer ends the transaction at "
                           f"EnergyTransferSuspended already ({exc})") from None
    async with contextlib.AsyncExitStack() as stack:
        stack.push_async_exit(stop_point)
        await _e09_steps(station, case_id, unlock=unlock)


async def _e09_steps(station: ChargingStationUnderTest, case_id: str, *, unlock: bool) -> None:
    async with boolean_state(station, STOP_TX_ON_EV_SIDE_DISCONNECT, True,
                             required=f"StopTxOnEVSideDisconnect true ({case_id}, Part 5 C-06.2)"), \
            boolean_state(station, UNLOCK_ON_EV_SIDE_DISCONNECT, unlock,
                          required=f"UnlockOnEVSideDisconnect {str(unlock).lower()} ({case_id}, Part 5 "
                                   f"{'C-12.1' if unlock else 'C-12.2'})"), \
            _suspended_then_released(station) as tx:
        requirements = ("E09.FR.01", "E06.FR.15", f"Part 6 {case_id} step 1")
        event, mark = await _ev_side_disconnect(station, tx, requirements=requirements, may_have_ended=True)
        tx.authorized = False  # E09.FR.01: deauthorized; the restore must not present the idToken to re-authorize it
        if event is not None:
            station.check.fields(f"TransactionEventRequest (Part 6 {case_id} step 1)", event.payload, {
                "triggerReason": "EVCommunicationLost", "transactionInfo.chargingState": "Idle"},
                requirements=requirements)
        await _cable_taken_out(station, tx, token=not unlock, since=mark,
                               step=f"Part 6 {case_id} step 3")


@case
async def test_tc_e_24_cs(station: ChargingStationUnderTest) -> None:
    """Disconnect cable on EV-side - Deauthorize transaction - UnlockOnEVSideDisconnect is true: the station
    deauthorizes the transaction and releases the cable, which is taken out without presenting the idToken.

    Part 6 steps / validations implemented:
    - Before: StopTxOnEVSideDisconnect true, UnlockOnEVSideDisconnect true (NOT APPLICABLE when they cannot be set);
      TxStopPoint without EnergyTransfer (else step 1 cannot be reached: set and restored, INCONCLUSIVE when refused);
      EnergyTransferSuspended;
    - step 1: triggerReason EVCommunicationLost, chargingState Idle (E09.FR.01);
    - the cable taken out at the station (E09.FR.02: unlocked); step 3: the connector reported Available."""
    await _e09(station, "TC_E_24_CS", unlock=True)


@case
async def test_tc_e_25_cs(station: ChargingStationUnderTest) -> None:
    """Disconnect cable on EV-side - Deauthorize transaction - UnlockOnEVSideDisconnect is false: the station
    deauthorizes the transaction and keeps the cable locked until the idToken is presented.

    Part 6 steps / validations implemented:
    - Before: StopTxOnEVSideDisconnect true, UnlockOnEVSideDisconnect false (NOT APPLICABLE when they cannot be
      set); TxStopPoint without EnergyTransfer (else step 1 cannot be reached: set and restored, INCONCLUSIVE when
      refused); EnergyTransferSuspended;
    - step 1: triggerReason EVCommunicationLost, chargingState Idle (E09.FR.01);
    - with a detachable cable: the idToken presented, the cable taken out at the station (E09.FR.03); step 3: the
      connector reported Available."""
    await _e09(station, "TC_E_25_CS", unlock=False)


# --------------------------------------------------------------------------- E10: suspend transaction
async def _e10_before(station: ChargingStationUnderTest, case_id: str) -> contextlib.AsyncExitStack:
    """Before of TC_E_26/27_CS: TxStopPoint Authorized (if supported) and/or ParkingBayOccupancy (if supported)
    and none of EnergyTransfer, PowerPathClosed, DataSigned, EVConnected; UnlockOnEVSideDisconnect false and
    StopTxOnEVSideDisconnect false (NOT APPLICABLE when they cannot be set)."""
    stack = contextlib.AsyncExitStack()
    await stack.enter_async_context(tx_stop_point(
        station, ("Authorized", "ParkingBayOccupancy"),
        lambda p: bool(p & {"Authorized", "ParkingBayOccupancy"}) and not p & {
            "EnergyTransfer", "PowerPathClosed", "DataSigned", "EVConnected"},
        prerequisite=f"TxStopPoint is ReadWrite with Authorized or ParkingBayOccupancy supported, or ReadOnly with "
                     f"one of them and none of EnergyTransfer, PowerPathClosed, DataSigned, EVConnected ({case_id})"))
    await stack.enter_async_context(boolean_state(
        station, UNLOCK_ON_EV_SIDE_DISCONNECT, False, required=f"UnlockOnEVSideDisconnect false ({case_id}, Part 5 "
                                                               f"C-12.2)"))
    await stack.enter_async_context(boolean_state(
        station, STOP_TX_ON_EV_SIDE_DISCONNECT, False, required=f"StopTxOnEVSideDisconnect false ({case_id}, Part 5 "
                                                                f"C-06.1)"))
    return stack


async def _suspended_by_ev_side(station: ChargingStationUnderTest, tx: states.Transaction,
                                case_id: str) -> int:
    """Steps 1-3 of TC_E_26/27_CS; returns the mark of the disconnect."""
    requirements = ("E10.FR.03", "E06.FR.15", f"Part 6 {case_id} step 1")
    event, mark = await _ev_side_disconnect(station, tx, requirements=requirements)
    station.check.fields(f"TransactionEventRequest (Part 6 {case_id} step 1)", event.payload, {
        "triggerReason": "EVCommunicationLost", "transactionInfo.chargingState": "Idle", "eventType": "Updated"},
        requirements=requirements)
    if fixed_cable(station):
        await states.expect_availability_reports(
            station, station.connection, {(tx.evse, tx.connector): "Available"},
            requirements=(*_AVAILABLE, f"Part 6 {case_id} step 3"),
            what="the connector of the fixed cable is reported Available", since=mark)
    return mark


@case
async def test_tc_e_26_cs(station: ChargingStationUnderTest) -> None:
    """Disconnect cable on EV-side - Suspend transaction: with StopTxOnEVSideDisconnect false the transaction is
    suspended when the cable is pulled at the EV and charges again when it is plugged back in.

    Part 6 steps / validations implemented:
    - Before: TxStopPoint Authorized (if supported) and/or ParkingBayOccupancy (if supported), none of
      EnergyTransfer, PowerPathClosed, DataSigned, EVConnected (prerequisite otherwise NOT APPLICABLE);
      UnlockOnEVSideDisconnect false, StopTxOnEVSideDisconnect false; EnergyTransferSuspended;
    - step 1: triggerReason EVCommunicationLost, chargingState Idle, eventType Updated;
    - step 3 (a fixed cable, PICS HFS-2): the connector reported Available;
    - manual action: the EV reconnected (``plug_in``); step 5: triggerReason CablePluggedIn, chargingState
      EVConnected, eventType Updated; step 7: triggerReason ChargingStateChanged, chargingState Charging, eventType
      Updated."""
    stack = await _e10_before(station, "TC_E_26_CS")
    async with stack, _suspended_then_released(station) as tx:
        await _suspended_by_ev_side(station, tx, "TC_E_26_CS")
        tx.instruction(station.connection)
        await station.actions.do("plug_in", evse=tx.evse, connector=tx.connector)
        tx.plugged, tx.ev_side_disconnected = True, False
        plugged = await states.transaction_step_event(
            station, tx, "a TransactionEventRequest reports the cable plugged in again", triggers=("CablePluggedIn",),
            requirements=("E10.FR.03", "Part 6 TC_E_26_CS step 5"))
        station.check.fields("TransactionEventRequest (Part 6 TC_E_26_CS step 5)", plugged.payload, {
            "triggerReason": "CablePluggedIn", "transactionInfo.chargingState": "EVConnected",
            "eventType": "Updated"}, requirements=("E10.FR.03", "E06.FR.15", "Part 6 TC_E_26_CS step 5"))
        charging = await states.transaction_step_event(
            station, tx, "a TransactionEventRequest reports the energy transfer resumed",
            triggers=("ChargingStateChanged",), requirements=("E06.FR.15", "Part 6 TC_E_26_CS step 7"),
            wanted=lambda e: e.payload.get("transactionInfo", {}).get("chargingState") == "Charging")
        station.check.fields("TransactionEventRequest (Part 6 TC_E_26_CS step 7)", charging.payload, {
            "triggerReason": "ChargingStateChanged", "transactionInfo.chargingState": "Charging",
            "eventType": "Updated"}, requirements=("E06.FR.15", "Part 6 TC_E_26_CS step 7"))


@case
async def test_tc_e_27_cs(station: ChargingStationUnderTest) -> None:
    """Disconnect cable on EV-side - Suspend transaction - Fixed cable connection timeout: a fixed cable not plugged
    back in at the EV within the timeout deauthorizes the transaction (E10.FR.02).

    Part 6 steps / validations implemented (errata 2025-09 §6.2.52: no reconnection):
    - Before: as TC_E_26_CS; TxCtrlr.EVConnectionTimeOut is set to <Configured ev_connection_timeout>
      (``configured.ev_connection_timeout``) so the wait is bounded (Part 2 leaves this timeout to the station:
      the harness waits it plus the message timeout);
    - step 1: triggerReason EVCommunicationLost, chargingState Idle, eventType Updated; step 3: the connector
      reported Available;
    - step 5: triggerReason EVConnectTimeout; with TxStopPoint Authorized eventType Ended and stoppedReason Timeout,
      else (ParkingBayOccupancy) eventType Updated."""
    timeout = math.ceil(station.config.configured.ev_connection_timeout)  # the variable takes whole seconds
    stack = await _e10_before(station, "TC_E_27_CS")
    async with stack:
        await stack.enter_async_context(station.configured(EV_CONNECTION_TIMEOUT, str(timeout)))
        async with _suspended_then_released(station) as tx:
            await _suspended_by_ev_side(station, tx, "TC_E_27_CS")
            station.protocol_wait(timeout, "the fixed cable's EV connection timeout (TC_E_27_CS)")
            requirements = ("E10.FR.02", "E06.FR.15", "Part 6 TC_E_27_CS step 5")
            event = await states.transaction_step_event(
                station, tx, "a TransactionEventRequest reports the connection timeout", triggers=("EVConnectTimeout",),
                requirements=requirements,
                timeout=timeout + station.tolerance + station.message_timeout)
            expected = {"triggerReason": "EVConnectTimeout"}
            if "Authorized" in tx.stop_points:
                expected.update({"eventType": "Ended", "transactionInfo.stoppedReason": "Timeout"})
            elif "ParkingBayOccupancy" in tx.stop_points:
                expected["eventType"] = "Updated"
            station.check.fields("TransactionEventRequest (Part 6 TC_E_27_CS step 5)", event.payload, expected,
                                 requirements=requirements)
