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
