"""Block E Transactions, the SUT is a CSMS (the harness plays the Charging Station).

Check transaction status (E14): on request the CSMS asks the harness station with GetTransactionStatusRequest about
one transaction or about its queue in general; the station answers and delivers what it queued while offline, and the
CSMS accepts those late events (offline = true, after the Ended event, seqNo filling a gap).
"""

from __future__ import annotations

from conformance.harness import CsmsUnderTest, case
from conformance.harness.reusable_states import csms as states

from ._steps import at, configured_connector, holding_queue, offline_period, transaction_status


def _queued_meter_values(timestamp: str) -> list[dict]:
    """The meter value of a TransactionEventRequest queued while offline (TC_E_29/33_CSMS step 5)."""
    return [{"timestamp": timestamp, "sampledValue": [{"value": 1000.0, "measurand": "Energy.Active.Import.Register",
                                                       "context": "Sample.Periodic"}]}]


async def _ongoing_with_queue(csms: CsmsUnderTest, case_id: str, transaction_id_asked: bool) -> None:
    """TC_E_29/33_CSMS: EnergyTransferStarted; the station goes offline for <Configured Transaction Duration> and
    reconnects; the CSMS asks for the transaction status (with the transactionId / without one), the station answers
    messages in queue and delivers its queued Updated event (meterValue, offline = true), which the CSMS answers.
    The station holds the queued event from the offline period until it is delivered, and says so whenever the CSMS
    asks: a CSMS that asks on its own when the station reconnects does step 3 (Part 6 gives it no manual action)."""
    await states.booted(csms, precondition=True)
    async with states.transaction_ended_afterwards(csms, *configured_connector(csms)) as tx:
        await states.energy_transfer_started(csms, tx.evse, tx.connector, tx=tx)
        with holding_queue(csms, tx.transaction_id, ongoing=True, queued=True):
            went_offline = await offline_period(csms)
            await transaction_status(csms, case_id, 3, tx.transaction_id if transaction_id_asked else None, since=0)
            happened = at(went_offline, 0.001)
            await states.transaction_event(csms, tx, "Updated", "MeterValuePeriodic", "Charging", offline=True,
                                           timestamp=happened, meterValue=_queued_meter_values(happened),
                                           requirements=(f"Part 6 {case_id} step 6",))


@case
async def test_tc_e_29_csms(csms: CsmsUnderTest) -> None:
    """Transaction status of an ongoing transaction with a message in the queue, asked by transactionId.

    Part 6 steps / validations implemented:
    - Before: EnergyTransferStarted;
    - steps 1-2: the station closes its connection, waits <Configured Transaction Duration> and reconnects (no new
      boot: a connection loss is no reboot);
    - steps 3-4 and tool validation step 3: GetTransactionStatusRequest with the transactionId generated in Before,
      sent by the CSMS on its own after the reconnect or else on request (``csms_send``); answered ongoingIndicator
      true, messagesInQueue true (E14.FR.02/04) whenever it comes;
    - steps 5-6: the queued Updated event (meterValue, offline true) answered;
    - afterwards: the transaction is ended."""
    await _ongoing_with_queue(csms, "TC_E_29_CSMS", transaction_id_asked=True)


@case
async def test_tc_e_30_csms(csms: CsmsUnderTest) -> None:
    """Transaction status of an ongoing transaction without a message in the queue, asked by transactionId.

    Part 6 steps / validations implemented:
    - Before: EnergyTransferStarted;
    - steps 1-2 and tool validation step 1: on request GetTransactionStatusRequest with the transactionId generated in
      Before; answered ongoingIndicator true, messagesInQueue false (E14.FR.02/05);
    - afterwards: the transaction is ended."""
    await states.booted(csms, precondition=True)
    async with states.transaction_ended_afterwards(csms, *configured_connector(csms)) as tx:
        await states.energy_transfer_started(csms, tx.evse, tx.connector, tx=tx)
        with holding_queue(csms, tx.transaction_id, ongoing=True, queued=False):
            await transaction_status(csms, "TC_E_30_CSMS", 1, tx.transaction_id)


@case
async def test_tc_e_31_csms(csms: CsmsUnderTest) -> None:
    """Transaction status of a transaction that ended while the station was offline, with messages in the queue: the
    CSMS accepts the Ended event first and then the two earlier events whose seqNo it skipped.

    Part 6 steps / validations implemented:
    - Before: EnergyTransferStarted;
    - steps 1-2: the station closes its connection, waits <Configured Transaction Duration> and reconnects (no boot);
    - steps 3-4: StatusNotification Available, answered;
    - steps 5-6: Ended (offline, EVCommunicationLost, Idle, stoppedReason EVDisconnected) with a seqNo two ahead,
      answered;
    - steps 7-8 and the tool validation of the GetTransactionStatusRequest (Part 6 numbers it step 5): with the
      transactionId generated in Before, sent by the CSMS on its own once it has the Ended event (E14: it misses
      seqNos) or else on request; answered ongoingIndicator false, messagesInQueue true (E14.FR.03/04) whenever it
      comes from the reconnect on;
    - steps 9-10: Updated (StopAuthorized, offline) with the first skipped seqNo, answered;
    - steps 11-12: Updated (ChargingStateChanged, EVConnected, offline) with the second skipped seqNo, answered."""
    await states.booted(csms, precondition=True)
    evse, connector = configured_connector(csms)
    async with states.transaction_ended_afterwards(csms, evse, connector) as tx:
        await states.energy_transfer_started(csms, evse, connector, tx=tx)
        # The transaction ends while the station is offline: from then on it has stopped, with events queued.
        with holding_queue(csms, tx.transaction_id, ongoing=False, queued=True):
            went_offline = await offline_period(csms)
            await states.report_availability(csms, [(evse, connector)], "Available")
            first_skipped = tx.seq_no
            ended_at = csms.connection.mark()  # E14: a CSMS missing seqNos after the Ended event may ask at once
            await states.transaction_event(csms, tx, "Ended", "EVCommunicationLost", "Idle", seq_no=first_skipped + 2,
                                           offline=True, timestamp=at(went_offline, 0.003),
                                           info={"stoppedReason": "EVDisconnected"},
                                           requirements=("Part 6 TC_E_31_CSMS step 6",))
            await transaction_status(csms, "TC_E_31_CSMS", 5, tx.transaction_id, since=ended_at)
            await states.transaction_event(csms, tx, "Updated", "StopAuthorized", "Charging", seq_no=first_skipped,
                                           offline=True, timestamp=at(went_offline, 0.001),
                                           requirements=("Part 6 TC_E_31_CSMS step 10",))
            await states.transaction_event(csms, tx, "Updated", "ChargingStateChanged", "EVConnected",
                                           seq_no=first_skipped + 1, offline=True, timestamp=at(went_offline, 0.002),
                                           requirements=("Part 6 TC_E_31_CSMS step 12",))
        tx.seq_no = first_skipped + 3


@case
async def test_tc_e_33_csms(csms: CsmsUnderTest) -> None:
    """Queue status without a transactionId, with a message in the queue.

    Part 6 steps / validations implemented:
    - Before: EnergyTransferStarted;
    - steps 1-2: the station closes its connection, waits <Configured Transaction Duration> and reconnects (no boot);
    - steps 3-4 and tool validation step 3: GetTransactionStatusRequest without transactionId, sent by the CSMS on
      its own after the reconnect or else on request; answered without ongoingIndicator, messagesInQueue true
      (E14.FR.06/07);
    - steps 5-6: the queued Updated event (meterValue, offline true) answered;
    - afterwards: the transaction is ended."""
    await _ongoing_with_queue(csms, "TC_E_33_CSMS", transaction_id_asked=False)


@case
async def test_tc_e_34_csms(csms: CsmsUnderTest) -> None:
    """Queue status without a transactionId, nothing in the queue.

    Part 6 steps / validations implemented:
    - steps 1-2 and tool validation step 1: on request GetTransactionStatusRequest without transactionId; answered
      without ongoingIndicator, messagesInQueue false (E14.FR.06/08)."""
    await states.booted(csms, precondition=True)
    await transaction_status(csms, "TC_E_34_CSMS", 1, None)  # the harness station's own answer: nothing queued
