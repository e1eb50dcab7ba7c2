"""One broken state is one finding (issue 8 §3): before each case the harness checks the SUT still answers.

A station that answers the first case and then goes silent gives one FAIL (the case during which it stopped)
and INCONCLUSIVE "the SUT stopped answering after TC_x" for the rest; the run stops at once unless
--keep-going. A station that merely does not answer one request (a FAIL of that case) but still answers the
probe is not taken as broken: the next cases run and pass."""

from __future__ import annotations

import asyncio
import contextlib
import json
from pathlib import Path
from typing import Any

from support import answering_csms, booting_station, free_port, run_cases, running, webhook_for, write_peer_config

CASES = ["TC_B_06_CS", "TC_B_07_CS", "TC_B_09_CS", "TC_B_10_CS"]
MESSAGE_TIMEOUT = 1.0


class PeerStation:
    """A station with a tiny device model: GetVariables / SetVariables of any variable are Accepted.

    ``silent_after``: answers that many CALLs, then none (stays connected). ``ignore``: never answers a
    GetVariables for this variable name, the first time it is asked (a glitch of one feature, not a broken
    station)."""

    def __init__(self, port: int, *, silent_after: int | None = None, ignore: str | None = None) -> None:
        self.port = port
        self.silent_after = silent_after
        self.ignore = ignore
        self.values: dict[str, str] = {}
        self.answered = 0

    def answer(self, action: str, payload: dict[str, Any]) -> dict[str, Any] | None:
        if self.silent_after is not None and self.answered >= self.silent_after:
            return None
        if action == "GetVariables":
            names = [d["variable"]["name"] for d in payload["getVariableData"]]
            if self.ignore in names:
                self.ignore = None
                return None
            self.answered += 1
            return {"getVariableResult": [
                {**{k: d[k] for k in ("component", "variable")}, "attributeType": d.get("attributeType", "Actual"),
                 "attributeStatus": "Accepted", "attributeValue": self.values.get(self._key(d), "1")}
                for d in payload["getVariableData"]]}
        if action == "SetVariables":
            self.answered += 1
            for d in payload["setVariableData"]:
                self.values[self._key(d)] = d["attributeValue"]
            return {"setVariableResult": [
                {**{k: d[k] for k in ("component", "variable")}, "attributeType": d.get("attributeType", "Actual"),
                 "attributeStatus": "Accepted"} for d in payload["setVariableData"]]}
        self.answered += 1
        return {}

    @staticmethod
    def _key(entry: dict[str, Any]) -> str:
        return f"{entry['component']['name']}.{entry['variable']['name']}.{entry['variable'].get('instance')}"

    async def run(self) -> None:
        async def status(ws: Any) -> None:
            await ws.send(json.dumps([2, "status-1", "StatusNotification", {
                "timestamp": "2025-01-01T00:00:00Z", "connectorStatus": "Available", "evseId": 1,
                "connectorId": 1}]))

        async def on_call(ws: Any, message: list[Any]) -> None:
            answer = self.answer(message[2], message[3])
            if answer is not None:
                await ws.send(json.dumps([3, message[1], answer]))

        await booting_station(self.port, on_call, after_boot=status)


def peer(station: PeerStation) -> contextlib.AbstractAsyncContextManager[Any]:
    return running(station.run())


async def run(config: Path, run_dir: Path, *extra: str) -> tuple[int, dict[str, Any], str, float]:
    result = await run_cases(config, run_dir, *CASES, extra=extra, timeout=90)
    return result.code, result.results, result.output, result.elapsed


def run_order(run_dir: Path) -> list[str]:
    """The cases in the order the session ran them (the selection recorded in session_start)."""
    events = [json.loads(line) for line in (run_dir / "events.jsonl").read_text().splitlines()]
    return next(e["selected"] for e in events if e["kind"] == "session_start")


def config_for(tmp_path: Path, port: int) -> Path:
    return write_peer_config(tmp_path / "sut.toml", "station", port, message_timeout=MESSAGE_TIMEOUT,
                             connect_timeout=3, case_time_limit=10)


async def test_a_station_that_goes_silent_is_one_fail_then_inconclusive_and_the_run_stops(tmp_path: Path) -> None:
    port = free_port()
    # the first case (TC_B_06_CS or TC_B_09_CS) takes 4 CALLs (read, set, get/set, restore); the second case's
    # first CALL gets no answer
    async with peer(PeerStation(port, silent_after=4)):
        code, results, output, elapsed = await run(config_for(tmp_path, port), tmp_path / "run")
    assert code == 1, output
    first, second, third, fourth = run_order(tmp_path / "run")
    verdicts = [results[case_id]["verdict"] for case_id in (first, second, third, fourth)]
    assert verdicts == ["PASS", "FAIL", "INCONCLUSIVE", "INCONCLUSIVE"], output
    probe = results[third]["message"]
    assert probe.startswith(f"the SUT stopped answering after {second}"), probe
    assert "GetVariablesRequest for DeviceDataCtrlr.ItemsPerMessage[GetVariables]" in probe  # what was tried
    assert "no answer within the message timeout" in probe
    rest = results[fourth]["message"]
    assert rest.startswith(f"not run: the SUT stopped answering after {second}") and "--keep-going" in rest
    events = [json.loads(line) for line in (tmp_path / "run" / "events.jsonl").read_text().splitlines()]
    assert not any(e["kind"] == "frame" and e.get("case") == fourth for e in events)  # it never ran
    assert "Traceback" not in output and "INTERNALERROR" not in output
    assert elapsed < 20  # one message timeout for the FAIL, one for the probe: not one per remaining case


async def test_keep_going_tries_every_remaining_case(tmp_path: Path) -> None:
    port = free_port()
    async with peer(PeerStation(port, silent_after=4)):
        code, results, output, _ = await run(config_for(tmp_path, port), tmp_path / "run", "--keep-going")
    assert code == 1, output
    _, second, *rest = run_order(tmp_path / "run")
    for case_id in rest:  # each probed on its own
        assert results[case_id]["verdict"] == "INCONCLUSIVE", output
        assert results[case_id]["message"].startswith(f"the SUT stopped answering after {second}"), results[case_id]


async def test_a_station_that_ignores_one_request_is_not_taken_as_broken(tmp_path: Path) -> None:
    """TC_B_07_CS fails (its read of LocalAuthorizeOffline is not answered); the probe before the next case is
    answered, so the remaining cases run and pass."""
    port = free_port()
    async with peer(PeerStation(port, ignore="LocalAuthorizeOffline")):
        code, results, output, _ = await run(config_for(tmp_path, port), tmp_path / "run")
    assert code == 1, output
    assert {c: results[c]["verdict"] for c in CASES} == {
        "TC_B_06_CS": "PASS", "TC_B_07_CS": "FAIL", "TC_B_09_CS": "PASS", "TC_B_10_CS": "PASS"}, output
    order = run_order(tmp_path / "run")
    after = order[order.index("TC_B_07_CS") + 1]
    events = [json.loads(line) for line in (tmp_path / "run" / "events.jsonl").read_text().splitlines()]
    assert any(e["kind"] == "note" and e.get("case") == after and "pre-case check: the station answered"
               in e["message"] for e in events)


# --------------------------------------------------------------------------- CSMS role
CSMS_CASES = ["TC_B_01_CSMS", "TC_G_05_CSMS", "TC_G_07_CSMS", "TC_G_08_CSMS"]


def csms_answering_first(port: int, calls: int) -> contextlib.AbstractAsyncContextManager[Any]:
    """A CSMS that answers the first ``calls`` CALLs and then, like one that lost its message broker, keeps
    its connections open and accepts new ones but answers nothing."""
    answered = 0

    def respond(action: str, payload: dict[str, Any]) -> dict[str, Any] | None:
        nonlocal answered
        if answered >= calls:
            return None
        answered += 1
        if action == "BootNotification":
            return {"currentTime": "2025-01-01T00:00:00Z", "interval": 300, "status": "Accepted"}
        return {}

    return answering_csms(port, respond)


async def test_a_csms_that_stops_answering_is_one_fail_then_inconclusive(tmp_path: Path) -> None:
    port = free_port()
    config = write_peer_config(tmp_path / "sut.toml", "csms", port, message_timeout=MESSAGE_TIMEOUT,
                               connect_timeout=3, case_time_limit=10)
    # the operator's instructions succeed (and the CSMS then never sends what it was told to)
    config.write_text(config.read_text().replace('command = "false"', 'command = "true"'))
    async with csms_answering_first(port, calls=2):  # TC_B_01_CSMS: BootNotification, StatusNotification
        run_ = await run_cases(config, tmp_path / "run", *CSMS_CASES, timeout=90)
    code, results, output, elapsed = run_.code, run_.results, run_.output, run_.elapsed
    assert code == 1, output
    first, second, third, fourth = run_order(tmp_path / "run")
    assert first == "TC_B_01_CSMS"  # served on the first connection
    assert [results[c]["verdict"] for c in (first, second, third, fourth)] == [
        "PASS", "FAIL", "INCONCLUSIVE", "INCONCLUSIVE"], output
    message = results[third]["message"]
    assert message.startswith(f"the SUT stopped answering after {second}"), message
    assert "the boot got no answer" in message or "HeartbeatRequest on the open connection got no answer" in message
    assert results[fourth]["message"].startswith(f"not run: the SUT stopped answering after {second}")
    assert elapsed < 20


class RecoveringStation(PeerStation):
    """Goes silent like :class:`PeerStation` (``silent_after``) and comes back when power cycled through the
    webhook action backend: it drops its connection, reconnects, boots and answers again."""

    def __init__(self, port: int, *, silent_after: int) -> None:
        super().__init__(port, silent_after=silent_after)
        self.power_cycles = 0
        self._task: Any = None

    async def perform_action(self, action: str, params: dict[str, Any]) -> dict[str, Any]:
        from conformance.actions.port import ActionFailed

        if action == "noop":
            return {}
        if action != "power_cycle":
            raise ActionFailed(action, f"{action} is not supported by this peer")
        self.power_cycles += 1
        self.silent_after = None  # the power cycle cleared whatever had it stuck
        if self._task is not None:
            self._task.cancel()
        self._task = asyncio.ensure_future(super().run())
        return {}

    async def run(self) -> None:
        self._task = asyncio.ensure_future(super().run())
        await asyncio.Event().wait()


async def test_a_stuck_station_is_power_cycled_and_the_remaining_cases_run(tmp_path: Path) -> None:
    """The pre-case check restores the state cases start from when it can: a station that stopped answering is
    power cycled through the action port, reconnects and boots, and the remaining cases run and pass."""
    port = free_port()
    station = RecoveringStation(port, silent_after=4)
    async with webhook_for(station) as hook, running(station.run()):
        config = write_peer_config(tmp_path / "sut.toml", "station", port, message_timeout=MESSAGE_TIMEOUT,
                                   connect_timeout=3, case_time_limit=10, webhook=hook)
        code, results, output, _ = await run(config, tmp_path / "run")
    assert code == 1, output
    first, second, third, fourth = run_order(tmp_path / "run")
    verdicts = [results[case_id]["verdict"] for case_id in (first, second, third, fourth)]
    assert verdicts == ["PASS", "FAIL", "PASS", "PASS"], output  # the FAIL stays the case where it stopped
    assert station.power_cycles == 1
    events = [json.loads(line) for line in (tmp_path / "run" / "events.jsonl").read_text().splitlines()]
    assert any(e["kind"] == "note" and "back after a power cycle" in e.get("message", "") for e in events)
