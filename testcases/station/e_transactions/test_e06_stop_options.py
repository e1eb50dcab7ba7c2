"""Block E Transactions, the SUT is a Charging Station (the harness is its CSMS): E06 Stop Transaction options
(helper estop), the stop points reached by the driver's stop (Authorized, PowerPathClosed, EnergyTransfer), by
disconnecting at the station (EVConnected), by the EV suspending (EnergyTransfer) and by the EV connection timeout
(Authorized). Each case sets TxStopPoint as Part 6's Before says (kept when the station's value already meets the
case's condition; ReadOnly or unsupported: NOT APPLICABLE with the prerequisite) and restores it afterwards.
"""

from __future__ import annotations

import contextlib
import math
import time

from conformance.harness import ChargingStationUnderTest, OneOf, case
from conformance.harness.reusable_states import station as states
from conformance.protocol.errors import PeerClosed, PeerTimeout
from conformance.protocol.patterns import ABSENT
from conformance.protocol.variables import EV_CONNECTION_TIMEOUT, STOP_TX_ON_INVALID_ID, TX_STOP_POINT
from conformance.transport.connection import IncomingCall

from ._steps import configured_connector, local_start_configuration
from ._steps_offline import (OFFLINE_TX_FOR_UNKNOWN_ID, _timestamp, check_offline_flag, configured_if_implemented,
                             offline, reconnect_back_off, transaction_ended)
from ._steps_stop import boolean_state, points, tx_stop_point

_DRIVER_STOP = ("E06.FR.09", "E07.FR.04", "E07.FR.05")


async def _stopped_by_driver(station: ChargingStationUnderTest, tx: states.Transaction, *,
                             requirements: tuple[str, ...]) -> None:
    """Reusable state StopAuthorized (errata 2025-09 §6.2.117, step 1 and, unless step 1 ended the transaction, step
    3 through EVConnectedPostSession's event), then: the transaction has ended (``requirements``)."""
    await states.stop_authorized(station, tx)
    if not tx.ended:
        await states.ev_connected_post_session(station, tx)
    last = tx.events[-1].payload if tx.events else {}
    station.check.that(f"the transaction ends when the driver stops it (TxStopPoint {','.join(tx.stop_points)})",
                       tx.ended, expected="a TransactionEventRequest eventType Ended (StopAuthorized, or "
                                          "ChargingStateChanged EVConnected after an Updated StopAuthorized, E07)",
                       actual=f"last event: eventType {last.get('eventType')} "
                              f"triggerReason {last.get('triggerReason')}",
                       requirements=requirements)


@case
async def test_tc_e_15_cs(station: ChargingStationUnderTest) -> None:
    """Stop transaction options - StopAuthorized - Local: with TxStopPoint Authorized, presenting the idToken again
    ends the transaction.

    Part 6 steps / validations implemented:
    - Before: TxStopPoint contains Authorized and not PowerPathClosed (set for the case; prerequisite otherwise
      NOT APPLICABLE); EnergyTransferStarted;
    - the tool waits <Configured Transaction Duration>, the idToken is presented (StopAuthorized state checks);
    - step 1: triggerReason StopAuthorized, eventType Ended, stoppedReason Local; Part 2 lets the station omit
      stoppedReason after the driver's stop (E06.FR.09, E07.FR.04), and E07's alternative scenario (Updated
      StopAuthorized, then Ended ChargingStateChanged EVConnected) is accepted as errata §6.2.117 does."""
    evse, connector = configured_connector(station)
    async with tx_stop_point(station, "Authorized", lambda p: "Authorized" in p and "PowerPathClosed" not in p,
                             prerequisite="TxStopPoint is ReadWrite with Authorized supported, or ReadOnly with "
                                          "Authorized and without PowerPathClosed (TC_E_15_CS)"), \
            states.transactions_ended_afterwards(station):
        tx = await states.energy_transfer_started(station, evse, connector)
        event = await states.stop_authorized(station, tx)
        if event.payload.get("eventType") == "Ended":
            station.check.fields("TransactionEventRequest (Part 6 TC_E_15_CS step 1)", event.payload, {
                "triggerReason": "StopAuthorized", "eventType": "Ended",
                "transactionInfo.stoppedReason": OneOf("Local", ABSENT)},
                requirements=("E06.FR.03", "Part 6 TC_E_15_CS step 1", *_DRIVER_STOP))
        else:
            station.note("the StopAuthorized event is Updated: the Ended event is expected next (E07 alternative "
                         "scenario, errata 2025-09 §6.2.117)")
            await states.ev_connected_post_session(station, tx)
            station.check.that("the transaction ends after the stop authorization (TxStopPoint Authorized)", tx.ended,
                               expected="eventType Ended", actual=tx.events[-1].payload.get("eventType"),
                               requirements=("E06.FR.03", "Part 6 TC_E_15_CS step 1"))


@case
async def test_tc_e_07_cs(station: ChargingStationUnderTest) -> None:
    """Stop transaction options - PowerPathClosed - Local stop: with TxStopPoint PowerPathClosed, the driver's stop
    ends the transaction.

    Part 6 steps / validations implemented:
    - Before: TxStopPoint contains PowerPathClosed and not Authorized (set for the case; prerequisite otherwise NOT
      APPLICABLE); EnergyTransferStarted;
    - step 1: reusable state StopAuthorized with errata 2025-09 §6.2.117 (step 1 StopAuthorized, idToken omitted or
      the presented one; the last of the StopAuthorized / ChargingStateChanged EVConnected events Ended with
      stoppedReason Local or omitted): the transaction ends (E06.FR.06)."""
    evse, connector = configured_connector(station)
    async with tx_stop_point(station, "PowerPathClosed", lambda p: "PowerPathClosed" in p and "Authorized" not in p,
                             prerequisite="TxStopPoint is ReadWrite with PowerPathClosed supported, or ReadOnly with "
                                          "PowerPathClosed and without Authorized (TC_E_07_CS)"), \
            states.transactions_ended_afterwards(station):
        tx = await states.energy_transfer_started(station, evse, connector)
        await _stopped_by_driver(station, tx, requirements=("E06.FR.06", "errata 2025-09 §6.2.117"))


@case
async def test_tc_e_08_cs(station: ChargingStationUnderTest) -> None:
    """Stop transaction options - EnergyTransfer stopped - StopAuthorized: with TxStopPoint EnergyTransfer, the
    energy transfer stopping after the driver's stop ends the transaction.

    Part 6 steps / validations implemented:
    - Before: TxStopPoint contains EnergyTransfer and neither Authorized nor PowerPathClosed (set for the case;
      prerequisite otherwise NOT APPLICABLE); EnergyTransferStarted;
    - step 1: reusable state StopAuthorized with errata 2025-09 §6.2.117 (StopAuthorized event, then
      ChargingStateChanged EVConnected; the last of them Ended with stoppedReason Local or omitted): the transaction
      ends (E06.FR.07)."""
    evse, connector = configured_connector(station)
    async with tx_stop_point(station, "EnergyTransfer", lambda p: "EnergyTransfer" in p
                             and not p & {"Authorized", "PowerPathClosed"},
                             prerequisite="TxStopPoint is ReadWrite with EnergyTransfer supported, or ReadOnly with "
                                          "EnergyTransfer and without Authorized / PowerPathClosed (TC_E_08_CS)"), \
            states.transactions_ended_afterwards(station):
        tx = await states.energy_transfer_started(station, evse, connector)
        await _stopped_by_driver(station, tx, requirements=("E06.FR.07", "errata 2025-09 §6.2.117"))


@case
async def test_tc_e_14_cs(station: ChargingStationUnderTest) -> None:
    """Stop transaction options - EVDisconnected - Charging Station side: with TxStopPoint EVConnected, unplugging
    the cable at the station ends the transaction.

    Part 6 steps / validations implemented:
    - Before: TxStopPoint contains EVConnected and none of EnergyTransfer, PowerPathClosed, DataSigned, Authorized
      (set for the case; prerequisite otherwise NOT APPLICABLE); EVConnectedPostSession (reached through
      EnergyTransferStarted and StopAuthorized);
    - manual action: the cable is unplugged (action ``unplug``);
    - step 1: StatusNotification Available or NotifyEvent AvailabilityState Available (trigger Delta, Connector);
    - step 3 (errata 2025-09 §6.2.51): triggerReason EVCommunicationLost, chargingState Idle, stoppedReason Local,
      EVDisconnected or omitted (the harness stops locally), eventType Ended (E06.FR.02)."""
    evse, connector = configured_connector(station)
    async with tx_stop_point(station, "EVConnected", lambda p: "EVConnected" in p and not p & {
            "EnergyTransfer", "PowerPathClosed", "DataSigned", "Authorized"},
            prerequisite="TxStopPoint is ReadWrite with EVConnected supported, or ReadOnly with EVConnected and none "
                         "of EnergyTransfer, PowerPathClosed, DataSigned, Authorized (TC_E_14_CS)"), \
            states.transactions_ended_afterwards(station):
        tx = await states.energy_transfer_started(station, evse, connector)
        await states.stop_authorized(station, tx)
        await states.ev_connected_post_session(station, tx)
        # Errata §6.2.51 accepts EVDisconnected here too: the case judges stoppedReason, not the general rule.
        event = await states.ev_disconnected(station, tx, status_requirements=("G01.FR.04", "Part 6 TC_E_14_CS step 1"),
                                             judge_stopped_reason=False)
        if event is None:
            station.check.that("the transaction is still running until the cable is unplugged (TxStopPoint "
                               "EVConnected)", False, expected="the Ended event after the cable was unplugged",
                               actual="the transaction had ended before", requirements=("E06.FR.02",))
            return
        station.check.fields("TransactionEventRequest (Part 6 TC_E_14_CS step 3, errata 2025-09 §6.2.51)",
                             event.payload, {"triggerReason": "EVCommunicationLost", "eventType": "Ended",
                                             "transactionInfo.chargingState": "Idle",
                                             "transactionInfo.stoppedReason": OneOf("Local", "EVDisconnected", ABSENT)},
                             requirements=("E06.FR.02", "E06.FR.15", "errata 2025-09 §6.2.51", *_DRIVER_STOP))
        # (a transaction the driver stopped: Local or omitted is what Part 6 §2.1 asks in general, E07.FR.05 SHOULD)


@case
async def test_tc_e_19_cs(station: ChargingStationUnderTest) -> None:
    """Stop transaction options - ParkingBayUnoccupied: with TxStopPoint ParkingBayOccupancy, the transaction ends
    when the EV leaves the parking bay, not before.

    Part 6 steps / validations implemented:
    - Before: TxStopPoint contains ParkingBayOccupancy and none of EnergyTransfer, PowerPathClosed, DataSigned,
      Authorized, EVConnected (set for the case; prerequisite otherwise NOT APPLICABLE); EVDisconnected, reached
      through EnergyTransferStarted, StopAuthorized, EVConnectedPostSession (their checks, errata §6.2.117: Updated
      events), and the transaction still running once the cable is unplugged (E06.FR.01);
    - manual action: the EV drives out of the bay (action ``drive_out``);
    - step 1: triggerReason EVDeparted, eventType Ended, stoppedReason Local (the harness stops locally; Part 2 lets
      the station omit it, E06.FR.09, E07.FR.04)."""
    evse, connector = configured_connector(station)
    async with tx_stop_point(station, "ParkingBayOccupancy", lambda p: "ParkingBayOccupancy" in p and not p & {
            "EnergyTransfer", "PowerPathClosed", "DataSigned", "Authorized", "EVConnected"},
            prerequisite="TxStopPoint is ReadWrite with ParkingBayOccupancy supported, or ReadOnly with "
                         "ParkingBayOccupancy and none of EnergyTransfer, PowerPathClosed, DataSigned, Authorized, "
                         "EVConnected (TC_E_19_CS)"), \
            states.transactions_ended_afterwards(station):
        tx = await states.energy_transfer_started(station, evse, connector)
        await states.stop_authorized(station, tx)
        await states.ev_connected_post_session(station, tx)
        await states.ev_disconnected(station, tx)
        last = tx.events[-1].payload if tx.events else {}
        station.check.that("the transaction goes on until the EV leaves the parking bay (TxStopPoint "
                           "ParkingBayOccupancy)", not tx.ended,
                           expected="no eventType Ended before the EV drives out",
                           actual=f"eventType {last.get('eventType')} triggerReason {last.get('triggerReason')}",
                           requirements=("E06.FR.01", "Part 6 TC_E_19_CS"))
        if tx.ended:
            return
        event = await states.parking_bay_unoccupied(station, tx)
        if event is not None:
            station.check.fields("TransactionEventRequest (Part 6 TC_E_19_CS step 1)", event.payload, {
                "triggerReason": "EVDeparted", "eventType": "Ended",
                "transactionInfo.stoppedReason": OneOf("Local", ABSENT)},
                requirements=("E06.FR.01", "E06.FR.15", "Part 6 TC_E_19_CS step 1", *_DRIVER_STOP))


@case
async def test_tc_e_22_cs(station: ChargingStationUnderTest) -> None:
    """Stop transaction options - EnergyTransfer stopped - SuspendedEV: with TxStopPoint EnergyTransfer, the EV
    suspending the energy transfer ends the transaction (errata 2025-09 §6.2.50, E06.FR.07).

    Part 6 steps / validations implemented:
    - Before: TxStopPoint contains EnergyTransfer (set for the case; prerequisite otherwise NOT APPLICABLE);
      EnergyTransferStarted;
    - manual action: the EV suspends the energy transfer (action ``ev_suspend``);
    - step 1 as errata 2025-09 §6.2.50 amends it (the suspension ends the transaction, E06.FR.07): the transaction's
      Ended event has triggerReason ChargingStateChanged, chargingState EVConnected or SuspendedEV and stoppedReason
      StoppedByEV (E06.FR.08). An Updated SuspendedEV event sent first (Part 6's original alternative, a charging
      state report, E01.FR.18) is recorded and the Ended event still awaited: none within the message timeout
      FAILs E06.FR.07."""
    evse, connector = configured_connector(station)
    async with tx_stop_point(station, "EnergyTransfer", lambda p: "EnergyTransfer" in p,
                             prerequisite="TxStopPoint is ReadWrite with EnergyTransfer supported, or ReadOnly with "
                                          "EnergyTransfer (TC_E_22_CS)"), \
            states.transactions_ended_afterwards(station):
        tx = await states.energy_transfer_started(station, evse, connector)
        tx.instruction(station.connection)
        await station.actions.do("ev_suspend", evse=evse, connector=connector)
        requirements = ("E06.FR.07", "E06.FR.08", "E06.FR.15", "Part 6 TC_E_22_CS step 1", "errata 2025-09 §6.2.50")
        event = await states.transaction_step_event(
            station, tx, "the transaction ends when the EV suspends the energy transfer (TxStopPoint EnergyTransfer)",
            triggers=("ChargingStateChanged",), requirements=requirements,
            wanted=lambda e: e.payload.get("eventType") == "Ended")
        station.check.fields("TransactionEventRequest after the EV suspended (Part 6 TC_E_22_CS step 1, errata "
                             "2025-09 §6.2.50)", event.payload,
                             {"triggerReason": "ChargingStateChanged", "eventType": "Ended",
                              "transactionInfo.chargingState": OneOf("EVConnected", "SuspendedEV"),
                              "transactionInfo.stoppedReason": "StoppedByEV"}, requirements=requirements)


@case
async def test_tc_e_39_cs(station: ChargingStationUnderTest) -> None:
    """Stop transaction options - Deauthorized - timeout: with TxStopPoint Authorized, an authorization without a
    cable plugged in within EVConnectionTimeOut ends; a cable plugged in afterwards does not charge.

    Part 6 steps / validations implemented (errata 2025-09 §6.2.47 applied):
    - Before: TxStopPoint contains Authorized (set for the case; prerequisite otherwise NOT APPLICABLE);
      TxCtrlr.EVConnectionTimeOut is <Configured ev_connection_timeout> (``configured.ev_connection_timeout``);
      AuthCtrlr.AuthEnabled true (if implemented and ReadWrite), DisableRemoteAuthorization false (if implemented);
      reusable state Authorized;
    - step 1 (only when the authorization started the transaction, TxStartPoint Authorized or ParkingBayOccupancy):
      after the timeout, triggerReason EVConnectTimeout, eventType Updated with TxStartPoint ParkingBayOccupancy
      else Ended, stoppedReason Timeout; otherwise the harness waits out the timeout (a recorded protocol wait);
    - manual action: the EV is connected; step 3: the connector reported Occupied;
    - step 5 (optional): a TransactionEventRequest of the EVSE sent for the plug-in has triggerReason CablePluggedIn
      and chargingState not Charging (eventType judged for the timed-out transaction only: a station whose
      TxStartPoint is EVConnected starts a new one, E01.FR.02); no sign of charging within the message timeout."""
    evse, connector = configured_connector(station)
    timeout = math.ceil(station.config.configured.ev_connection_timeout)  # the variable takes whole seconds
    # "TxStopPoint contains Authorized": the station's value with Authorized added (its other stop points, e.g.
    # EVConnected, still end the transaction the plug-in may start), else Authorized alone.
    current = points(await station.read_variable(TX_STOP_POINT))
    with_authorized = ",".join([*sorted(current), "Authorized"]) if current else "Authorized"
    async with tx_stop_point(station, (with_authorized, "Authorized") if current else "Authorized",
                             lambda p: "Authorized" in p,
                             prerequisite="TxStopPoint is ReadWrite with Authorized supported, or ReadOnly with "
                                          "Authorized (TC_E_39_CS)"), \
            station.configured(EV_CONNECTION_TIMEOUT, str(timeout)), local_start_configuration(station), \
            states.transactions_ended_afterwards(station) as registry:
        conn = station.connection
        presented_at = time.monotonic()  # the station's timer starts at the authorization, a moment later
        # Reusable state Authorized, whose Before runs ParkingBayOccupied (the EV drives into the bay when
        # TxStartPoint contains ParkingBayOccupancy: that starts the transaction, E01.FR.01).
        tx = await states.parking_bay_occupied(station, evse, connector)
        tx = await states.authorized(station, evse, connector, tx=tx)
        authorized_at = time.monotonic()
        started = tx.started
        window = timeout + station.tolerance + station.message_timeout
        station.protocol_wait(timeout, "TxCtrlr.EVConnectionTimeOut (TC_E_39_CS)")
        # Step 1 eventType: Part 6 keys it on TxStartPoint (Updated with ParkingBayOccupancy, else Ended); Part 2 on
        # TxStopPoint (E03.FR.15: with ParkingBayOccupancy deauthorized, the transaction goes on, Updated; E03.FR.05:
        # otherwise Ended, Timeout). Where the two disagree, either is accepted.
        by_start = "Updated" if "ParkingBayOccupancy" in tx.start_points else "Ended"
        by_stop = "Updated" if "ParkingBayOccupancy" in tx.stop_points else "Ended"
        event_type = by_start if by_start == by_stop else OneOf(by_start, by_stop)
        if started:
            event = await states.transaction_step_event(station, tx, "the station reports the EV connection timeout",
                                                triggers=("EVConnectTimeout",), requirements=("E03.FR.05",
                                                                                              "E03.FR.15",
                                                                                              "C01.FR.26"),
                                                timeout=window)
            expected = {"triggerReason": "EVConnectTimeout", "eventType": event_type}
            if event.payload.get("eventType") == "Ended":
                expected["transactionInfo.stoppedReason"] = "Timeout"
            station.check.fields("TransactionEventRequest after EVConnectionTimeOut (Part 6 TC_E_39_CS step 1)",
                                 event.payload, expected,
                                 requirements=("E03.FR.05", "E03.FR.15", "Part 6 TC_E_39_CS step 1"))
            station.no_sooner_than("the authorization expires no sooner than EVConnectionTimeOut after the idToken "
                                   "was authorized (the AuthorizeResponse; the presentation when there was no "
                                   "AuthorizeRequest)", event.received_mono - (
                                       tx.authorized_mono if tx.authorized_mono is not None else presented_at),
                                   required=timeout, requirements=("C01.FR.26", "E03.FR.05"))
        else:
            # Nothing to await: the timeout runs out (events of the EVSE meanwhile are recorded, not judged).
            deadline = authorized_at + timeout + station.tolerance
            since = conn.mark()
            while (remaining := deadline - time.monotonic()) > 0:
                try:
                    incoming = await conn.expect_call("TransactionEvent", since=since, evse={"id": evse},
                                                      timeout=remaining)
                except (PeerTimeout, PeerClosed):
                    break
                since = conn.mailbox.index(incoming) + 1 if incoming in conn.mailbox else conn.mark()
                station.note(f"recorded during the EV connection timeout: TransactionEventRequest "
                             f"{incoming.payload.get('eventType')} {incoming.payload.get('triggerReason')}")
        tx.authorized = False  # expired: the restore must not present the idToken again
        tx.stop_authorized = True
        # Manual action: connect the EV. Step 3 (errata §6.2.47): the connector reported Occupied.
        plugged = states.Transaction(evse, connector, start_points=tx.start_points, stop_points=tx.stop_points,
                                     since=conn.mark(), connection=conn, plugged=True)
        registry.append(plugged)
        mark = conn.mark()
        await station.actions.do("plug_in", evse=evse, connector=connector)
        await states.expect_availability_reports(station, conn, {(evse, connector): "Occupied"},
                                                 requirements=("G01.FR.03", "Part 6 TC_E_39_CS step 3"),
                                                 what="the plugged-in connector is reported Occupied", since=mark)
        # Step 5 (optional) and "should not start charging", watched for the message timeout.
        station.protocol_wait(station.message_timeout, "TC_E_39_CS step 5: the station must not start charging")
        deadline = time.monotonic() + station.message_timeout
        no_charging = ("C01.FR.26", "Part 6 TC_E_39_CS step 5")
        while (remaining := deadline - time.monotonic()) > 0:
            try:
                incoming = await conn.expect_call("TransactionEvent", since=mark, timeout=remaining)
            except (PeerTimeout, PeerClosed):
                break
            payload = incoming.payload
            tid = payload.get("transactionInfo", {}).get("transactionId")
            if tid == tx.transaction_id and tid is not None:
                tx.record(incoming)
                if not tx.ended:  # the timed-out transaction goes on with the EV plugged in: its restore unplugs
                    tx.plugged, plugged.plugged = True, False
                station.check.fields("TransactionEventRequest after the plug-in (Part 6 TC_E_39_CS step 5)", payload,
                                     {"triggerReason": "CablePluggedIn", "eventType": event_type},
                                     requirements=("Part 6 TC_E_39_CS step 5",))
            elif payload.get("evse", {}).get("id") == evse or plugged.started:
                if plugged.transaction_id is None and payload.get("eventType") == "Started":
                    plugged.record(incoming)
                    station.check.fields("TransactionEventRequest of the transaction the plug-in started (Part 6 "
                                         "TC_E_39_CS step 5)", payload, {"triggerReason": "CablePluggedIn"},
                                         requirements=("Part 6 TC_E_39_CS step 5", "E01.FR.02"))
                elif tid == plugged.transaction_id:
                    plugged.record(incoming)
                else:
                    continue
                station.note(f"the plug-in started transaction {plugged.transaction_id} (TxStartPoint "
                             f"{','.join(tx.start_points)}, E01.FR.02)")
            else:
                continue
            station.check.that("the station does not start charging after the authorization expired (Part 6 "
                               "TC_E_39_CS step 5)",
                               payload.get("transactionInfo", {}).get("chargingState") != "Charging",
                               expected="chargingState not Charging", actual=payload.get("transactionInfo"),
                               requirements=no_charging)


@case
async def test_tc_e_16_cs(station: ChargingStationUnderTest) -> None:
    """Stop transaction options - Deauthorized - Invalid idToken: a transaction started offline whose idToken the
    CSMS answers Invalid after the reconnection is ended by the station (StopTxOnInvalidId true, TxStopPoint
    Authorized or PowerPathClosed).

    Part 6 steps / validations implemented:
    - Before: TxStopPoint contains Authorized and/or PowerPathClosed (kept when it does and has neither
      EnergyTransfer nor DataSigned, else set to Authorized or PowerPathClosed; prerequisite otherwise NOT
      APPLICABLE); AuthCtrlr.AuthEnabled true (if implemented and ReadWrite), DisableRemoteAuthorization false (if
      implemented), OfflineTxForUnknownIdEnabled true (if implemented), StopTxOnInvalidId true (not settable: NOT
      APPLICABLE); memory state IdTokenCached when the PICS claims the authorization cache (C-49; IdTokenLocalAuthList
      is not set up here, noted);
    - reusable state StartOfflineTransaction (Part 6 §2): the harness closes the connection and refuses reconnects,
      the EV is driven in (TxStartPoint ParkingBayOccupancy), the valid idToken presented, the EV connected; then
      the reconnection is accepted;
    - step 1/2: the queued TransactionEventRequests (timestamped up to the reconnection) all have offline true
      (E12.FR.02); the harness answers each one that carries the idToken with idTokenInfo.status Invalid;
    - step 3: the station then ends the transaction: eventType Ended, triggerReason Deauthorized, stoppedReason
      DeAuthorized (E06.FR.04, E05.FR.10, C15.FR.04), after the Invalid answer."""
    evse, connector = configured_connector(station)
    token = station.config.id_tokens.valid
    answered: list[IncomingCall] = []

    def invalid(incoming: IncomingCall) -> object:
        if "idToken" in incoming.payload:  # Part 6 step 2: the request containing the idToken
            answered.append(incoming)
            return {"idTokenInfo": {"status": "Invalid"}}
        return station.usual_answer(incoming)

    async with tx_stop_point(station, ("Authorized", "PowerPathClosed"),
                             lambda p: bool(p & {"Authorized", "PowerPathClosed"})
                             and not p & {"EnergyTransfer", "DataSigned"},
                             prerequisite="TxStopPoint is ReadWrite with Authorized or PowerPathClosed supported, or "
                                          "ReadOnly with Authorized or PowerPathClosed and neither EnergyTransfer nor "
                                          "DataSigned (TC_E_16_CS)"), \
            local_start_configuration(station), \
            configured_if_implemented(station, OFFLINE_TX_FOR_UNKNOWN_ID, "true"), \
            boolean_state(station, STOP_TX_ON_INVALID_ID, True,
                          required="StopTxOnInvalidId true (Part 6 TC_E_16_CS Before)"), \
            states.transactions_ended_afterwards(station) as transactions:
        if "C-49" in station.config.pics.features:
            await transaction_ended(station, evse, connector)  # memory state IdTokenCached
        station.note("memory state IdTokenLocalAuthList is not set up by this case (block D)")
        tx = states.Transaction(evse, connector, start_points=await states.tx_start_points(station),
                                stop_points=await states.tx_stop_points(station))
        transactions.append(tx)
        wait_minimum = station.config.station_values.retry_back_off_wait_minimum
        async with offline(station) as period:  # reusable state StartOfflineTransaction
            if "ParkingBayOccupancy" in tx.start_points:
                await station.actions.do("drive_in", evse=evse)
                tx.parked = True
            await station.actions.do("present_id_token", id_token=token.id_token, type=token.type, evse=evse)
            tx.authorized = True
            await station.actions.do("plug_in", evse=evse, connector=connector)
            tx.plugged = True
            with station.answering("TransactionEvent", invalid):
                conn = await period.accept(back_off=reconnect_back_off(wait_minimum))
                tx.connection, tx.since = conn, 0
                end = await _deauthorized_end(station, tx, answered)
        queued = [e for e in tx.events if e is not end and _generated_offline(station, e, period.reconnected_wall)]
        check_offline_flag(station, queued, step="step 1", requirements=("E12.FR.02", "Part 6 TC_E_16_CS step 1"))
        if end is None:
            return
        tx.stop_authorized = True  # deauthorized: the restore only unplugs
        station.check.fields("TransactionEventRequest after the idToken was answered Invalid (Part 6 TC_E_16_CS "
                             "step 3)", end.payload, {"eventType": "Ended", "triggerReason": "Deauthorized",
                                                      "transactionInfo.stoppedReason": "DeAuthorized"},
                             requirements=("E06.FR.04", "E05.FR.10", "C15.FR.04", "E06.FR.15",
                                           "Part 6 TC_E_16_CS step 3"))


def _generated_offline(station: ChargingStationUnderTest, incoming: IncomingCall, reconnected_wall: float | None
                       ) -> bool:
    """A TransactionEventRequest timestamped no later than the reconnection (within the max time deviation): one the
    station queued while offline."""
    stamp = _timestamp(incoming)
    return reconnected_wall is None or stamp is None or stamp <= reconnected_wall + station.tolerance


async def _deauthorized_end(station: ChargingStationUnderTest, tx: states.Transaction,
                            answered: list[IncomingCall]) -> IncomingCall | None:
    """Part 6 TC_E_16_CS steps 1-3: the transaction's TransactionEventRequests after the reconnection (recorded on
    ``tx``), up to the first one after the Invalid answer that reports the deauthorization (triggerReason
    Deauthorized) or ends the transaction. None (a failed check) when none comes within the message timeout."""
    conn = tx.connection
    assert conn is not None
    requirements = ("E06.FR.04", "E05.FR.10", "C15.FR.04", "Part 6 TC_E_16_CS step 3")
    while True:
        pattern = {"transactionInfo": {"transactionId": tx.transaction_id}} if tx.transaction_id else {}
        try:
            incoming = await conn.expect_call("TransactionEvent", requirements=requirements, **pattern)
        except (PeerTimeout, PeerClosed) as exc:
            seen = [f"seqNo {e.payload.get('seqNo')} {e.payload.get('eventType')} {e.payload.get('triggerReason')}"
                    for e in tx.events]
            station.check.that("step 3: the station ends the transaction after the CSMS answered its idToken "
                               "Invalid (StopTxOnInvalidId true)", False,
                               expected="a TransactionEventRequest eventType Ended, triggerReason Deauthorized"
                               + ("" if answered else " (after a queued TransactionEventRequest with the idToken)"),
                               actual=f"{'; '.join(seen) or 'no TransactionEventRequest'}; then: {exc}"
                               + ("" if answered else "; no TransactionEventRequest carried the idToken"),
                               requirements=requirements)
            return None
        tx.record(incoming)
        after_answer = bool(answered) and incoming is not answered[0] and incoming.received_mono >= \
            answered[0].received_mono
        if after_answer and (incoming.payload.get("triggerReason") == "Deauthorized"
                             or incoming.payload.get("eventType") == "Ended"):
            return incoming
        if incoming.payload.get("eventType") == "Ended":  # ended before the answer: reported by step 3's check
            return incoming


# --------------------------------------------------------------------------- E15 end of charging (ISO 15118)
@case
async def test_tc_e_46_cs(station: ChargingStationUnderTest) -> None:
    """End of charging process 15118: the EV's SessionStopReq(Terminate) ends the authorization, and with TxStopPoint
    Authorized, PowerPathClosed or EnergyTransfer the transaction.

    Part 6 steps / validations implemented (errata 2025-09 §6.2.55 applied):
    - Before: EVConnectedPreSession, Authorized15118 (EIM: the idToken presented, AuthorizeRequest checked when
      sent), EnergyTransferStarted; TxStopPoint as the station has it (read, not set);
    - the EV sends SessionStopReq(Terminate) (action ``ev_stop_session``);
    - step 1: with TxStopPoint containing Authorized, PowerPathClosed or EnergyTransfer: eventType Ended,
      triggerReason StopAuthorized, stoppedReason StoppedByEV, chargingState EVConnected (E15.FR.04); otherwise
      eventType Updated, triggerReason StopAuthorized, chargingState EVConnected (E15.FR.05). chargingState is
      Part 6's (Part 2 does not name it there)."""
    evse, connector = configured_connector(station)
    async with states.transactions_ended_afterwards(station):
        tx = await states.ev_connected_transaction(station, evse, connector)
        await states.authorized(station, evse, connector, tx=tx)
        await states.energy_transfer_started(station, evse, connector, tx=tx)
        tx.instruction(station.connection)
        await station.actions.do("ev_stop_session", evse=evse, connector=connector)
        ends = tx.stop_ends
        requirement = "E15.FR.04" if ends else "E15.FR.05"
        event = await states.transaction_step_event(
            station, tx, "a TransactionEventRequest reports the EV ended the session", triggers=("StopAuthorized",),
            requirements=(requirement, "Part 6 TC_E_46_CS step 1"))
        tx.stop_authorized = True  # the authorization has ended: the restore only unplugs
        if ends is None:
            station.note("TxStopPoint could not be read: whether the event must end the transaction is not checked")
        expected = {"triggerReason": "StopAuthorized", "transactionInfo.chargingState": "EVConnected"}
        if ends:
            expected.update({"eventType": "Ended", "transactionInfo.stoppedReason": "StoppedByEV"})
        elif ends is False:
            expected["eventType"] = "Updated"
        station.check.fields(f"TransactionEventRequest after SessionStopReq(Terminate) with TxStopPoint "
                             f"{','.join(tx.stop_points) or '?'} (Part 6 TC_E_46_CS step 1)", event.payload, expected,
                             requirements=(requirement, "E06.FR.15", "Part 6 TC_E_46_CS step 1"))
