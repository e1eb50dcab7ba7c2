"""Block G Availability, the SUT is a CSMS (the harness plays the Charging Station).

change availability of the Charging Station (G04).
"""

from __future__ import annotations

from conformance.harness import CsmsUnderTest, case
from conformance.harness.reusable_states import csms as states

from ._steps import configured_connector, inoperative_scheduled, set_operative


@case
async def test_tc_g_05_csms(csms: CsmsUnderTest) -> None:
    """On request the CSMS sets the whole station Inoperative and accepts every Unavailable report.

    Part 6 steps / validations implemented:
    - Booted (CSMS);
    - step 1 tool validation: Inoperative without evse;
    - steps 3-4: every connector reported Unavailable, each answered.
    """
    await states.booted(csms)
    async with states.availability_restored(csms) as restore:
        restore.pending.append((None, None))
        await states.unavailable(csms)


@case
async def test_tc_g_06_csms(csms: CsmsUnderTest) -> None:
    """On request the CSMS sets the Inoperative station Operative and accepts every Available report.

    Part 6 steps / validations implemented:
    - Booted; Before: reusable state Unavailable for the station (through the CSMS, as Part 6's Before says);
    - step 1 tool validation: Operative without evse;
    - steps 3-4: every connector reported Available, each answered.
    """
    await states.booted(csms)
    async with states.availability_restored(csms) as restore:
        restore.pending.append((None, None))
        await states.unavailable(csms)  # reusable state: Charging Station set to Unavailable
        await set_operative(csms, restore)


@case
async def test_tc_g_14_csms(csms: CsmsUnderTest) -> None:
    """On request during a transaction the CSMS sets the station Inoperative; it accepts the Scheduled
    answer, the idle connectors' Unavailable reports and the last one after the transaction.

    Part 6 steps / validations implemented:
    - Booted, EnergyTransferStarted;
    - step 1 tool validation: Inoperative without evse; answered Scheduled;
    - steps 3-4: the idle connectors reported Unavailable, answered;
    - StopAuthorized, EVConnectedPostSession, EVDisconnected, then the charging connector reported Unavailable.
    """
    await states.booted(csms)
    evse, connector = configured_connector(csms)
    async with (states.availability_restored(csms) as restore,
                states.transactions_ended_afterwards(csms) as transactions):
        tx = await inoperative_scheduled(csms, restore, transactions)
        await states.report_availability(csms, [k for k in csms.connectors if k != (evse, connector)], "Unavailable")
        await states.transaction_ended(csms, tx, status_after="Unavailable")  # Part 6 step 6 after EVDisconnected
