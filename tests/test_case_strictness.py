"""Block B station cases are exactly as strict as the documents (issue 9): a small conformant peer doing a variant
the documents allow PASSes, and a peer breaking the rule FAILs. Each test runs one case through
``ocpp-conformance run --config`` against a websockets peer playing the Charging Station (the
tests/test_misbehaving_sut.py way).

* TC_B_03_CS: a boot retry after Rejected comes well after the interval (B03.FR.06 sets no upper bound): PASS;
  one sooner than the interval: FAIL.
* TC_B_07_CS: the station knows AuthCtrlr.LocalAuthorizationOffline (Part 2's / Part 6's spelling), not the CSV's
  LocalAuthorizeOffline: PASS, the report says which spelling it uses; a wrong value: FAIL.
* TC_B_13_CS: a FullInventory with Part 2's spellings (LocalAuthorizationOffline, LocalPreauthorize,
  TxEndInterval): PASS; without ActiveNetworkProfile (required by errata 2025-09 §2.57): FAIL.
* TC_B_16_CS: GetVariables results in another order than asked (B06.FR.01 fixes none): PASS; a false Enabled: FAIL.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from pathlib import Path
from typing import Any, Callable

import pytest
from support import BOOT, connect_to_harness, free_port, run_cases, running, write_peer_config

NOW = "2026-01-01T00:00:00Z"


def write_config(path: Path, port: int, actions_file: Path, *, profiles: str = '["Core"]') -> Path:
    """One EVSE with one connector, short timeouts, actions appended to ``actions_file`` (the peer reads them)."""
    return write_peer_config(path, "station", port, name="strictness peer", message_timeout=2, connect_timeout=6,
                             case_time_limit=40, profiles=profiles,
                             timing="boot_retry_interval = 1\nheartbeat_interval = 1\nmax_time_deviation = 0.5\n",
                             command="sh -c 'echo \\\"$0\\\" >> " + f"{actions_file}'")


async def run_case(config: Path, case_id: str, run_dir: Path) -> tuple[dict[str, Any], str, list[dict]]:
    run = await run_cases(config, run_dir, case_id, timeout=90)
    return run.results.get(case_id, {}), run.output, run.events


def status_notification() -> list:
    return ["StatusNotification", {"timestamp": NOW, "connectorStatus": "Available", "evseId": 1, "connectorId": 1}]


class Peer:
    """A Charging Station: connects, boots (Accepted unless the case answers otherwise), answers the harness's
    CALLs with ``answer(action, payload) -> payload`` and may send its own CALLs (``send``). The reboot action
    makes it close and connect again; ``boot_retry(status, interval)`` gives the delay before a retry."""

    def __init__(self, port: int, actions_file: Path, answer: Callable[[str, dict], Any], *,
                 boot_retry: Callable[[str, int], float] | None = None) -> None:
        self.port, self.actions_file, self.answer = port, actions_file, answer
        self.boot_retry = boot_retry or (lambda status, interval: interval)
        self.ws: Any = None
        self.ids = 0
        self.pending: dict[str, asyncio.Future] = {}
        self.reboot = asyncio.Event()

    async def call(self, action: str, payload: dict) -> Any:
        self.ids += 1
        message_id = f"peer-{self.ids}"
        future = asyncio.get_running_loop().create_future()
        self.pending[message_id] = future
        await self.ws.send(json.dumps([2, message_id, action, payload]))
        return await asyncio.wait_for(future, 5)

    async def _reader(self) -> None:
        async for raw in self.ws:
            message = json.loads(raw)
            if message[0] == 3 and message[1] in self.pending:
                self.pending.pop(message[1]).set_result(message[2])
            elif message[0] == 2:
                result = self.answer(message[2], message[3])
                if asyncio.iscoroutine(result):
                    result = await result
                await self.ws.send(json.dumps([3, message[1], result]))

    async def _watch_actions(self) -> None:
        seen = 0
        while True:
            lines = self.actions_file.read_text().splitlines() if self.actions_file.exists() else []
            for line in lines[seen:]:
                if line.strip() in ("reboot", "power_cycle"):
                    self.reboot.set()
            seen = len(lines)
            await asyncio.sleep(0.05)  # a file the harness's shell action appends to: polled

    async def _session(self) -> None:
        reader = asyncio.create_task(self._reader())
        try:
            while True:
                response = await self.call("BootNotification", BOOT)
                if response["status"] == "Accepted":
                    break
                await asyncio.sleep(self.boot_retry(response["status"], response["interval"]))
            await self.call("SecurityEventNotification", {"type": "StartupOfTheDevice", "timestamp": NOW})
            await self.call(*status_notification())
            await self.reboot.wait()
        finally:
            reader.cancel()

    async def run(self) -> None:
        watcher = asyncio.create_task(self._watch_actions())
        try:
            while True:
                self.ws = await connect_to_harness(self.port)
                self.reboot.clear()
                async with self.ws:
                    with contextlib.suppress(Exception):
                        await self._session()
                    with contextlib.suppress(Exception):
                        await self.ws.close()
        finally:
            watcher.cancel()


def peer_running(peer: Peer) -> contextlib.AbstractAsyncContextManager[Any]:
    return running(peer.run())


def no_answer(action: str, payload: dict) -> dict:
    return {}


# --------------------------------------------------------------------------- TC_B_03_CS: late boot retry
@pytest.mark.parametrize("delay, verdict", [(3.0, "PASS"), (0.7, "PASS"), (0.2, "FAIL")])
async def test_boot_retry_after_rejected_has_no_upper_bound(delay: float, verdict: str, tmp_path: Path) -> None:
    """The retry 3 s after a 1 s interval (max time deviation 0.5 s) passes; so does one 0.3 s early, within the
    configured deviation (Part 6 §2.1); one after 0.2 s fails B03.FR.06."""
    port = free_port()
    actions = tmp_path / "actions.log"
    config = write_config(tmp_path / "sut.toml", port, actions)
    peer = Peer(port, actions, no_answer, boot_retry=lambda status, interval: delay)
    async with peer_running(peer):
        result, output, _ = await run_case(config, "TC_B_03_CS", tmp_path / "run")
    assert result.get("verdict") == verdict, output
    if verdict == "FAIL":
        assert "B03.FR.06" in json.dumps(result), result


# --------------------------------------------------------------------------- TC_B_07_CS: the other spelling
def device_model_answer(variables: dict[tuple[str, str], str], *, wrong: bool = False) -> Callable[[str, dict], dict]:
    """Get/SetVariables over ``variables`` ((component, variable) -> value); unknown names: UnknownVariable."""
    def answer(action: str, payload: dict) -> dict:
        if action == "SetVariables":
            results = []
            for entry in payload["setVariableData"]:
                key = (entry["component"]["name"], entry["variable"]["name"])
                known = key in variables
                if known:
                    variables[key] = entry["attributeValue"]
                results.append({"attributeType": entry.get("attributeType", "Actual"),
                                "attributeStatus": "Accepted" if known else "UnknownVariable",
                                "component": entry["component"], "variable": entry["variable"]})
            return {"setVariableResult": results}
        if action == "GetVariables":
            results = []
            for entry in payload["getVariableData"]:
                key = (entry["component"]["name"], entry["variable"]["name"])
                result = {"attributeType": entry.get("attributeType", "Actual"), "component": entry["component"],
                          "variable": entry["variable"],
                          "attributeStatus": "Accepted" if key in variables else "UnknownVariable"}
                if key in variables:
                    value = variables[key]
                    result["attributeValue"] = "false" if wrong and value == "true" else value
                results.append(result)
            return {"getVariableResult": results}
        return {}
    return answer


@pytest.mark.parametrize("wrong, verdict", [(False, "PASS"), (True, "FAIL")])
async def test_variable_spelled_as_part2_is_accepted(wrong: bool, verdict: str, tmp_path: Path) -> None:
    port = free_port()
    actions = tmp_path / "actions.log"
    config = write_config(tmp_path / "sut.toml", port, actions)
    variables = {("OCPPCommCtrlr", "OfflineThreshold"): "60", ("AuthCtrlr", "LocalAuthorizationOffline"): "false"}
    async with peer_running(Peer(port, actions, device_model_answer(variables, wrong=wrong))):
        result, output, events = await run_case(config, "TC_B_07_CS", tmp_path / "run")
    assert result.get("verdict") == verdict, output
    if verdict == "PASS":
        spelled = [e for e in events if e.get("variable_spelling")]
        assert spelled and spelled[0]["variable_spelling"]["used"] == "LocalAuthorizationOffline", events[-5:]
        assert variables[("AuthCtrlr", "LocalAuthorizationOffline")] == "false"  # restored under its own name


# --------------------------------------------------------------------------- report peers (TC_B_13, TC_B_16)
REQUIRED_PART2_SPELLING = [
    ("OCPPCommCtrlr", "MessageTimeout", "Default"), ("OCPPCommCtrlr", "FileTransferProtocols", None),
    ("OCPPCommCtrlr", "ActiveNetworkProfile", None), ("OCPPCommCtrlr", "NetworkConfigurationPriority", None),
    ("OCPPCommCtrlr", "NetworkProfileConnectionAttempts", None), ("OCPPCommCtrlr", "OfflineThreshold", None),
    ("OCPPCommCtrlr", "MessageAttempts", "TransactionEvent"),
    ("OCPPCommCtrlr", "MessageAttemptInterval", "TransactionEvent"),
    ("OCPPCommCtrlr", "UnlockOnEVSideDisconnect", None), ("OCPPCommCtrlr", "ResetRetries", None),
    ("DeviceDataCtrlr", "ItemsPerMessage", "GetReport"), ("DeviceDataCtrlr", "ItemsPerMessage", "GetVariables"),
    ("DeviceDataCtrlr", "BytesPerMessage", "GetReport"), ("DeviceDataCtrlr", "BytesPerMessage", "GetVariables"),
    ("DeviceDataCtrlr", "ItemsPerMessage", "SetVariables"), ("DeviceDataCtrlr", "BytesPerMessage", "SetVariables"),
    ("ClockCtrlr", "DateTime", None), ("ClockCtrlr", "TimeSource", None),
    ("SecurityCtrlr", "OrganizationName", None), ("SecurityCtrlr", "CertificateEntries", None),
    ("SecurityCtrlr", "SecurityProfile", None), ("AuthCtrlr", "AuthorizeRemoteStart", None),
    ("AuthCtrlr", "LocalAuthorizationOffline", None), ("AuthCtrlr", "LocalPreauthorize", None),
    ("TxCtrlr", "EVConnectionTimeOut", None), ("TxCtrlr", "StopTxOnEVSideDisconnect", None),
    ("TxCtrlr", "TxStartPoint", None), ("TxCtrlr", "TxStopPoint", None), ("TxCtrlr", "StopTxOnInvalidId", None),
    ("SampledDataCtrlr", "TxEndedMeasurands", None), ("SampledDataCtrlr", "TxEndInterval", None),
    ("SampledDataCtrlr", "TxStartedMeasurands", None), ("SampledDataCtrlr", "TxUpdatedMeasurands", None),
    ("SampledDataCtrlr", "TxUpdatedInterval", None), ("AlignedDataCtrlr", "Measurands", None),
    ("AlignedDataCtrlr", "Interval", None), ("AlignedDataCtrlr", "TxEndedMeasurands", None),
    ("AlignedDataCtrlr", "TxEndInterval", None),
]


def report_entry(component: dict, variable: str, instance: str | None = None, value: str = "1",
                 mutability: str = "ReadWrite") -> dict:
    entry = {"component": component, "variable": {"name": variable},
             "variableAttribute": [{"type": "Actual", "value": value, "mutability": mutability}],
             "variableCharacteristics": {"dataType": "string", "supportsMonitoring": False}}
    if instance:
        entry["variable"]["instance"] = instance
    return entry


def full_inventory(*, without: str | None = None) -> list[dict]:
    entries = [report_entry({"name": c}, v, i) for c, v, i in REQUIRED_PART2_SPELLING if v != without]
    for variable in ("Available", "AvailabilityState", "SupplyPhases"):
        entries.append(report_entry({"name": "ChargingStation"}, variable))
    for variable in ("Available", "AvailabilityState", "Power", "SupplyPhases"):
        entries.append(report_entry({"name": "EVSE", "evse": {"id": 1}}, variable))
    entries[-2]["variableCharacteristics"]["maxLimit"] = 22000  # EVSE.Power
    for variable in ("Available", "AvailabilityState", "ConnectorType", "SupplyPhases"):
        entries.append(report_entry({"name": "Connector", "evse": {"id": 1, "connectorId": 1}}, variable))
    # A vendor component whose Target attribute is unset: B07.FR.11 lets it be reported without a value.
    entries.append({"component": {"name": "VendorThing"}, "variable": {"name": "Level"},
                    "variableAttribute": [{"type": "Actual", "value": "3"}, {"type": "Target"}],
                    "variableCharacteristics": {"dataType": "integer", "supportsMonitoring": False}})
    return entries


class ReportPeer(Peer):
    """Answers GetBaseReport / GetReport with ``reports(action, payload) -> entries`` (sent as one NotifyReport
    after the response) and Get/SetVariables with ``variables``."""

    def __init__(self, port: int, actions_file: Path, reports: Callable[[str, dict], list[dict]],
                 variables: Callable[[str, dict], dict] | None = None) -> None:
        super().__init__(port, actions_file, self._answer)
        self.reports, self.variables = reports, variables or no_answer

    async def _answer(self, action: str, payload: dict) -> dict:
        if action in ("GetBaseReport", "GetReport"):
            entries = self.reports(action, payload)
            asyncio.get_running_loop().call_later(0.05, lambda: asyncio.ensure_future(self.call("NotifyReport", {
                "requestId": payload["requestId"], "generatedAt": NOW, "seqNo": 0, "tbc": False,
                "reportData": entries})))
            return {"status": "Accepted"}
        return self.variables(action, payload)


@pytest.mark.parametrize("case_id", ["TC_B_13_CS", "TC_B_53_CS"])
@pytest.mark.parametrize("without, verdict", [(None, "PASS"), ("ActiveNetworkProfile", "FAIL")])
async def test_full_inventory_with_part2_spellings(case_id: str, without: str | None, verdict: str,
                                                   tmp_path: Path) -> None:
    """Part 2's spellings are accepted; a vendor variable's unset Target attribute without a value is outside
    errata 2025-09 §6.2.19 (TC_B_53_CS); a missing ActiveNetworkProfile fails both cases."""
    port = free_port()
    actions = tmp_path / "actions.log"
    config = write_config(tmp_path / "sut.toml", port, actions)
    async with peer_running(ReportPeer(port, actions, lambda action, payload: full_inventory(without=without))):
        result, output, events = await run_case(config, case_id, tmp_path / "run")
    assert result.get("verdict") == verdict, output
    if verdict == "FAIL":
        assert "ActiveNetworkProfile" in json.dumps(result), result
    else:
        assert any(e.get("variable_spelling", {}).get("used") == "LocalPreauthorize" for e in events)


@pytest.mark.parametrize("value, verdict", [("true", "PASS"), ("false", "FAIL")])
async def test_get_variables_results_in_any_order(value: str, verdict: str, tmp_path: Path) -> None:
    """TC_B_16_CS: the results of a GetVariablesRequest come back reversed (B06.FR.01 fixes no order)."""
    port = free_port()
    actions = tmp_path / "actions.log"
    config = write_config(tmp_path / "sut.toml", port, actions, profiles='["Core", "Advanced Device Management"]')
    components = [{"name": "ThingA"}, {"name": "ThingB"}, {"name": "ThingC"}]

    def reports(action: str, payload: dict) -> list[dict]:
        enabled = [report_entry(c, "Enabled", value="true") for c in components]
        if action == "GetBaseReport":
            return enabled + [report_entry({"name": "DeviceDataCtrlr"}, "ItemsPerMessage", "GetVariables", "10",
                                           "ReadOnly")]
        return enabled

    def variables(action: str, payload: dict) -> dict:
        if action != "GetVariables":
            return {}
        results = [{"attributeType": "Actual", "attributeStatus": "Accepted", "attributeValue": value,
                    "component": e["component"], "variable": e["variable"]} for e in payload["getVariableData"]]
        return {"getVariableResult": list(reversed(results))}

    async with peer_running(ReportPeer(port, actions, reports, variables)):
        result, output, _ = await run_case(config, "TC_B_16_CS", tmp_path / "run")
    assert result.get("verdict") == verdict, output


# --------------------------------------------------------------------------- TC_B_02_CS: a periodic retry first
class PendingPeer(Peer):
    """Booted Pending, it retries every interval with reason PowerUp; asked by TriggerMessage it answers Accepted,
    sends its periodic retry first when one is due (interval passed) and then the triggered boot. Once Accepted
    it rejects a BootNotification trigger (F06.FR.17). ``triggered_reason``: the reason of the triggered boot."""

    def __init__(self, port: int, actions_file: Path, triggered_reason: str = "Triggered") -> None:
        super().__init__(port, actions_file, self._answer)
        self.triggered_reason = triggered_reason
        self.accepted = False
        self.trigger = asyncio.Event()
        self.values = {"OfflineThreshold": "60"}

    async def _answer(self, action: str, payload: dict) -> dict:
        if action == "SetVariables":
            entry = payload["setVariableData"][0]
            self.values[entry["variable"]["name"]] = entry["attributeValue"]
            return {"setVariableResult": [{"attributeStatus": "Accepted", "component": entry["component"],
                                           "variable": entry["variable"]}]}
        if action == "GetVariables":
            entry = payload["getVariableData"][0]
            return {"getVariableResult": [{"attributeStatus": "Accepted", "component": entry["component"],
                                           "variable": entry["variable"],
                                           "attributeValue": self.values.get(entry["variable"]["name"], "1")}]}
        if action == "GetBaseReport":
            asyncio.get_running_loop().call_later(0.05, lambda: asyncio.ensure_future(self.call("NotifyReport", {
                "requestId": payload["requestId"], "generatedAt": NOW, "seqNo": 0, "tbc": False,
                "reportData": [report_entry({"name": "OCPPCommCtrlr"}, "OfflineThreshold")]})))
            return {"status": "Accepted"}
        if action == "RequestStartTransaction":
            return {"status": "Rejected"}
        if action == "TriggerMessage":
            if self.accepted:
                return {"status": "Rejected"}
            asyncio.get_running_loop().call_soon(self.trigger.set)
            return {"status": "Accepted"}
        return {}

    async def _session(self) -> None:
        reader = asyncio.create_task(self._reader())
        try:
            loop = asyncio.get_running_loop()
            reason = "PowerUp"
            self.accepted = False
            while True:
                response = await self.call("BootNotification", dict(BOOT, reason=reason))
                answered = loop.time()
                if response["status"] == "Accepted":
                    break
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(response["interval"]):
                        await self.trigger.wait()
                if self.trigger.is_set():
                    self.trigger.clear()
                    await asyncio.sleep(max(0.0, answered + response["interval"] + 0.05 - loop.time()))
                    await self.call("BootNotification", dict(BOOT, reason="PowerUp"))  # the periodic retry, due
                    reason = self.triggered_reason
                else:
                    reason = "PowerUp"
            self.accepted = True
            await self.call("SecurityEventNotification", {"type": "StartupOfTheDevice", "timestamp": NOW})
            await self.call(*status_notification())
            await self.reboot.wait()
        finally:
            reader.cancel()


@pytest.mark.parametrize("reason, verdict", [("Triggered", "PASS"), ("PowerUp", "FAIL")])
async def test_triggered_boot_after_a_periodic_retry(reason: str, verdict: str, tmp_path: Path) -> None:
    """TC_B_02_CS step 15: a periodic Pending retry that comes between the TriggerMessageResponse and the triggered
    boot is answered Pending and not taken for the triggered boot; a triggered boot without reason Triggered
    fails (F06.FR.10)."""
    port = free_port()
    actions = tmp_path / "actions.log"
    config = write_config(tmp_path / "sut.toml", port, actions)
    async with peer_running(PendingPeer(port, actions, reason)):
        result, output, _ = await run_case(config, "TC_B_02_CS", tmp_path / "run")
    assert result.get("verdict") == verdict, output


# --------------------------------------------------------------------------- transaction steps, availability reports
# The reference station with one variant each, run in this test's event loop and driven through a webhook (the
# tests/test_harness_peer.py way): the harness must take each step's TransactionEventRequest by its triggerReason
# (periodic updates, J02.FR.11, come at any time) and judge only the Connector component's AvailabilityState.
from conformance.reference.station import ReferenceStation  # noqa: E402
from support import FULL_PICS, started_with_webhook  # noqa: E402


class PeerStation(ReferenceStation):
    """``periodic``: a MeterValuePeriodic Updated event before every StopAuthorized / EVCommunicationLost event
    (allowed: J02.FR.11); ``no_connector_id``: the event after plug-in names only the EVSE (breaks E01.FR.16);
    ``station_available``: with every connector report, a NotifyEvent AvailabilityState "Available" of component
    ChargingStation (no document derives that value from the connectors); ``lock_value``: when the retention
    lock fails, first a NotifyEvent ConnectorPlugRetentionLock.Problem "false" (the state before), then the
    Problem event with this value ("true" is conformant, "TRUE" is not a Part 2 boolean). The variants wrap the
    reference station's transaction and availability components."""

    def __init__(self, port: int, *, periodic: bool = False, no_connector_id: bool = False,
                 station_available: bool = False, lock_value: str | None = None) -> None:
        super().__init__(csms_url=f"ws://127.0.0.1:{port}/ocpp", identity="CS001", password=None,
                         evses=[(1, (1,))], message_timeout=2, connect_timeout=6)
        area, availability = self.transactions_area, self.availability
        send_event, send_status = area._transaction_event, availability.send_status

        async def transaction_event(tx: Any, event_type: str, trigger: str, **kwargs: Any) -> None:
            if periodic and trigger in ("StopAuthorized", "EVCommunicationLost"):
                await send_event(tx, "Updated", "MeterValuePeriodic", charging_state=None)
            if no_connector_id and trigger == "CablePluggedIn":
                kwargs["with_evse"] = False
                plugged = set(self.state.plugged)
                self.state.plugged.clear()
                try:
                    return await send_event(tx, event_type, trigger, **kwargs)
                finally:
                    self.state.plugged |= plugged
            return await send_event(tx, event_type, trigger, **kwargs)

        async def status(conn: Any, evse: int, connector: int, *args: Any, **kwargs: Any) -> Any:
            # The station-level event goes BEFORE the connector's report: the harness stops reading reports once
            # every connector is reported, so one sent after it might not be read (and noted) within the case.
            if station_available:
                await conn.call("NotifyEvent", {"generatedAt": NOW, "seqNo": 0, "eventData": [{
                    "eventId": 90_000 + connector, "timestamp": NOW, "trigger": "Delta", "actualValue": "Available",
                    "eventNotificationType": "HardWiredNotification", "component": {"name": "ChargingStation"},
                    "variable": {"name": "AvailabilityState"}}]})
            return await send_status(conn, evse, connector, *args, **kwargs)

        async def lock_problem(evse: int, connector: int, problem: bool) -> None:
            if lock_value is None or not problem:
                return await notify_lock(evse, connector, problem)
            for value in ("false", lock_value):
                await self.connection.call("NotifyEvent", {"generatedAt": NOW, "seqNo": 0, "eventData": [{
                    "eventId": 80_000 + (value != "false"), "timestamp": NOW, "trigger": "Delta",
                    "actualValue": value, "eventNotificationType": "HardWiredNotification",
                    "component": {"name": "ConnectorPlugRetentionLock", "evse": {"id": evse, "connectorId": connector}},
                    "variable": {"name": "Problem"}}]})

        notify_lock = area._notify_lock_problem
        area._notify_lock_problem = lock_problem  # type: ignore[method-assign]
        area._transaction_event = transaction_event  # type: ignore[method-assign]
        availability.send_status = status  # type: ignore[method-assign]


async def run_against_peer(tmp_path: Path, case_id: str, **variant: Any) -> tuple[dict[str, Any], str, str]:
    port = free_port()
    peer = PeerStation(port, **variant)
    async with started_with_webhook(peer) as hook:
        config = write_peer_config(tmp_path / "sut.toml", "station", port, name="strictness peer station",
                                   message_timeout=2, connect_timeout=6, case_time_limit=60, pics_file=FULL_PICS,
                                   timing="max_time_deviation = 0.5\n", webhook=hook,
                                   extra="[configured]\nlock_failure_watch = 2\n")
        run = await run_cases(config, tmp_path / "run", case_id, timeout=120)
    return run.results.get(case_id, {}), run.output, json.dumps(run.events)


@pytest.mark.parametrize("variant, verdict", [({"periodic": True}, "PASS"), ({"no_connector_id": True}, "FAIL")])
async def test_transaction_steps_take_their_own_event(variant: dict, verdict: str, tmp_path: Path) -> None:
    """TC_B_21_CS: a periodic update before the StopAuthorized / EVCommunicationLost events PASSes (H1); the event
    after plug-in without evse.connectorId FAILs E01.FR.16 (H2)."""
    result, output, events = await run_against_peer(tmp_path, "TC_B_21_CS", **variant)
    assert result.get("verdict") == verdict, output
    if variant.get("periodic"):
        assert "MeterValuePeriodic" in events  # the variant really ran
    if verdict == "FAIL":
        assert "E01.FR.16" in json.dumps(result), result


async def test_station_level_availability_is_not_judged(tmp_path: Path) -> None:
    """TC_G_19_CS: a single-connector station whose connector is Unavailable may report the ChargingStation
    component Available (H6): PASS."""
    result, output, events = await run_against_peer(tmp_path, "TC_G_19_CS", station_available=True)
    assert result.get("verdict") == "PASS", output
    assert "of component ChargingStation" in events  # recorded, not judged


@pytest.mark.parametrize("value, verdict", [("true", "PASS"), ("TRUE", "FAIL")])
async def test_lock_failure_event_found_by_content(value: str, verdict: str, tmp_path: Path) -> None:
    """TC_G_20_CS: a Problem "false" event before the Problem "true" one is recorded, not taken for the lock
    failure: PASS; a value "TRUE" (not a Part 2 boolean) FAILs G05.FR.02."""
    result, output, _ = await run_against_peer(tmp_path, "TC_G_20_CS", lock_value=value)
    assert result.get("verdict") == verdict, output
    if verdict == "FAIL":
        assert "G05.FR.02" in json.dumps(result), result
