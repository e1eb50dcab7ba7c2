"""Block B Provisioning, the SUT is a Charging Station (the harness is its CSMS)."""

from conformance.harness import ABSENT, ChargingStationUnderTest, OneOf, case, reusable_state


@case("TC_B_01_CS")
async def test_tc_b_01_cs(station: ChargingStationUnderTest) -> None:
    """Cold boot, accepted: after a power cycle the station sends BootNotification with a reason,
    is accepted, and reports the state of every connector."""
    boot = await reusable_state.booted(station)
    station.check.that("every configured connector was reported after the accepted boot",
                       set(boot.connector_reports) == set(station.connectors),
                       expected=sorted(station.connectors), actual=sorted(boot.connector_reports),
                       requirements=("B01.FR.05",))


OFFLINE_THRESHOLD = {"component": {"name": "OCPPCommCtrlr"}, "variable": {"name": "OfflineThreshold"}}


@case("TC_B_06_CS")
async def test_tc_b_06_cs(station: ChargingStationUnderTest) -> None:
    """Get Variables, single value: the station returns OCPPCommCtrlr.OfflineThreshold as set."""
    async with station.configured(OFFLINE_THRESHOLD, "300"):
        response = await station.call("GetVariables", {"getVariableData": [dict(OFFLINE_THRESHOLD,
                                                                                   attributeType="Actual")]})
        results = response.payload["getVariableResult"]
        station.check.equal("one getVariableResult per getVariableData entry", len(results), 1,
                            requirements=("B06.FR.01",))
        station.check.fields("GetVariablesResponse getVariableResult[0]", results[0], {
            "component.name": "OCPPCommCtrlr",
            "variable.name": "OfflineThreshold",
            "attributeType": "Actual",
            "attributeStatus": "Accepted",
            "attributeValue": "300",
            "attributeStatusInfo.reasonCode": OneOf(ABSENT, "NoError"),
        }, requirements=("B06.FR.02", "B06.FR.03", "B06.FR.04", "B06.FR.10"))
