"""Tests of the reference station's device model (B05 Set Variables, B06 Get Variables, B07 reports)."""

from __future__ import annotations

import importlib.resources
import json
from datetime import datetime, timezone

import jsonschema
import pytest

from conformance.device_model.model import (
    DEFAULT_FEATURES,
    VARIABLE_TABLE,
    AttributeSpec,
    Change,
    DeviceModel,
    VarKey,
    VariableSpec,
)

TOPOLOGY = [(1, [1]), (2, [1, 2])]
FIXED_NOW = datetime(2025, 1, 2, 3, 4, 5, tzinfo=timezone.utc)


# ---- schema helpers --------------------------------------------------------------------------


def _validator(name: str) -> jsonschema.Draft6Validator:
    path = importlib.resources.files("ocpp") / "v201" / "schemas" / f"{name}.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    return jsonschema.Draft6Validator(schema, format_checker=jsonschema.Draft6Validator.FORMAT_CHECKER)


_VALIDATORS: dict[str, jsonschema.Draft6Validator] = {}


def assert_valid(name: str, payload: dict) -> None:
    if name not in _VALIDATORS:
        _VALIDATORS[name] = _validator(name)
    errors = sorted(_VALIDATORS[name].iter_errors(payload), key=str)
    assert not errors, f"{name} invalid: " + "; ".join(f"{list(e.path)}: {e.message}" for e in errors)


def get(dm: DeviceModel, *items: dict) -> list[dict]:
    assert_valid("GetVariablesRequest", {"getVariableData": list(items)})
    results = dm.get_variables(list(items))
    assert_valid("GetVariablesResponse", {"getVariableResult": results})
    assert len(results) == len(items)  # B06.FR.01
    return results


def set_(dm: DeviceModel, *items: dict) -> list[dict]:
    assert_valid("SetVariablesRequest", {"setVariableData": list(items)})
    results = dm.set_variables(list(items))
    assert_valid("SetVariablesResponse", {"setVariableResult": results})
    assert len(results) == len(items)  # B05.FR.01
    return results


def notify_report(data: list[dict]) -> dict:
    payload = {"requestId": 1, "generatedAt": "2025-01-02T03:04:05Z", "seqNo": 0, "tbc": False, "reportData": data}
    assert_valid("NotifyReportRequest", payload)
    return payload


def gv(component, variable, attribute=None, *, evse=None, connector=None, instance=None, cinstance=None):
    comp: dict = {"name": component}
    if cinstance is not None:
        comp["instance"] = cinstance
    if evse is not None:
        comp["evse"] = {"id": evse}
        if connector is not None:
            comp["evse"]["connectorId"] = connector
    var: dict = {"name": variable}
    if instance is not None:
        var["instance"] = instance
    item = {"component": comp, "variable": var}
    if attribute is not None:
        item["attributeType"] = attribute
    return item


def sv(component, variable, value, attribute=None, **kw):
    item = gv(component, variable, attribute, **kw)
    item["attributeValue"] = value
    return item


@pytest.fixture
def dm() -> DeviceModel:
    return DeviceModel(TOPOLOGY, clock=lambda: FIXED_NOW)


# ---- the table -------------------------------------------------------------------------------

# Variables Part 2 (and Part 4 §8) mark as required for the Core controllers and the charging
# infrastructure; instance in the third position.
REQUIRED = [
    ("OCPPCommCtrlr", "FileTransferProtocols", None),
    ("OCPPCommCtrlr", "MessageTimeout", "Default"),
    ("OCPPCommCtrlr", "NetworkConfigurationPriority", None),
    ("OCPPCommCtrlr", "NetworkProfileConnectionAttempts", None),
    ("OCPPCommCtrlr", "ActiveNetworkProfile", None),  # required since errata 2025-09 §2.57
    ("OCPPCommCtrlr", "OfflineThreshold", None),
    ("OCPPCommCtrlr", "MessageAttempts", "TransactionEvent"),
    ("OCPPCommCtrlr", "MessageAttemptInterval", "TransactionEvent"),
    ("OCPPCommCtrlr", "UnlockOnEVSideDisconnect", None),
    ("OCPPCommCtrlr", "ResetRetries", None),
    ("OCPPCommCtrlr", "RetryBackOffRepeatTimes", None),
    ("OCPPCommCtrlr", "RetryBackOffRandomRange", None),
    ("OCPPCommCtrlr", "RetryBackOffWaitMinimum", None),
    ("OCPPCommCtrlr", "WebSocketPingInterval", None),
    ("TxCtrlr", "EVConnectionTimeOut", None),
    ("TxCtrlr", "StopTxOnEVSideDisconnect", None),
    ("TxCtrlr", "StopTxOnInvalidId", None),
    ("TxCtrlr", "TxStartPoint", None),
    ("TxCtrlr", "TxStopPoint", None),
    ("DeviceDataCtrlr", "ItemsPerMessage", "GetReport"),
    ("DeviceDataCtrlr", "ItemsPerMessage", "GetVariables"),
    ("DeviceDataCtrlr", "ItemsPerMessage", "SetVariables"),
    ("DeviceDataCtrlr", "BytesPerMessage", "GetReport"),
    ("DeviceDataCtrlr", "BytesPerMessage", "GetVariables"),
    ("DeviceDataCtrlr", "BytesPerMessage", "SetVariables"),
    ("ClockCtrlr", "DateTime", None),
    ("ClockCtrlr", "TimeSource", None),
    ("SecurityCtrlr", "SecurityProfile", None),
    ("SecurityCtrlr", "OrganizationName", None),
    ("SecurityCtrlr", "CertificateEntries", None),
    ("SecurityCtrlr", "AdditionalRootCertificateCheck", None),  # required unless only security profile 1
    ("SampledDataCtrlr", "TxEndedMeasurands", None),
    ("SampledDataCtrlr", "TxEndedInterval", None),
    ("SampledDataCtrlr", "TxStartedMeasurands", None),
    ("SampledDataCtrlr", "TxUpdatedMeasurands", None),
    ("SampledDataCtrlr", "TxUpdatedInterval", None),
    ("AlignedDataCtrlr", "Measurands", None),
    ("AlignedDataCtrlr", "Interval", None),
    ("AlignedDataCtrlr", "TxEndedMeasurands", None),
    ("AlignedDataCtrlr", "TxEndedInterval", None),
    ("AuthCtrlr", "AuthorizeRemoteStart", None),
    ("AuthCtrlr", "LocalAuthorizeOffline", None),
    ("AuthCtrlr", "LocalPreAuthorize", None),
    ("ChargingStation", "Available", None),
    ("ChargingStation", "AvailabilityState", None),
    ("ChargingStation", "SupplyPhases", None),
]
EVSE_REQUIRED = ["Available", "AvailabilityState", "Power", "SupplyPhases"]
CONNECTOR_REQUIRED = ["Available", "ConnectorType", "SupplyPhases", "AvailabilityState"]


def test_table_entries_are_well_formed():
    for spec in VARIABLE_TABLE:
        assert spec.ref, spec
        assert spec.data_type in ("string", "decimal", "integer", "dateTime", "boolean",
                                  "OptionList", "SequenceList", "MemberList")
        assert "Actual" in spec.attributes
        if spec.data_type in ("OptionList", "SequenceList", "MemberList"):
            assert spec.values_list, f"{spec.component}.{spec.variable}: valuesList required (TC_B_53)"


def test_all_required_variables_are_in_the_full_inventory(dm):
    report = dm.report_data("FullInventory")
    present = {
        (r["component"]["name"], r["variable"]["name"], r["variable"].get("instance"),
         r["component"].get("evse", {}).get("id"), r["component"].get("evse", {}).get("connectorId"))
        for r in report
    }
    for comp, var, inst in REQUIRED:
        assert (comp, var, inst, None, None) in present, (comp, var, inst)
    for evse_id, connectors in TOPOLOGY:
        for var in EVSE_REQUIRED:
            assert ("EVSE", var, None, evse_id, None) in present
        for conn in connectors:
            for var in CONNECTOR_REQUIRED:
                assert ("Connector", var, None, evse_id, conn) in present
    # the Part 5 §5 Core controllers all exist
    components = {r["component"]["name"] for r in report}
    for ctrlr in ("OCPPCommCtrlr", "TxCtrlr", "DeviceDataCtrlr", "ClockCtrlr", "SecurityCtrlr",
                  "SampledDataCtrlr", "AlignedDataCtrlr", "AuthCtrlr"):
        assert ctrlr in components


def test_topology_validation():
    with pytest.raises(ValueError):
        DeviceModel([(0, [1])])
    with pytest.raises(ValueError):
        DeviceModel([(1, [1]), (1, [2])])
    with pytest.raises(ValueError):
        DeviceModel([(1, [])])
    with pytest.raises(ValueError):
        DeviceModel([(1, [1, 1])])


def test_varkey_text_form_round_trips():
    for text in ("OCPPCommCtrlr.MessageTimeout[Default]", "EVSE@1.Power", "Connector@2:1.ConnectorType",
                 "Fan[left]@1.Speed[L1]"):
        assert str(VarKey.parse(text)) == text
    with pytest.raises(ValueError):
        VarKey.parse("no-dot")


# ---- B06 Get Variables -----------------------------------------------------------------------


def test_get_single_default_attribute_is_actual(dm):
    (res,) = get(dm, gv("OCPPCommCtrlr", "OfflineThreshold"))
    assert res == {  # B06.FR.02, B06.FR.04, B06.FR.10, B06.FR.11
        "attributeStatus": "Accepted",
        "attributeType": "Actual",
        "attributeValue": "300",
        "component": {"name": "OCPPCommCtrlr"},
        "variable": {"name": "OfflineThreshold"},
    }


def test_get_multiple_in_request_order_echoing_attribute_type(dm):
    results = get(
        dm,
        gv("AuthCtrlr", "LocalAuthorizeOffline", "Actual"),
        gv("OCPPCommCtrlr", "OfflineThreshold", "Actual"),
        gv("ClockCtrlr", "DateTime"),
    )
    assert [r["variable"]["name"] for r in results] == ["LocalAuthorizeOffline", "OfflineThreshold", "DateTime"]
    assert all(r["attributeType"] == "Actual" for r in results)  # B06.FR.03
    assert results[0]["attributeValue"] == "true"
    assert results[2]["attributeValue"] == "2025-01-02T03:04:05Z"


def test_get_unknown_component(dm):  # B06.FR.06, TC_B_32_CS
    (res,) = get(dm, gv("UnknownComponent", "OfflineThreshold"))
    assert res["attributeStatus"] == "UnknownComponent"
    assert "attributeValue" not in res
    assert res["component"] == {"name": "UnknownComponent"}
    assert res["variable"] == {"name": "OfflineThreshold"}


def test_get_unknown_variable(dm):  # B06.FR.07, TC_B_33_CS
    (res,) = get(dm, gv("OCPPCommCtrlr", "UnknownVariable"))
    assert res["attributeStatus"] == "UnknownVariable"
    assert "attributeValue" not in res


def test_get_variable_instances(dm):  # B06.FR.14, B06.FR.15
    ok, wrong, missing, empty, per_msg = get(
        dm,
        gv("OCPPCommCtrlr", "MessageTimeout", instance="Default"),
        gv("OCPPCommCtrlr", "MessageTimeout", instance="Other"),
        gv("OCPPCommCtrlr", "MessageTimeout"),
        gv("OCPPCommCtrlr", "MessageTimeout", instance=""),
        gv("DeviceDataCtrlr", "ItemsPerMessage", instance="GetVariables"),
    )
    assert (ok["attributeStatus"], ok["attributeValue"]) == ("Accepted", "30")
    assert ok["variable"] == {"name": "MessageTimeout", "instance": "Default"}
    assert wrong["attributeStatus"] == "UnknownVariable"
    assert missing["attributeStatus"] == "UnknownVariable"
    assert empty["attributeStatus"] == "UnknownVariable"
    assert per_msg["attributeValue"] == "50"


def test_get_component_instance_must_match(dm):  # B06.FR.14
    (res,) = get(dm, gv("OCPPCommCtrlr", "OfflineThreshold", cinstance="Second"))
    assert res["attributeStatus"] == "UnknownComponent"


def test_get_names_are_case_insensitive_and_echoed_as_sent(dm):
    (res,) = get(dm, gv("ocppcommctrlr", "OFFLINETHRESHOLD"))
    assert res["attributeStatus"] == "Accepted"
    assert res["component"] == {"name": "ocppcommctrlr"}
    assert res["variable"] == {"name": "OFFLINETHRESHOLD"}


def test_get_evse_and_connector_components(dm):
    results = get(
        dm,
        gv("EVSE", "Power", evse=1),
        gv("EVSE", "Power", "MaxSet", evse=2),
        gv("EVSE", "Power", evse=3),
        gv("EVSE", "Power"),
        gv("Connector", "ConnectorType", evse=2, connector=2),
        gv("Connector", "ConnectorType", evse=1, connector=2),
        gv("Connector", "ConnectorType", evse=1),
        gv("OCPPCommCtrlr", "OfflineThreshold", evse=1),
        gv("EVSE", "ConnectorType", evse=1),
    )
    statuses = [r["attributeStatus"] for r in results]
    assert statuses == [
        "Accepted", "Accepted", "UnknownComponent", "UnknownComponent", "Accepted",
        "UnknownComponent", "UnknownComponent", "UnknownComponent", "UnknownVariable",
    ]
    assert results[0]["attributeValue"] == "0.0"
    assert results[1]["attributeValue"] == "22000.0"
    assert results[1]["component"] == {"name": "EVSE", "evse": {"id": 2}}
    assert results[4]["attributeValue"] == "sType2"


def test_get_not_supported_attribute_type(dm):  # B06.FR.08, TC_B_34_CS
    target, maxset = get(dm, gv("OCPPCommCtrlr", "OfflineThreshold", "Target"),
                         gv("OCPPCommCtrlr", "OfflineThreshold", "MaxSet"))
    for res in (target, maxset):
        assert res["attributeStatus"] == "NotSupportedAttributeType"
        assert "attributeValue" not in res
    assert target["attributeType"] == "Target"
    assert maxset["attributeType"] == "MaxSet"


def test_write_only_is_never_readable(dm):  # B06.FR.09
    password = "Secret-password_0123"
    (s,) = set_(dm, sv("SecurityCtrlr", "BasicAuthPassword", password))
    assert s["attributeStatus"] == "Accepted"
    (res,) = get(dm, gv("SecurityCtrlr", "BasicAuthPassword"))
    assert res["attributeStatus"] == "Rejected"
    assert "attributeValue" not in res
    assert dm.get("SecurityCtrlr", "BasicAuthPassword") == password  # the station itself can use it
    full = dm.report_data("FullInventory") + dm.report_data("ConfigurationInventory")
    entries = [r for r in full if r["variable"]["name"] == "BasicAuthPassword"]
    assert len(entries) == 2
    for r in entries:  # B07.FR.03 (E2025): no value for WriteOnly
        assert r["variableAttribute"] == [
            {"type": "Actual", "mutability": "WriteOnly", "persistent": True, "constant": False}
        ]
    assert password not in json.dumps(full)


def test_unset_value_reads_as_empty_string(dm):  # B06.FR.13
    (res,) = get(dm, gv("ClockCtrlr", "NextTimeOffsetTransitionDateTime"))
    assert res["attributeStatus"] == "Accepted"
    assert res["attributeValue"] == ""


def test_reporting_value_size_truncates(dm):
    small = DeviceModel(TOPOLOGY, {"DeviceDataCtrlr.ReportingValueSize": 5})
    (res,) = get(small, gv("SecurityCtrlr", "OrganizationName"))
    assert res["attributeValue"] == "OCPP "
    assert small.reporting_value_size == 5


# ---- B05 Set Variables -----------------------------------------------------------------------


def test_set_accepted_changes_value(dm):  # B05.FR.10, B05.FR.12, TC_B_09_CS
    (res,) = set_(dm, sv("OCPPCommCtrlr", "OfflineThreshold", "120"))
    assert res == {
        "attributeType": "Actual",
        "attributeStatus": "Accepted",
        "component": {"name": "OCPPCommCtrlr"},
        "variable": {"name": "OfflineThreshold"},
    }
    assert dm.get("OCPPCommCtrlr", "OfflineThreshold") == 120
    (g,) = get(dm, gv("OCPPCommCtrlr", "OfflineThreshold"))
    assert g["attributeValue"] == "120"


def test_set_multiple_echo(dm):  # B05.FR.01-03, TC_B_10_CS
    results = set_(
        dm,
        sv("OCPPCommCtrlr", "OfflineThreshold", "300", "Actual"),
        sv("authctrlr", "localauthorizeoffline", "false", "Actual"),
        sv("OCPPCommCtrlr", "MessageAttempts", "5", instance="TransactionEvent"),
    )
    assert [r["attributeStatus"] for r in results] == ["Accepted"] * 3
    assert results[1]["component"] == {"name": "authctrlr"}
    assert results[2]["variable"] == {"name": "MessageAttempts", "instance": "TransactionEvent"}
    assert dm.get("AuthCtrlr", "LocalAuthorizeOffline") is False
    assert dm.get("OCPPCommCtrlr", "MessageAttempts", instance="TransactionEvent") == 5


def test_set_unknown_component_variable_attribute(dm):  # B05.FR.04-06
    uc, uv, ua, ui, ue = set_(
        dm,
        sv("UnknownComponent", "OfflineThreshold", "1"),
        sv("OCPPCommCtrlr", "UnknownVariable", "1"),
        sv("OCPPCommCtrlr", "OfflineThreshold", "1", "Target"),
        sv("OCPPCommCtrlr", "MessageAttempts", "1"),
        sv("EVSE", "Power", "1", evse=9),
    )
    assert uc["attributeStatus"] == "UnknownComponent"
    assert uv["attributeStatus"] == "UnknownVariable"
    assert ua["attributeStatus"] == "NotSupportedAttributeType"
    assert ua["attributeType"] == "Target"
    assert ui["attributeStatus"] == "UnknownVariable"
    assert ue["attributeStatus"] == "UnknownComponent"
    assert dm.get("OCPPCommCtrlr", "OfflineThreshold") == 300


@pytest.mark.parametrize(
    ("component", "variable", "value", "kw"),
    [
        # TC_B_11_CS values for an integer variable
        ("OCPPCommCtrlr", "OfflineThreshold", "300.1", {}),
        ("OCPPCommCtrlr", "OfflineThreshold", "true", {}),
        ("OCPPCommCtrlr", "OfflineThreshold", "2025-01-01T00:00:00Z", {}),
        ("OCPPCommCtrlr", "OfflineThreshold", "abc", {}),
        ("OCPPCommCtrlr", "OfflineThreshold", "0300", {}),
        ("OCPPCommCtrlr", "OfflineThreshold", "+300", {}),
        ("OCPPCommCtrlr", "OfflineThreshold", "", {}),
        ("OCPPCommCtrlr", "OfflineThreshold", "2147483648", {}),
        ("AuthCtrlr", "AuthorizeRemoteStart", "300", {}),
        ("AuthCtrlr", "AuthorizeRemoteStart", "True", {}),
        ("AuthCtrlr", "AuthorizeRemoteStart", "1", {}),
        ("ClockCtrlr", "NextTimeOffsetTransitionDateTime", "true", {}),
        ("ClockCtrlr", "NextTimeOffsetTransitionDateTime", "2025-13-01T00:00:00Z", {}),
        ("ClockCtrlr", "NextTimeOffsetTransitionDateTime", "2025-01-01T00:00:00.1234Z", {}),
        ("ClockCtrlr", "NextTimeOffsetTransitionDateTime", "2025-01-01 00:00:00", {}),
        ("ClockCtrlr", "TimeOffset", "1:00", {}),
        ("TxCtrlr", "TxStartPoint", "Foo", {}),
        ("TxCtrlr", "TxStartPoint", "", {}),
        ("TxCtrlr", "TxStartPoint", "EVConnected,EVConnected", {}),
        ("TxCtrlr", "TxStopPoint", "Foo", {}),  # (DataSigned is a supported start point since estart)
        ("ClockCtrlr", "TimeSource", "NTP", {}),
        ("SampledDataCtrlr", "TxUpdatedMeasurands", "Energy.Active.Import.Register,SoC", {}),
        ("SecurityCtrlr", "BasicAuthPassword", "Secret password with spaces", {}),
    ],
)
def test_set_invalid_format_rejected(dm, component, variable, value, kw):  # B05.FR.07
    before = dm.get(component, variable, **kw)
    (res,) = set_(dm, sv(component, variable, value, **kw))
    assert res["attributeStatus"] == "Rejected"
    assert res["attributeStatusInfo"]["reasonCode"] == "InvalidValue"
    assert dm.get(component, variable, **kw) == before


@pytest.mark.parametrize(
    ("component", "variable", "value"),
    [
        ("OCPPCommCtrlr", "HeartbeatInterval", "0"),  # minLimit 1 (P2 §2.1.5)
        ("OCPPCommCtrlr", "WebSocketPingInterval", "-1"),  # P4 §8.4
        ("OCPPCommCtrlr", "OfflineThreshold", "-5"),
        ("SecurityCtrlr", "BasicAuthPassword", "short-pw"),  # < 16 characters
        ("SecurityCtrlr", "BasicAuthPassword", "x" * 41),  # > maxLimit 40
    ],
)
def test_set_out_of_range_rejected(dm, component, variable, value):  # B05.FR.08
    (res,) = set_(dm, sv(component, variable, value))
    assert res["attributeStatus"] == "Rejected"
    assert res["attributeStatusInfo"]["reasonCode"] == "ValueOutOfRange"


def test_set_list_values_accepted(dm):
    results = set_(
        dm,
        sv("ClockCtrlr", "TimeSource", "RealTimeClock,Heartbeat"),  # SequenceList: ordered subset
        sv("TxCtrlr", "TxStopPoint", "EVConnected"),
        sv("SampledDataCtrlr", "TxEndedMeasurands", ""),  # "left empty": no sampled measurands
        sv("AlignedDataCtrlr", "Measurands", "Voltage,Energy.Active.Import.Register"),
        sv("OCPPCommCtrlr", "NetworkConfigurationPriority", "2,1"),
        sv("ClockCtrlr", "NextTimeOffsetTransitionDateTime", "2025-03-30T01:00:00.5+01:00"),
        sv("ClockCtrlr", "TimeOffset", "-02:30", instance="NextTransition"),
    )
    assert [r["attributeStatus"] for r in results] == ["Accepted"] * len(results)
    assert dm.get("ClockCtrlr", "TimeSource") == ["RealTimeClock", "Heartbeat"]
    assert dm.get("TxCtrlr", "TxStopPoint") == ["EVConnected"]
    assert dm.get("SampledDataCtrlr", "TxEndedMeasurands") == []
    assert dm.get("ClockCtrlr", "NextTimeOffsetTransitionDateTime") == datetime(
        2025, 3, 30, 0, 0, 0, 500000, tzinfo=timezone.utc
    )
    (g,) = get(dm, gv("SampledDataCtrlr", "TxEndedMeasurands"))
    assert (g["attributeStatus"], g["attributeValue"]) == ("Accepted", "")


def test_set_read_only_rejected(dm):  # B05.FR.09, TC_B_39_CS
    ro, ro_maxset, avail = set_(
        dm,
        sv("OCPPCommCtrlr", "MessageTimeout", "45", instance="Default"),
        sv("EVSE", "Power", "11000", "MaxSet", evse=1),
        sv("ChargingStation", "AvailabilityState", "Unavailable"),
    )
    for res in (ro, ro_maxset, avail):
        assert res["attributeStatus"] == "Rejected"
        assert res["attributeStatusInfo"]["reasonCode"] == "ReadOnly"
    assert ro_maxset["attributeType"] == "MaxSet"
    assert dm.get("OCPPCommCtrlr", "MessageTimeout", instance="Default") == 30
    assert dm.get("EVSE", "Power", evse=1, attribute="MaxSet") == 22000.0


def test_configuration_value_size(dm):
    small = DeviceModel(TOPOLOGY, {"DeviceDataCtrlr.ConfigurationValueSize": 10})
    (res,) = set_(small, sv("SecurityCtrlr", "OrganizationName", "A much longer name"))
    assert res["attributeStatus"] == "Rejected"
    assert res["attributeStatusInfo"]["reasonCode"] == "TooLargeElement"


def test_reboot_required_override():
    model = DeviceModel(TOPOLOGY, {"OCPPCommCtrlr.NetworkConfigurationPriority": {"rebootRequired": True}})
    (res,) = set_(model, sv("OCPPCommCtrlr", "NetworkConfigurationPriority", "2,1"))
    assert res["attributeStatus"] == "RebootRequired"
    assert model.get("OCPPCommCtrlr", "NetworkConfigurationPriority") == ["2", "1"]


def test_validator_can_reject(dm):  # e.g. A05.FR.02: no CSMS root certificate for slot 2
    def no_slot_2(key, attribute, value):
        if key.variable == "NetworkConfigurationPriority" and "2" in value:
            return "InvalidValue"
        return None

    unsubscribe = dm.add_validator(no_slot_2)
    bad, good = set_(dm, sv("OCPPCommCtrlr", "NetworkConfigurationPriority", "2,1"),
                     sv("OCPPCommCtrlr", "NetworkConfigurationPriority", "3,1"))
    assert bad["attributeStatus"] == "Rejected"
    assert good["attributeStatus"] == "Accepted"
    unsubscribe()
    (again,) = set_(dm, sv("OCPPCommCtrlr", "NetworkConfigurationPriority", "2,1"))
    assert again["attributeStatus"] == "Accepted"


def test_listeners(dm):
    seen: list[Change] = []
    heartbeat: list[Change] = []
    dm.add_listener(seen.append)
    stop = dm.on_change("ocppcommctrlr", "HeartbeatInterval", heartbeat.append)
    set_(
        dm,
        sv("OCPPCommCtrlr", "HeartbeatInterval", "42"),
        sv("OCPPCommCtrlr", "OfflineThreshold", "300"),  # unchanged: no event
        sv("OCPPCommCtrlr", "ResetRetries", "x"),  # rejected: no event
    )
    assert [(c.key.variable, c.old, c.new, c.source) for c in seen] == [("HeartbeatInterval", 300, 42, "csms")]
    assert len(heartbeat) == 1
    dm.set_value("Connector", "AvailabilityState", "Occupied", evse=2, connector=1)
    assert seen[-1].key == VarKey("Connector", "AvailabilityState", evse=2, connector=1)
    assert (seen[-1].old, seen[-1].new, seen[-1].source) == ("Available", "Occupied", "station")
    stop()
    set_(dm, sv("OCPPCommCtrlr", "HeartbeatInterval", "43"))
    assert len(heartbeat) == 1 and len(seen) == 3


def test_listener_runs_after_the_whole_request(dm):
    observed = []
    dm.add_listener(lambda change: observed.append(dm.get("OCPPCommCtrlr", "ResetRetries")))
    set_(dm, sv("OCPPCommCtrlr", "OfflineThreshold", "10"), sv("OCPPCommCtrlr", "ResetRetries", "4"))
    assert observed == [4, 4]


def test_typed_accessors_and_set_value(dm):
    assert dm.get("OCPPCommCtrlr", "UnlockOnEVSideDisconnect") is True
    assert dm.get("EVSE", "Power", evse=1) == 0.0
    assert dm.get("ClockCtrlr", "DateTime") == FIXED_NOW
    dm.set_value("EVSE", "Power", 7360.123456789, evse=1)  # station data keeps full resolution
    assert dm.get("EVSE", "Power", evse=1) == pytest.approx(7360.123456789)
    dm.set_value("SecurityCtrlr", "SecurityProfile", 2)  # ReadOnly for the CSMS, not for the station
    assert dm.get("SecurityCtrlr", "SecurityProfile") == 2
    dm.set_value("TxCtrlr", "TxStartPoint", ["EVConnected", "Authorized"])
    (g,) = get(dm, gv("TxCtrlr", "TxStartPoint"))
    assert g["attributeValue"] == "EVConnected,Authorized"
    with pytest.raises(ValueError):
        dm.set_value("OCPPCommCtrlr", "OfflineThreshold", "soon")
    with pytest.raises(KeyError):
        dm.get("OCPPCommCtrlr", "Nope")
    with pytest.raises(KeyError):
        dm.get("OCPPCommCtrlr", "OfflineThreshold", attribute="MaxSet")


def test_bind_provider(dm):
    count = {"n": 3}
    dm.bind("SecurityCtrlr", "CertificateEntries", lambda: count["n"])
    (g,) = get(dm, gv("SecurityCtrlr", "CertificateEntries"))
    assert g["attributeValue"] == "3"
    count["n"] = 4
    assert dm.get("SecurityCtrlr", "CertificateEntries") == 4


def test_limits_accessors(dm):
    assert dm.items_per_message("GetVariables") == 50
    assert dm.items_per_message("setvariables") == 50
    assert dm.bytes_per_message("GetReport") == 65536
    custom = DeviceModel(TOPOLOGY, {"DeviceDataCtrlr.ItemsPerMessage[GetVariables]": 4})
    assert custom.items_per_message("GetVariables") == 4
    assert custom.items_per_message("SetVariables") == 50


# ---- persistence -----------------------------------------------------------------------------


def test_snapshot_restore_keeps_settings(dm):
    set_(
        dm,
        sv("OCPPCommCtrlr", "HeartbeatInterval", "77"),
        sv("TxCtrlr", "TxStartPoint", "EVConnected,Authorized"),
        sv("SecurityCtrlr", "BasicAuthPassword", "0123456789abcdefXYZ"),
        sv("ClockCtrlr", "NextTimeOffsetTransitionDateTime", "2025-10-26T01:00:00Z"),
    )
    dm.set_value("SecurityCtrlr", "SecurityProfile", 2)
    dm.set_value("EVSE", "AvailabilityState", "Unavailable", evse=1)  # volatile state
    saved = json.loads(json.dumps(dm.snapshot()))  # JSON-serialisable

    rebooted = DeviceModel(TOPOLOGY, clock=lambda: FIXED_NOW)
    rebooted.restore(saved)
    assert rebooted.get("OCPPCommCtrlr", "HeartbeatInterval") == 77
    assert rebooted.get("TxCtrlr", "TxStartPoint") == ["EVConnected", "Authorized"]
    assert rebooted.get("SecurityCtrlr", "BasicAuthPassword") == "0123456789abcdefXYZ"
    assert rebooted.get("SecurityCtrlr", "SecurityProfile") == 2
    assert rebooted.get("ClockCtrlr", "NextTimeOffsetTransitionDateTime") == datetime(2025, 10, 26, 1, tzinfo=timezone.utc)
    assert rebooted.get("EVSE", "AvailabilityState", evse=1) == "Available"
    assert rebooted.report_data("ConfigurationInventory") == dm.report_data("ConfigurationInventory")


def test_restore_skips_unknown_and_invalid_entries(dm):
    saved = dm.snapshot()
    saved["values"]["OCPPCommCtrlr.Gone"] = {"Actual": "1"}
    saved["values"]["not a key"] = {"Actual": "1"}
    saved["values"]["OCPPCommCtrlr.OfflineThreshold"] = {"Actual": "not-a-number"}
    saved["values"]["EVSE@1.AvailabilityState"] = {"Actual": "Faulted"}  # not persistent
    other = DeviceModel(TOPOLOGY)
    other.restore(saved)
    assert other.get("OCPPCommCtrlr", "OfflineThreshold") == 300
    assert other.get("EVSE", "AvailabilityState", evse=1) == "Available"
    with pytest.raises(ValueError):
        other.restore({"format": 99})


# ---- overrides and features ------------------------------------------------------------------


def test_overrides():
    model = DeviceModel(
        [(1, [1, 2])],
        {
            "OCPPCommCtrlr.HeartbeatInterval": 60,
            "EVSE.Power": {"maxLimit": 11000.0, "MaxSet": 11000.0},  # every EVSE
            "Connector@1:2.ConnectorType": "cCCS2",
            VarKey("TxCtrlr", "TxStartPoint"): {"mutability": "ReadOnly"},
            "SecurityCtrlr.BasicAuthPassword": "abcdefghijklmnop",
            "ChargingStation.SupplyPhases": 1,
            "Connector@1.SupplyPhases": 1,  # every connector of EVSE 1
        },
    )
    assert model.get("OCPPCommCtrlr", "HeartbeatInterval") == 60
    assert model.spec("EVSE@1.Power").max_limit == 11000.0
    assert model.get("Connector", "ConnectorType", evse=1, connector=1) == "sType2"
    assert model.get("Connector", "ConnectorType", evse=1, connector=2) == "cCCS2"
    assert model.get("Connector", "SupplyPhases", evse=1, connector=2) == 1
    (res,) = set_(model, sv("TxCtrlr", "TxStartPoint", "EVConnected"))
    assert res["attributeStatus"] == "Rejected"
    assert model.get("SecurityCtrlr", "BasicAuthPassword") == "abcdefghijklmnop"
    with pytest.raises(KeyError):
        DeviceModel(TOPOLOGY, {"OCPPCommCtrlr.Nope": 1})
    with pytest.raises(ValueError):
        DeviceModel(TOPOLOGY, {"OCPPCommCtrlr.HeartbeatInterval": 0})  # below minLimit
    with pytest.raises(ValueError):
        DeviceModel(TOPOLOGY, {"TxCtrlr.TxStartPoint": "Teleport"})
    with pytest.raises(ValueError):
        DeviceModel(TOPOLOGY, {"OCPPCommCtrlr.HeartbeatInterval": {"Banana": 1}})


def test_features():
    assert "AuthCache" not in DEFAULT_FEATURES
    (res,) = get(DeviceModel(TOPOLOGY), gv("AuthCacheCtrlr", "Enabled"))
    assert res["attributeStatus"] == "UnknownComponent"
    with_cache = DeviceModel(TOPOLOGY, features=DEFAULT_FEATURES | {"AuthCache"})
    (res,) = get(with_cache, gv("AuthCacheCtrlr", "Enabled"))
    assert (res["attributeStatus"], res["attributeValue"]) == ("Accepted", "true")
    bare = DeviceModel(TOPOLOGY, features=())
    (res,) = get(bare, gv("ClockCtrlr", "NextTimeOffsetTransitionDateTime"))
    assert res["attributeStatus"] == "UnknownVariable"
    assert "SmartCharging" not in DEFAULT_FEATURES
    (res,) = get(DeviceModel(TOPOLOGY), gv("SmartChargingCtrlr", "RateUnit"))
    assert res["attributeStatus"] == "UnknownComponent"
    smart = DeviceModel(TOPOLOGY, features=DEFAULT_FEATURES | {"SmartCharging"})
    (res,) = get(smart, gv("SmartChargingCtrlr", "RateUnit"))
    assert (res["attributeStatus"], res["attributeValue"]) == ("Accepted", "A,W")
    (res,) = set_(smart, sv("SmartChargingCtrlr", "RateUnit", "A"))
    assert res["attributeStatus"] == "Rejected"  # ReadOnly (P2 §2.9.5)
    assert smart.get("SmartChargingCtrlr", "Entries", instance="ChargingProfiles") == 0
    assert smart.spec("SmartChargingCtrlr.Entries[ChargingProfiles]").max_limit == 20


# ---- generic attribute handling (Target / MinSet / MaxSet) -----------------------------------

FAN = VariableSpec(  # the fan example of Part 1 §4.3
    "Fan", "Speed", "integer",
    {
        "Actual": AttributeSpec("ReadOnly", 0),
        "Target": AttributeSpec("ReadWrite", None),
        "MinSet": AttributeSpec("ReadOnly", 200),
        "MaxSet": AttributeSpec("ReadOnly", 500),
    },
    min_limit=0, max_limit=1000, ref="P1 §4.3 example", tier="evse",
)


def test_target_min_max_set():
    model = DeviceModel([(1, [1])], table=[FAN])
    (unset,) = get(model, gv("Fan", "Speed", "Target", evse=1))
    assert (unset["attributeStatus"], unset["attributeValue"]) == ("Accepted", "")  # B06.FR.13
    low, high, ok = set_(model, sv("Fan", "Speed", "100", "Target", evse=1),
                         sv("Fan", "Speed", "600", "Target", evse=1),
                         sv("Fan", "Speed", "450", "Target", evse=1))
    assert low["attributeStatus"] == high["attributeStatus"] == "Rejected"
    assert low["attributeStatusInfo"]["reasonCode"] == "ValueOutOfRange"
    assert ok["attributeStatus"] == "Accepted"
    assert model.get("Fan", "Speed", evse=1, attribute="Target") == 450
    model.set_value("Fan", "Speed", 502, evse=1)  # measured Actual may leave the range (P1 §4.3)
    assert model.get("Fan", "Speed", evse=1) == 502
    # B07.FR.11: all supported attribute types are reported, also when unset
    fresh = DeviceModel([(1, [1])], table=[FAN])
    (entry,) = notify_report(fresh.report_data("FullInventory"))["reportData"]
    assert [a["type"] for a in entry["variableAttribute"]] == ["Actual", "Target", "MinSet", "MaxSet"]
    assert entry["variableAttribute"][1]["value"] == ""
    (conf,) = fresh.report_data("ConfigurationInventory")
    assert [a["type"] for a in conf["variableAttribute"]] == ["Target"]


# ---- B07 report data -------------------------------------------------------------------------


def test_full_inventory_shape(dm):
    data = dm.report_data("FullInventory")
    notify_report(data)
    assert data == dm.report_data("FullInventory")  # deterministic
    for entry in data:
        chars = entry["variableCharacteristics"]
        attrs = entry["variableAttribute"]
        if chars["dataType"] in ("OptionList", "SequenceList", "MemberList"):  # TC_B_53_CS
            allowed = chars["valuesList"].split(",")
            assert allowed
            for attr in attrs:
                if attr.get("value"):
                    members = attr["value"].split(",")
                    assert all(m in allowed for m in members), entry
                    if chars["dataType"] == "OptionList":
                        assert len(members) == 1
        for attr in attrs:
            assert ("value" in attr) == (attr["mutability"] != "WriteOnly"), entry
            if attr["mutability"] != "ReadOnly":
                assert attr["persistent"] is True  # P2: writable variables are persistent
    power = [e for e in data if e["variable"]["name"] == "Power"]
    assert [e["component"]["evse"]["id"] for e in power] == [1, 2]
    assert power[0]["variableCharacteristics"]["maxLimit"] == 22000.0
    assert [a["type"] for a in power[0]["variableAttribute"]] == ["Actual", "MaxSet"]
    # physical tiers come after the controllers: ChargingStation, EVSE 1, its connector, EVSE 2 ...
    tiers = [(e["component"]["name"], e["component"].get("evse", {}).get("id"),
              e["component"].get("evse", {}).get("connectorId")) for e in data]
    first_physical = next(i for i, t in enumerate(tiers) if t[0] == "ChargingStation")
    assert all(t[0].endswith("Ctrlr") for t in tiers[:first_physical])
    physical = list(dict.fromkeys(tiers[first_physical:]))
    assert physical == [("ChargingStation", None, None), ("EVSE", 1, None), ("Connector", 1, 1),
                        ("ConnectorPlugRetentionLock", 1, 1), ("EVSE", 2, None), ("Connector", 2, 1),
                        ("ConnectorPlugRetentionLock", 2, 1), ("Connector", 2, 2),
                        ("ConnectorPlugRetentionLock", 2, 2)]


def test_configuration_inventory_only_settable(dm):  # B07.FR.07, TC_B_12_CS
    data = dm.report_data("ConfigurationInventory")
    notify_report(data)
    for entry in data:
        assert "variableCharacteristics" in entry
        for attr in entry["variableAttribute"]:
            assert attr["mutability"] in ("ReadWrite", "WriteOnly")
    names = {(e["component"]["name"], e["variable"]["name"], e["variable"].get("instance")) for e in data}
    assert ("OCPPCommCtrlr", "OfflineThreshold", None) in names
    assert ("OCPPCommCtrlr", "MessageAttemptInterval", "TransactionEvent") in names
    assert ("SecurityCtrlr", "BasicAuthPassword", None) in names
    assert ("OCPPCommCtrlr", "MessageTimeout", "Default") not in names
    assert not any(n[0] in ("EVSE", "Connector", "ChargingStation") for n in names)
    full_rw = [
        e for e in dm.report_data("FullInventory")
        if any(a["mutability"] != "ReadOnly" for a in e["variableAttribute"])
    ]
    assert len(full_rw) == len(data)


def test_summary_inventory(dm):  # B07.FR.09
    dm.set_value("EVSE", "AvailabilityState", "Occupied", evse=2)
    data = dm.report_data("SummaryInventory")
    notify_report(data)
    assert {e["variable"]["name"] for e in data} == {"AvailabilityState"}
    assert len(data) == 1 + 2 + 3
    evse2 = next(e for e in data if e["component"] == {"name": "EVSE", "evse": {"id": 2}})
    assert evse2["variableAttribute"][0]["value"] == "Occupied"


def test_report_base_must_be_known(dm):
    with pytest.raises(ValueError):
        dm.report_data("CustomInventory")


def test_report_reflects_set_values(dm):
    set_(dm, sv("OCPPCommCtrlr", "OfflineThreshold", "99"))
    entry = next(e for e in dm.report_data("FullInventory") if e["variable"]["name"] == "OfflineThreshold")
    assert entry["variableAttribute"][0]["value"] == "99"
    assert entry["variableCharacteristics"] == {"dataType": "integer", "unit": "s", "minLimit": 0,
                                                "supportsMonitoring": False}
