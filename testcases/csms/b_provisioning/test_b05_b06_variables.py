"""Block B Provisioning, the SUT is a CSMS (the harness plays the Charging Station).

Set Variables (B05) and Get Variables (B06, including
the GetVariables item limit).
"""

from __future__ import annotations

from conformance.harness import ABSENT, CsmsUnderTest, OneOf, Satisfies, case
from conformance.harness.reports import entry_name
from conformance.harness.reusable_states import csms as states
from conformance.outcomes import CheckFailed, Inconclusive
from conformance.protocol.errors import PeerTimeout
from conformance.protocol.variable_names import same_variable, sources_of
from conformance.protocol.variables import AUTHORIZE_REMOTE_START, OFFLINE_THRESHOLD

from ._steps import REPORT_FIVE_VARIABLES, REPORT_LIMIT, report_items_per_message, report_variable_key


@case
async def test_tc_b_06_csms(csms: CsmsUnderTest) -> None:
    """Get Variables, single value: on request, the CSMS asks the station for
    OCPPCommCtrlr.OfflineThreshold with a well-formed GetVariablesRequest.

    Part 6 steps / validations implemented:
    - step 1 tool validation: OCPPCommCtrlr.OfflineThreshold in any position, attributeType absent / Actual /
      Target / MinSet / MaxSet;
    - Part 2: no more entries than ItemsPerMessageGetVariables (B06.FR.05, a CSMS SHALL);
    - not checked: the post-scenario "manually validate that the CSMS has correctly read the variable" (no
      operator verification action yet)."""
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
                    expected=wanted, actual=items, requirements=("Part 6 TC_B_06_CSMS tool validation step 1",))
    csms.check.fields("GetVariablesRequest getVariableData entry", matching[0], {
        "attributeType": OneOf(ABSENT, "Actual", "Target", "MinSet", "MaxSet")},
        requirements=("Part 6 TC_B_06_CSMS tool validation step 1",))


def _entry_for(csms: CsmsUnderTest, what: str, items: list[dict], wanted: dict,
               requirements: tuple[str, ...]) -> dict:
    """The request entry for a component/variable, in any position (Part 6: "in arbitrary order"), under any
    spelling the OCA documents use for it (AuthorizeRemoteStart in the appendix CSV and Part 2's table,
    AuthorizationRemoteStart in F02.FR.09/10 and TC_B_07_CSMS's tool validation: protocol/variable_names.py)."""
    component = wanted["component"]["name"]
    matching = [i for i in items if i.get("component", {}).get("name") == component
                and same_variable(component, wanted["variable"]["name"], str(i.get("variable", {}).get("name", "")))]
    for entry in matching:
        if entry["variable"]["name"] != wanted["variable"]["name"]:
            csms.note(f"the CSMS spells {component}.{wanted['variable']['name']} as {entry['variable']['name']} "
                      f"({'; '.join(sources_of(component, entry['variable']['name']))})")
    csms.check.that(f"{what} asks for {wanted['component']['name']}.{wanted['variable']['name']} "
                    "(in any position)", bool(matching), expected=wanted, actual=items, requirements=requirements)
    return matching[0]


@case
async def test_tc_b_07_csms(csms: CsmsUnderTest) -> None:
    """Get Variables, multiple values: on request, the CSMS asks the station for
    OCPPCommCtrlr.OfflineThreshold and AuthCtrlr.AuthorizeRemoteStart in one GetVariablesRequest.

    Part 6 steps / validations implemented:
    - step 1 tool validation: both variables in one request, in any position, attributeType absent / Actual /
      Target / MinSet / MaxSet;
    - not checked: the post-scenario manual validation (no operator verification action yet)."""
    await states.booted(csms)
    await csms.actions.do("csms_send", station=csms.identity, request="GetVariables",
                          payload={"getVariableData": [OFFLINE_THRESHOLD, AUTHORIZE_REMOTE_START]})
    request = await csms.expect_call("GetVariables")
    items = request.payload["getVariableData"]
    for wanted in (OFFLINE_THRESHOLD, AUTHORIZE_REMOTE_START):
        entry = _entry_for(csms, "getVariableData", items, wanted, ("Part 6 TC_B_07_CSMS tool validation step 1",))
        csms.check.fields(f"GetVariablesRequest entry for {wanted['variable']['name']}", entry, {
            "attributeType": OneOf(ABSENT, "Actual", "Target", "MinSet", "MaxSet")},
            requirements=("Part 6 TC_B_07_CSMS tool validation step 1",))


@case
async def test_tc_b_09_csms(csms: CsmsUnderTest) -> None:
    """Set Variables, single value: on request, the CSMS sets OCPPCommCtrlr.OfflineThreshold to 123
    with a well-formed SetVariablesRequest.

    Part 6 steps / validations implemented:
    - step 1 tool validation: OCPPCommCtrlr.OfflineThreshold in any position, attributeValue "123",
      attributeType absent or Actual;
    - not checked: the post-scenario manual validation (no operator verification action yet)."""
    await states.booted(csms)
    await csms.actions.do("csms_send", station=csms.identity, request="SetVariables",
                          payload={"setVariableData": [dict(OFFLINE_THRESHOLD, attributeValue="123")]})
    request = await csms.expect_call("SetVariables")
    entry = _entry_for(csms, "setVariableData", request.payload["setVariableData"], OFFLINE_THRESHOLD,
                       ("Part 6 TC_B_09_CSMS tool validation step 1",))
    csms.check.fields("SetVariablesRequest entry for OfflineThreshold", entry, {
        "attributeValue": "123",
        "attributeType": OneOf(ABSENT, "Actual"),
    }, requirements=("Part 6 TC_B_09_CSMS tool validation step 1",))


@case
async def test_tc_b_10_csms(csms: CsmsUnderTest) -> None:
    """Set Variables, multiple values: on request, the CSMS sets OCPPCommCtrlr.OfflineThreshold to 123
    and AuthCtrlr.AuthorizeRemoteStart to false in one SetVariablesRequest.

    Part 6 steps / validations implemented:
    - step 1 tool validation: both entries in one request, in any position, attributeValue "123" / "false",
      attributeType absent or Actual;
    - not checked: the post-scenario manual validation (no operator verification action yet)."""
    await states.booted(csms)
    await csms.actions.do("csms_send", station=csms.identity, request="SetVariables", payload={"setVariableData": [
        dict(OFFLINE_THRESHOLD, attributeValue="123"), dict(AUTHORIZE_REMOTE_START, attributeValue="false")]})
    request = await csms.expect_call("SetVariables")
    items = request.payload["setVariableData"]
    csms.check.that("one SetVariablesRequest carries both variables", len(items) >= 2,
                    expected=">= 2 setVariableData entries", actual=len(items),
                    requirements=("Part 6 TC_B_10_CSMS tool validation step 1",))
    for wanted, value in ((OFFLINE_THRESHOLD, "123"), (AUTHORIZE_REMOTE_START, "false")):
        entry = _entry_for(csms, "setVariableData", items, wanted, ("Part 6 TC_B_10_CSMS tool validation step 1",))
        csms.check.fields(f"SetVariablesRequest entry for {wanted['variable']['name']}", entry, {
            "attributeValue": value,
            "attributeType": OneOf(ABSENT, "Actual"),
        }, requirements=("Part 6 TC_B_10_CSMS tool validation step 1",))


@case
async def test_tc_b_08_csms(csms: CsmsUnderTest) -> None:
    """Get Variables, limit to the maximum number of values: the harness station's
    ItemsPerMessage[GetVariables] is 4 and the CSMS is made to read it; asked then for 5 variables, the
    CSMS sends GetVariablesRequests of at most 4 entries that together ask for all 5.

    Part 6 steps / validations implemented:
    - configuration state: ItemsPerMessage[GetVariables] 4, read by the CSMS (INCONCLUSIVE when it does not);
    - step 1 tool validation (Part 6's): one GetVariablesRequest of 4 and one of 1 entry, in any order, that
      together ask for the 5 variables (only requests with entries for those variables count: a CSMS's own
      GetVariablesRequests for other variables are answered, not counted). Part 2 (B06.FR.05) only bounds each request; the split is checked as
      Part 6's expectation and says so;
    - post-scenario: no request with more than ItemsPerMessageGetVariables entries (B06.FR.05)."""
    await states.booted(csms)
    model = csms.station.device_model
    original = model.get("DeviceDataCtrlr", "ItemsPerMessage", instance="GetVariables")
    model.set_value("DeviceDataCtrlr", "ItemsPerMessage", REPORT_LIMIT, instance="GetVariables")
    try:
        # Configuration state: the CSMS learns the limit by reading it (a GetVariablesRequest).
        await csms.actions.do("csms_send", station=csms.identity, request="GetVariables",
                              payload={"getVariableData": [report_items_per_message("GetVariables")]})
        # Only the instructed request counts: a GetVariablesRequest the CSMS sends on its own meanwhile (other
        # variables) is answered and left aside.
        limit_key = report_variable_key(report_items_per_message("GetVariables"))
        try:
            await csms.expect_call("GetVariables", getVariableData=Satisfies(
                lambda data: limit_key in {report_variable_key(i) for i in data},
                "an entry for DeviceDataCtrlr.ItemsPerMessage[GetVariables]"))
        except PeerTimeout:
            raise Inconclusive("the CSMS did not read DeviceDataCtrlr.ItemsPerMessage[GetVariables] when asked "
                               "to") from None
        wanted = {report_variable_key(item): entry_name(item) for item in REPORT_FIVE_VARIABLES}
        await csms.actions.do("csms_send", station=csms.identity, request="GetVariables",
                              payload={"getVariableData": list(REPORT_FIVE_VARIABLES)})
        asked: set[tuple[str, str, str]] = set()
        requests = 0
        sizes: list[int] = []
        while not wanted.keys() <= asked:
            try:
                # Only requests for the instructed variables count (Part 6 judges those); any other GetVariables
                # the CSMS sends on its own is answered and left aside.
                request = await csms.expect_call("GetVariables", getVariableData=Satisfies(
                    lambda data: any(report_variable_key(i) in wanted for i in data),
                    "entries for the instructed variables"))
            except PeerTimeout as exc:
                missing = [name for key, name in wanted.items() if key not in asked]
                raise CheckFailed("the CSMS's GetVariablesRequests together ask for the 5 variables",
                                  expected=sorted(wanted.values()), actual=f"never asked for {missing} ({exc.actual})",
                                  requirements=("Part 6 TC_B_08_CSMS tool validation step 1",)) from None
            items = request.payload["getVariableData"]
            requests += 1
            sizes.append(len(items))
            csms.check.that(f"GetVariablesRequest {requests} has at most ItemsPerMessageGetVariables entries",
                            len(items) <= REPORT_LIMIT, expected=f"<= {REPORT_LIMIT} getVariableData entries",
                            actual=f"{len(items)}: {[entry_name(i) for i in items]}", requirements=("B06.FR.05",))
            asked |= {report_variable_key(i) for i in items}
        csms.check.that("Part 6's split: one GetVariablesRequest for 4 variables and one for 1 (B06.FR.05 itself "
                        "allows any split of at most 4)", sorted(sizes) == [1, REPORT_LIMIT],
                        expected=f"requests of {REPORT_LIMIT} and 1 entries", actual=f"requests of {sizes} entries",
                        requirements=("Part 6 TC_B_08_CSMS tool validation step 1", "B06.FR.05"))
    finally:
        model.set_value("DeviceDataCtrlr", "ItemsPerMessage", original, instance="GetVariables")
