"""Block G Availability, the SUT is a Charging Station (the harness is its CSMS).

connector status notification on a lock failure (G05).
"""

from __future__ import annotations

from conformance.harness import ChargingStationUnderTest, Satisfies, case
from conformance.harness.reusable_states import station as states
from conformance.outcomes import NotApplicable

from ._steps import configured_connector


# --------------------------------------------------------------------------- lock failure (G05)
def _lock_problem(event: dict) -> bool:
    return event.get("component", {}).get("name") == "ConnectorPlugRetentionLock"


@case
async def test_tc_g_20_cs(station: ChargingStationUnderTest) -> None:
    """With the EV plugged in so that the connector's retention lock cannot lock, authorizing makes the station
    report ConnectorPlugRetentionLock.Problem by NotifyEvent, and it does not start charging."""
    evse, connector = configured_connector(station)
    # Prerequisite: the ConnectorPlugRetentionLock component is in the device model (of the connector, or of
    # the station when it has a single lock).
    found = None
    for component in ({"name": "ConnectorPlugRetentionLock", "evse": {"id": evse, "connectorId": connector}},
                      {"name": "ConnectorPlugRetentionLock"}):
        got = await station.call("GetVariables", {"getVariableData": [
            {"component": component, "variable": {"name": "Problem"}}]})
        result = got.payload.get("getVariableResult", [{}])[0] if got.ok else {}
        if result.get("attributeStatus") == "Accepted":
            found = component
            break
    if found is None:
        raise NotApplicable("the station has no ConnectorPlugRetentionLock.Problem in its device model "
                            "(prerequisite of TC_G_20_CS)")
    async with states.transactions_ended_afterwards(station):
        # Before: EVConnectedPreSession with a plug that cannot be locked.
        await station.actions.do("connector_lock_failure", evse=evse, connector=connector)
        tx = await states.ev_connected_transaction(station, evse, connector)
        conn = station.connection
        mark = conn.mark()
        await states.authorized(station, evse, connector, tx=tx)
        notify = await conn.expect_call(
            "NotifyEvent", since=mark, requirements=("G05.FR.02",),
            eventData=Satisfies(lambda data: any(_lock_problem(e) for e in data),
                                "an event of component ConnectorPlugRetentionLock"))
        event = next(e for e in notify.payload["eventData"] if _lock_problem(e))
        station.check.fields("NotifyEventRequest ConnectorPlugRetentionLock event", event, {
            "trigger": "Delta", "component.name": "ConnectorPlugRetentionLock", "variable.name": "Problem",
            "actualValue": Satisfies(lambda v: str(v).lower() == "true", '"true"')}, requirements=("G05.FR.02",))
        # Post-scenario validation: the station did not start charging (watched for the configured tolerance).
        await conn.expect_no_call("TransactionEvent", within=station.tolerance, since=mark,
                                  requirements=("G05.FR.01",), transactionInfo={"chargingState": "Charging"})
