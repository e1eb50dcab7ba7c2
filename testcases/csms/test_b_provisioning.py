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


OFFLINE_THRESHOLD = {"component": {"name": "OCPPCommCtrlr"}, "variable": {"name": "OfflineThreshold"}}
AUTHORIZE_REMOTE_START = {"component": {"name": "AuthCtrlr"}, "variable": {"name": "AuthorizeRemoteStart"}}


def _entry_for(csms: CsmsUnderTest, what: str, items: list[dict], wanted: dict,
               requirements: tuple[str, ...]) -> dict:
    """The request entry for a component/variable, in any position (Part 6: "in arbitrary order")."""
    matching = [i for i in items if i.get("component", {}).get("name") == wanted["component"]["name"]
                and i.get("variable", {}).get("name") == wanted["variable"]["name"]]
    csms.check.that(f"{what} asks for {wanted['component']['name']}.{wanted['variable']['name']} "
                    "(in any position)", bool(matching), expected=wanted, actual=items, requirements=requirements)
    return matching[0]


@case("TC_B_07_CSMS")
async def test_tc_b_07_csms(csms: CsmsUnderTest) -> None:
    """Get Variables, multiple values: on request, the CSMS asks the station for
    OCPPCommCtrlr.OfflineThreshold and AuthCtrlr.AuthorizeRemoteStart in one GetVariablesRequest."""
    await reusable_state.booted_csms(csms)
    await csms.actions.do("csms_send", station=csms.identity, request="GetVariables",
                          payload={"getVariableData": [OFFLINE_THRESHOLD, AUTHORIZE_REMOTE_START]})
    request = await csms.expect_call("GetVariables")
    items = request.payload["getVariableData"]
    for wanted in (OFFLINE_THRESHOLD, AUTHORIZE_REMOTE_START):
        entry = _entry_for(csms, "getVariableData", items, wanted, ("B06.FR.02",))
        csms.check.fields(f"GetVariablesRequest entry for {wanted['variable']['name']}", entry, {
            "attributeType": OneOf(ABSENT, "Actual", "Target", "MinSet", "MaxSet")}, requirements=("B06.FR.03",))


@case("TC_B_09_CSMS")
async def test_tc_b_09_csms(csms: CsmsUnderTest) -> None:
    """Set Variables, single value: on request, the CSMS sets OCPPCommCtrlr.OfflineThreshold to 123
    with a well-formed SetVariablesRequest."""
    await reusable_state.booted_csms(csms)
    await csms.actions.do("csms_send", station=csms.identity, request="SetVariables",
                          payload={"setVariableData": [dict(OFFLINE_THRESHOLD, attributeValue="123")]})
    request = await csms.expect_call("SetVariables")
    entry = _entry_for(csms, "setVariableData", request.payload["setVariableData"], OFFLINE_THRESHOLD,
                       ("B05.FR.02",))
    csms.check.fields("SetVariablesRequest entry for OfflineThreshold", entry, {
        "attributeValue": "123",
        "attributeType": OneOf(ABSENT, "Actual"),
    }, requirements=("B05.FR.02", "B05.FR.12"))


@case("TC_B_10_CSMS")
async def test_tc_b_10_csms(csms: CsmsUnderTest) -> None:
    """Set Variables, multiple values: on request, the CSMS sets OCPPCommCtrlr.OfflineThreshold to 123
    and AuthCtrlr.AuthorizeRemoteStart to false in one SetVariablesRequest."""
    await reusable_state.booted_csms(csms)
    await csms.actions.do("csms_send", station=csms.identity, request="SetVariables", payload={"setVariableData": [
        dict(OFFLINE_THRESHOLD, attributeValue="123"), dict(AUTHORIZE_REMOTE_START, attributeValue="false")]})
    request = await csms.expect_call("SetVariables")
    items = request.payload["setVariableData"]
    csms.check.that("one SetVariablesRequest carries both variables", len(items) >= 2,
                    expected=">= 2 setVariableData entries", actual=len(items), requirements=("B05.FR.01",))
    for wanted, value in ((OFFLINE_THRESHOLD, "123"), (AUTHORIZE_REMOTE_START, "false")):
        entry = _entry_for(csms, "setVariableData", items, wanted, ("B05.FR.02",))
        csms.check.fields(f"SetVariablesRequest entry for {wanted['variable']['name']}", entry, {
            "attributeValue": value,
            "attributeType": OneOf(ABSENT, "Actual"),
        }, requirements=("B05.FR.02", "B05.FR.12"))
