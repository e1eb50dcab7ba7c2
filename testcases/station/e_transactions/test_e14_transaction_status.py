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
from conformance.transport.connection import Response

from ._steps_offline import transaction_ended


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
    """Before: EnergyTransferStarted. GetTransactionStatus with its transactionId: ongoingIndicator true, messagesInQueue
    false (step 2, E14.FR.02, E14.FR.05). Afterwards the transaction is ended (not judged)."""
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
