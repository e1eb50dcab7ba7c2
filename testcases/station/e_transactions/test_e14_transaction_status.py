"""Block E Transactions, the SUT is a Charging Station (the harness is its CSMS): E14 Check transaction status
(GetTransactionStatus), TC_E_28_CS .. TC_E_34_CS.

The answer is judged against E14: with a transactionId, ongoingIndicator is present and says whether that transaction
is still going on (E14.FR.01-03); without one it is absent (E14.FR.06); messagesInQueue says whether transaction
messages (of that transaction, or any) wait to be delivered (E14.FR.04/05/07/08). The cases "with message in queue"
make the station queue messages while the harness keeps it offline (_offline.py) and ask the moment it is back;
the harness answers no TransactionEventRequest until the station has answered, so a queue that empties at once does
not race the question.
"""

from __future__ import annotations

from conformance.harness import ABSENT, ChargingStationUnderTest, case
from conformance.harness.reusable_states import station as states
from conformance.protocol.variables import component_variable
from conformance.transport.connection import Response

from ._steps_offline import (check_queued_updates, configured_if_implemented, held_from_reconnection, offline,
                             offline_configured, offline_updates_configured, queued_events, stopped_while_offline,
                             transaction_ended)

UNLOCK_ON_EV_SIDE_DISCONNECT = component_variable("OCPPCommCtrlr", "UnlockOnEVSideDisconnect")


async def transaction_status(station: ChargingStationUnderTest, transaction_id: str | None, *,
                             ongoing: bool | None, queued: bool, requirements: tuple[str, ...],
                             step: str) -> Response:
    """GetTransactionStatusRequest (with ``transaction_id``, or without one when None) and the Part 6 tool validation
    of the response: ongoingIndicator ``ongoing`` (None: omitted), messagesInQueue ``queued``."""
    response = await station.call("GetTransactionStatus",
                                  {} if transaction_id is None else {"transactionId": transaction_id})
    station.check.that(f"the station answers GetTransactionStatusRequest ({step})", response.ok,
                       expected="GetTransactionStatusResponse", actual=response.describe(), requirements=requirements)
    station.check.fields(f"GetTransactionStatusResponse ({step})", response.payload, {
        "ongoingIndicator": ABSENT if ongoing is None else ongoing, "messagesInQueue": queued},
        requirements=requirements)
    return response


@case
async def test_tc_e_28_cs(station: ChargingStationUnderTest) -> None:
    """GetTransactionStatus for a transactionId the station never used: ongoingIndicator false and messagesInQueue
    false (step 2, E14.FR.01). The id is invented by the harness, unique per run."""
    unknown = station.ctx.ids.text("transactionId", "unknown-")
    await transaction_status(station, unknown, ongoing=False, queued=False, requirements=("E14.FR.01",),
                             step="step 2: an unknown transactionId")


@case
async def test_tc_e_30_cs(station: ChargingStationUnderTest) -> None:
    """Before: EnergyTransferStarted. GetTransactionStatus with its transactionId: ongoingIndicator true,
    messagesInQueue false (step 2, E14.FR.02, E14.FR.05). Afterwards the transaction is ended (not judged)."""
    evse, connector = station.connectors[0]
    async with states.transactions_ended_afterwards(station):
        tx = await states.energy_transfer_started(station, evse, connector)
        await transaction_status(station, tx.transaction_id, ongoing=True, queued=False,
                                 requirements=("E14.FR.02", "E14.FR.05"), step="step 2: an ongoing transaction")


@case
async def test_tc_e_32_cs(station: ChargingStationUnderTest) -> None:
    """Before: EnergyTransferStarted through ParkingBayUnoccupied (the transaction has ended, its messages were
    answered). GetTransactionStatus with its transactionId: ongoingIndicator false, messagesInQueue false (step 2,
    E14.FR.03, E14.FR.05)."""
    evse, connector = station.connectors[0]
    async with states.transactions_ended_afterwards(station):
        tx = await transaction_ended(station, evse, connector)
        await transaction_status(station, tx.transaction_id, ongoing=False, queued=False,
                                 requirements=("E14.FR.03", "E14.FR.05"), step="step 2: an ended transaction")


@case
async def test_tc_e_34_cs(station: ChargingStationUnderTest) -> None:
    """GetTransactionStatus without a transactionId while nothing is queued: ongoingIndicator omitted, messagesInQueue
    false (step 2, E14.FR.06, E14.FR.08)."""
    await transaction_status(station, None, ongoing=None, queued=False, requirements=("E14.FR.06", "E14.FR.08"),
                             step="step 2: without a transactionId")


@case
async def test_tc_e_31_cs(station: ChargingStationUnderTest) -> None:
    """A transaction stopped while offline, asked about the moment the station is back: Before EnergyTransferStarted
    (OfflineThreshold = RetryBackOffWaitMinimum + Transaction Duration + 60, RetryBackOffWaitMinimum =
    ``station_values.retry_back_off_wait_minimum`` + ``transaction_duration``, RetryBackOffRandomRange 0,
    UnlockOnEVSideDisconnect true if ReadWrite, errata 2025-09 §6.2.53). Offline, the idToken is presented again
    (scenario local), the EV disconnected (driven out with TxStopPoint ParkingBayOccupancy); the harness waits the
    Transaction Duration, accepts the reconnection and asks GetTransactionStatus with the transactionId at once (the
    queued TransactionEventRequests are answered after it): ongoingIndicator false, messagesInQueue true (step 2,
    E14.FR.03, E14.FR.04). Step 3: the queued events hold the StopAuthorized event and the Ended one (the reusable
    states' validations from StopAuthorized on; the errata's remote scenario, the energy transfer stopped at the EV,
    is not run: the configured valid idToken stops locally)."""
    values = station.config.station_values
    duration = values.transaction_duration
    wait_minimum = values.retry_back_off_wait_minimum + duration
    evse, connector = station.connectors[0]
    async with offline_configured(station, wait_minimum, wait_minimum + 60), \
            configured_if_implemented(station, UNLOCK_ON_EV_SIDE_DISCONNECT, "true"), \
            states.transactions_ended_afterwards(station):
        tx = await states.energy_transfer_started(station, evse, connector)
        async with offline(station) as period:
            await stopped_while_offline(station, tx)
            with held_from_reconnection(station, "TransactionEvent"):
                conn = await period.accept(not_before=duration, back_off=8 * wait_minimum)
                tx.connection, tx.since = conn, 0
                await transaction_status(station, tx.transaction_id, ongoing=False, queued=True,
                                         requirements=("E14.FR.03", "E14.FR.04"),
                                         step="step 2: an ended transaction with messages in queue")
            events = await queued_events(station, period, until_ended=True, transaction_id=tx.transaction_id)
            for incoming in events:
                tx.record(incoming)
        triggers = [e.payload.get("triggerReason") for e in events]
        station.check.that("step 3: a queued TransactionEventRequest reports the stop authorization (Part 6 "
                           "StopAuthorized step 1)", "StopAuthorized" in triggers,
                           expected="triggerReason StopAuthorized", actual=triggers,
                           requirements=("E07.FR.02", "E08.FR.04"), soft=True)
        station.check.that("step 3: the queued TransactionEventRequests end the transaction", tx.ended,
                           expected="eventType Ended", actual=[e.payload.get("eventType") for e in events],
                           requirements=("E08.FR.04", "E08.FR.06"), soft=True)


async def ongoing_with_messages_in_queue(station: ChargingStationUnderTest, *, with_id: bool) -> None:
    """TC_E_29_CS / TC_E_33_CS: Before EnergyTransferStarted with periodic meter values configured; the harness closes
    the connection, accepts a reconnection after RetryBackOffWaitMinimum and at once asks GetTransactionStatus (with
    the transactionId, or without one); the queued events are answered after it and are Updated, with meterValue
    and offline true (step 5)."""
    evse, connector = station.connectors[0]
    async with offline_updates_configured(station) as wait_minimum, states.transactions_ended_afterwards(station):
        tx = await states.energy_transfer_started(station, evse, connector)
        async with offline(station) as period:
            with held_from_reconnection(station, "TransactionEvent"):
                conn = await period.accept(not_before=wait_minimum, back_off=8 * wait_minimum)
                tx.connection, tx.since = conn, 0
                if with_id:
                    await transaction_status(station, tx.transaction_id, ongoing=True, queued=True,
                                             requirements=("E14.FR.02", "E14.FR.04"),
                                             step="step 4: an ongoing transaction with messages in queue")
                else:
                    await transaction_status(station, None, ongoing=None, queued=True,
                                             requirements=("E14.FR.06", "E14.FR.07"),
                                             step="step 4: without a transactionId, messages in queue")
            events = await queued_events(station, period, until_ended=False, transaction_id=tx.transaction_id)
            for incoming in events:
                tx.record(incoming)
        check_queued_updates(station, events, step="step 5", requirements=("E11.FR.02",))


@case
async def test_tc_e_29_cs(station: ChargingStationUnderTest) -> None:
    """GetTransactionStatus with the transactionId of an ongoing transaction whose messages wait in the queue:
    ongoingIndicator true, messagesInQueue true (step 4, E14.FR.02, E14.FR.04); the queued events follow (step 5)."""
    await ongoing_with_messages_in_queue(station, with_id=True)


@case
async def test_tc_e_33_cs(station: ChargingStationUnderTest) -> None:
    """GetTransactionStatus without a transactionId while messages wait in the queue: ongoingIndicator omitted,
    messagesInQueue true (step 4, E14.FR.06, E14.FR.07); the queued events follow (step 5)."""
    await ongoing_with_messages_in_queue(station, with_id=False)
