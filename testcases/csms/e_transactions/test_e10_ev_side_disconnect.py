"""Block E Transactions, the SUT is a CSMS (the harness plays the Charging Station).

Cable disconnected on the EV side (E10): the harness station suspends the transaction (StopTxOnEVSideDisconnect
false) and resumes the energy transfer when the EV is connected again.
"""

from __future__ import annotations

from conformance.harness import CsmsUnderTest, case
from conformance.harness.reusable_states import csms as states

from ._steps import configured_connector


@case
async def test_tc_e_26_csms(csms: CsmsUnderTest) -> None:
    """EV-side disconnect suspends the transaction: the EV-side cable is unplugged (the transaction goes on), the
    connector is reported Available, the cable is plugged in again and the energy transfer resumes.

    Part 6 steps / validations implemented:
    - Before: EnergyTransferSuspended (EnergyTransferStarted, Updated ChargingStateChanged SuspendedEV);
    - steps 1-2: Updated (EVCommunicationLost, Idle), answered;
    - steps 3-4: StatusNotification Available, answered;
    - steps 5-6: Updated (CablePluggedIn, EVConnected), answered; the connector is reported Occupied before it
      (G01: a station reports the status change; Part 6 leaves the report out, the CSMS must answer it anyway);
    - steps 7-8: Updated (ChargingStateChanged, Charging), answered;
    - afterwards: the transaction is ended."""
    await states.booted(csms, precondition=True)
    evse, connector = configured_connector(csms)
    async with states.transactions_ended_afterwards(csms) as transactions:
        tx = await states.energy_transfer_started(csms, evse, connector)
        transactions.append(tx)
        await states.energy_transfer_suspended(csms, tx)
        await states.transaction_event(csms, tx, "Updated", "EVCommunicationLost", "Idle",
                                       requirements=("Part 6 TC_E_26_CSMS step 2",))
        await states.report_availability(csms, [(evse, connector)], "Available")
        await states.report_availability(csms, [(evse, connector)], "Occupied")
        await states.transaction_event(csms, tx, "Updated", "CablePluggedIn", "EVConnected",
                                       requirements=("Part 6 TC_E_26_CSMS step 6",))
        await states.transaction_event(csms, tx, "Updated", "ChargingStateChanged", "Charging",
                                       requirements=("Part 6 TC_E_26_CSMS step 8",))
