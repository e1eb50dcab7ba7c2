"""Transaction message retries (E13, helper equeue): the E13 cases against station peers that do what Part 2 / Part 4
allow in a way the reference station does not (must PASS), and the reference station's queue answering
GetTransactionStatus.

The peers are the reference station with one variant each, driven through a webhook, with the suite run as a user
runs it (``ocpp-conformance run --config``)."""

from __future__ import annotations

import asyncio
import contextlib
import types
from pathlib import Path
from typing import Any, AsyncIterator

import pytest

from conformance.reference.station.core import ReferenceStation
from conformance.reference.station.tx_queue import Queued

from support import FULL_PICS, free_port, run_cases, started_with_webhook, write_peer_config

MESSAGE_TIMEOUT = 2.0


def _optional_steps_first(station: ReferenceStation) -> None:
    """Allowed (Part 6 TC_E_41/42_CS steps 1-4, E02.FR.13): before the energy transfer starts, the station reports
    chargingState SuspendedEVSE; the harness answers it and takes the next message for step 5."""
    area = station.transactions_area
    original = area._transaction_event

    async def event(tx: Any, event_type: str, trigger: str, **kwargs: Any) -> None:
        if event_type == "Updated" and trigger == "ChargingStateChanged" and kwargs.get("charging_state") == "Charging":
            await original(tx, "Updated", "ChargingStateChanged", charging_state="SuspendedEVSE")
        await original(tx, event_type, trigger, **kwargs)

    area._transaction_event = event  # type: ignore[method-assign]


def _timeout_after_error(station: ReferenceStation) -> None:
    """Part 6 TC_E_51_CS's reading: after a CALLERROR the retry also waits the MessageTimeout."""
    queue = station.tx_queue
    original = queue._failed

    def failed(self: Any, entry: Queued) -> None:
        original(entry)
        if entry in self.queue:
            entry.not_before += self._message_timeout()

    queue._failed = types.MethodType(failed, queue)  # type: ignore[method-assign]


@contextlib.asynccontextmanager
async def station_peer(port: int, variant: Any) -> AsyncIterator[str]:
    station = ReferenceStation(csms_url=f"ws://127.0.0.1:{port}/ocpp", identity="CS001", password=None,
                               evses=[(1, (1,))], message_timeout=MESSAGE_TIMEOUT, connect_timeout=5)
    variant(station)
    async with started_with_webhook(station) as hook:
        yield hook


async def verdicts_against(tmp_path: Path, cases: tuple[str, ...], variant: Any) -> tuple[dict[str, str], str]:
    port = free_port()
    config = write_peer_config(tmp_path / "peer.toml", "station", port, pics_file=FULL_PICS,
                               message_timeout=MESSAGE_TIMEOUT, connect_timeout=5, action_timeout=8,
                               case_time_limit=40, timing="max_time_deviation = 0.5\n",
                               extra="[station_values]\nmessage_attempts_transaction_event_interval = 1\n")
    async with station_peer(port, variant) as hook:
        config.write_text(config.read_text().replace('backend = "shell"\ncommand = "false"\n',
                                                     f'backend = "webhook"\nurl = "{hook}"\n'))
        run = await run_cases(config, tmp_path / "run", *cases, timeout=150)
    return {k: v["verdict"] for k, v in run.results.items()}, run.output


@pytest.mark.asyncio
async def test_optional_steps_before_the_retried_message_pass(tmp_path: Path) -> None:
    cases = ("TC_E_41_CS", "TC_E_42_CS")
    verdicts, output = await verdicts_against(tmp_path, cases, _optional_steps_first)
    assert verdicts == {c: "PASS" for c in cases}, output
    log = (tmp_path / "run" / "events.jsonl").read_text()
    assert "step 5: TransactionEventRequest seqNo 2 triggerReason ChargingStateChanged" in log


@pytest.mark.asyncio
async def test_a_retry_after_callerror_that_also_waits_the_message_timeout_passes_tc_e_51(tmp_path: Path) -> None:
    verdicts, output = await verdicts_against(tmp_path, ("TC_E_51_CS",), _timeout_after_error)
    assert verdicts == {"TC_E_51_CS": "PASS"}, output
    assert "Part 6 TC_E_51_CS" in (tmp_path / "run" / "events.jsonl").read_text()


# --------------------------------------------------------------------------- the reference station's queue
@pytest.mark.asyncio
async def test_reference_queue_holds_offline_events_in_order_and_answers_get_transaction_status() -> None:
    from conformance.catalog import actions_handled_by
    from conformance.transport.server import CsmsServer

    def handler_for(identity: str) -> Any:
        def handle(incoming: Any) -> dict[str, Any]:
            if incoming.action == "BootNotification":
                return {"currentTime": "2026-01-01T00:00:00Z", "interval": 300, "status": "Accepted"}
            if incoming.action == "Authorize":
                return {"idTokenInfo": {"status": "Accepted"}}
            return {}
        return handle

    server = CsmsServer(host="127.0.0.1", port=0, path="/ocpp", log=None, message_timeout=MESSAGE_TIMEOUT,
                        handled_actions=actions_handled_by("CSMS"), default_handler_for=handler_for,
                        security_profile=0)
    await server.start()
    station = ReferenceStation(csms_url=server.url, identity="CS001", password=None, evses=[(1, (1,))],
                               message_timeout=MESSAGE_TIMEOUT, reconnect_delay=0.05)
    await station.start()
    try:
        conn = await server.wait_for_connection("CS001", timeout=5)
        await station.booted.wait()
        token = {"id_token": "T1", "type": "ISO14443"}
        await station.perform_action("present_id_token", token)  # accepted online: cached (C-49)
        started = await station.perform_action("plug_in", {})
        tx_id = started["transaction"]
        assert await station.answer("GetTransactionStatus", {"transactionId": tx_id}) == {
            "messagesInQueue": False, "ongoingIndicator": True}  # E14.FR.02, E14.FR.05
        server.refusing.add("CS001")
        await conn.close(1000, "offline")
        await station.perform_action("present_id_token", token)  # stops it offline (cached token)
        await station.perform_action("unplug", {})
        queued = [e.payload for e in station.tx_queue.queue]
        assert [p["seqNo"] for p in queued] == [2] and all(p["offline"] is True for p in queued)  # E08.FR.07
        assert queued[0]["eventType"] == "Ended"
        assert await station.answer("GetTransactionStatus", {"transactionId": tx_id}) == {
            "messagesInQueue": True, "ongoingIndicator": False}  # E14.FR.03, E14.FR.04
        assert await station.answer("GetTransactionStatus", {}) == {"messagesInQueue": True}  # E14.FR.06/07
        assert await station.answer("GetTransactionStatus", {"transactionId": "nope"}) == {
            "messagesInQueue": False, "ongoingIndicator": False}  # E14.FR.01
        server.refusing.discard("CS001")
        back = await server.wait_for_connection("CS001", timeout=5, after=1)
        ended = await back.expect_call("TransactionEvent", timeout=5)
        assert ended.payload["seqNo"] == 2 and ended.payload["offline"] is True  # E08.FR.06
        await ended.answered.wait()
        for _ in range(10):  # the worker drops it once the answer is read
            if not station.tx_queue.queue:
                break
            await asyncio.sleep(0.05)
        assert await station.answer("GetTransactionStatus", {}) == {"messagesInQueue": False}  # E14.FR.08
    finally:
        await station.stop()
        await server.stop()
