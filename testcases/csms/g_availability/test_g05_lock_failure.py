"""Block G Availability, the SUT is a CSMS (the harness plays the Charging Station).

connector status notification on a lock failure (G05).
"""

from __future__ import annotations

from conformance.harness import CsmsUnderTest, case
from conformance.harness.reusable_states import csms as states
from conformance.protocol.frames import utc_now

from ._steps import configured_connector


@case(requirements=("G05.FR.03",))
async def test_tc_g_20_csms(csms: CsmsUnderTest) -> None:
    """The CSMS answers a NotifyEvent reporting a connector lock failure with a NotifyEventResponse.

    Part 6 steps / validations implemented:
    - Booted (CSMS);
    - steps 1-2: NotifyEventRequest ConnectorPlugRetentionLock Problem "true" (trigger Delta) answered with a
      NotifyEventResponse (G05.FR.03).
    """
    await states.booted(csms)
    evse, connector = configured_connector(csms)
    response = await csms.call("NotifyEvent", {"generatedAt": utc_now(), "seqNo": 0, "eventData": [{
        "eventId": csms.ctx.ids.next("eventId"), "timestamp": utc_now(), "trigger": "Delta", "actualValue": "true",
        "eventNotificationType": "HardWiredNotification",
        "component": {"name": "ConnectorPlugRetentionLock", "evse": {"id": evse, "connectorId": connector}},
        "variable": {"name": "Problem"}}]})
    csms.check.that("the CSMS answers the NotifyEventRequest with a NotifyEventResponse (CALLRESULT)", response.ok,
                    expected="CALLRESULT", actual=response.describe(), requirements=("G05.FR.03",))
