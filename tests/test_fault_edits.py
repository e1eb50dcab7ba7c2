"""Payload faults as data (conformance/faults/edits.py): the edit language, the fault table's use of it, and the one
hook where a reference SUT applies it (Connection.edit_outgoing for what it sends, FaultSet.edit for what it reads)."""

from __future__ import annotations

import ast
import inspect

import pytest

from conformance import faults as faults_package
from conformance.faults import (BLOCKS, FAULTS, Apply, Drop, FaultSet, PayloadEdit, Remove, Rename, Set, Truncate)
from conformance.faults.edits import apply_edits

RESULTS = {"getVariableResult": [
    {"attributeStatus": "Accepted", "attributeType": "Actual", "attributeValue": "1",
     "component": {"name": "A"}, "variable": {"name": "X"}},
    {"attributeStatus": "UnknownVariable", "attributeType": "Target", "component": {"name": "B"},
     "variable": {"name": "Y"}}]}


def test_drop_set_rename_remove_truncate_apply() -> None:
    def edited(*operations) -> dict:
        return apply_edits([PayloadEdit("GetVariablesResponse", *operations)], "GetVariablesResponse", RESULTS)

    assert [r.get("attributeType") for r in edited(Drop("getVariableResult.*.attributeType"))["getVariableResult"]] \
        == [None, None]
    values = edited(Set("getVariableResult.*.attributeValue", "", when=lambda r: r["attributeStatus"] != "Accepted"))
    assert [r.get("attributeValue") for r in values["getVariableResult"]] == ["1", ""]
    renamed = edited(Rename("getVariableResult.*.attributeType", "type"))["getVariableResult"][0]
    assert "attributeType" not in renamed and renamed["type"] == "Actual"
    assert len(edited(Truncate("getVariableResult", 1))["getVariableResult"]) == 1
    kept = edited(Remove("getVariableResult", when=lambda r: r["component"]["name"] == "A"))["getVariableResult"]
    assert [r["component"]["name"] for r in kept] == ["B"]
    upper = edited(Apply("getVariableResult.*.component.name", str.lower))["getVariableResult"]
    assert [r["component"]["name"] for r in upper] == ["a", "b"]
    # missing fields and paths are left alone
    assert edited(Drop("nothing.*.here"), Apply("getVariableResult.*.missing", str.lower)) == RESULTS


def test_edits_apply_to_their_message_only_and_never_change_the_input() -> None:
    edit = PayloadEdit("GetVariablesResponse", Drop("getVariableResult.*.attributeType"))
    assert apply_edits([edit], "SetVariablesResponse", RESULTS) is RESULTS
    before = repr(RESULTS)
    assert apply_edits([edit], "GetVariablesResponse", RESULTS) is not RESULTS
    assert repr(RESULTS) == before


def test_fault_set_edits_only_with_its_faults_switched_on() -> None:
    payload = {"reason": "PowerUp", "chargingStation": {"model": "M", "vendorName": "V"}}
    assert FaultSet(sut="station").edit("BootNotificationRequest", payload) is payload
    assert FaultSet(["boot_without_reason"], sut="station").edit("BootNotificationRequest", payload) == {
        "chargingStation": {"model": "M", "vendorName": "V"}}
    # a fault of the other SUT is not switched on here
    assert FaultSet(["boot_without_reason"], sut="csms").edit("BootNotificationRequest", payload) is payload


def test_every_edit_names_a_message_of_ocpp() -> None:
    from conformance.protocol.schemas import get_registry
    registry = get_registry()
    for fault in FAULTS.values():
        for edit in fault.edits:
            action, _, kind = edit.message.rpartition("Request") if edit.message.endswith("Request") else \
                edit.message.rpartition("Response")
            assert registry.is_known(action), (fault.name, edit.message)


def test_the_table_is_split_by_block_and_indexed_once() -> None:
    assert sum(len(block.FAULTS) for block in BLOCKS) == len(FAULTS)
    for block in BLOCKS:
        letter = block.__name__.rsplit(".", 1)[-1].upper()
        if letter == "TRANSACTIONS":
            continue  # the transaction invariants are generic: their faults fail cases of any block
        for fault in block.FAULTS:
            assert fault.fails[0].split("_")[1] == letter, (fault.name, block.__name__)


def test_the_fault_package_is_data_only() -> None:
    import pkgutil
    for info in pkgutil.iter_modules(faults_package.__path__):
        module = __import__(f"conformance.faults.{info.name}", fromlist=["_"])
        tree = ast.parse(inspect.getsource(module))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                assert node.level == 1 or node.module in ("__future__", "dataclasses", "typing", "copy"), \
                    (info.name, node.module)
            elif isinstance(node, ast.Import):
                assert all(a.name in ("copy",) for a in node.names), info.name


@pytest.mark.asyncio
async def test_a_reference_sut_applies_edits_where_it_sends_and_reads() -> None:
    """End to end: the edited BootNotificationRequest goes out (a deliberate schema violation, no harness error),
    the edited GetVariablesResponse is answered, and the station reads the edited GetReportRequest."""
    from test_reference_suts import connection, pair
    async with pair() as (csms, station):
        station.faults = FaultSet(["get_variables_omits_attribute_type", "custom_report_ignores_evse"], sut="station")
        conn = await connection(csms)
        await station.booted.wait()
        response = await csms.send("CS001", "GetVariables", {"getVariableData": [
            {"component": {"name": "OCPPCommCtrlr"}, "variable": {"name": "OfflineThreshold"}}]})
        assert response.payload["getVariableResult"][0]["attributeStatus"] == "Accepted"
        assert "attributeType" not in response.payload["getVariableResult"][0]
        mark = conn.mark()
        answer = await csms.send("CS001", "GetReport", {"requestId": 5, "componentVariable": [
            {"component": {"name": "EVSE", "evse": {"id": 1}}, "variable": {"name": "AvailabilityState"}}]})
        assert answer.payload["status"] == "Accepted"
        report = await conn.expect_call("NotifyReport", since=mark, timeout=5)
        assert {e["component"].get("evse", {}).get("id") for e in report.payload["reportData"]} == {1, 2}


@pytest.mark.asyncio
async def test_the_reference_csms_applies_edits_to_the_requests_it_sends() -> None:
    import asyncio

    from conformance.reference.csms import ReferenceCsms
    from conformance.reference.station import ReferenceStation
    password = "reference-password-01"
    csms = ReferenceCsms(passwords={"CS001": password}, faults=FaultSet(["csms_reset_drops_evse"], sut="csms"),
                         message_timeout=5)
    await csms.start()
    station = ReferenceStation(csms_url=csms.url, identity="CS001", password=password, evses=[(1, [1]), (2, [1])],
                               message_timeout=5)
    await station.start()
    try:
        async with asyncio.timeout(5):
            await station.booted.wait()
        response = await csms.send("CS001", "Reset", {"type": "OnIdle", "evseId": 1})
        assert response.call.payload == {"type": "OnIdle"}  # the operator's evseId is gone on the way out
        assert response.ok
    finally:
        await station.stop()
        await csms.stop()
