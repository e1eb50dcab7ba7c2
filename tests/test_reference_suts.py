"""The reference Charging Station and the reference CSMS, against each other.

Two independent implementations on the same core that must interoperate: boot (Accepted,
Pending, Rejected), heartbeats, status notifications, Get/SetVariables with persistence
across a reboot, one complete transaction, remote reset, DataTransfer both ways, charging
profiles that survive a reset.
"""

from __future__ import annotations

import contextlib
import time
from typing import AsyncIterator

import pytest

from conformance.actions.port import ActionFailed
from conformance.reference.csms import ReferenceCsms
from conformance.faults import FaultSet
from conformance.reference.station import ReferenceStation
from conformance.transport.connection import Connection

TIMEOUT = 5.0
VALID, BLOCKED = "VALID-TOKEN-1", "BLOCKED-TOKEN-1"


@contextlib.asynccontextmanager
async def pair(*, boot_status: str = "Accepted", heartbeat: int = 1, retry: int = 1,
               evses: list[tuple[int, list[int]]] | None = None) -> AsyncIterator[tuple[ReferenceCsms, ReferenceStation]]:
    csms = ReferenceCsms(passwords={"CS001": "reference-password-01"}, tokens={VALID: "Accepted", BLOCKED: "Blocked"},
                         heartbeat_interval=heartbeat, boot_retry_interval=retry, message_timeout=TIMEOUT)
    await csms.start()
    csms.stations["CS001"].boot_status = boot_status
    station = ReferenceStation(csms_url=csms.url, identity="CS001", password="reference-password-01",
                               evses=evses or [(1, [1]), (2, [1])], message_timeout=TIMEOUT)
    await station.start()
    try:
        yield csms, station
    finally:
        await station.stop()
        await csms.stop()


async def connection(csms: ReferenceCsms, after: int = 0) -> Connection:
    return await csms.server.wait_for_connection("CS001", timeout=TIMEOUT, after=after)


async def test_boot_accepted_then_connectors_and_heartbeats() -> None:
    async with pair() as (csms, station):
        conn = await connection(csms)
        boot = await conn.expect_call("BootNotification")
        assert boot.payload["reason"] == "PowerUp"
        assert boot.response["status"] == "Accepted"
        event = await conn.expect_call("SecurityEventNotification")
        assert event.payload["type"] == "StartupOfTheDevice"
        for evse in (1, 2):
            await conn.expect_call("StatusNotification", evseId=evse, connectorId=1, connectorStatus="Available")
        first = await conn.expect_call("Heartbeat", timeout=TIMEOUT)
        second = await conn.expect_call("Heartbeat", timeout=TIMEOUT)
        interval = second.received_mono - first.received_mono
        assert 0.5 <= interval <= 2.0  # the interval the CSMS gave: 1 s
        assert station.heartbeat_interval == 1
        assert csms.stations["CS001"].statuses == {(1, 1): "Available", (2, 1): "Available"}


async def test_pending_boot_is_retried_after_the_interval_then_accepted() -> None:
    async with pair(boot_status="Pending", retry=1) as (csms, station):
        conn = await connection(csms)
        first = await conn.expect_call("BootNotification")
        assert first.response["status"] == "Pending"
        # while pending, the CSMS may query the station
        response = await csms.send("CS001", "GetVariables", {"getVariableData": [
            {"component": {"name": "OCPPCommCtrlr"}, "variable": {"name": "OfflineThreshold"}}]})
        assert response.payload["getVariableResult"][0]["attributeStatus"] == "Accepted"
        second = await conn.expect_call("BootNotification")
        assert second.response["status"] == "Accepted"
        assert second.received_mono - first.received_mono >= 1.0 - 0.1
        assert [c.action for c in conn.mailbox[:2]] == ["BootNotification", "BootNotification"]


async def test_rejected_station_sends_nothing_but_boot_retries() -> None:
    async with pair(boot_status="Rejected", retry=1) as (csms, station):
        conn = await connection(csms)
        first = await conn.expect_call("BootNotification")
        second = await conn.expect_call("BootNotification")
        assert first.response["status"] == second.response["status"] == "Rejected"
        assert second.received_mono - first.received_mono >= 1.0 - 0.1
        assert {c.action for c in conn.mailbox} == {"BootNotification"}
        with pytest.raises(ActionFailed):
            await station.perform_action("plug_in", {"evse": 1, "connector": 1})


async def test_one_complete_transaction() -> None:
    async with pair(heartbeat=300) as (csms, station):
        conn = await connection(csms)
        await conn.expect_call("StatusNotification", evseId=2, connectorId=1)
        await station.booted.wait()
        await station.perform_action("plug_in", {"evse": 1, "connector": 1})
        await conn.expect_call("StatusNotification", evseId=1, connectorId=1, connectorStatus="Occupied")
        result = await station.perform_action("present_id_token", {"evse": 1, "connector": 1, "id_token": VALID,
                                                                   "type": "ISO14443"})
        assert result["authorized"] is True
        tx_id = result["transaction"]
        authorize = await conn.expect_call("Authorize")
        assert authorize.response == {"idTokenInfo": {"status": "Accepted"}}
        started = await conn.expect_call("TransactionEvent", eventType="Started")
        assert started.payload["seqNo"] == 0
        assert started.payload["evse"] == {"id": 1, "connectorId": 1}
        assert started.payload["idToken"] == {"idToken": VALID, "type": "ISO14443"}
        assert started.payload["transactionInfo"]["transactionId"] == tx_id
        updated = await conn.expect_call("TransactionEvent", eventType="Updated")
        assert updated.payload["transactionInfo"]["chargingState"] == "Charging"
        await station.perform_action("unplug", {"evse": 1, "connector": 1})
        ended = await conn.expect_call("TransactionEvent", eventType="Ended")
        assert ended.payload["transactionInfo"]["stoppedReason"] == "EVDisconnected"
        assert [e["seqNo"] for e in csms.stations["CS001"].transactions[tx_id]] == [0, 1, 2]
        await conn.expect_call("StatusNotification", evseId=1, connectorId=1, connectorStatus="Available")
        assert not station.transactions


async def test_blocked_token_starts_no_transaction() -> None:
    async with pair(heartbeat=300) as (csms, station):
        conn = await connection(csms)
        await station.booted.wait()
        await station.perform_action("plug_in", {"evse": 1, "connector": 1})
        result = await station.perform_action("present_id_token", {"evse": 1, "id_token": BLOCKED})
        assert result == {"authorized": False, "status": "Blocked"}
        assert not station.transactions
        await conn.expect_no_call("TransactionEvent", within=0.2)


async def test_settings_persist_across_a_remote_reset() -> None:
    async with pair(heartbeat=300) as (csms, station):
        await connection(csms)
        await station.booted.wait()
        variable = {"component": {"name": "OCPPCommCtrlr"}, "variable": {"name": "OfflineThreshold"}}
        response = await csms.send("CS001", "SetVariables", {"setVariableData": [dict(variable, attributeValue="777")]})
        assert response.payload["setVariableResult"][0]["attributeStatus"] == "Accepted"
        before = csms.server.connection_count("CS001")
        response = await csms.send("CS001", "Reset", {"type": "Immediate"})
        assert response.payload["status"] == "Accepted"
        conn = await connection(csms, after=before)
        boot = await conn.expect_call("BootNotification")
        assert boot.payload["reason"] == "RemoteReset"
        await station.booted.wait()
        got = await csms.send("CS001", "GetVariables", {"getVariableData": [variable]})
        assert got.payload["getVariableResult"][0]["attributeValue"] == "777"


async def test_csms_refuses_other_messages_before_the_boot_is_accepted() -> None:
    csms = ReferenceCsms(passwords={"CS001": None}, security_profile=0, message_timeout=TIMEOUT)
    await csms.start()
    try:
        from conformance.transport.client import open_station_connection
        conn = await open_station_connection(csms.url, "CS001", password=None, log=None, message_timeout=TIMEOUT,
                                             connect_timeout=TIMEOUT)
        response = await conn.call("Heartbeat", {})
        assert response.error_code == "SecurityError"  # B01.FR.10 (errata wording)
        boot = await conn.call("BootNotification", {"reason": "PowerUp",
                                                    "chargingStation": {"model": "m", "vendorName": "v"}})
        assert boot.payload["status"] == "Accepted"
        assert (await conn.call("Heartbeat", {})).ok
        await conn.close()
    finally:
        await csms.stop()


async def test_csms_send_action_returns_at_once_and_the_answer_is_recorded() -> None:
    async with pair(heartbeat=300) as (csms, station):
        await connection(csms)
        await station.booted.wait()
        started = time.monotonic()
        result = await csms.perform_action("csms_send", {"station": "CS001", "request": "GetVariables", "payload": {
            "getVariableData": [{"component": {"name": "OCPPCommCtrlr"}, "variable": {"name": "OfflineThreshold"}}]}})
        assert result == {"sent": "GetVariables"}
        assert time.monotonic() - started < 1
        with pytest.raises(ActionFailed, match="not connected"):
            await csms.perform_action("csms_send", {"station": "NOPE", "request": "Reset", "payload": {"type": "OnIdle"}})
        with pytest.raises(ActionFailed, match="cannot send"):
            await csms.perform_action("csms_send", {"station": "CS001", "request": "Reset", "payload": {}})


def test_faults_belong_to_one_sut_and_unknown_names_are_refused() -> None:
    assert "boot_skips_connector_status" in FaultSet(["boot_skips_connector_status"], sut="station")
    assert not FaultSet(["boot_skips_connector_status"], sut="csms")
    with pytest.raises(ValueError, match="unknown fault"):
        FaultSet(["nope"], sut="station")


async def test_data_transfer_both_ways_with_the_reference_vendor_extension() -> None:
    async with pair(heartbeat=300) as (csms, station):
        await connection(csms)
        await station.booted.wait()
        cases = [({"vendorId": "com.example.other", "messageId": "Echo"}, {"status": "UnknownVendorId"}),
                 ({"vendorId": "org.openconformance", "messageId": "Nope"}, {"status": "UnknownMessageId"}),
                 ({"vendorId": "org.openconformance", "messageId": "Echo", "data": {"n": [1, 2]}},
                  {"status": "Accepted", "data": {"n": [1, 2]}})]
        for request, answer in cases:  # P01 (CSMS -> station), then P02 (station -> CSMS)
            assert (await csms.send("CS001", "DataTransfer", request)).payload == answer
            assert station.connection is not None
            assert (await station.connection.call("DataTransfer", request)).payload == answer
        missing = await csms.send("CS001", "DataTransfer", {"vendorId": "org.openconformance"})
        assert missing.payload["status"] == "Rejected"


async def test_charging_profiles_persist_across_a_reset_and_are_counted() -> None:
    entries = {"component": {"name": "SmartChargingCtrlr"},
               "variable": {"name": "Entries", "instance": "ChargingProfiles"}}
    profile = {"id": 5, "stackLevel": 0, "chargingProfilePurpose": "TxDefaultProfile",
               "chargingProfileKind": "Relative", "customData": {"vendorId": "org.example", "x": 1},
               "chargingSchedule": [{"id": 1, "chargingRateUnit": "A", "chargingSchedulePeriod": [
                   {"startPeriod": 0, "limit": 6, "numberPhases": 3, "customData": {"vendorId": "org.example"}}]}]}
    async with pair(heartbeat=300) as (csms, station):
        await connection(csms)
        await station.booted.wait()
        assert (await csms.send("CS001", "SetChargingProfile", {"evseId": 1, "chargingProfile": profile})).payload \
            == {"status": "Accepted"}
        tx = dict(profile, id=6, chargingProfilePurpose="TxProfile", transactionId="none")
        rejected = await csms.send("CS001", "SetChargingProfile", {"evseId": 1, "chargingProfile": tx})
        assert rejected.payload["status"] == "Rejected"  # K01.FR.09: no transaction on EVSE 1
        before = csms.server.connection_count("CS001")
        assert (await csms.send("CS001", "Reset", {"type": "Immediate"})).payload["status"] == "Accepted"
        await connection(csms, after=before)
        await station.booted.wait()
        got = await csms.send("CS001", "GetVariables", {"getVariableData": [entries]})
        assert got.payload["getVariableResult"][0]["attributeValue"] == "1"  # K01.FR.27
        cleared = await csms.send("CS001", "ClearChargingProfile", {"chargingProfileId": 5})
        assert cleared.payload == {"status": "Accepted"}
        got = await csms.send("CS001", "GetVariables", {"getVariableData": [entries]})
        assert got.payload["getVariableResult"][0]["attributeValue"] == "0"
        again = await csms.send("CS001", "ClearChargingProfile", {"chargingProfileId": 5})
        assert again.payload == {"status": "Unknown"}


async def test_change_availability_now_when_idle_scheduled_during_a_transaction_and_persistent() -> None:
    async with pair(heartbeat=300) as (csms, station):
        conn = await connection(csms)
        await conn.expect_call("StatusNotification", evseId=2, connectorId=1)
        await station.booted.wait()
        # idle EVSE 2: Accepted at once, its connector reported Unavailable; asking again is Accepted too
        response = await csms.send("CS001", "ChangeAvailability", {"operationalStatus": "Inoperative",
                                                                   "evse": {"id": 2}})
        assert response.payload == {"status": "Accepted"}
        await conn.expect_call("StatusNotification", evseId=2, connectorId=1, connectorStatus="Unavailable")
        again = await csms.send("CS001", "ChangeAvailability", {"operationalStatus": "Inoperative",
                                                                "evse": {"id": 2}})
        assert again.payload == {"status": "Accepted"}
        unknown = await csms.send("CS001", "ChangeAvailability", {"operationalStatus": "Inoperative",
                                                                  "evse": {"id": 9}})
        assert unknown.payload["status"] == "Rejected"
        # EVSE 1 charging: the station-wide change is Scheduled and happens when the transaction ends
        await station.perform_action("plug_in", {"evse": 1, "connector": 1})
        await station.perform_action("present_id_token", {"evse": 1, "connector": 1, "id_token": VALID})
        scheduled = await csms.send("CS001", "ChangeAvailability", {"operationalStatus": "Inoperative"})
        assert scheduled.payload == {"status": "Scheduled"}
        assert station.connector_status(1, 1) == "Occupied"
        await station.perform_action("unplug", {"evse": 1, "connector": 1})
        await conn.expect_call("TransactionEvent", eventType="Ended")
        await conn.expect_call("StatusNotification", evseId=1, connectorId=1, connectorStatus="Unavailable")
        # Inoperative survives a reboot (G03.FR.08, G04.FR.09)
        before = csms.server.connection_count("CS001")
        await station.perform_action("reboot", {})
        conn = await connection(csms, after=before)
        for evse in (1, 2):
            await conn.expect_call("StatusNotification", evseId=evse, connectorId=1, connectorStatus="Unavailable")
        back = await csms.send("CS001", "ChangeAvailability", {"operationalStatus": "Operative"})
        assert back.payload == {"status": "Accepted"}
        await conn.expect_call("StatusNotification", evseId=1, connectorId=1, connectorStatus="Available")
        assert station.connector_status(2, 1) == "Unavailable"  # EVSE 2 was set Inoperative on its own



def test_no_state_is_shared_between_stations() -> None:
    """No mutable class attribute (a set every instance would share, as report tasks once were)."""
    station = ReferenceStation(csms_url="ws://127.0.0.1:1/ocpp", identity="CS001", password=None, evses=[(1, [1])])
    classes = {klass for owner in (station, *station.components) for klass in type(owner).__mro__}
    shared = {f"{klass.__name__}.{name}" for klass in classes
              for name, value in vars(klass).items()
              if not name.startswith("__") and isinstance(value, (set, dict, list))}
    assert not shared


def test_station_areas_register_their_handlers_once_and_share_no_private_state() -> None:
    """Issue 11 item 6: each area registers its handlers (a CSMS request is one area's) and reaches the others
    through the references it was given, never through another object's private attributes."""
    import ast
    import inspect

    from conformance.catalog import actions_handled_by
    from conformance.reference.station import component as component_module
    from conformance.roles import Role

    station = ReferenceStation(csms_url="ws://127.0.0.1:1/ocpp", identity="CS001", password=None,
                               evses=[(1, [1]), (2, [1])])
    handled = {action for area in station.components for action in area.handlers()}
    assert sum(len(area.handlers()) for area in station.components) == len(handled)  # once each
    assert handled <= set(actions_handled_by(Role.STATION))
    assert {"BootNotification", "Heartbeat"}.isdisjoint(handled)  # what the station sends, it does not answer
    for area in {type(a) for a in station.components} | {component_module.Component}:
        tree = ast.parse(inspect.getsource(inspect.getmodule(area)))
        private = [ast.unparse(n) for n in ast.walk(tree) if isinstance(n, ast.Attribute)
                   and n.attr.startswith("_") and not n.attr.startswith("__")
                   and not (isinstance(n.value, ast.Name) and n.value.id == "self")]
        assert not private, (area.__name__, private)
