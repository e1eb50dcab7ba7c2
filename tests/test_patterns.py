"""One pattern language (conformance.protocol.patterns) for Connection.expect_call and the harness checks.

The expect_call tests run a harness CSMS and a station on loopback, bounded by short timeouts.
"""

from __future__ import annotations

import contextlib
from typing import Any, AsyncIterator

import pytest

from conformance.catalog import actions_handled_by
from conformance.harness.checks import Checker
from conformance.outcomes import CheckFailed
from conformance.protocol.errors import PeerTimeout
from conformance.protocol.patterns import ABSENT, Difference, OneOf, Satisfies, differences, matches
from conformance.recording import EventLog
from conformance.transport.client import open_station_connection
from conformance.transport.connection import Connection, IncomingCall
from conformance.transport.server import CsmsServer

TIMEOUT = 1.0
NOW = "2025-01-01T00:00:00Z"


def status(connector_status: str = "Available", evse: int = 1, connector: int = 1) -> dict[str, Any]:
    return {"timestamp": NOW, "connectorStatus": connector_status, "evseId": evse, "connectorId": connector}


def availability_event(evse: int, connector: int | None, value: str) -> dict[str, Any]:
    component: dict[str, Any] = {"name": "Connector" if connector else "EVSE",
                                 "evse": {"id": evse} if connector is None else {"id": evse, "connectorId": connector}}
    return {"eventId": 1, "timestamp": NOW, "trigger": "Delta", "actualValue": value,
            "eventNotificationType": "HardWiredNotification", "component": component,
            "variable": {"name": "AvailabilityState"}}


def answer(incoming: IncomingCall) -> dict[str, Any]:
    if incoming.action == "Heartbeat":
        return {"currentTime": NOW}
    return {}


@contextlib.asynccontextmanager
async def pair() -> AsyncIterator[tuple[Connection, Connection]]:
    """(the harness CSMS's connection, the station's connection) on loopback."""
    server = CsmsServer(host="127.0.0.1", port=0, path="/ocpp", log=EventLog(), message_timeout=TIMEOUT,
                        handled_actions=actions_handled_by("CSMS"), default_handler_for=lambda _id: answer,
                        security_profile=0)
    await server.start()
    try:
        station = await open_station_connection(server.url, "CS001", password=None, log=None,
                                                message_timeout=TIMEOUT, connect_timeout=TIMEOUT)
        csms = await server.wait_for_connection("CS001", timeout=TIMEOUT)
        try:
            yield csms, station
        finally:
            await station.close()
    finally:
        await server.stop()


# ------------------------------------------------------------------------------------------ the language itself

def test_differences_name_the_path_the_expected_and_the_actual() -> None:
    payload = {"status": "Rejected", "evse": {"id": 2}, "items": [{"name": "a"}, {"name": "b"}]}
    assert differences(payload, {"status": OneOf("Accepted", "Rejected")}) == []
    assert differences(payload, {"status": OneOf("Accepted", "Scheduled"), "evse": {"id": 1},
                                 "items": [{"name": "a"}, {"name": "c"}]}) == [
        Difference("status", OneOf("Accepted", "Scheduled"), "Rejected"),
        Difference("evse.id", 1, 2),
        Difference("items[1].name", "c", "b")]
    assert differences(payload, {"statusInfo": ABSENT, "evse": {"connectorId": ABSENT}}) == []
    assert differences(payload, {"evse": ABSENT}) == [Difference("evse", ABSENT, {"id": 2})]
    assert differences(payload, {"missing": 1}) == [Difference("missing", 1, ABSENT)]
    assert str(Difference("evse.id", 1, 2)) == "evse.id: expected 1, got 2"


def test_one_of_absent_satisfies_lists_and_bools() -> None:
    assert matches({"reasonCode": "NoError"}, {"reasonCode": OneOf(ABSENT, "NoError")})
    assert matches({}, {"reasonCode": OneOf(ABSENT, "NoError")})
    assert not matches({"reasonCode": "Busy"}, {"reasonCode": OneOf(ABSENT, "NoError")})
    positive = Satisfies(lambda v: v > 0, "positive")
    assert matches({"interval": 5}, {"interval": positive})
    assert not matches({}, {"interval": positive})  # a predicate needs a value
    assert not matches({"interval": "x"}, {"interval": positive})  # a predicate that raises does not match
    assert matches({"l": [1, 2]}, {"l": [1, 2]}) and matches({"l": [1, 2]}, {"l": (1, 2)})
    assert not matches({"l": [1, 2]}, {"l": [1]})
    assert not matches({"b": True}, {"b": 1}) and not matches({"n": 1}, {"n": True})
    assert matches({"n": 1}, {"n": 1.0})
    assert matches({"e": [{"v": "x", "w": 1}]}, {"e": [{"v": OneOf("x", "y")}]})  # dicts match partially


def test_checks_read_the_same_language() -> None:
    check = Checker(EventLog())
    check.fields("StatusNotificationRequest", status("Occupied"), {
        "connectorStatus": OneOf("Occupied", "Reserved"), "evse": ABSENT,
        "evseId": Satisfies(lambda v: v != 0, "not 0")})
    check.equal("the list", [1, 2], [1, 2])
    with pytest.raises(CheckFailed):
        check.fields("StatusNotificationRequest", status("Faulted"), {"connectorStatus": OneOf("Occupied", "Reserved")})


# ------------------------------------------------------------------------------------------ in expect_call

async def test_expect_call_matches_one_of_absent_satisfies_nested_dicts_and_lists() -> None:
    async with pair() as (csms, station):
        await station.call("StatusNotification", status("Occupied"))
        found = await csms.expect_call("StatusNotification", connectorStatus=OneOf("Occupied", "Reserved"),
                                       timeout=TIMEOUT)
        assert found.payload["connectorStatus"] == "Occupied"

        await station.call("Heartbeat", {})
        await csms.expect_call("Heartbeat", customData=ABSENT, timeout=TIMEOUT)

        await station.call("StatusNotification", status("Unavailable", evse=2))
        found = await csms.expect_call("StatusNotification", evseId=Satisfies(lambda v: v > 1, "above 1"),
                                       connectorStatus="Unavailable", timeout=TIMEOUT)
        assert found.payload["evseId"] == 2

        await station.call("NotifyEvent", {"generatedAt": NOW, "seqNo": 0, "eventData": [
            availability_event(1, 1, "Unavailable"), availability_event(1, None, "Unavailable")]})
        found = await csms.expect_call("NotifyEvent", eventData=[
            {"component": {"name": "Connector", "evse": {"id": 1, "connectorId": 1}}, "actualValue": "Unavailable"},
            {"component": {"name": "EVSE", "evse": {"id": 1, "connectorId": ABSENT}},
             "actualValue": OneOf("Unavailable", "Faulted")}], timeout=TIMEOUT)
        assert len(found.payload["eventData"]) == 2


async def test_expect_call_timeout_says_what_arrived_instead_and_how_it_differed() -> None:
    async with pair() as (csms, station):
        await station.call("Heartbeat", {})
        await station.call("StatusNotification", status("Faulted", evse=1))
        await station.call("StatusNotification", status("Occupied", evse=2))
        with pytest.raises(PeerTimeout) as info:
            await csms.expect_call("StatusNotification", connectorStatus=OneOf("Occupied", "Reserved"), evseId=1,
                                   timeout=0.2)
        actual = info.value.actual
        assert "received meanwhile: Heartbeat, StatusNotification, StatusNotification" in actual
        # both candidates differ in one field; the first of them is named, with the field, expected and actual
        assert "closest: StatusNotification" in actual
        assert "connectorStatus: expected 'Occupied' or 'Reserved', got 'Faulted'" in actual
        assert "connectorStatus=" in info.value.check and "'Occupied' or 'Reserved'" in info.value.check


async def test_expect_call_timeout_without_a_candidate_of_the_action() -> None:
    async with pair() as (csms, station):
        await station.call("Heartbeat", {})
        with pytest.raises(PeerTimeout) as info:
            await csms.expect_call("StatusNotification", timeout=0.2)
        assert info.value.actual == "not received; received meanwhile: Heartbeat"
