"""Tests of the reference station's report generation (B07 base reports, B08 custom reports, paging)."""

from __future__ import annotations

import pytest

from conformance.protocol.schemas import get_registry
from conformance.device_model.model import DeviceModel
from conformance.device_model.reports import (
    SUPPORTED_CRITERIA,
    base_report,
    custom_report,
    notify_report_payloads,
    paginate,
)

TOPOLOGY = [(1, [1]), (2, [1, 2])]


@pytest.fixture
def model() -> DeviceModel:
    return DeviceModel(TOPOLOGY, features={"TimeOffset", "SmartCharging"})


def _names(entries) -> set[str]:
    out = set()
    for e in entries:
        c, v = e["component"], e["variable"]
        evse = c.get("evse")
        where = f"@{evse['id']}" + (f":{evse['connectorId']}" if "connectorId" in evse else "") if evse else ""
        out.add(f"{c['name']}{where}.{v['name']}" + (f"[{v['instance']}]" if v.get("instance") else ""))
    return out


# ---- base reports -------------------------------------------------------------------------------


def test_configuration_inventory_has_only_settable_attributes(model: DeviceModel) -> None:
    entries = base_report(model, "ConfigurationInventory")
    assert entries
    assert all(a["mutability"] in ("ReadWrite", "WriteOnly") for e in entries for a in e["variableAttribute"])
    names = _names(entries)
    assert "OCPPCommCtrlr.OfflineThreshold" in names
    assert "OCPPCommCtrlr.MessageTimeout[Default]" not in names  # ReadOnly


def test_full_inventory_has_characteristics_and_hides_write_only_values(model: DeviceModel) -> None:
    entries = base_report(model, "FullInventory")
    assert all("variableCharacteristics" in e for e in entries)
    password = next(e for e in entries if e["variable"]["name"] == "BasicAuthPassword")
    assert all("value" not in a for a in password["variableAttribute"])
    names = _names(entries)
    assert {"EVSE@1.AvailabilityState", "EVSE@2.AvailabilityState", "Connector@2:2.ConnectorType"} <= names


def test_summary_inventory_is_the_availability_of_station_evses_and_connectors(model: DeviceModel) -> None:
    names = _names(base_report(model, "SummaryInventory"))
    assert names == {"ChargingStation.AvailabilityState", "EVSE@1.AvailabilityState", "EVSE@2.AvailabilityState",
                     "Connector@1:1.AvailabilityState", "Connector@2:1.AvailabilityState",
                     "Connector@2:2.AvailabilityState"}


def test_unknown_report_base_is_refused(model: DeviceModel) -> None:
    with pytest.raises(ValueError):
        base_report(model, "Everything")


# ---- custom reports ------------------------------------------------------------------------------


def test_component_variable_with_evse(model: DeviceModel) -> None:
    report = custom_report(model, component_variables=[
        {"component": {"name": "EVSE", "evse": {"id": 1}}, "variable": {"name": "AvailabilityState"}}])
    assert report.status == "Accepted"
    assert _names(report.entries) == {"EVSE@1.AvailabilityState"}


def test_component_variable_without_evse_reports_every_evse(model: DeviceModel) -> None:  # B08.FR.23
    report = custom_report(model, component_variables=[
        {"component": {"name": "evse"}, "variable": {"name": "AvailabilityState"}}])
    assert _names(report.entries) == {"EVSE@1.AvailabilityState", "EVSE@2.AvailabilityState"}


def test_evse_without_connector_reports_every_connector(model: DeviceModel) -> None:  # B08.FR.22
    report = custom_report(model, component_variables=[
        {"component": {"name": "Connector", "evse": {"id": 2}}, "variable": {"name": "ConnectorType"}}])
    assert _names(report.entries) == {"Connector@2:1.ConnectorType", "Connector@2:2.ConnectorType"}


def test_variable_without_instance_reports_every_instance(model: DeviceModel) -> None:  # B08.FR.21
    report = custom_report(model, component_variables=[
        {"component": {"name": "DeviceDataCtrlr"}, "variable": {"name": "ItemsPerMessage"}}])
    assert _names(report.entries) == {"DeviceDataCtrlr.ItemsPerMessage[GetReport]",
                                      "DeviceDataCtrlr.ItemsPerMessage[GetVariables]",
                                      "DeviceDataCtrlr.ItemsPerMessage[SetVariables]"}


def test_variable_with_instance_reports_that_instance(model: DeviceModel) -> None:
    report = custom_report(model, component_variables=[
        {"component": {"name": "DeviceDataCtrlr"}, "variable": {"name": "ItemsPerMessage", "instance": "GetReport"}}])
    assert _names(report.entries) == {"DeviceDataCtrlr.ItemsPerMessage[GetReport]"}


def test_component_without_variable_reports_every_variable(model: DeviceModel) -> None:  # B08.FR.20
    report = custom_report(model, component_variables=[{"component": {"name": "TxCtrlr"}}])
    assert {e["component"]["name"] for e in report.entries} == {"TxCtrlr"}
    assert len(report.entries) == len([k for k in model.keys() if k.component == "TxCtrlr"])


def test_unknown_component_is_an_empty_result_set(model: DeviceModel) -> None:  # B08.FR.15
    report = custom_report(model, component_variables=[{"component": {"name": "NoSuchCtrlr"}}])
    assert report.status == "EmptyResultSet"
    assert report.response() == {"status": "EmptyResultSet", "statusInfo": {"reasonCode": "NotFound"}}


def test_criteria_enabled_reports_components_with_enabled_true_or_without_it(model: DeviceModel) -> None:
    report = custom_report(model, component_criteria=["Enabled"])
    components = {e["component"]["name"] for e in report.entries}
    assert "AuthCtrlr" in components and "OCPPCommCtrlr" in components  # Enabled true / no Enabled variable
    model.set_value("AuthCtrlr", "Enabled", False)
    report = custom_report(model, component_criteria=["Enabled"])
    assert "AuthCtrlr" not in {e["component"]["name"] for e in report.entries}  # B08.FR.09


def test_criteria_problem_with_component_variable_is_empty(model: DeviceModel) -> None:  # B08.FR.05, B08.FR.15
    cv = [{"component": {"name": "EVSE", "evse": {"id": 1}}, "variable": {"name": "AvailabilityState"}}]
    assert custom_report(model, component_criteria=["Problem"], component_variables=cv).status == "EmptyResultSet"
    available = custom_report(model, component_criteria=["Available"], component_variables=cv)
    assert available.status == "Accepted" and _names(available.entries) == {"EVSE@1.AvailabilityState"}


def test_criteria_are_ored(model: DeviceModel) -> None:  # B08.FR.13
    cv = [{"component": {"name": "EVSE", "evse": {"id": 1}}, "variable": {"name": "AvailabilityState"}}]
    assert custom_report(model, component_criteria=["Problem", "Available"], component_variables=cv).status == \
        "Accepted"


def test_unsupported_criterion_is_not_supported(model: DeviceModel) -> None:  # B08.FR.02
    assert "Active" not in SUPPORTED_CRITERIA
    report = custom_report(model, component_criteria=["Available", "Active"])
    assert report.status == "NotSupported" and report.entries == ()
    assert custom_report(model, component_criteria=["Active"], supported_criteria=("Active",)).status == "Accepted"


# ---- paging -------------------------------------------------------------------------------------


def test_paginate_by_items_and_bytes() -> None:
    entries = [{"n": i} for i in range(7)]
    assert [len(p) for p in paginate(entries, max_items=3)] == [3, 3, 1]
    assert [len(p) for p in paginate(entries, max_items=10, max_bytes=21)] == [3, 3, 1]  # {"n":0} is 7 bytes
    assert paginate([], max_items=3) == [[]]
    with pytest.raises(ValueError):
        paginate(entries, max_items=0)


def test_notify_report_payloads_number_parts_and_mark_all_but_the_last(model: DeviceModel) -> None:
    entries = base_report(model, "FullInventory")
    payloads = notify_report_payloads(42, entries, "2025-01-02T03:04:05Z", max_items=10)
    assert [p["seqNo"] for p in payloads] == list(range(len(payloads)))
    assert len(payloads) > 1
    assert all(p["tbc"] is True for p in payloads[:-1]) and "tbc" not in payloads[-1]
    assert {p["requestId"] for p in payloads} == {42}
    assert [e for p in payloads for e in p["reportData"]] == entries
    registry = get_registry()
    for payload in payloads:
        assert not registry.validate("NotifyReport", "request", payload)


def test_empty_report_is_one_part_without_report_data() -> None:
    assert notify_report_payloads(1, [], "2025-01-02T03:04:05Z") == [
        {"requestId": 1, "generatedAt": "2025-01-02T03:04:05Z", "seqNo": 0}]
