"""Steps the block G cases share (csms side): private to this block.
"""

from __future__ import annotations

from conformance.harness import CsmsUnderTest
from conformance.harness.reusable_states import csms as states


def configured_connector(csms: CsmsUnderTest) -> tuple[int, int]:
    """<Configured evseId> and <Configured connectorId>: the first configured connector."""
    return csms.connectors[0]


async def memory_state_unavailable(csms: CsmsUnderTest, evse: int, connector: int | None = None) -> None:
    """Part 6 Memory State "Unavailable for <Configured evseId> (/ connectorId)" (TC_G_04/08_CSMS): the simulated
    station's own memory, not something the CSMS is asked to do. The harness station is Inoperative there and
    reports the scope's connectors Unavailable (the CSMS must answer each); no ChangeAvailability is asked of the
    CSMS, so a CSMS failing TC_G_03/07_CSMS is not failed here for that reason."""
    await states.report_availability(csms, states.scope_connectors(csms, evse, connector), "Unavailable")


async def set_operative(csms: CsmsUnderTest, restore: states.AvailabilityRestore, evse: int | None = None,
                        connector: int | None = None) -> None:
    """Part 6 steps 1-4 of TC_G_04/06/08_CSMS: on request the CSMS sets the scope (the station, an EVSE or a
    connector) Operative (step 1 tool validations), nothing is left to restore, and each connector of the scope
    is reported Available (answered)."""
    await states.change_availability(csms, "Operative", evse=evse, connector=connector)
    restore.pending.clear()
    await states.report_availability(csms, states.scope_connectors(csms, evse, connector), "Available")


async def inoperative_scheduled(csms: CsmsUnderTest, restore: states.AvailabilityRestore,
                                transactions: list[states.Transaction], evse: int | None = None,
                                connector: int | None = None) -> states.Transaction:
    """Before and step 1 of TC_G_11/14/17_CSMS: EnergyTransferStarted on the configured connector, then on
    request the CSMS sets the scope Inoperative (step 1 tool validations) and the harness answers Scheduled.
    The transaction, still running, is returned."""
    tx = await states.energy_transfer_started(csms, *configured_connector(csms))
    transactions.append(tx)
    restore.pending.append((evse, connector))
    with csms.station.answering("ChangeAvailability", {"status": "Scheduled"}):
        await states.change_availability(csms, "Inoperative", evse=evse, connector=connector)
    return tx
