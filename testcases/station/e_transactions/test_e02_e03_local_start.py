"""Block E Transactions, the SUT is a Charging Station (the harness is its CSMS).

Local start of a transaction: cable plugged in first (E02), authorization first (E03) with the cable plug-in timeout,
an EV not ready for the energy transfer, and DisableRemoteAuthorization (C01 via E03).
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import time

from conformance.harness import ChargingStationUnderTest, OneOf, case
from conformance.harness.reusable_states import station as states
from conformance.outcomes import CheckFailed, NotApplicable
from conformance.protocol.errors import PeerError
from conformance.protocol.variables import AUTH_CACHE_ENABLED, AUTH_ENABLED, EV_CONNECTION_TIMEOUT, LOCAL_PRE_AUTHORIZE

from ._steps import configured_connector, ensure_variable, ev_resumed_afterwards, local_start_configuration


@case
async def test_tc_e_03_cs(station: ChargingStationUnderTest) -> None:
    """The driver plugs the EV in first, then authorizes locally: the charging session starts.

    Part 6 steps / validations implemented:
    - configuration state: AuthCtrlr.AuthEnabled true (if implemented and ReadWrite), DisableRemoteAuthorization false
      (if implemented), restored;
    - Before, EVConnectedPreSession (after ParkingBayOccupied when TxStartPoint contains ParkingBayOccupancy):
      Occupied (E02.FR.05); with TxStartPoint EVConnected the Started event (E02.FR.06, E01.FR.16);
    - step 1, Authorized (local): AuthorizeRequest when sent (C01.FR.02); the Authorized event when TxStartPoint
      contains Authorized or the transaction started (E02.FR.01);
    - step 2, EnergyTransferStarted: ChargingStateChanged Charging (E02.FR.13), the first event after the idToken
      carries it, the first event after the plug-in names the EVSE and connector (E01.FR.16)."""
    evse, connector = configured_connector(station)
    async with local_start_configuration(station), states.transactions_ended_afterwards(station):
        tx = await states.parking_bay_occupied(station, evse, connector)
        await states.ev_connected_pre_session_of(station, tx)
        await states.authorized(station, evse, connector, tx=tx)
        await states.energy_transfer_started(station, evse, connector, tx=tx)


@case
async def test_tc_e_04_cs(station: ChargingStationUnderTest) -> None:
    """The driver authorizes locally first, then plugs the EV in: the charging session starts.

    Part 6 steps / validations implemented:
    - configuration state: AuthCtrlr.AuthEnabled true (if implemented and ReadWrite), DisableRemoteAuthorization false
      (if implemented), restored;
    - Before, ParkingBayOccupied (optional state: executed when TxStartPoint contains ParkingBayOccupancy);
    - step 1, Authorized (local): AuthorizeRequest when sent (C01.FR.02); the Authorized event when TxStartPoint
      contains Authorized or the transaction started (E03.FR.01);
    - step 2, EnergyTransferStarted: Occupied, the CablePluggedIn event when TxStartPoint contains EVConnected or the
      transaction started, ChargingStateChanged Charging, idToken in the first event after it was presented
      (E03.FR.01), evse and connector in the first event after the plug-in (E01.FR.16)."""
    evse, connector = configured_connector(station)
    async with local_start_configuration(station), states.transactions_ended_afterwards(station):
        tx = await states.parking_bay_occupied(station, evse, connector)
        await states.authorized(station, evse, connector, tx=tx)
        await states.energy_transfer_started(station, evse, connector, tx=tx)


async def _wait_out(station: ChargingStationUnderTest, seconds: float, reason: str) -> None:
    """A protocol timer of the station that no message marks (the EVConnectionTimeOut of an authorization without a
    transaction): recorded as a protocol wait; a lost connection ends it early."""
    station.protocol_wait(seconds, reason)
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(station.ctx.scaled(seconds)):
            await station.connection.closed.wait()


@case
async def test_tc_e_05_cs(station: ChargingStationUnderTest) -> None:
    """Authorized first, the driver does not plug in before EVConnectionTimeOut: the authorization ends (a transaction
    started by it ends or is deauthorized), and the EVSE is ready for the next session.

    Part 6 steps / validations implemented:
    - configuration state: TxCtrlr.EVConnectionTimeOut = ``configured.ev_connection_timeout``, AuthEnabled true (if
      implemented and ReadWrite), DisableRemoteAuthorization false, AuthCacheCtrlr.Enabled false (if implemented),
      LocalPreAuthorize false; all restored;
    - Before, Authorized (local) (after ParkingBayOccupied when TxStartPoint contains ParkingBayOccupancy); with
      AuthEnabled true and LocalPreAuthorize implemented (set false) the AuthorizeRequest is required (C01.FR.02);
    - step 1, only when the transaction started before the cable (TxStartPoint ParkingBayOccupancy / Authorized):
      after the timeout (no sooner than it, within the max time deviation) a TransactionEventRequest with triggerReason
      EVConnectTimeout; with TxStopPoint Authorized eventType Ended and stoppedReason Timeout (E03.FR.05), with
      ParkingBayOccupancy (not Authorized) Updated (E03.FR.15), with both either (Part 6 / E03.FR.15), otherwise
      either (Part 6: Updated; E03.FR.05: the station SHOULD end it); stoppedReason Timeout judged on Ended only.
      Without such a transaction the harness waits the timeout out;
    - steps 3-4, Authorized (local) and EnergyTransferStarted again: the EVSE is ready for another session
      (C01.FR.26: the stale authorization has ended)."""
    evse, connector = configured_connector(station)
    timeout = math.ceil(station.config.configured.ev_connection_timeout)  # the variable takes whole seconds
    async with contextlib.AsyncExitStack() as stack:
        await stack.enter_async_context(station.configured(EV_CONNECTION_TIMEOUT, str(timeout)))
        await stack.enter_async_context(local_start_configuration(station))
        await ensure_variable(stack, station, AUTH_CACHE_ENABLED, "false")
        pre_authorize = await ensure_variable(stack, station, LOCAL_PRE_AUTHORIZE, "false")
        # This configuration state leaves the station no local decision (AuthEnabled true, no Authorization Cache,
        # LocalPreAuthorize false): Authorized step 1, the AuthorizeRequest, may not be skipped (C01.FR.02).
        auth_enabled = (await station.read_variable(AUTH_ENABLED) or "").strip().lower() == "true"
        authorize_required = auth_enabled and pre_authorize
        await stack.enter_async_context(states.transactions_ended_afterwards(station))
        tx = await states.parking_bay_occupied(station, evse, connector)
        presented = time.monotonic()
        tx = await states.authorized(station, evse, connector, tx=tx, authorize_required=authorize_required)
        if tx.started:  # step 1: TxStartPoint ParkingBayOccupancy or Authorized
            requirements = ("E03.FR.05", "E03.FR.15", "Part 6 TC_E_05_CS step 1")
            event = await states.transaction_step_event(
                station, tx, "a TransactionEventRequest reports the EV connection timeout",
                triggers=("EVConnectTimeout",), requirements=requirements,
                timeout=timeout + station.tolerance + station.message_timeout)
            station.no_sooner_than("the EV connection timeout is reported no sooner than EVConnectionTimeOut after "
                                   "the authorization", event.received_mono - (
                                       tx.authorized_mono if tx.authorized_mono is not None else presented),
                                   required=timeout,
                                   requirements=("E03.FR.05", "E03.FR.15", "C01.FR.26"))
            ended = event.payload.get("eventType") == "Ended"
            if "Authorized" in tx.stop_points and "ParkingBayOccupancy" in tx.stop_points:
                # Part 6: Ended (TxStopPoint contains Authorized); E03.FR.15 (contains ParkingBayOccupancy):
                # deauthorized, the transaction ends when the EV leaves the bay (Updated). Either is accepted.
                expected = {"eventType": OneOf("Ended", "Updated")}
                if ended:
                    expected["transactionInfo.stoppedReason"] = "Timeout"
                cited = ("E03.FR.05", "E03.FR.15", "Part 6 TC_E_05_CS step 1")
            elif "Authorized" in tx.stop_points:
                expected = {"eventType": "Ended", "transactionInfo.stoppedReason": "Timeout"}
                cited = ("E03.FR.05", "Part 6 TC_E_05_CS step 1")
            elif "ParkingBayOccupancy" in tx.stop_points:
                expected = {"eventType": "Updated"}
                cited = ("E03.FR.15", "Part 6 TC_E_05_CS step 1")
            else:  # Part 6 says Updated, E03.FR.05 lets the station end it (stoppedReason judged on Ended only)
                expected = {"eventType": OneOf("Updated", "Ended")}
                if ended:
                    expected["transactionInfo.stoppedReason"] = "Timeout"
                cited = ("E03.FR.05", "Part 6 TC_E_05_CS step 1")
            station.check.fields(f"TransactionEventRequest after EVConnectionTimeOut with TxStopPoint "
                                 f"{','.join(tx.stop_points) or '?'} (Part 6 TC_E_05_CS step 1)", event.payload,
                                 {"triggerReason": "EVConnectTimeout", **expected}, requirements=cited)
        else:
            await _wait_out(station, timeout + station.tolerance, "TxCtrlr.EVConnectionTimeOut after the "
                                                                  "authorization (Part 6 TC_E_05_CS)")
        # steps 3-4: a new session on the same EVSE
        again = tx if not tx.ended else None
        try:
            tx = await states.authorized(station, evse, connector, tx=again, authorize_required=authorize_required)
            await states.energy_transfer_started(station, evse, connector, tx=tx)
        except (CheckFailed, PeerError):
            station.check.that("after EVConnectionTimeOut the EVSE is ready to start another charging session (Part 6 "
                               "TC_E_05_CS steps 3-4)", False, expected="authorization and energy transfer succeed",
                               actual="see the failed step above", requirements=("C01.FR.26", "E03.FR.05"),
                               soft=True)
            raise


@case
async def test_tc_e_38_cs(station: ChargingStationUnderTest) -> None:
    """An EV that is not ready for the energy transfer is connected after the authorization: the station reports
    chargingState SuspendedEV.

    Part 6 steps / validations implemented:
    - prerequisite: TxStartPoint not EnergyTransfer (else NOT APPLICABLE);
    - Before, Authorized (local) (after ParkingBayOccupied when TxStartPoint contains ParkingBayOccupancy); with
      AuthEnabled true and LocalPreAuthorize implemented (set false) the AuthorizeRequest is required (C01.FR.02);
    - manual action: the EV set not ready (action ``ev_suspend`` before the plug-in; ``ev_resume`` afterwards);
    - step 1, EVConnectedPreSession: Occupied, the step 3 event when TxStartPoint makes one (E01.FR.16);
    - step 2: TransactionEventRequest triggerReason ChargingStateChanged, chargingState SuspendedEV (E01.FR.19,
      E02.FR.13); the first event after the idToken carries it (Part 6 §2.1, E01.FR.10)."""
    evse, connector = configured_connector(station)
    points = await states.tx_start_points(station)
    if points == ["EnergyTransfer"]:
        raise NotApplicable("Part 6 prerequisite of TC_E_38_CS not met: TxStartPoint should not be EnergyTransfer")
    async with ev_resumed_afterwards(station, evse, connector), states.transactions_ended_afterwards(station):
        tx = await states.parking_bay_occupied(station, evse, connector)
        tx = await states.authorized(station, evse, connector, tx=tx)
        await station.actions.do("ev_suspend", evse=evse, connector=connector)
        await states.ev_connected_pre_session_of(station, tx)
        requirements = ("E01.FR.19", "E02.FR.13", "Part 6 TC_E_38_CS step 2")
        while True:
            event = await states.transaction_step_event(
                station, tx, "a TransactionEventRequest reports that the EV is not ready (SuspendedEV)",
                triggers=("ChargingStateChanged",), requirements=requirements,
                wanted=lambda e: e.payload.get("transactionInfo", {}).get("chargingState") == "SuspendedEV")
            if event.payload.get("triggerReason") != "SignedDataReceived":
                break
            # TxStartPoint DataSigned: the transaction starts with the signed reading (EnergyTransferStarted step 5)
            station.note("recorded TransactionEventRequest triggerReason SignedDataReceived before step 2")
        station.check.fields("TransactionEventRequest (Part 6 TC_E_38_CS step 2)", event.payload, {
            "triggerReason": "ChargingStateChanged", "transactionInfo.chargingState": "SuspendedEV"},
            requirements=requirements)
        states.token_carried(station, tx)


@case
async def test_tc_e_52_cs(station: ChargingStationUnderTest) -> None:
    """With DisableRemoteAuthorization true an idToken in neither the Authorization Cache nor the Local Authorization
    List is refused without an AuthorizeRequest, and plugging the EV in does not start charging.

    Part 6 steps / validations implemented (errata 2025-09 §6.2.48):
    - prerequisite: AuthCtrlr.DisableRemoteAuthorization implemented (else NOT APPLICABLE); configuration state:
      AuthCtrlr.Enabled true (if implemented), DisableRemoteAuthorization true, restored;
    - memory state: the idToken presented is one the harness invents for the run (type of the configured valid
      idToken), so it is in neither the cache nor the local list;
    - Before, ParkingBayOccupied (optional state, when TxStartPoint contains ParkingBayOccupancy);
    - step 1: no AuthorizeRequest from the presentation to the end of the scenario, and the authorization is
      refused: no TransactionEventRequest carries the token (C01.FR.02 overruled, C01.FR.05);
    - step 2, EVConnectedPreSession: Occupied, the Started event with TxStartPoint EVConnected;
    - step 3: the station does not start charging within the message timeout after the plug-in."""
    evse, connector = configured_connector(station)
    valid = station.config.id_tokens.valid
    token = station.ctx.ids.text("idToken", prefix="E52-")
    async with local_start_configuration(station, disable_remote_authorization="true") as implemented:
        if not implemented:
            raise NotApplicable("Part 6 prerequisite of TC_E_52_CS not met: AuthCtrlr.DisableRemoteAuthorization is "
                                "not implemented")
        async with states.transactions_ended_afterwards(station):
            tx = await states.parking_bay_occupied(station, evse, connector)
            conn = station.connection
            presented = conn.mark()
            await station.actions.do("present_id_token", id_token=token, type=valid.type, evse=evse)
            await states.ev_connected_pre_session_of(station, tx)
            plugged = conn.mark()
            await states.watch_no_charging(
                station, conn, evse, plugged, station.message_timeout, what="the plug-in",
                name="the station does not start charging (Part 6 TC_E_52_CS step 3, errata 2025-09 §6.2.48)",
                requirements=("C01.FR.01", "Part 6 TC_E_52_CS step 3"))
            calls = conn.mailbox[presented:]
            asked = [c.payload for c in calls if c.action == "Authorize"]
            carried = [c.payload for c in calls if c.action == "TransactionEvent"
                       and c.payload.get("idToken", {}).get("idToken") == token]
            station.check.that("the station does NOT send an AuthorizeRequest (Part 6 TC_E_52_CS step 1)", not asked,
                               expected="no AuthorizeRequest", actual=asked,
                               requirements=("C01.FR.02", "C01.FR.05", "Part 6 TC_E_52_CS step 1"), soft=True)
            station.check.that("the authorization is refused: no TransactionEventRequest carries the presented "
                               "idToken (Part 6 TC_E_52_CS step 1)", not carried, expected="no TransactionEventRequest"
                               f" with idToken {token}", actual=carried,
                               requirements=("C01.FR.05", "E02.FR.20", "Part 6 TC_E_52_CS step 1"))
