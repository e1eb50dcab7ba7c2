"""Block E Transactions, the SUT is a Charging Station (the harness is its CSMS): transactions while offline, E08
(stopped while offline), E11 (connection loss during a transaction), E12 (an offline transaction): TC_E_40_CS,
TC_E_43_CS, TC_E_44_CS.

The harness makes the offline period as Part 6 does: it closes the WebSocket connection and refuses reconnection
attempts (no network action), performs the manual steps meanwhile, then accepts the next attempt
(:mod:`._steps_offline`). The queued TransactionEventRequests that follow are judged as Part 6 lists: all of them with
offline true (E08.FR.07, E11.FR.02, E12.FR.02), and the events the case expects among them. seqNo continuity, one
transactionId and the eventType order are the transaction invariants' (generic) checks.
"""

from __future__ import annotations

from typing import Any

from conformance.harness import ChargingStationUnderTest, case
from conformance.harness.reusable_states import station as states
from conformance.outcomes import Inconclusive
from conformance.transport.connection import IncomingCall

from ._steps_offline import (OFFLINE_TX_FOR_UNKNOWN_ID, check_offline_flag, check_queued_updates,
                             configured_if_implemented, id_token_cached, offline, offline_configured,
                             offline_updates_configured, queued_events, reconnect_back_off, stopped_while_offline,
                             transaction_ended)


def _back_off(station: ChargingStationUnderTest, wait_minimum: float) -> float:
    return reconnect_back_off(wait_minimum)


def _one_of(station: ChargingStationUnderTest, events: list, event_type: str, *, step: str,
            requirements: tuple[str, ...]) -> None:
    found = [e for e in events if e.payload.get("eventType") == event_type]
    station.check.that(f"{step}: one of the queued TransactionEventRequests has eventType {event_type}",
                       len(found) == 1, expected=f"one eventType {event_type}",
                       actual=[f"seqNo {e.payload.get('seqNo')} {e.payload.get('eventType')}" for e in events],
                       requirements=requirements, soft=True)


@case
async def test_tc_e_43_cs(station: ChargingStationUnderTest) -> None:
    """A whole transaction while offline (memory state TransactionEventsInQueueEnded, in Before per errata 2025-09
    §6.2.54): after the reconnection every queued TransactionEventRequest has offline true (E12.FR.02), one is
    Started and one Ended (E12.FR.01, step 1 of the errata).

    Before: AuthCtrlr.OfflineTxForUnknownIdEnabled true (if implemented); IdTokenCached (if the PICS claims the
    authorization cache, C-49: a transaction with the valid idToken, EnergyTransferStarted through
    ParkingBayUnoccupied). IdTokenLocalAuthList is not reached (no local list management here): noted."""
    evse, connector = station.connectors[0]
    token = station.config.id_tokens.valid
    async with configured_if_implemented(station, OFFLINE_TX_FOR_UNKNOWN_ID, "true"), \
            states.transactions_ended_afterwards(station) as transactions:
        if "C-49" in station.config.pics.features:
            await transaction_ended(station, evse, connector)  # memory state IdTokenCached
        station.note("memory state IdTokenLocalAuthList is not set up by this case (block D)")
        tx = states.Transaction(evse, connector, start_points=await states.tx_start_points(station),
                                stop_points=await states.tx_stop_points(station))
        transactions.append(tx)
        async with offline(station) as period:
            if "ParkingBayOccupancy" in tx.start_points:
                await station.actions.do("drive_in", evse=evse)
            await station.actions.do("plug_in", evse=evse, connector=connector)
            tx.plugged = True
            await station.actions.do("present_id_token", id_token=token.id_token, type=token.type, evse=evse)
            tx.authorized = True
            await stopped_while_offline(station, tx)
            conn = await period.accept(back_off=_back_off(station, station.config.station_values.
                                                          retry_back_off_wait_minimum))
            tx.connection, tx.since = conn, 0
            events = await queued_events(station, period, until_ended=True)
            for incoming in events:
                tx.record(incoming)
        check_offline_flag(station, events, step="step 1", requirements=("E12.FR.02", "E12.FR.01"))
        _one_of(station, events, "Started", step="step 1", requirements=("E12.FR.01",))
        _one_of(station, events, "Ended", step="step 1", requirements=("E12.FR.01",))


@case
async def test_tc_e_44_cs(station: ChargingStationUnderTest) -> None:
    """A transaction stopped while offline: Before EnergyTransferStarted (OfflineThreshold = RetryBackOffWaitMinimum +
    60, RetryBackOffWaitMinimum = ``station_values.retry_back_off_wait_minimum``, RetryBackOffRandomRange 0); offline,
    the same idToken is presented, the EV disconnected (and driven out with TxStopPoint ParkingBayOccupancy); after the
    reconnection every queued TransactionEventRequest has offline true (step 3, E08.FR.07) and one is Ended
    (E08.FR.04, E08.FR.05, E08.FR.06)."""
    evse, connector = station.connectors[0]
    wait_minimum = station.config.station_values.retry_back_off_wait_minimum
    async with offline_configured(station, wait_minimum, wait_minimum + 60), \
            states.transactions_ended_afterwards(station):
        tx = await states.energy_transfer_started(station, evse, connector)
        async with offline(station) as period:
            await stopped_while_offline(station, tx)
            conn = await period.accept(back_off=_back_off(station, wait_minimum))
            tx.connection, tx.since = conn, 0
            events = await queued_events(station, period, until_ended=True, transaction_id=tx.transaction_id)
            for incoming in events:
                tx.record(incoming)
        check_offline_flag(station, events, step="step 3", requirements=("E08.FR.07", "E08.FR.05"))
        _one_of(station, events, "Ended", step="step 3", requirements=("E08.FR.04", "E08.FR.06"))



@case
async def test_tc_e_45_cs(station: ChargingStationUnderTest) -> None:
    """A transaction stopped while offline by another idToken of the same GroupId: the harness CSMS answers the
    valid idToken and ``[id_tokens.group]`` with that groupIdToken (Authorized with <Configured GroupIdToken>);
    memory state IdTokenCached for the group token (when the PICS claims the authorization cache, C-49;
    IdTokenLocalAuthList is not set up here); Before EnergyTransferStarted (configuration as TC_E_44_CS). Offline,
    the group token is presented, the EV disconnected (driven out with TxStopPoint ParkingBayOccupancy); after the
    reconnection every queued TransactionEventRequest has offline true (step 3, E08.FR.07) and one is Ended
    (E08.FR.02, E08.FR.04, E08.FR.06); one has triggerReason StopAuthorized (Part 2 E07.FR.01/02: how E08.FR.02's stop
    shows; Part 6 is silent)."""
    tokens = station.config.id_tokens
    group = tokens.group
    if group is None or not group.group_id_token:
        raise Inconclusive("Part 6 <Configured valid idtoken fields2> / <Configured GroupIdToken>: configure "
                           "[id_tokens.group] with id_token and group_id_token")
    group_id = {"idToken": group.group_id_token, "type": "Central"}
    members = {tokens.valid.id_token, group.id_token}

    def with_group(incoming: IncomingCall) -> Any:
        token = incoming.payload.get("idToken", {}).get("idToken")
        if token in members:
            return {"idTokenInfo": {"status": "Accepted", "groupIdToken": group_id}}
        return station.usual_answer(incoming)

    evse, connector = station.connectors[0]
    wait_minimum = station.config.station_values.retry_back_off_wait_minimum
    with station.answering("Authorize", with_group), station.answering("TransactionEvent", with_group):
        async with offline_configured(station, wait_minimum, wait_minimum + 60), \
                states.transactions_ended_afterwards(station):
            if "C-49" in station.config.pics.features:
                await id_token_cached(station, group.id_token, group.type, evse, connector)
            station.note("memory state IdTokenLocalAuthList is not set up by this case (block D)")
            tx = await states.energy_transfer_started(station, evse, connector)
            async with offline(station) as period:
                await stopped_while_offline(station, tx, token=(group.id_token, group.type))
                conn = await period.accept(back_off=_back_off(station, wait_minimum))
                tx.connection, tx.since = conn, 0
                events = await queued_events(station, period, until_ended=True, transaction_id=tx.transaction_id)
                for incoming in events:
                    tx.record(incoming)
            check_offline_flag(station, events, step="step 3", requirements=("E08.FR.07", "E08.FR.05"))
            _one_of(station, events, "Ended", step="step 3", requirements=("E08.FR.02", "E08.FR.04", "E08.FR.06"))
            triggers = [e.payload.get("triggerReason") for e in events]
            station.check.that("step 3: the idToken of the same GroupId ended the authorization: a queued "
                               "TransactionEventRequest has triggerReason StopAuthorized (Part 2 E07.FR.01/02 for "
                               "E08.FR.02; Part 6 does not validate it)", "StopAuthorized" in triggers,
                               expected="triggerReason StopAuthorized", actual=triggers,
                               requirements=("E08.FR.02", "E07.FR.01", "E07.FR.02"), soft=True)


@case
async def test_tc_e_40_cs(station: ChargingStationUnderTest) -> None:
    """Connection loss during a transaction: Before EnergyTransferStarted with periodic meter values configured
    (:func:`offline_updates_configured`, SampledDataEnabled true if implemented); the harness closes the connection
    and accepts a reconnection only after RetryBackOffWaitMinimum; the TransactionEventRequests the station queued
    meanwhile (timestamped in the offline period) are all Updated, with meterValue and offline true (step 3,
    E11.FR.01, E11.FR.02, E11.FR.03). Afterwards the transaction is ended (not judged)."""
    evse, connector = station.connectors[0]
    async with offline_updates_configured(station, sampled_enabled=True) as wait_minimum, \
            states.transactions_ended_afterwards(station):
        tx = await states.energy_transfer_started(station, evse, connector)
        async with offline(station) as period:
            conn = await period.accept(not_before=wait_minimum, back_off=_back_off(station, wait_minimum))
            tx.connection, tx.since = conn, 0
            events = await queued_events(station, period, until_ended=False, transaction_id=tx.transaction_id)
            for incoming in events:
                tx.record(incoming)
        check_queued_updates(station, events, step="step 3", requirements=("E11.FR.01", "E11.FR.02"))
