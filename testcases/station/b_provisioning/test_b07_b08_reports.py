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

from ._steps import (REPORT_EVSE1_AVAILABILITY, REPORT_REQUIRED_WRITABLE, report_actual, report_base,
                     report_check_evse1_availability, report_check_required, report_component_key, report_custom,
                     report_entry_key, report_key, report_value_allowed)


@case
async def test_tc_b_12_cs(station: ChargingStationUnderTest) -> None:
    """Get Base Report, ConfigurationInventory: the station accepts, then reports in numbered parts only
    variables the operator can set (ReadWrite or WriteOnly attributes), each with its characteristics, at
    least the required writable controller variables."""
    report = await report_base(station, "ConfigurationInventory", requirements=("B07.FR.01", "B07.FR.12"))
    entries = report.entries
    check_report_entries(station, entries, characteristics=("B07.FR.07",), write_only=("B07.FR.03",))
    not_settable = [entry_name(e) for e in entries for a in e.get("variableAttribute", [])
                    if a.get("mutability", "ReadWrite") not in ("ReadWrite", "WriteOnly")]
    station.check.that("the ConfigurationInventory reports only attributes the operator can set", not not_settable,
                       expected="mutability ReadWrite or WriteOnly", actual=f"ReadOnly: {not_settable[:10]}",
                       requirements=("B07.FR.07",))
    required = {report_key(c, v, i): f"{c}.{v}" + (f"[{i}]" if i else "") for c, v, i in REPORT_REQUIRED_WRITABLE}
    if "Smart Charging" in station.config.pics.profiles:
        required[report_key("SmartChargingCtrlr", "LimitChangeSignificance")] = \
            "SmartChargingCtrlr.LimitChangeSignificance"
    reported = {report_entry_key(e) for e in entries}
    missing = [name for key, name in required.items() if key not in reported]
    station.check.that("the ConfigurationInventory contains every required writable controller variable",
                       not missing, expected="all reported", actual=f"missing: {missing}", requirements=("B07.FR.07",))


@case
async def test_tc_b_13_cs(station: ChargingStationUnderTest) -> None:
    """Get Base Report, FullInventory: the station accepts, then reports in numbered parts every
    component/variable with its characteristics, at least the required controller and charging
    infrastructure variables."""
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
    (or, WriteOnly, is rejected without a value) by GetVariables."""
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
        for entry, result in zip(chunk, results):
            if (report_actual(entry) or {}).get("mutability") == "WriteOnly":
                station.check.fields(f"GetVariablesResponse for {entry_name(entry)} (WriteOnly)", result, {
                    "attributeStatus": "Rejected", "attributeValue": ABSENT}, requirements=("B06.FR.09",))
            else:
                station.check.fields(f"GetVariablesResponse for {entry_name(entry)}", result, {
                    "attributeStatus": "Accepted", "attributeValue": "true"}, requirements=("B06.FR.10",))


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
    """Get Custom Report, unsupported componentCriteria: GetReport with componentCriteria {Available, X} is
    sent for X = Active, Enabled, Problem until the station answers NotSupported, which it must for a
    criterion it does not evaluate (statusInfo absent, UnsupportedParam or InvalidValue). A station that
    evaluates every criterion does not meet the prerequisite (NOT APPLICABLE)."""
    # Part 5 lists no profile for this case; its use case B08 is tested in Advanced Device Management.
    station.require_profiles("Advanced Device Management", reason="Get Custom Report (B08) is part of that profile")
    for criterion in ("Active", "Enabled", "Problem"):
        request_id = new_request_id()
        conn = station.connection
        mark = conn.mark()
        response = await station.call("GetReport", {"requestId": request_id,
                                                    "componentCriteria": ["Available", criterion]})
        status = response.payload.get("status") if response.ok else response.describe()
        station.check.that(f"GetReportResponse to componentCriteria [Available, {criterion}]",
                           status in ("Accepted", "EmptyResultSet", "NotSupported"),
                           expected="NotSupported for a criterion the station does not evaluate (else Accepted "
                                    "or EmptyResultSet)", actual=status, requirements=("B08.FR.02",))
        if status == "NotSupported":
            station.check.fields("GetReportResponse", response.payload, {
                "statusInfo.reasonCode": OneOf(ABSENT, "UnsupportedParam", "InvalidValue")},
                requirements=("B08.FR.02",))
            return
        if status == "Accepted":  # the criterion is supported: let its report pass before the next request
            await collect_report(station, request_id, since=mark, requirements=B08_PARTS)
    raise NotApplicable("the station evaluates every componentCriteria value (Part 6 prerequisite: at least one "
                        "not supported)")


@case
async def test_tc_b_53_cs(station: ChargingStationUnderTest) -> None:
    """Get Base Report, mandatory device model variables: the FullInventory contains every required
    variable; list dataTypes carry a valuesList and a value within it; WriteOnly attributes carry no value,
    all others do (EVSE.Power excepted, of which only maxLimit is required)."""
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
    no_value = [entry_name(e) for e in entries for a in e.get("variableAttribute", [])
                if a.get("mutability", "ReadWrite") != "WriteOnly" and "value" not in a
                and report_entry_key(e)[:2] != ("evse", "power")]
    station.check.that("every attribute that is not WriteOnly is reported with its value", not no_value,
                       expected="value present (EVSE.Power excepted)", actual=f"no value: {no_value}",
                       requirements=requirements + ("B07.FR.03",))
    power = [e for e in entries if report_entry_key(e)[:2] == ("evse", "power")]
    no_max = [entry_name(e) for e in power if "maxLimit" not in e.get("variableCharacteristics", {})]
    station.check.that("EVSE.Power reports its maxLimit", not no_max, expected="variableCharacteristics.maxLimit",
                       actual=f"missing for {no_max}", requirements=requirements)


@case
async def test_tc_b_54_cs(station: ChargingStationUnderTest) -> None:
    """Get Custom Report, component/variable without instance: asked for DeviceDataCtrlr.ItemsPerMessage,
    the station reports every instance of it (GetReport and GetVariables among them), nothing else."""
    report = await report_custom(station, {"componentVariable": [ITEMS_PER_MESSAGE]},
                                 requirements=("B08.FR.21",))
    entries = report.entries
    for entry in entries:
        station.check.fields(f"reportData {entry_name(entry)}", entry, {
            "component.name": "DeviceDataCtrlr", "variable.name": "ItemsPerMessage"}, requirements=("B08.FR.11",))
    instances = {str(e.get("variable", {}).get("instance")) for e in entries}
    station.check.that("the report has the instances GetReport and GetVariables (in any order)",
                       {"GetReport", "GetVariables"} <= instances, expected=["GetReport", "GetVariables"],
                       actual=sorted(instances), requirements=("B08.FR.11", "B08.FR.21"))


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
