"""Block J Meter Values, the SUT is a CSMS (the harness plays the Charging Station): clock-aligned meter values
(J01). The harness station sends its clock-aligned readings for EVSE 0 and every configured EVSE (in a
TransactionEventRequest with triggerReason MeterValueClock for the EVSE with a transaction) at the moments of
<Configured clock-aligned Meter Values interval> (``station_values.aligned_data_interval``) counted from midnight;
the CSMS must answer each. Part 6 lists a NotifyEventRequest (trigger Periodic, component FiscalMetering) besides
the MeterValuesRequest: the device-model way of reporting the same, which the harness station does not use.
"""

from __future__ import annotations

import time

from conformance.harness import CsmsUnderTest, case
from conformance.harness.reusable_states import csms as states
from conformance.protocol import meter_values as mv

from ._steps import configured_connector, readings, tx_ended_case, until, values


async def _clock_aligned_rounds(csms: CsmsUnderTest, tx: states.Transaction | None, *, rounds: int) -> None:
    """``rounds`` clock-aligned moments (the first the last one passed, then every interval): a MeterValuesRequest
    for EVSE 0 and each EVSE without ``tx``, a TransactionEventRequest MeterValueClock for the EVSE of ``tx``."""
    interval = values(csms).aligned_data_interval
    moment = mv.last_aligned(time.time(), interval)
    for index in range(rounds):
        if index:
            moment += interval
            await until(csms, moment, f"the next clock-aligned moment ({interval} s interval)")
        for evse in [0] + sorted({e for e, _ in csms.connectors}):
            values_now = readings(csms, evse, mv.SAMPLE_CLOCK, [moment])
            if tx is not None and evse == tx.evse:
                await states.meter_value_event(csms, tx, "MeterValueClock", values_now)
            else:
                await states.meter_values_sent(csms, evse, values_now)


@case(time_needed=lambda t, c: mv.case_time_needed(t, c, intervals="aligned_data_interval", count=2, transaction=False))
async def test_tc_j_01_csms(csms: CsmsUnderTest) -> None:
    """The CSMS answers clock-aligned MeterValuesRequests without a transaction.

    Part 6 steps / validations implemented:
    - steps 1-2 for EVSE 0 and every configured EVSE, at two clock-aligned moments one interval apart (so three
      MeterValuesRequests or more: Part 6 ends after three): context Sample.Clock; every one answered (J01.FR.18).
    """
    await states.booted(csms)
    await _clock_aligned_rounds(csms, None, rounds=2)


@case(time_needed=lambda t, c: mv.case_time_needed(t, c, intervals="aligned_data_interval", count=2))
async def test_tc_j_02_csms(csms: CsmsUnderTest) -> None:
    """The CSMS answers clock-aligned meter values during a transaction.

    Part 6 steps / validations implemented:
    - EnergyTransferStarted on the configured EVSE;
    - steps 1-4 at each clock-aligned moment until the <Configured transaction duration> (at least two moments):
      MeterValuesRequests for EVSE 0 and the idle EVSEs (answered, J01.FR.18), a TransactionEventRequest Updated with
      triggerReason MeterValueClock and Sample.Clock values for the EVSE of the transaction (answered, J02.FR.19);
    - afterwards the transaction is ended (not judged).
    """
    await states.booted(csms)
    evse, connector = configured_connector(csms)
    async with states.transactions_ended_afterwards(csms) as transactions:
        tx = await states.energy_transfer_started(csms, evse, connector)
        transactions.append(tx)
        interval = values(csms).aligned_data_interval
        rounds = max(2, int(values(csms).transaction_duration // interval) + 1)
        await _clock_aligned_rounds(csms, tx, rounds=rounds)


@case(time_needed=lambda t, c: mv.case_time_needed(t, c, intervals="aligned_data_tx_ended_interval", count=2))
async def test_tc_j_03_csms(csms: CsmsUnderTest) -> None:
    """The CSMS answers an Ended event with clock-aligned meter values.

    Part 6 steps / validations implemented:
    - EnergyTransferStarted; after the <Configured transaction duration> (and at least two moments of the
      <Configured clock-aligned Tx ended Meter Values interval>) EVDisconnected: the Ended event carries a reading per
      clock-aligned moment (Sample.Clock), the last one with Transaction.End; every message answered (J02.FR.19).
    """
    await tx_ended_case(csms, values(csms).aligned_data_tx_ended_interval, aligned=True, signed=False)


@case(time_needed=lambda t, c: mv.case_time_needed(t, c, intervals="aligned_data_tx_ended_interval", count=2))
async def test_tc_j_04_csms(csms: CsmsUnderTest) -> None:
    """The CSMS answers an Ended event with signed clock-aligned meter values.

    Part 6 steps / validations implemented: as TC_J_03_CSMS, every sampledValue with a generated signedMeterValue
    (signedMeterData, signingMethod, encodingMethod, publicKey: an ECDSA P-256 signature of the reading).
    """
    await tx_ended_case(csms, values(csms).aligned_data_tx_ended_interval, aligned=True, signed=True)
