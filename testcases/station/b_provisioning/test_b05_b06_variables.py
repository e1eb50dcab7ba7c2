"""Block B Provisioning, the SUT is a Charging Station (the harness is its CSMS).

Set Variables (B05) and Get Variables (B06).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from conformance.harness import ABSENT, ChargingStationUnderTest, OneOf, case
from conformance.protocol.variables import (AUTHORIZE_REMOTE_START, LIMIT_CHANGE_SIGNIFICANCE, LOCAL_AUTHORIZE_OFFLINE,
                                            MESSAGE_TIMEOUT_DEFAULT, NEXT_TIME_OFFSET_TRANSITION_DATE_TIME,
                                            OFFLINE_THRESHOLD)


@case
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


def _result_for(station: ChargingStationUnderTest, what: str, results: list[dict], wanted: dict,
                requirements: tuple[str, ...]) -> dict:
    """The result entry for a component/variable, in any position (Part 6: "in arbitrary order")."""
    matching = [r for r in results if r.get("component", {}).get("name") == wanted["component"]["name"]
                and r.get("variable", {}).get("name") == wanted["variable"]["name"]]
    station.check.that(f"{what} has a result for {wanted['component']['name']}.{wanted['variable']['name']}",
                       len(matching) == 1, expected=wanted, actual=results, requirements=requirements)
    return matching[0]


@case
async def test_tc_b_07_cs(station: ChargingStationUnderTest) -> None:
    """Get Variables, multiple values: the station returns OCPPCommCtrlr.OfflineThreshold and
    AuthCtrlr.LocalAuthorizeOffline as set, one result for each, in any order.

    The variable is asked in the spelling the station knows (CSV LocalAuthorizeOffline, or Part 2 / Part 6
    LocalAuthorizationOffline: protocol/variable_names.py; the report notes which). Checks: step 2 one result per
    entry in any order (B06.FR.01); each result component/variable echoed, attributeType Actual, Accepted, values
    300 / "true", reasonCode absent or NoError (B06.FR.02/03/04/10)."""
    local_offline = await station.spelled(LOCAL_AUTHORIZE_OFFLINE)
    async with station.configured(OFFLINE_THRESHOLD, "300"), station.configured(local_offline, "true"):
        response = await station.call("GetVariables", {"getVariableData": [
            dict(OFFLINE_THRESHOLD, attributeType="Actual"), dict(local_offline, attributeType="Actual")]})
        results = response.payload["getVariableResult"]
        station.check.equal("one getVariableResult per getVariableData entry", len(results), 2,
                            requirements=("B06.FR.01",))
        for wanted, value in ((OFFLINE_THRESHOLD, "300"), (local_offline, "true")):
            result = _result_for(station, "GetVariablesResponse", results, wanted, ("B06.FR.01", "B06.FR.02"))
            station.check.fields(f"GetVariablesResponse result for {wanted['variable']['name']}", result, {
                "component.name": wanted["component"]["name"],
                "variable.name": wanted["variable"]["name"],
                "attributeType": "Actual",
                "attributeStatus": "Accepted",
                "attributeValue": value,
                "attributeStatusInfo.reasonCode": OneOf(ABSENT, "NoError"),
            }, requirements=("B06.FR.02", "B06.FR.03", "B06.FR.04", "B06.FR.10"))


@case
async def test_tc_b_09_cs(station: ChargingStationUnderTest) -> None:
    """Set Variables, single value: the station accepts OCPPCommCtrlr.OfflineThreshold = 300 and
    repeats component, variable and attributeType in its result."""
    async with station.restoring(OFFLINE_THRESHOLD):
        response = await station.call("SetVariables", {"setVariableData": [
            dict(OFFLINE_THRESHOLD, attributeValue="300", attributeType="Actual")]})
        results = response.payload["setVariableResult"]
        station.check.equal("one setVariableResult per setVariableData entry", len(results), 1,
                            requirements=("B05.FR.01",))
        station.check.fields("SetVariablesResponse setVariableResult[0]", results[0], {
            "attributeStatus": "Accepted",
            "attributeType": "Actual",
            "component.name": "OCPPCommCtrlr",
            "variable.name": "OfflineThreshold",
            "attributeStatusInfo.reasonCode": OneOf(ABSENT, "NoError"),
        }, requirements=("B05.FR.02", "B05.FR.03", "B05.FR.10"))


@case
async def test_tc_b_10_cs(station: ChargingStationUnderTest) -> None:
    """Set Variables, multiple values: the station accepts OCPPCommCtrlr.OfflineThreshold = 300 and
    AuthCtrlr.LocalAuthorizeOffline = true, one result for each, in any order.

    The variable is set in the spelling the station knows (as TC_B_07_CS). Checks: step 2 one result per entry in
    any order (B05.FR.01); each Accepted, attributeType Actual, component/variable echoed, reasonCode absent or
    NoError (B05.FR.02/03/10). Part 6's duplicated "setVariableData[0].attributeType": both entries carry Actual."""
    local_offline = await station.spelled(LOCAL_AUTHORIZE_OFFLINE)
    async with station.restoring(OFFLINE_THRESHOLD), station.restoring(local_offline):
        response = await station.call("SetVariables", {"setVariableData": [
            dict(OFFLINE_THRESHOLD, attributeValue="300", attributeType="Actual"),
            dict(local_offline, attributeValue="true", attributeType="Actual")]})
        results = response.payload["setVariableResult"]
        station.check.equal("one setVariableResult per setVariableData entry", len(results), 2,
                            requirements=("B05.FR.01",))
        for wanted in (OFFLINE_THRESHOLD, local_offline):
            result = _result_for(station, "SetVariablesResponse", results, wanted, ("B05.FR.01", "B05.FR.02"))
            station.check.fields(f"SetVariablesResponse result for {wanted['variable']['name']}", result, {
                "attributeStatus": "Accepted",
                "attributeType": "Actual",
                "component.name": wanted["component"]["name"],
                "variable.name": wanted["variable"]["name"],
                "attributeStatusInfo.reasonCode": OneOf(ABSENT, "NoError"),
            }, requirements=("B05.FR.02", "B05.FR.03", "B05.FR.10"))


@case
async def test_tc_b_39_cs(station: ChargingStationUnderTest) -> None:
    """Set Variables, read-only: the station rejects a SetVariablesRequest for the read-only
    OCPPCommCtrlr.MessageTimeout[Default] (sent without attributeType)."""
    # A read-only variable cannot be restored, so nothing is restored: a conformant station does not change it.
    # The value sent differs from the current one, so that "no change needed" is no excuse to accept.
    current = await station.call("GetVariables", {"getVariableData": [MESSAGE_TIMEOUT_DEFAULT]})
    value = current.payload["getVariableResult"][0].get("attributeValue") if current.ok else None
    response = await station.call("SetVariables", {"setVariableData": [
        dict(MESSAGE_TIMEOUT_DEFAULT, attributeValue="31" if value != "31" else "32")]})
    results = response.payload["setVariableResult"]
    station.check.equal("one setVariableResult per setVariableData entry", len(results), 1,
                        requirements=("B05.FR.01",))
    station.check.fields("SetVariablesResponse setVariableResult[0]", results[0], {
        "attributeStatus": "Rejected",
        "component.name": "OCPPCommCtrlr",
        "variable.name": "MessageTimeout",
        "variable.instance": "Default",
    }, requirements=("B05.FR.09",))


async def _single_result(station: ChargingStationUnderTest, action: str, entry: dict) -> dict:
    """Send a one-entry Get/SetVariablesRequest, check one result came back and return it."""
    request, result = ("getVariableData", "getVariableResult") if action == "GetVariables" \
        else ("setVariableData", "setVariableResult")
    response = await station.call(action, {request: [entry]})
    results = response.payload[result]
    station.check.equal(f"one {result} per {request} entry", len(results), 1,
                        requirements=("B06.FR.01",) if action == "GetVariables" else ("B05.FR.01",))
    return results[0]


UNKNOWN_COMPONENT = {"component": {"name": "UnknownComponent"}, "variable": {"name": "OfflineThreshold"}}
UNKNOWN_VARIABLE = {"component": {"name": "OCPPCommCtrlr"}, "variable": {"name": "UnknownVariable"}}


@case
async def test_tc_b_32_cs(station: ChargingStationUnderTest) -> None:
    """Get Variables, unknown component: the station answers UnknownComponent, echoes the
    requested component and variable, and gives no value."""
    result = await _single_result(station, "GetVariables", UNKNOWN_COMPONENT)
    station.check.fields("GetVariablesResponse getVariableResult[0]", result, {
        "attributeStatus": "UnknownComponent",
        "component.name": "UnknownComponent",
        "variable.name": "OfflineThreshold",
        "attributeValue": ABSENT,
    }, requirements=("B06.FR.06",))


@case
async def test_tc_b_33_cs(station: ChargingStationUnderTest) -> None:
    """Get Variables, unknown variable: the station answers UnknownVariable, echoes the
    requested component and variable, and gives no value."""
    result = await _single_result(station, "GetVariables", UNKNOWN_VARIABLE)
    station.check.fields("GetVariablesResponse getVariableResult[0]", result, {
        "attributeStatus": "UnknownVariable",
        "component.name": "OCPPCommCtrlr",
        "variable.name": "UnknownVariable",
        "attributeValue": ABSENT,
    }, requirements=("B06.FR.07",))


@case
async def test_tc_b_34_cs(station: ChargingStationUnderTest) -> None:
    """Get Variables, not supported attribute type: asked for the Target of
    OCPPCommCtrlr.OfflineThreshold, the station answers NotSupportedAttributeType without a value."""
    result = await _single_result(station, "GetVariables", dict(OFFLINE_THRESHOLD, attributeType="Target"))
    station.check.fields("GetVariablesResponse getVariableResult[0]", result, {
        "attributeStatus": "NotSupportedAttributeType",
        "component.name": "OCPPCommCtrlr",
        "variable.name": "OfflineThreshold",
        "attributeType": "Target",
        "attributeValue": ABSENT,
    }, requirements=("B06.FR.08",))


@case
async def test_tc_b_35_cs(station: ChargingStationUnderTest) -> None:
    """Set Variables, unknown component: the station answers UnknownComponent and echoes the
    requested component and variable."""
    result = await _single_result(station, "SetVariables", dict(UNKNOWN_COMPONENT, attributeValue="300"))
    station.check.fields("SetVariablesResponse setVariableResult[0]", result, {
        "attributeStatus": "UnknownComponent",
        "component.name": "UnknownComponent",
        "variable.name": "OfflineThreshold",
    }, requirements=("B05.FR.04",))


@case
async def test_tc_b_36_cs(station: ChargingStationUnderTest) -> None:
    """Set Variables, unknown variable: the station answers UnknownVariable and echoes the
    requested component and variable."""
    result = await _single_result(station, "SetVariables", dict(UNKNOWN_VARIABLE, attributeValue="300"))
    station.check.fields("SetVariablesResponse setVariableResult[0]", result, {
        "attributeStatus": "UnknownVariable",
        "component.name": "OCPPCommCtrlr",
        "variable.name": "UnknownVariable",
    }, requirements=("B05.FR.05",))


@case
async def test_tc_b_37_cs(station: ChargingStationUnderTest) -> None:
    """Set Variables, not supported attribute type: asked to set the Target of
    OCPPCommCtrlr.OfflineThreshold, the station answers NotSupportedAttributeType without a value."""
    # Should a station wrongly write the Actual value instead, put it back.
    async with station.restoring(OFFLINE_THRESHOLD):
        result = await _single_result(station, "SetVariables",
                                      dict(OFFLINE_THRESHOLD, attributeValue="300", attributeType="Target"))
        station.check.fields("SetVariablesResponse setVariableResult[0]", result, {
            "attributeStatus": "NotSupportedAttributeType",
            "component.name": "OCPPCommCtrlr",
            "variable.name": "OfflineThreshold",
            "attributeType": "Target",
        }, requirements=("B05.FR.06",))


def _well_formed(data_type: str, value: str) -> bool:
    """Whether ``value`` is correctly formatted for an OCPP dataType (Part 2 §2.x DataEnumType)."""
    if data_type == "integer":
        return re.fullmatch(r"[+-]?\d+", value) is not None
    if data_type == "decimal":
        return re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", value) is not None
    if data_type == "boolean":
        return value in ("true", "false")
    try:  # dateTime
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return "T" in value


# Part 6 TC_B_11_CS steps 1-8: the variables and their dataTypes; OfflineThreshold is required, the
# others are tested when the station knows them.
B_11_VARIABLES = (
    (OFFLINE_THRESHOLD, "integer", True),
    (LIMIT_CHANGE_SIGNIFICANCE, "decimal", False),
    (AUTHORIZE_REMOTE_START, "boolean", False),
    (NEXT_TIME_OFFSET_TRANSITION_DATE_TIME, "dateTime", False),
)


@case
async def test_tc_b_11_cs(station: ChargingStationUnderTest) -> None:
    """Set Variables, invalidly formatted values: the configured OfflineThreshold, the same + 0.1, true,
    the current time and "abc" are set on an integer, a decimal, a boolean and a dateTime variable. A
    value malformed for the variable's dataType must be Rejected; a well-formed one may be Accepted or
    Rejected (range, read-only).

    <configured offlineThreshold> is ``station_values.offline_threshold``; names the documents spell two ways
    (AuthorizeRemoteStart) are used as the station spells them. Checks: steps 1-8 each SetVariablesResponse:
    Rejected for a value malformed for the dataType (B05.FR.07, Part 6 "if value not supported: Rejected"),
    Accepted or Rejected otherwise (Part 6 tool validations), attributeType Actual (B05.FR.12), component and
    variable echoed; optional variables the station does not know are skipped."""
    configured = str(station.config.station_values.offline_threshold)
    values = (configured, f"{configured}.1", "true", datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), "abc")
    for variable, data_type, required in B_11_VARIABLES:
        variable = await station.spelled(variable)
        name = f"{variable['component']['name']}.{variable['variable']['name']}"
        async with station.restoring(variable):
            for value in values:
                result = await _single_result(station, "SetVariables", dict(variable, attributeValue=value))
                if not required and result.get("attributeStatus") in ("UnknownComponent", "UnknownVariable"):
                    station.note(f"{name} is not supported by the station: its steps are skipped")
                    break
                well_formed = _well_formed(data_type, value)
                station.check.fields(f"SetVariablesResponse for {name} = {value!r} ({data_type})", result, {
                    "attributeStatus": OneOf("Accepted", "Rejected") if well_formed else "Rejected",
                    "attributeType": "Actual",
                    "component.name": variable["component"]["name"],
                    "variable.name": variable["variable"]["name"],
                }, requirements=("B05.FR.07", "B05.FR.12"))
