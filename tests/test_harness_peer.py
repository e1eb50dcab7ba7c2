"""The harness is a well-behaved peer, so the SUT's faults stay the SUT's (issue 8 §2).

When the SUT is a CSMS the harness station keeps its connection across cases, waits for the CSMS's reaction
from the instruction on (a request the CSMS sends on its own before is answered, never taken for the
reaction), answers a TriggerMessage with the triggered message, invents ids that no run repeats, describes
itself as configured, and gives operator instructions no faster than an operator could.

The CSMS peers here are the reference CSMS with one allowed variant each (onboarding requests right after
boot, an operator who takes a while), run in this test's event loop and driven through a webhook, with the
suite run as a user runs it (``ocpp-conformance run --config``)."""

from __future__ import annotations

import asyncio
import contextlib
import time
from pathlib import Path
from typing import Any, AsyncIterator

import pytest

from conformance.actions.port import ActionPort
from conformance.actions.reference import ReferenceBackend
from conformance.config import HarnessStationInfo, default_config, load_config
from conformance.harness.context import RunContext
from conformance.harness.ids import IdSource
from conformance.harness.sides import CsmsUnderTest
from conformance.protocol.frames import utc_now
from conformance.recording import EventLog
from conformance.reference.csms import ReferenceCsms
from conformance.transport.connection import IncomingCall

from support import FULL_PICS, REPO, run_cases as run_suite, started_with_webhook, write_peer_config

MESSAGE_TIMEOUT = 3.0


# --------------------------------------------------------------------------- CSMS peers
class PeerCsms(ReferenceCsms):
    """The reference CSMS with allowed variants: ``onboarding`` (right after an accepted boot it reads a variable
    and asks for a FullInventory on its own: Part 5 C-50.1, B07.FR.14), ``send_delay`` (the operator's request
    goes out only after a while). It records every NotifyEvent eventId per station and refuses a repeated one."""

    def __init__(self, *, onboarding: bool = False, send_delay: float = 0.0, learn_delay: float = 0.0) -> None:
        super().__init__(passwords={"CS001": None}, security_profile=0, message_timeout=MESSAGE_TIMEOUT,
                         heartbeat_interval=300)
        self.onboarding = onboarding
        self.send_delay = send_delay
        self.learn_delay = learn_delay  # it stores what it learns of a station (ItemsPerMessage) only after a while
        self.event_ids: dict[str, list[int]] = {}
        self.duplicates: list[int] = []
        self.onboarded = 0
        self.triggered: list[str] = []

    def _boot_received(self, record: Any, incoming: IncomingCall) -> None:
        super()._boot_received(record, incoming)
        if self.onboarding:
            self._spawn(self._onboard(record, incoming))

    async def _onboard(self, record: Any, incoming: IncomingCall) -> None:
        await incoming.answered.wait()
        if record.registration != "Accepted":
            return
        with contextlib.suppress(Exception):
            await self.send(record.identity, "GetVariables", {"getVariableData": [
                {"component": {"name": "SecurityCtrlr"}, "variable": {"name": "SecurityProfile"}}]})
            await self.send(record.identity, "GetBaseReport", {"requestId": 900_000 + self.onboarded,
                                                               "reportBase": "FullInventory"})
            self.onboarded += 1

    def _learn_limit(self, identity: str, component: dict[str, Any], variable: dict[str, Any], value: Any) -> None:
        if self.learn_delay:
            asyncio.get_running_loop().call_later(self.learn_delay, super()._learn_limit, identity, component,
                                                  variable, value)
        else:
            super()._learn_limit(identity, component, variable, value)

    def on_NotifyEvent(self, record: Any, payload: dict[str, Any]) -> Any:
        seen = self.event_ids.setdefault(record.identity, [])
        for event in payload["eventData"]:
            if event["eventId"] in seen:
                self.duplicates.append(event["eventId"])
            seen.append(event["eventId"])
        return {}

    async def perform_action(self, action: str, params: dict[str, Any]) -> dict[str, Any]:
        if action == "csms_send" and self.send_delay:
            async def later() -> None:
                await asyncio.sleep(self.send_delay)  # the operator takes a while to click
                await super(PeerCsms, self).perform_action(action, params)
            self._spawn(later())
            return {"sent": params["request"]}
        return await super().perform_action(action, params)

    def _spawn(self, coroutine: Any) -> None:
        task = asyncio.get_running_loop().create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)


@contextlib.asynccontextmanager
async def csms_peer(**variant: Any) -> AsyncIterator[tuple[PeerCsms, str]]:
    peer = PeerCsms(**variant)
    async with started_with_webhook(peer) as hook:
        yield peer, hook


def peer_config(path: Path, csms_url: str, webhook: str, *, think_time: float = 0.0) -> Path:
    return write_peer_config(path, "csms", csms_url=csms_url, pics_file=FULL_PICS, message_timeout=MESSAGE_TIMEOUT,
                             connect_timeout=5, action_timeout=5, case_time_limit=20,
                             timing=f"reconnect_gap = 0.2\noperator_think_time = {think_time}\n", webhook=webhook)


async def run_cases(config: Path, run_dir: Path, *cases: str) -> tuple[dict[str, Any], list[dict[str, Any]], str]:
    run = await run_suite(config, run_dir, *cases, timeout=120)
    return run.results, run.events, run.output


def _verdicts(results: dict[str, Any]) -> dict[str, str]:
    return {k: v["verdict"] for k, v in results.items()}


# --------------------------------------------------------------------------- waits anchored on the instruction
@pytest.mark.asyncio
async def test_csms_onboarding_requests_are_not_taken_for_the_instructed_ones(tmp_path: Path) -> None:
    """A CSMS that reads a variable and asks for a FullInventory on its own right after boot (allowed: Part 5
    C-50.1, B07.FR.14) passes the Get Variables and Get Base Report cases: its own requests are answered and
    recorded, the case waits for the one its instruction asked for."""
    cases = ("TC_B_06_CSMS", "TC_B_07_CSMS", "TC_B_08_CSMS", "TC_B_12_CSMS", "TC_B_14_CSMS")
    async with csms_peer(onboarding=True) as (peer, hook):
        config = peer_config(tmp_path / "peer.toml", peer.url, hook, think_time=0.3)
        results, events, output = await run_cases(config, tmp_path / "run", *cases)
    assert _verdicts(results) == {c: "PASS" for c in cases}, output
    assert peer.onboarded >= 1
    own = [e for e in events if e["kind"] == "frame" and e.get("direction") == "in"
           and e.get("action") == "GetBaseReport" and e.get("payload", {}).get("reportBase") == "FullInventory"]
    assert own, "the CSMS's own FullInventory request is recorded"


@pytest.mark.asyncio
async def test_a_csms_whose_operator_takes_longer_than_the_think_time_passes(tmp_path: Path) -> None:
    """The instructed request comes 1.2 s after the instruction (longer than the think time): still a PASS."""
    async with csms_peer(send_delay=1.2) as (peer, hook):
        config = peer_config(tmp_path / "peer.toml", peer.url, hook, think_time=1.0)
        results, events, output = await run_cases(config, tmp_path / "run", "TC_B_06_CSMS")
    assert _verdicts(results) == {"TC_B_06_CSMS": "PASS"}, output


@pytest.mark.asyncio
async def test_think_time_gives_the_csms_time_to_store_what_it_learnt(tmp_path: Path) -> None:
    """TC_B_08_CSMS: a CSMS that stores the ItemsPerMessage it read 0.4 s after the answer passes with a think
    time of 0.8 s; without think time the instruction to read 5 variables overtakes it (the case's FAIL then is
    the operator's haste, which the think time exists to avoid)."""
    for think_time, verdict in ((0.8, "PASS"), (0.0, "FAIL")):
        async with csms_peer(learn_delay=0.4) as (peer, hook):  # a new CSMS each time: nothing learnt yet
            config = peer_config(tmp_path / f"{think_time}.toml", peer.url, hook, think_time=think_time)
            results, _, output = await run_cases(config, tmp_path / f"run-{think_time}", "TC_B_08_CSMS")
        assert _verdicts(results) == {"TC_B_08_CSMS": verdict}, output


@pytest.mark.asyncio
async def test_operator_think_time_is_applied_and_recorded(tmp_path: Path) -> None:
    async with csms_peer() as (peer, hook):
        config = peer_config(tmp_path / "peer.toml", peer.url, hook, think_time=0.5)
        results, events, output = await run_cases(config, tmp_path / "run", "TC_B_06_CSMS")
    assert _verdicts(results) == {"TC_B_06_CSMS": "PASS"}, output
    waits = [e for e in events if e["kind"] == "wait" and e.get("pacing") == "operator_think_time"]
    assert waits and all(0 < w["seconds"] <= 0.5 for w in waits)
    started = next(e for e in events if e["kind"] == "action" and e.get("status") == "started"
                   and e.get("action") == "csms_send")
    before = [e for e in events if e["kind"] == "frame" and e.get("direction") == "in" and e["mono"] < started["mono"]]
    assert started["mono"] - before[-1]["mono"] >= 0.5 - 0.01


# --------------------------------------------------------------------------- ids unique per run and across runs
def test_id_source_counts_per_kind_and_later_runs_start_higher() -> None:
    first = IdSource()
    ids = [first.next("eventId") for _ in range(5)]
    assert ids == sorted(set(ids)) and first.next("requestId") == ids[0]
    time.sleep(0.3)  # a later run (at least one id per quarter second apart)
    assert IdSource().next("eventId") > ids[-1] - 4
    assert first.text("transaction", "G-") != IdSource().text("transaction", "G-")
    assert IdSource(seed=2**31 - 1).next("x") == 2**31 - 1 and 0 < IdSource(seed=2**31 + 5).next("x") < 2**31


@pytest.mark.asyncio
async def test_a_csms_is_never_given_the_same_event_id_twice(tmp_path: Path) -> None:
    """Two runs against the same CSMS, each with a NotifyEvent: no eventId repeats."""
    async with csms_peer() as (peer, hook):
        config = peer_config(tmp_path / "peer.toml", peer.url, hook)
        for run in ("one", "two"):
            results, _, output = await run_cases(config, tmp_path / run, "TC_G_20_CSMS")
            assert _verdicts(results) == {"TC_G_20_CSMS": "PASS"}, output
    assert len(peer.event_ids["CS001"]) >= 2
    assert peer.duplicates == []


# --------------------------------------------------------------------------- the connection stays open
@pytest.mark.asyncio
async def test_the_connection_stays_open_across_cases(tmp_path: Path) -> None:
    """Two CSMS cases against the reference CSMS: one connection, one boot."""
    results, events, output = await run_cases(REPO / "fixtures" / "reference-csms.toml", tmp_path / "run",
                                              "TC_B_06_CSMS", "TC_B_07_CSMS")
    assert _verdicts(results) == {"TC_B_06_CSMS": "PASS", "TC_B_07_CSMS": "PASS"}, output
    opened = [e for e in events if e["kind"] == "connection" and e.get("event") == "opened"]
    assert len(opened) == 1, opened
    boots = [e for e in events if e["kind"] == "frame" and e.get("direction") == "out"
             and e.get("action") == "BootNotification" and e.get("message_type") == "CALL"]
    assert len(boots) == 1


# --------------------------------------------------------------------------- in process: the harness station
@contextlib.asynccontextmanager
async def harness_against_reference(tmp_path: Path, **config_changes: Any) -> AsyncIterator[tuple[CsmsUnderTest,
                                                                                                 ReferenceCsms]]:
    import dataclasses
    base = default_config("csms")
    from conformance.reference.csms import token_groups, tokens_of
    # Provisioned with the configuration's tokens, as `run` provisions it (session.py).
    reference = ReferenceCsms(passwords={s.identity: s.password for s in base.connection.stations},
                              message_timeout=base.timing.message_timeout, tokens=tokens_of(base.id_tokens),
                              groups=token_groups(base.id_tokens))
    await reference.start()
    config = dataclasses.replace(base.with_csms_url(reference.url), **config_changes)
    log = EventLog()
    ctx = RunContext(config=config, log=log, run_dir=tmp_path,
        actions=ActionPort(ReferenceBackend(reference), log, timeout=5, role="csms"))
    csms = CsmsUnderTest(ctx)
    try:
        yield csms, reference
    finally:
        await csms.close_all()
        await reference.stop()


async def _boot(csms: CsmsUnderTest) -> None:
    await csms.connect()
    response = await csms.call("BootNotification", {"reason": "PowerUp",
                                                    "chargingStation": csms.station.charging_station})
    assert response.payload["status"] == "Accepted"
    await csms.call("StatusNotification", {"timestamp": utc_now(), "connectorStatus": "Occupied", "evseId": 1,
                                           "connectorId": 1})


@pytest.mark.asyncio
async def test_trigger_message_is_followed_by_the_triggered_message(tmp_path: Path) -> None:
    async with harness_against_reference(tmp_path) as (csms, reference):
        await _boot(csms)
        mark = reference.server.connections["CS001"].mark()
        response = await reference.send("CS001", "TriggerMessage", {"requestedMessage": "StatusNotification",
                                                                    "evse": {"id": 1, "connectorId": 1}})
        assert response.payload == {"status": "Accepted"}
        status = await reference.server.connections["CS001"].expect_call("StatusNotification", since=mark, timeout=3)
        assert status.payload["connectorStatus"] == "Occupied"  # current information (F06.FR.09)
        # Already accepted: a triggered BootNotification is Rejected (F06.FR.17); unsupported: NotImplemented.
        boot = await reference.send("CS001", "TriggerMessage", {"requestedMessage": "BootNotification"})
        assert boot.payload["status"] == "Rejected"
        sign = await reference.send("CS001", "TriggerMessage", {"requestedMessage": "SignV2GCertificate"})
        assert sign.payload["status"] == "NotImplemented"
        heartbeat_mark = reference.server.connections["CS001"].mark()
        assert (await reference.send("CS001", "TriggerMessage", {"requestedMessage": "Heartbeat"})).payload == {
            "status": "Accepted"}
        await reference.server.connections["CS001"].expect_call("Heartbeat", since=heartbeat_mark, timeout=3)
        # An idle station without a transaction does not start one on request.
        start = await reference.send("CS001", "RequestStartTransaction", {
            "idToken": {"idToken": "X", "type": "ISO14443"}, "remoteStartId": 1})
        assert start.payload["status"] == "Rejected"


@pytest.mark.asyncio
async def test_configured_vendor_and_model_are_sent(tmp_path: Path) -> None:
    info = HarnessStationInfo(vendor_name="Acme", model="Wallbox 7", serial_number="SN-1", firmware_version="1.2.3")
    async with harness_against_reference(tmp_path, harness_station=info) as (csms, reference):
        await _boot(csms)
        assert reference.stations["CS001"].boots[-1]["chargingStation"] == {
            "vendorName": "Acme", "model": "Wallbox 7", "serialNumber": "SN-1", "firmwareVersion": "1.2.3"}


@pytest.mark.asyncio
async def test_close_waits_for_the_stations_own_calls_and_reconnects_after_the_gap(tmp_path: Path) -> None:
    import dataclasses
    timing = dataclasses.replace(default_config("csms").timing, reconnect_gap=0.4)
    async with harness_against_reference(tmp_path, timing=timing) as (csms, reference):
        await _boot(csms)
        first = csms.connection
        # A report is being sent when the case ends: the station finishes it before it closes.
        await reference.send("CS001", "GetBaseReport", {"requestId": 77, "reportBase": "FullInventory"})
        await csms.close_all()
        record = csms.station.reports.reports[77]
        assert record.done.is_set() and all(not isinstance(r, str) and r.ok for _, r in record.parts)
        started = time.monotonic()
        await csms.connect()
        assert time.monotonic() - started >= 0.4 - 0.01 and csms.connection is not first
        assert [e for e in csms.ctx.log.events("wait") if e.data.get("pacing") == "reconnect_gap"]


def test_config_pacing_defaults_depend_on_reference(tmp_path: Path) -> None:
    real = tmp_path / "real.toml"
    peer_config(real, "ws://127.0.0.1:1/ocpp", "http://127.0.0.1:1")
    text = real.read_text().replace("reconnect_gap = 0.2\n", "").replace("operator_think_time = 0.0\n", "")
    real.write_text(text)
    cfg = load_config(real)
    assert (cfg.timing.reconnect_gap, cfg.timing.operator_think_time) == (1.0, 1.0)
    assert cfg.harness_station == HarnessStationInfo()
    reference = load_config(REPO / "fixtures" / "reference-csms.toml")
    assert (reference.timing.reconnect_gap, reference.timing.operator_think_time) == (0.0, 0.0)
    bad = tmp_path / "bad.toml"
    bad.write_text(text + '[harness_station]\nmodel = "' + "M" * 21 + '"\n')
    with pytest.raises(Exception, match="harness_station.model: must be at most 20 characters"):
        load_config(bad)


@pytest.mark.asyncio
async def test_expect_call_takes_only_requests_after_the_instruction(tmp_path: Path) -> None:
    """In process: a GetVariables the CSMS sent on its own before the instruction is answered from the device
    model and recorded, but the wait after ``csms_send`` (here through the port's convenience method) returns
    the instructed one."""
    async with harness_against_reference(tmp_path) as (csms, reference):
        await _boot(csms)
        own = await reference.send("CS001", "GetVariables", {"getVariableData": [
            {"component": {"name": "SecurityCtrlr"}, "variable": {"name": "SecurityProfile"}}]})
        assert own.ok and own.payload["getVariableResult"][0]["attributeStatus"] in ("Accepted", "UnknownVariable",
                                                                                    "UnknownComponent")
        await csms.actions.csms_send("GetVariables", "CS001", {"getVariableData": [
            {"component": {"name": "OCPPCommCtrlr"}, "variable": {"name": "OfflineThreshold"}}]})
        request = await csms.expect_call("GetVariables", timeout=3)
        assert request.payload["getVariableData"][0]["variable"]["name"] == "OfflineThreshold"
        assert [e for e in csms.ctx.log.events("action") if e.data.get("action") == "csms_send"]


def test_station_side_marks_belong_to_the_connection_object() -> None:
    """The station side's per-connection starting marks are keyed by the Connection itself (weakly): a freed
    connection's mark goes with it, so a new connection (which CPython may give the freed one's id()) starts at 0."""
    import gc
    import weakref

    from conformance.harness.sides import ChargingStationUnderTest
    from conformance.transport.connection import Connection

    sut = ChargingStationUnderTest.__new__(ChargingStationUnderTest)
    old = Connection(None, identity="CS001", local_role="CSMS", log=None, message_timeout=1)
    old.mailbox.extend([None, None, None])  # three CALLs seen before the case
    sut.server = type("Server", (), {"connections": {"CS001": old}})()
    sut._since = weakref.WeakKeyDictionary()
    sut.start_case()
    assert sut.since(old) == 3
    sut.server.connections.clear()
    del old
    gc.collect()
    assert len(sut._since) == 0
    new = Connection(None, identity="CS001", local_role="CSMS", log=None, message_timeout=1)
    assert sut.since(new) == 0
