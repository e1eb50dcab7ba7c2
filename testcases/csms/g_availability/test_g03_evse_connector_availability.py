"""Block G Availability, the SUT is a CSMS (the harness plays the Charging Station).

change availability of an EVSE or a
connector (G03).
"""

from __future__ import annotations

from conformance.harness import CsmsUnderTest, case, reusable_state
from conformance.harness.reusable_states import (csms_availability_restored, csms_changes_availability,
                                                 csms_transaction_closed, energy_transfer_started_csms,
                                                 report_availability_csms, scope_connectors, transaction_ends_csms,
                                                 unavailable_csms)

from ._steps import configured_connector


@case
async def test_tc_g_03_csms(csms: CsmsUnderTest) -> None:
    """On request the CSMS sets an EVSE Inoperative and accepts its connectors' Unavailable reports."""
    await reusable_state.booted_csms(csms)
    evse, _ = configured_connector(csms)
    async with csms_availability_restored(csms) as restore:
        restore.pending.append((evse, None))
        await unavailable_csms(csms, evse=evse)


@case
async def test_tc_g_04_csms(csms: CsmsUnderTest) -> None:
    """On request the CSMS sets an Inoperative EVSE Operative and accepts its connectors' Available reports."""
    await reusable_state.booted_csms(csms)
    evse, _ = configured_connector(csms)
    async with csms_availability_restored(csms) as restore:
        restore.pending.append((evse, None))
        await unavailable_csms(csms, evse=evse)  # memory state: Unavailable for <Configured evseId>
        await csms_changes_availability(csms, "Operative", evse=evse)
        restore.pending.clear()
        await report_availability_csms(csms, scope_connectors(csms, evse), "Available")


@case
async def test_tc_g_07_csms(csms: CsmsUnderTest) -> None:
    """On request the CSMS sets one connector Inoperative and accepts its Unavailable report."""
    await reusable_state.booted_csms(csms)
    evse, connector = configured_connector(csms)
    async with csms_availability_restored(csms) as restore:
        restore.pending.append((evse, connector))
        await unavailable_csms(csms, evse=evse, connector=connector)


@case
async def test_tc_g_08_csms(csms: CsmsUnderTest) -> None:
    """On request the CSMS sets an Inoperative connector Operative and accepts its Available report."""
    await reusable_state.booted_csms(csms)
    evse, connector = configured_connector(csms)
    async with csms_availability_restored(csms) as restore:
        restore.pending.append((evse, connector))
        await unavailable_csms(csms, evse=evse, connector=connector)  # memory state: Unavailable connector
        await csms_changes_availability(csms, "Operative", evse=evse, connector=connector)
        restore.pending.clear()
        await report_availability_csms(csms, [(evse, connector)], "Available")


@case
async def test_tc_g_11_csms(csms: CsmsUnderTest) -> None:
    """On request during a transaction the CSMS sets the EVSE Inoperative; it accepts the Scheduled answer
    and the Unavailable report after the transaction."""
    await reusable_state.booted_csms(csms)
    evse, connector = configured_connector(csms)
    async with csms_availability_restored(csms) as restore, csms_transaction_closed(csms) as transactions:
        tx = await energy_transfer_started_csms(csms, evse, connector)
        transactions.append(tx)
        restore.pending.append((evse, None))
        with csms.station.answering("ChangeAvailability", {"status": "Scheduled"}):
            await csms_changes_availability(csms, "Inoperative", evse=evse)
        # <Configured Transaction Duration>: nothing of the CSMS depends on it; the transaction ends at once.
        await transaction_ends_csms(csms, tx, status_after="Unavailable")  # G01.FR.05
        others = [k for k in scope_connectors(csms, evse) if k != (evse, connector)]
        await report_availability_csms(csms, others, "Unavailable")


@case
async def test_tc_g_17_csms(csms: CsmsUnderTest) -> None:
    """On request during a transaction the CSMS sets the connector Inoperative; it accepts the Scheduled
    answer and the Unavailable report after the transaction."""
    await reusable_state.booted_csms(csms)
    evse, connector = configured_connector(csms)
    async with csms_availability_restored(csms) as restore, csms_transaction_closed(csms) as transactions:
        tx = await energy_transfer_started_csms(csms, evse, connector)
        transactions.append(tx)
        restore.pending.append((evse, connector))
        with csms.station.answering("ChangeAvailability", {"status": "Scheduled"}):
            await csms_changes_availability(csms, "Inoperative", evse=evse, connector=connector)
        await transaction_ends_csms(csms, tx, status_after="Unavailable")  # G01.FR.05
