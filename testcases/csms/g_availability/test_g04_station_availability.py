"""Block G Availability, the SUT is a CSMS (the harness plays the Charging Station).

change availability of the Charging Station (G04).
"""

from __future__ import annotations

from conformance.harness import CsmsUnderTest, case, reusable_state
from conformance.harness.reusable_states import (csms_availability_restored, csms_changes_availability,
                                                 csms_transaction_closed, energy_transfer_started_csms,
                                                 report_availability_csms, transaction_ends_csms, unavailable_csms)

from ._steps import configured_connector


@case
async def test_tc_g_05_csms(csms: CsmsUnderTest) -> None:
    """On request the CSMS sets the whole station Inoperative and accepts every Unavailable report."""
    await reusable_state.booted_csms(csms)
    async with csms_availability_restored(csms) as restore:
        restore.pending.append((None, None))
        await unavailable_csms(csms)


@case
async def test_tc_g_06_csms(csms: CsmsUnderTest) -> None:
    """On request the CSMS sets the Inoperative station Operative and accepts every Available report."""
    await reusable_state.booted_csms(csms)
    async with csms_availability_restored(csms) as restore:
        restore.pending.append((None, None))
        await unavailable_csms(csms)  # reusable state: Charging Station set to Unavailable
        await csms_changes_availability(csms, "Operative")
        restore.pending.clear()
        await report_availability_csms(csms, csms.connectors, "Available")


@case
async def test_tc_g_14_csms(csms: CsmsUnderTest) -> None:
    """On request during a transaction the CSMS sets the station Inoperative; it accepts the Scheduled
    answer, the idle connectors' Unavailable reports and the last one after the transaction."""
    await reusable_state.booted_csms(csms)
    evse, connector = configured_connector(csms)
    async with csms_availability_restored(csms) as restore, csms_transaction_closed(csms) as transactions:
        tx = await energy_transfer_started_csms(csms, evse, connector)
        transactions.append(tx)
        restore.pending.append((None, None))
        with csms.station.answering("ChangeAvailability", {"status": "Scheduled"}):
            await csms_changes_availability(csms, "Inoperative")
        await report_availability_csms(csms, [k for k in csms.connectors if k != (evse, connector)], "Unavailable")
        await transaction_ends_csms(csms, tx, status_after="Unavailable")  # G01.FR.05
