"""Block F Remote control, the SUT is a CSMS (the harness plays the Charging Station).

unlock connector (F05).
"""

from __future__ import annotations

from conformance.harness import CsmsUnderTest, case
from conformance.harness.reusable_states import csms as states

from ._steps import configured_connector


@case
async def test_tc_f_06_csms(csms: CsmsUnderTest) -> None:
    """On request the CSMS sends UnlockConnector for the configured connector, which the harness unlocks.

    Part 6 steps / validations implemented:
    - Booted (CSMS; no transaction);
    - steps 1-2: on request the CSMS sends UnlockConnectorRequest (tool validation: evseId and connectorId the
      configured ones), answered Unlocked (F05.FR.04).
    """
    await states.booted(csms, precondition=True)
    evse, connector = configured_connector(csms)
    with csms.station.answering("UnlockConnector", {"status": "Unlocked"}):
        await csms.actions.do("csms_send", station=csms.identity, request="UnlockConnector",
                              payload={"evseId": evse, "connectorId": connector})
        request = await csms.expect_call("UnlockConnector")
    csms.check.fields("UnlockConnectorRequest", request.payload, {"evseId": evse, "connectorId": connector},
                      requirements=("Part 6 tool validation step 1 (UnlockConnectorRequest)",))
