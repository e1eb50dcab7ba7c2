"""Block B Provisioning, the SUT is a Charging Station (the harness is its CSMS).

Device-model reports, Get Base Report (B07) and Get
Custom Report (B08).
"""

from __future__ import annotations

from conformance.harness import ABSENT, ChargingStationUnderTest, OneOf, case
from conformance.harness.reports import (B08_PARTS, LIST_TYPES, check_report_entries, collect_report, entry_name,
                                         new_request_id, request_report)
from conformance.outcomes import Inconclusive, NotApplicable
from conformance.protocol.variables import ITEMS_PER_MESSAGE, component_variable

from ._steps import (REPORT_EVSE1_AVAILABILITY, report_actual, report_base, report_check_evse1_availability,
                     report_check_required, report_component_key, report_custom, report_entry_key, report_key,
                     report_note_spellings, report_required_keys, report_value_allowed)


@case
async def test_tc_b_12_cs(station: ChargingStationUnderTest) -> None:
    """Get Base Report, ConfigurationInventory: the station accepts, then reports in numbered parts only
    variables the operator can set (ReadWrite or WriteOnly attributes), each with its characteristics, at
    least the required writable controller variables.

    Checks: step 2 GetBaseReportResponse Accepted (B07.FR.01); step 3 NotifyReportRequest parts, requestId,
    seqNo, tbc (B07.FR.12, report collection); post-scenario: characteristics, valuesList, WriteOnly without value
    (B07.FR.07, B07.FR.03); only ReadWrite/WriteOnly attributes (B07.FR.07); every required variable Part 2 makes
    ReadWrite, in either documented spelling (B07.FR.07, Part 2 referenced variables)."""
    report = await report_base(station, "ConfigurationInventory", requirements=("B07.FR.01", "B07.FR.12"))
    entries = report.entries
    check_report_entries(station, entries, characteristics=("B07.FR.07",), write_only=("B07.FR.03",))
    not_settable = [entry_name(e) for e in entries for a in e.get("variableAttribute", [])
                    if a.get("mutability", "ReadWrite") not in ("ReadWrite", "WriteOnly")]
    station.check.that("the ConfigurationInventory reports only attributes the operator can set", not not_settable,
                       expected="mutability ReadWrite or WriteOnly", actual=f"ReadOnly: {not_settable[:10]}",
                       requirements=("B07.FR.07",))
    required = report_required_keys(station, entries, writable_only=True)
    if "Smart Charging" in station.config.pics.profiles:
        required[report_key("SmartChargingCtrlr", "LimitChangeSignificance")] = \
            "SmartChargingCtrlr.LimitChangeSignificance"
    reported = {report_entry_key(e) for e in entries}
    missing = [name for key, name in required.items() if key not in reported]
    report_note_spellings(station, entries)
    station.check.that("the ConfigurationInventory contains every required writable controller variable (Part 2 "
                       "mutability ReadWrite; either documented spelling)",
                       not missing, expected="all reported", actual=f"missing: {missing}", requirements=("B07.FR.07",))


@case
async def test_tc_b_13_cs(station: ChargingStationUnderTest) -> None:
    """Get Base Report, FullInventory: the station accepts, then reports in numbered parts every
    component/variable with its characteristics, at least the required controller and charging
    infrastructure variables.

    Checks: step 2 Accepted (B07.FR.01); step 3 parts (B07.FR.12); post-scenario: characteristics (B07.FR.08),
    WriteOnly without value (B07.FR.03), every required variable in either documented spelling (B07.FR.08; Part 2
    referenced variables with errata 2025-09 §2.57 ActiveNetworkProfile and §2.66 Connector AvailabilityState)."""
    report = await report_base(station, "FullInventory", requirements=("B07.FR.01", "B07.FR.12"))
    check_report_entries(station, report.entries, characteristics=("B07.FR.08",), write_only=("B07.FR.03",))
    report_check_required(station, report.entries, ("B07.FR.08",))


@case
async def test_tc_b_14_cs(station: ChargingStationUnderTest) -> None:
    """Get Base Report, SummaryInventory: the station accepts, then reports the AvailabilityState of the
    Charging Station and of every EVSE (connectors optional), each with its characteristics."""
    report = await report_base(station, "SummaryInventory", requirements=("B07.FR.01",))
    entries = report.entries
    check_report_entries(station, entries, characteristics=("B07.FR.09",), write_only=("B07.FR.03",))
    reported = {report_entry_key(e) for e in entries}
    wanted = {report_key("ChargingStation", "AvailabilityState"): "ChargingStation.AvailabilityState"}
    wanted.update({report_key("EVSE", "AvailabilityState", evse=e.id): f"EVSE@{e.id}.AvailabilityState"
                   for e in station.config.evses})
    missing = [name for key, name in wanted.items() if key not in reported]
    station.check.that("the SummaryInventory reports the AvailabilityState of the station and of every EVSE",
                       not missing, expected=sorted(wanted.values()), actual=f"missing: {missing}",
                       requirements=("B07.FR.09",))


@case
async def test_tc_b_15_cs(station: ChargingStationUnderTest) -> None:
    """Get Base Report, not supported: a station without the SummaryInventory answers NotSupported and
    sends no NotifyReportRequest (waited for one message timeout)."""
    request_id = new_request_id()
    response, mark = await request_report(station, "GetBaseReport", {"requestId": request_id,
                                                                     "reportBase": "SummaryInventory"},
                                          status="NotSupported", requirements=("B07.FR.02",))
    station.check.fields("GetBaseReportResponse", response.payload, {
        "statusInfo.reasonCode": OneOf(ABSENT, "UnsupportedParam")}, requirements=("B07.FR.02",))
    await station.connection.expect_no_call("NotifyReport", within=station.message_timeout, since=mark,
                                            requirements=("B07.FR.05",))


@case
async def test_tc_b_16_cs(station: ChargingStationUnderTest) -> None:
    """Get Custom Report, componentCriteria Enabled: after a FullInventory, the station reports (in numbered
    parts, with characteristics) the components whose Enabled is true or that have no Enabled variable, every
    Enabled variable true in the FullInventory among them; each reported Enabled variable then reads true
    (or, WriteOnly, is rejected without a value) by GetVariables.

    Checks: steps 1-2 FullInventory (B07.FR.01); step 3 Accepted + parts (B08.FR.01) with characteristics
    (B08.FR.12); every reported Enabled is true (Part 6 step 3, B08.FR.09); no component with Enabled false
    (B08.FR.05/09); every Enabled true of the FullInventory present (B08.FR.09); steps 5-6 GetVariables in chunks of
    ItemsPerMessage[GetVariables], results matched by component/variable in any order (B06.FR.01): Accepted "true"
    (B06.FR.10), WriteOnly Rejected without value (errata 2025-09 §6.2.12, B06.FR.09). Part 6 step 3 expects only
    Enabled entries; Part 2 B08.FR.09 has the station report every variable of the enabled components, so other
    variables are accepted and only the Enabled ones judged (Part 2's reading)."""
    full = await report_base(station, "FullInventory", requirements=("B07.FR.01",))
    enabled_in_full = {report_component_key(e): (report_actual(e) or {}).get("value") for e in full.entries
                       if e.get("variable", {}).get("name") == "Enabled" and not e["variable"].get("instance")}
    report = await report_custom(station, {"componentCriteria": ["Enabled"]})
    entries = report.entries
    enabled_entries = [e for e in entries if e.get("variable", {}).get("name") == "Enabled"
                       and not e["variable"].get("instance")]
    not_true = [entry_name(e) for e in enabled_entries
                if (report_actual(e) or {}).get("mutability") != "WriteOnly"
                and (report_actual(e) or {}).get("value") != "true"]
    station.check.that("every Enabled variable in the report is true", not not_true, expected="value 'true'",
                       actual=f"not true: {not_true}", requirements=("B08.FR.09",))
    disabled = sorted({entry_name(e) for e in entries if enabled_in_full.get(report_component_key(e)) == "false"})
    station.check.that("no variable of a component whose Enabled is false is reported", not disabled,
                       expected="only components with Enabled true or without Enabled", actual=f"reported: {disabled}",
                       requirements=("B08.FR.05", "B08.FR.09"))
    reported = {report_component_key(e) for e in enabled_entries}
    left_out = [component for component, value in enabled_in_full.items() if value == "true"
                and component not in reported]
    station.check.that("every Enabled variable reported true in the FullInventory is in the custom report",
                       not left_out, expected="all reported", actual=f"missing Enabled of {left_out}",
                       requirements=("B08.FR.09",))
    limit_entry = next((e for e in full.entries if report_entry_key(e) ==
                        report_key("DeviceDataCtrlr", "ItemsPerMessage", "GetVariables")), None)
    limit_text = (report_actual(limit_entry) or {}).get("value") if limit_entry else None
    limit = int(limit_text) if limit_text and limit_text.isdigit() and int(limit_text) > 0 else 1
    for start in range(0, len(enabled_entries), limit):  # step 5, within ItemsPerMessageGetVariables
        chunk = enabled_entries[start:start + limit]
        response = await station.call("GetVariables", {"getVariableData": [
            {"component": e["component"], "variable": e["variable"]} for e in chunk]})
        results = response.payload.get("getVariableResult", []) if response.ok else []
        station.check.equal("one getVariableResult per getVariableData entry", len(results), len(chunk),
                            requirements=("B06.FR.01",))
        for entry in chunk:
            result = _result_of(station, entry, results)
            if (report_actual(entry) or {}).get("mutability") == "WriteOnly":
                station.check.fields(f"GetVariablesResponse for {entry_name(entry)} (WriteOnly)", result, {
                    "attributeStatus": "Rejected", "attributeValue": ABSENT}, requirements=("B06.FR.09",))
            else:
                station.check.fields(f"GetVariablesResponse for {entry_name(entry)}", result, {
                    "attributeStatus": "Accepted", "attributeValue": "true"}, requirements=("B06.FR.10",))


def _result_of(station: ChargingStationUnderTest, entry: dict, results: list[dict]) -> dict:
    """The getVariableResult for ``entry``'s component (name, instance, evse) and variable, in any position
    (B06.FR.01 does not fix the order); {} when there is none (checked)."""
    def key(item: dict) -> tuple:
        component, variable = item.get("component", {}), item.get("variable", {})
        return (str(component.get("name", "")).casefold(), component.get("instance"), component.get("evse") or None,
                str(variable.get("name", "")).casefold(), variable.get("instance"))
    matching = [r for r in results if key(r) == key(entry)]
    station.check.that(f"GetVariablesResponse has one result for {entry_name(entry)}", len(matching) == 1,
                       expected=1, actual=len(matching), requirements=("B06.FR.01",))
    return matching[0] if matching else {}


@case
async def test_tc_b_17_cs(station: ChargingStationUnderTest) -> None:
    """Get Custom Report, component/variable: asked for the AvailabilityState of EVSE 1, the station reports
    just that (OptionList of the five states, Actual, ReadOnly)."""
    report = await report_custom(station, {"componentVariable": [REPORT_EVSE1_AVAILABILITY]},
                                 requirements=("B08.FR.11",))
    report_check_evse1_availability(station, report.entries, ("B08.FR.11",))


@case
async def test_tc_b_18_cs(station: ChargingStationUnderTest) -> None:
    """Get Custom Report, componentCriteria and component/variable: EVSE 1's AvailabilityState is reported
    for criterion Available, and the same request for criterion Problem gives EmptyResultSet (EVSE 1 is
    taken to have no problem; checked first when the station knows EVSE.Problem)."""
    problem = await station.read_variable({"component": {"name": "EVSE", "evse": {"id": 1}},
                                           "variable": {"name": "Problem"}})
    if problem == "true":
        raise Inconclusive("EVSE 1 reports Problem = true: the case needs an EVSE without a problem")
    report = await report_custom(station, {"componentCriteria": ["Available"],
                                           "componentVariable": [REPORT_EVSE1_AVAILABILITY]})
    report_check_evse1_availability(station, report.entries, ("B08.FR.05", "B08.FR.11"))
    request_id = new_request_id()
    response, mark = await request_report(station, "GetReport", {
        "requestId": request_id, "componentCriteria": ["Problem"], "componentVariable": [REPORT_EVSE1_AVAILABILITY]},
        status="EmptyResultSet", requirements=("B08.FR.15",))
    station.check.fields("GetReportResponse", response.payload, {"statusInfo.reasonCode": OneOf(ABSENT, "NotFound")},
                         requirements=("B08.FR.15",))


@case
async def test_tc_b_19_cs(station: ChargingStationUnderTest) -> None:
    """Get Custom Report, unsupported componentCriteria: GetReport with componentCriteria {Available,
    <Configured Unsupported componentCriteria>} (configuration ``station_values.unsupported_component_criteria``)
    is answered NotSupported. Without a configured criterion the prerequisite is not met (NOT APPLICABLE).

    Checks: step 2 GetReportResponse status NotSupported (B08.FR.02), statusInfo.reasonCode absent,
    UnsupportedParam or InvalidValue (Part 6 step 2)."""
    # Part 5 lists no profile for this case; its use case B08 is tested in Advanced Device Management.
    station.require_profiles("Advanced Device Management", reason="Get Custom Report (B08) is part of that profile")
    criterion = station.config.station_values.unsupported_component_criteria
    if not criterion:
        raise NotApplicable("no <Configured Unsupported componentCriteria> (station_values."
                            "unsupported_component_criteria): the Part 6 prerequisite, a criterion the station "
                            "does not support, is not configured")
    request_id = new_request_id()
    conn = station.connection
    mark = conn.mark()
    response = await station.call("GetReport", {"requestId": request_id, "componentCriteria": ["Available", criterion]})
    station.check.that("the station answers GetReportRequest with a CALLRESULT", response.ok, expected="CALLRESULT",
                       actual=response.describe(), requirements=("B08.FR.02",))
    station.check.fields(f"GetReportResponse to componentCriteria [Available, {criterion}] (the configured "
                         "unsupported criterion)", response.payload, {
                             "status": "NotSupported",
                             "statusInfo.reasonCode": OneOf(ABSENT, "UnsupportedParam", "InvalidValue")},
                         requirements=("B08.FR.02",))
    if response.ok and response.payload.get("status") == "Accepted":  # let its report pass before the next case
        await collect_report(station, request_id, since=mark, requirements=B08_PARTS)


@case
async def test_tc_b_53_cs(station: ChargingStationUnderTest) -> None:
    """Get Base Report, mandatory device model variables: the FullInventory contains every required
    variable; list dataTypes carry a valuesList and a value within it; WriteOnly attributes carry no value,
    all others do (EVSE.Power excepted, of which only maxLimit is required).

    Checks (post-scenario, errata 2025-09 §6.2.19): step 2 Accepted (B07.FR.01); every required variable in either
    documented spelling (B07.FR.08, Part 2 referenced variables, errata §2.57/§2.66); list dataTypes carry a
    valuesList (characteristics check) and values within it; WriteOnly without value (B07.FR.03, errata §2.10);
    the Actual value of the standardized (Part 2 referenced) variables not omitted, EVSE.Power excepted, which
    reports maxLimit. Vendor variables and other attribute types are outside §6.2.19 (B07.FR.11: an attribute
    type may be reported without a value)."""
    report = await report_base(station, "FullInventory", requirements=("B07.FR.01",))
    entries = report.entries
    requirements = ("B07.FR.08", "Chapter Referenced Components and Variables")
    check_report_entries(station, entries, characteristics=requirements, write_only=("B07.FR.03",))
    report_check_required(station, entries, requirements)
    outside = [f"{entry_name(e)} = {a.get('value')!r}" for e in entries
               if e.get("variableCharacteristics", {}).get("dataType") in LIST_TYPES
               for a in e.get("variableAttribute", []) if isinstance(a.get("value"), str)
               and not report_value_allowed(e, a["value"])]
    station.check.that("every value of an OptionList, SequenceList or MemberList variable is allowed by its "
                       "valuesList", not outside, expected="values from valuesList", actual=f"not allowed: {outside}",
                       requirements=requirements)
    standardized = set(report_required_keys(station, entries))
    no_value = [entry_name(e) for e in entries if report_entry_key(e) in standardized
                for a in e.get("variableAttribute", []) if a.get("type", "Actual") == "Actual"
                and a.get("mutability", "ReadWrite") != "WriteOnly" and "value" not in a
                and report_entry_key(e)[:2] != ("evse", "power")]
    station.check.that("every standardized (Part 2 referenced) variable that is not WriteOnly is reported with its "
                       "Actual value (errata 2025-09 §6.2.19)", not no_value,
                       expected="value present (EVSE.Power excepted)", actual=f"no value: {no_value}",
                       requirements=requirements + ("B07.FR.03", "errata 2025-09 §6.2.19"))
    power = [e for e in entries if report_entry_key(e)[:2] == ("evse", "power")]
    no_max = [entry_name(e) for e in power if "maxLimit" not in e.get("variableCharacteristics", {})]
    station.check.that("EVSE.Power reports its maxLimit", not no_max, expected="variableCharacteristics.maxLimit",
                       actual=f"missing for {no_max}", requirements=requirements)


@case
async def test_tc_b_54_cs(station: ChargingStationUnderTest) -> None:
    """Get Custom Report, component/variable without instance: asked for DeviceDataCtrlr.ItemsPerMessage,
    the station reports every instance of it (GetReport and GetVariables among them), nothing else.

    Checks: step 2 Accepted + parts (B08.FR.01); every entry is DeviceDataCtrlr.ItemsPerMessage (B08.FR.11);
    instances GetReport and GetVariables (Part 6 step 3, its "GetVariable" read as the CSV's GetVariables) and
    SetVariables (Part 2 §2.1.22 makes that instance required too; B08.FR.21: every instance)."""
    report = await report_custom(station, {"componentVariable": [ITEMS_PER_MESSAGE]},
                                 requirements=("B08.FR.21",))
    entries = report.entries
    for entry in entries:
        station.check.fields(f"reportData {entry_name(entry)}", entry, {
            "component.name": "DeviceDataCtrlr", "variable.name": "ItemsPerMessage"}, requirements=("B08.FR.11",))
    instances = {str(e.get("variable", {}).get("instance")) for e in entries}
    station.check.that("the report has the instances GetReport and GetVariables (Part 6 TC_B_54 step 3, in any "
                       "order)", {"GetReport", "GetVariables"} <= instances, expected=["GetReport", "GetVariables"],
                       actual=sorted(instances), requirements=("B08.FR.11", "B08.FR.21"))
    station.check.that("the report also has the required instance SetVariables (Part 2 §2.1.22; every instance, "
                       "B08.FR.21)", "SetVariables" in instances, expected="SetVariables among the instances",
                       actual=sorted(instances), requirements=("B08.FR.21",))


@case
async def test_tc_b_55_cs(station: ChargingStationUnderTest) -> None:
    """Get Custom Report, component/variable/instance: asked for DeviceDataCtrlr.ItemsPerMessage[GetReport],
    the station reports that instance only."""
    wanted = component_variable("DeviceDataCtrlr", "ItemsPerMessage", instance="GetReport")
    report = await report_custom(station, {"componentVariable": [wanted]}, requirements=("B08.FR.11",))
    station.check.that("the report has an entry", bool(report.entries), expected="ItemsPerMessage[GetReport]",
                       actual="no reportData", requirements=("B08.FR.11",))
    for entry in report.entries:
        station.check.fields(f"reportData {entry_name(entry)}", entry, {
            "component.name": "DeviceDataCtrlr", "variable.name": "ItemsPerMessage",
            "variable.instance": "GetReport"}, requirements=("B08.FR.11",))


@case
async def test_tc_b_56_cs(station: ChargingStationUnderTest) -> None:
    """Get Custom Report, component/variable without evse: asked for EVSE.AvailabilityState, the station
    reports it for every configured EVSE, nothing else."""
    wanted = {"component": {"name": "EVSE"}, "variable": {"name": "AvailabilityState"}}
    report = await report_custom(station, {"componentVariable": [wanted]}, requirements=("B08.FR.23",))
    for entry in report.entries:
        station.check.fields(f"reportData {entry_name(entry)}", entry, {
            "component.name": "EVSE", "component.evse.connectorId": ABSENT, "variable.name": "AvailabilityState"},
            requirements=("B08.FR.11",))
    evses = sorted((e.get("component", {}).get("evse") or {}).get("id", -1) for e in report.entries)
    station.check.equal("the EVSEs reported (one entry each)", evses, sorted(e.id for e in station.config.evses),
                        requirements=("B08.FR.23",))
