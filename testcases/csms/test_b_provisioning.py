"""Block B Provisioning, the SUT is a CSMS (the harness plays the Charging Station)."""

from conformance.harness import ABSENT, CsmsUnderTest, OneOf, Satisfies, case, reusable_state


@case("TC_B_01_CSMS")
async def test_tc_b_01_csms(csms: CsmsUnderTest) -> None:
    """Cold boot, accepted: the CSMS accepts a registered station's BootNotification and its
    connector status reports."""
    boot = await reusable_state.booted_csms(csms)
    csms.check.fields("BootNotificationResponse", boot.boot.payload, {
        "interval": Satisfies(lambda v: isinstance(v, int) and v >= 0, "a heartbeat interval in seconds (>= 0)"),
    }, requirements=("B01.FR.02",))


@case("TC_B_06_CSMS")
async def test_tc_b_06_csms(csms: CsmsUnderTest) -> None:
    """Get Variables, single value: on request, the CSMS asks the station for
    OCPPCommCtrlr.OfflineThreshold with a well-formed GetVariablesRequest."""
    await reusable_state.booted_csms(csms)
    wanted = {"component": {"name": "OCPPCommCtrlr"}, "variable": {"name": "OfflineThreshold"}}
    await csms.actions.do("csms_send", station=csms.identity, request="GetVariables",
                          payload={"getVariableData": [wanted]})
    request = await csms.expect_call("GetVariables")
    items = request.payload["getVariableData"]
    limit = csms.station.device_model.items_per_message("GetVariables")
    csms.check.that("the request does not exceed ItemsPerMessageGetVariables", len(items) <= limit,
                    expected=f"<= {limit} entries", actual=len(items), requirements=("B06.FR.05",))
    matching = [i for i in items if i["component"]["name"] == "OCPPCommCtrlr"
                and i["variable"]["name"] == "OfflineThreshold"]
    csms.check.that("getVariableData asks for OCPPCommCtrlr.OfflineThreshold (in any position)", bool(matching),
                    expected=wanted, actual=items, requirements=("B06.FR.02",))
    csms.check.fields("GetVariablesRequest getVariableData entry", matching[0], {
        "attributeType": OneOf(ABSENT, "Actual", "Target", "MinSet", "MaxSet")})
