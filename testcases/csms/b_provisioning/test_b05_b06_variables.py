"""Block B Provisioning, the SUT is a CSMS (the harness plays the Charging Station).

Set Variables (B05) and Get Variables (B06, including
the GetVariables item limit).
"""

from __future__ import annotations

from conformance.harness import ABSENT, CsmsUnderTest, OneOf, case
from conformance.harness.reports import entry_name
from conformance.harness.reusable_states import csms as states
from conformance.outcomes import CheckFailed, Inconclusive, SutTimeout
from conformance.protocol.variables import AUTHORIZE_REMOTE_START, OFFLINE_THRESHOLD

from ._steps import REPORT_FIVE_VARIABLES, REPORT_LIMIT, report_items_per_message, report_variable_key


@case
async def test_tc_b_06_csms(csms: CsmsUnderTest) -> None:
    """Get Variables, single value: on request, the CSMS asks the station for
    OCPPCommCtrlr.OfflineThreshold with a well-formed GetVariablesRequest."""
    await states.booted(csms)
    wanted = OFFLINE_THRESHOLD
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


def _entry_for(csms: CsmsUnderTest, what: str, items: list[dict], wanted: dict,
               requirements: tuple[str, ...]) -> dict:
    """The request entry for a component/variable, in any position (Part 6: "in arbitrary order")."""
    matching = [i for i in items if i.get("component", {}).get("name") == wanted["component"]["name"]
                and i.get("variable", {}).get("name") == wanted["variable"]["name"]]
    csms.check.that(f"{what} asks for {wanted['component']['name']}.{wanted['variable']['name']} "
                    "(in any position)", bool(matching), expected=wanted, actual=items, requirements=requirements)
    return matching[0]


@case
async def test_tc_b_07_csms(csms: CsmsUnderTest) -> None:
    """Get Variables, multiple values: on request, the CSMS asks the station for
    OCPPCommCtrlr.OfflineThreshold and AuthCtrlr.AuthorizeRemoteStart in one GetVariablesRequest."""
    await states.booted(csms)
    await csms.actions.do("csms_send", station=csms.identity, request="GetVariables",
                          payload={"getVariableData": [OFFLINE_THRESHOLD, AUTHORIZE_REMOTE_START]})
    request = await csms.expect_call("GetVariables")
    items = request.payload["getVariableData"]
    for wanted in (OFFLINE_THRESHOLD, AUTHORIZE_REMOTE_START):
        entry = _entry_for(csms, "getVariableData", items, wanted, ("B06.FR.02",))
        csms.check.fields(f"GetVariablesRequest entry for {wanted['variable']['name']}", entry, {
            "attributeType": OneOf(ABSENT, "Actual", "Target", "MinSet", "MaxSet")}, requirements=("B06.FR.03",))


@case
async def test_tc_b_09_csms(csms: CsmsUnderTest) -> None:
    """Set Variables, single value: on request, the CSMS sets OCPPCommCtrlr.OfflineThreshold to 123
    with a well-formed SetVariablesRequest."""
    await states.booted(csms)
    await csms.actions.do("csms_send", station=csms.identity, request="SetVariables",
                          payload={"setVariableData": [dict(OFFLINE_THRESHOLD, attributeValue="123")]})
    request = await csms.expect_call("SetVariables")
    entry = _entry_for(csms, "setVariableData", request.payload["setVariableData"], OFFLINE_THRESHOLD,
                       ("B05.FR.02",))
    csms.check.fields("SetVariablesRequest entry for OfflineThreshold", entry, {
        "attributeValue": "123",
        "attributeType": OneOf(ABSENT, "Actual"),
    }, requirements=("B05.FR.02", "B05.FR.12"))


@case
async def test_tc_b_10_csms(csms: CsmsUnderTest) -> None:
    """Set Variables, multiple values: on request, the CSMS sets OCPPCommCtrlr.OfflineThreshold to 123
    and AuthCtrlr.AuthorizeRemoteStart to false in one SetVariablesRequest."""
    await states.booted(csms)
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


@case
async def test_tc_b_08_csms(csms: CsmsUnderTest) -> None:
    """Get Variables, limit to the maximum number of values: the harness station's
    ItemsPerMessage[GetVariables] is 4 and the CSMS is made to read it; asked then for 5 variables, the
    CSMS sends GetVariablesRequests of at most 4 entries that together ask for all 5."""
    await states.booted(csms)
    model = csms.station.device_model
    original = model.get("DeviceDataCtrlr", "ItemsPerMessage", instance="GetVariables")
    model.set_value("DeviceDataCtrlr", "ItemsPerMessage", REPORT_LIMIT, instance="GetVariables")
    try:
        # Configuration state: the CSMS learns the limit by reading it (a GetVariablesRequest).
        await csms.actions.do("csms_send", station=csms.identity, request="GetVariables",
                              payload={"getVariableData": [report_items_per_message("GetVariables")]})
        learn = await csms.expect_call("GetVariables")
        if report_variable_key(report_items_per_message("GetVariables")) not in \
                {report_variable_key(i) for i in learn.payload["getVariableData"]}:
            raise Inconclusive("the CSMS did not read DeviceDataCtrlr.ItemsPerMessage[GetVariables] when asked to")
        wanted = {report_variable_key(item): entry_name(item) for item in REPORT_FIVE_VARIABLES}
        await csms.actions.do("csms_send", station=csms.identity, request="GetVariables",
                              payload={"getVariableData": list(REPORT_FIVE_VARIABLES)})
        asked: set[tuple[str, str, str]] = set()
        requests = 0
        while not wanted.keys() <= asked:
            try:
                request = await csms.expect_call("GetVariables")
            except SutTimeout as exc:
                missing = [name for key, name in wanted.items() if key not in asked]
                raise CheckFailed("the CSMS's GetVariablesRequests together ask for the 5 variables",
                                  expected=sorted(wanted.values()), actual=f"never asked for {missing} ({exc.actual})",
                                  requirements=("B06.FR.05",)) from None
            items = request.payload["getVariableData"]
            requests += 1
            csms.check.that(f"GetVariablesRequest {requests} has at most ItemsPerMessageGetVariables entries",
                            len(items) <= REPORT_LIMIT, expected=f"<= {REPORT_LIMIT} getVariableData entries",
                            actual=f"{len(items)}: {[entry_name(i) for i in items]}", requirements=("B06.FR.05",))
            asked |= {report_variable_key(i) for i in items}
    finally:
        model.set_value("DeviceDataCtrlr", "ItemsPerMessage", original, instance="GetVariables")
