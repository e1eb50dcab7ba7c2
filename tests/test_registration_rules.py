"""The registration table (conformance/protocol/registration.py): what each side may send and how it answers while
a boot is Pending or Rejected (Part 2 B01-B03), and that every row cites its requirements."""

from __future__ import annotations

import re

import pytest

from conformance.actions.port import ActionFailed
from conformance.protocol import registration as reg
from conformance.protocol.registration import (ACCEPTED, NOT_BOOTED, PENDING, REJECTED, csms_answer, csms_may_send,
                                               station_answer, station_may_send, triggered_by)


def test_accepted_station_and_csms_send_anything() -> None:
    for action in ("StatusNotification", "Heartbeat", "TransactionEvent", "NotifyReport", "BootNotification"):
        assert station_may_send(ACCEPTED, action)
        assert csms_answer(ACCEPTED, action) is None
    for action in ("RequestStartTransaction", "GetVariables", "Reset"):
        assert csms_may_send(ACCEPTED, action)
        assert station_answer(ACCEPTED, action) is None


def test_before_the_first_response_the_station_sends_only_boot() -> None:  # B01.FR.08
    assert station_may_send(NOT_BOOTED, "BootNotification")
    assert not station_may_send(NOT_BOOTED, "StatusNotification")
    assert "B01.FR.08" in reg.station_sending_requirements(NOT_BOOTED)


def test_pending_station_sends_boot_and_what_it_was_asked_for() -> None:  # B02.FR.02
    assert station_may_send(PENDING, "BootNotification")
    assert not station_may_send(PENDING, "StatusNotification")
    assert not station_may_send(PENDING, "NotifyReport")
    assert station_may_send(PENDING, "NotifyReport", triggered=True)
    assert station_may_send(PENDING, "Heartbeat", triggered=True)
    assert "B02.FR.02" in reg.station_sending_requirements(PENDING)


def test_rejected_station_sends_only_boot_even_when_asked() -> None:  # B03.FR.02
    assert station_may_send(REJECTED, "BootNotification")
    assert not station_may_send(REJECTED, "StatusNotification")
    assert not station_may_send(REJECTED, "NotifyReport", triggered=True)


@pytest.mark.parametrize("status, requirement", [(PENDING, "B02.FR.09"), (REJECTED, "B03.FR.07"),
                                                 (NOT_BOOTED, "B01.FR.08")])
def test_csms_answers_other_calls_of_a_not_accepted_station_with_security_error(status, requirement) -> None:
    answer = csms_answer(status, "StatusNotification")
    assert answer is not None and answer.is_error and answer.error_code == "SecurityError"
    assert answer.requirements == (requirement,)
    assert answer.describe() == "CALLERROR SecurityError"
    assert csms_answer(status, "BootNotification") is None


def test_csms_answers_triggered_messages_of_a_pending_station() -> None:  # B02.FR.09 / B01.FR.10 exemption
    assert csms_answer(PENDING, "NotifyReport", triggered=True) is None
    assert csms_answer(PENDING, "NotifyReport") is not None
    assert csms_answer(REJECTED, "NotifyReport", triggered=True) is not None


def test_pending_station_answers_requests_but_rejects_remote_transactions() -> None:  # B02.FR.01, B02.FR.05
    for action in ("GetVariables", "SetVariables", "GetBaseReport", "GetReport", "TriggerMessage"):
        assert station_answer(PENDING, action) is None
    for action in ("RequestStartTransaction", "RequestStopTransaction"):
        answer = station_answer(PENDING, action)
        assert answer is not None and not answer.is_error and answer.payload == {"status": "Rejected"}
        assert answer.requirements == ("B02.FR.05",)


def test_rejected_station_answers_every_request_with_security_error() -> None:  # B03.FR.08
    for action in ("GetBaseReport", "TriggerMessage", "SetVariables"):
        answer = station_answer(REJECTED, action)
        assert answer is not None and answer.error_code == "SecurityError" and answer.requirements == ("B03.FR.08",)


def test_csms_may_send_to_a_pending_station_except_remote_transactions() -> None:  # B02.FR.01, B02.FR.05
    for action in ("GetVariables", "SetVariables", "GetBaseReport", "GetReport", "TriggerMessage"):
        assert csms_may_send(PENDING, action)
    assert not csms_may_send(PENDING, "RequestStartTransaction")
    assert not csms_may_send(PENDING, "RequestStopTransaction")


def test_csms_sends_a_rejected_station_nothing_but_a_triggered_boot() -> None:  # B03.FR.03, Part 6 TC_B_31_CSMS
    assert not csms_may_send(REJECTED, "GetVariables")
    assert not csms_may_send(REJECTED, "TriggerMessage", requested_message="Heartbeat")
    assert csms_may_send(REJECTED, "TriggerMessage", requested_message="BootNotification")
    assert reg.csms_sending_requirements(REJECTED) == ("B03.FR.03",)


def test_triggered_by() -> None:
    assert triggered_by("TriggerMessage", {"requestedMessage": "StatusNotification"}) == "StatusNotification"
    assert triggered_by("GetBaseReport", {"requestId": 1, "reportBase": "FullInventory"}) == "NotifyReport"
    assert triggered_by("GetReport", {"requestId": 1}) == "NotifyReport"
    assert triggered_by("GetVariables", {}) is None
    assert triggered_by("TriggerMessage", {}) is None


def test_boot_retry() -> None:  # B02.FR.07/08, B03.FR.05/06
    assert reg.retries_boot(PENDING) and reg.retries_boot(REJECTED)
    assert not reg.retries_boot(ACCEPTED) and not reg.retries_boot(NOT_BOOTED)
    assert reg.boot_retry_wait(30, own=5) == 30
    assert reg.boot_retry_wait(0, own=5) == 5


def test_every_row_cites_requirement_ids() -> None:
    ids = re.compile(r"^(B0[1-3]\.FR\.\d\d|FR\.\d\d)$")
    for table in (reg.STATION_SENDS, reg.CSMS_SENDS):
        for rule in table.values():
            assert rule.requirements and all(ids.match(r) for r in rule.requirements), rule
    for table in (reg.STATION_ANSWERS, reg.CSMS_ANSWERS):
        for rule in table.values():
            cited = rule.answer.requirements + rule.answer.see_also
            assert rule.answer.requirements and all(ids.match(r) for r in cited), rule


def test_the_table_is_sans_io() -> None:
    import ast
    import inspect
    tree = ast.parse(inspect.getsource(reg))
    imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names} | \
        {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    assert not {"asyncio", "websockets"} & imported


# --------------------------------------------------------------------------- the sides that read the table
async def test_reference_csms_answers_what_it_asked_a_pending_station_for() -> None:
    """B02.FR.09: the NotifyReport a Pending station sends for the CSMS's GetBaseReport is answered; a
    StatusNotification it sends unasked gets CALLERROR SecurityError."""
    from test_reference_suts import connection, pair
    async with pair(boot_status="Pending", retry=30) as (csms, station):
        conn = await connection(csms)
        await conn.expect_call("BootNotification")
        mark = conn.mark()
        response = await csms.send("CS001", "GetBaseReport", {"requestId": 7, "reportBase": "SummaryInventory"})
        assert response.payload["status"] == "Accepted"
        report = await conn.expect_call("NotifyReport", since=mark, timeout=5)
        assert report.response is not None  # a CALLRESULT, not a CALLERROR
        refused = await station.connection.call("StatusNotification", {  # type: ignore[union-attr]
            "timestamp": "2026-01-01T00:00:00Z", "connectorStatus": "Available", "evseId": 1, "connectorId": 1})
        assert refused.error_code == "SecurityError"


async def test_reference_csms_sends_a_rejected_station_only_a_triggered_boot() -> None:  # B03.FR.03, TC_B_31_CSMS
    from test_reference_suts import connection, pair
    async with pair(boot_status="Rejected", retry=30) as (csms, station):
        conn = await connection(csms)
        await conn.expect_call("BootNotification")
        with pytest.raises(ActionFailed, match="B03.FR.03"):
            await csms.send("CS001", "GetVariables", {"getVariableData": [
                {"component": {"name": "OCPPCommCtrlr"}, "variable": {"name": "OfflineThreshold"}}]})
        # The reference station answers it SecurityError (B03.FR.08); sending it is what Part 6 asks for.
        trigger = await csms.send("CS001", "TriggerMessage", {"requestedMessage": "BootNotification"})
        assert trigger.error_code == "SecurityError"


async def test_harness_station_answers_as_the_table_says_while_pending_and_rejected(tmp_path) -> None:
    from test_harness_peer import harness_against_reference
    async with harness_against_reference(tmp_path) as (csms, reference):
        await csms.connect()
        reference.stations["CS001"].boot_status = "Pending"
        boot = await csms.call("BootNotification", {"reason": "PowerUp",
                                                    "chargingStation": csms.station.charging_station})
        assert boot.payload["status"] == "Pending" and csms.station.registration == "Pending"
        start = await reference.send("CS001", "TriggerMessage", {"requestedMessage": "Heartbeat"})
        assert start.payload == {"status": "Accepted"}  # B02.FR.01: answered while Pending
        reference.stations["CS001"].boot_status = "Rejected"
        await csms.call("BootNotification", {"reason": "PowerUp", "chargingStation": csms.station.charging_station})
        assert csms.station.registration == "Rejected"
        incoming = type("Incoming", (), {"action": "GetVariables", "message_id": "m1", "payload": {}})()
        answer = csms.station.handle(incoming)  # type: ignore[arg-type]
        assert getattr(answer, "error_code", None) == "SecurityError"  # B03.FR.08
        with csms.station.answering("TriggerMessage", {"status": "Accepted"}):  # a case takes over (TC_B_31_CSMS)
            incoming.action = "TriggerMessage"
            assert csms.station.handle(incoming) == {"status": "Accepted"}  # type: ignore[arg-type]
        csms.station.registration = "Pending"
        incoming.action = "RequestStartTransaction"
        assert csms.station.handle(incoming) == {"status": "Rejected"}  # type: ignore[arg-type]  # B02.FR.05
