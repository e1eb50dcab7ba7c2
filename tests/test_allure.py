"""Allure results (conformance/reporting/allure.py): runs the block B station cases under pytest
with allure-pytest and ``--alluredir`` in a subprocess, then reads the ``*-result.json`` files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from conformance.catalog import load_catalog
from conformance.harness.case import CaseMeta
from conformance.reporting import allure as allure_report
from conformance.reporting.allure import (
    case_steps,
    severity_of,
    standalone_svg,
    wire_log,
)

REPO = Path(__file__).resolve().parents[1]
CATALOG = load_catalog()
STATION_CASES = ("TC_B_01_CS", "TC_B_06_CS")  # the cases of BLOCK_B, the package these tests run
BLOCK_B = REPO / "testcases" / "station" / "b_provisioning"


@dataclass
class AllureRun:
    code: int
    output: str
    results: dict[str, dict[str, Any]]  # case id -> result json
    containers: list[dict[str, Any]]
    allure_dir: Path
    events: list[dict[str, Any]] = field(default_factory=list)

    def attachment(self, attachment: dict[str, Any]) -> str:
        return (self.allure_dir / attachment["source"]).read_text(encoding="utf-8")

    def frames(self, case_id: str) -> list[dict[str, Any]]:
        return [e for e in self.events if e["kind"] == "frame" and e.get("case") == case_id]


def run_cases(tmp: Path, *args: str, cases: Path | None = None, alluredir: bool = True,
              env: dict[str, str] | None = None) -> AllureRun:
    allure_dir = tmp / "allure"
    command = [sys.executable, "-m", "pytest", str(cases or BLOCK_B), "--ocpp-role", "station",
               "--ocpp-run-dir", str(tmp / "run"), "-p", "no:cacheprovider",
               "-c", str(REPO / "conformance" / "pytest-cases.ini"), "--rootdir", str(cases or REPO / "testcases"), *args]
    if cases is None:  # the two cases these tests count, whatever else block B implements
        command += ["-k", " or ".join(f"test_{c.lower()}" for c in STATION_CASES)]
    if alluredir:
        command += ["--alluredir", str(allure_dir)]
    proc = subprocess.run(command, check=False, capture_output=True, text=True, timeout=180, cwd=tmp,
                          env={**os.environ, **(env or {})})
    results: dict[str, dict[str, Any]] = {}
    containers: list[dict[str, Any]] = []
    if allure_dir.exists():
        for path in allure_dir.glob("*-result.json"):
            result = json.loads(path.read_text(encoding="utf-8"))
            results[label(result, "story")] = result
        containers = [json.loads(p.read_text(encoding="utf-8")) for p in allure_dir.glob("*-container.json")]
    events_path = tmp / "run" / "events.jsonl"
    events = [json.loads(line) for line in events_path.read_text().splitlines() if line.strip()] \
        if events_path.exists() else []
    return AllureRun(proc.returncode, proc.stdout + proc.stderr, results, containers, allure_dir, events)


def labels(result: dict[str, Any], name: str) -> list[str]:
    return [entry["value"] for entry in result.get("labels", []) if entry["name"] == name]


def label(result: dict[str, Any], name: str) -> str:
    values = labels(result, name)
    assert len(values) == 1, (name, values)
    return values[0]


def exchange_steps(result: dict[str, Any]) -> list[dict[str, Any]]:
    return [s for s in result.get("steps", []) if " -> " in s["name"] and "(CALL " in s["name"]]


def attachments_named(item: dict[str, Any], name: str) -> list[dict[str, Any]]:
    return [a for a in item.get("attachments", []) if a["name"] == name]


@pytest.fixture(scope="module")
def passing(tmp_path_factory: pytest.TempPathFactory) -> AllureRun:
    return run_cases(tmp_path_factory.mktemp("allure-pass"))


@pytest.fixture(scope="module")
def faulty(tmp_path_factory: pytest.TempPathFactory) -> AllureRun:
    return run_cases(tmp_path_factory.mktemp("allure-fault"), "--ocpp-fault", "boot_skips_connector_status")


# --------------------------------------------------------------------------- whole runs
def test_every_case_has_one_result_with_its_catalog_labels(passing: AllureRun) -> None:
    assert passing.code == 0, passing.output
    assert set(passing.results) == set(STATION_CASES), passing.output
    assert labels(passing.results["TC_B_01_CS"], "feature") == ["B01 Cold Boot Charging Station"]
    for case_id, result in passing.results.items():
        tc = CATALOG.test_cases[case_id]
        assert result["status"] == "passed"
        assert result["name"] == f"{case_id} {tc.title}"
        assert label(result, "epic") == f"B {CATALOG.blocks['B']}" == "B Provisioning"
        assert labels(result, "feature") == [f"{uc} {CATALOG.use_cases[uc].name}" for uc in tc.use_cases]
        assert label(result, "story") == case_id
        assert label(result, "severity") == "blocker"  # both are mandatory in Core
        assert label(result, "role") == "Charging Station"
        assert label(result, "verdict") == "PASS"
        assert label(result, "suite") == "B Provisioning"


def test_requirements_are_links(passing: AllureRun) -> None:
    for case_id, result in passing.results.items():
        links = [link for link in result.get("links", []) if link["type"] == "requirement"]
        assert [link["name"] for link in links] == list(CATALOG.test_cases[case_id].requirements)
        assert all(link["url"] == f"#{link['name']}" for link in links)
        for requirement in CATALOG.test_cases[case_id].requirements:
            assert requirement in result["description"]


def test_one_step_per_exchange_with_the_payloads_attached(passing: AllureRun) -> None:
    for case_id, result in passing.results.items():
        calls = [f for f in passing.frames(case_id) if f["message_type"] == "CALL"]
        responses = {f["message_id"]: f for f in passing.frames(case_id) if f["message_type"] != "CALL"}
        steps = exchange_steps(result)
        assert len(steps) == len(calls) > 0
        for step, call in zip(steps, calls):  # in log order
            response = responses[call["message_id"]]
            harness_sends = call["direction"] == "out"
            sender, receiver = ("CSMS", "Charging Station") if harness_sends else ("Charging Station", "CSMS")
            assert step["name"] == (f"{sender} -> {receiver}: {call['action']} (CALL {call['message_id'][:8]})"
                                    f" / {response['message_type']}")
            assert step["status"] == "passed"
            request, = attachments_named(step, f"{call['action']}Request (CALL)")
            answer, = attachments_named(step, f"{call['action']}Response (CALLRESULT)")
            assert request["type"] == answer["type"] == "application/json"
            assert json.loads(passing.attachment(request)) == call["payload"]
            assert json.loads(passing.attachment(answer)) == response["payload"]
            assert step["start"] <= step["stop"]
        assert all(result["start"] <= step["start"] for step in result["steps"])  # the case's time span
    b06 = [s["name"] for s in exchange_steps(passing.results["TC_B_06_CS"])]
    assert b06[0].startswith("CSMS -> Charging Station: GetVariables (CALL ") and b06[0].endswith(" / CALLRESULT")


def test_actions_and_checks_are_steps_too(passing: AllureRun) -> None:
    steps = [s["name"] for s in passing.results["TC_B_01_CS"]["steps"]]
    assert "Action: power_cycle -> ok" in steps
    checks = [e for e in passing.events if e["kind"] == "check" and e.get("case") == "TC_B_01_CS"]
    assert len([s for s in steps if s.startswith("Check: ")]) == len(checks) > 0


def test_steps_are_on_the_test_result_not_on_fixture_containers(passing: AllureRun) -> None:
    assert passing.containers  # allure-pytest wrote its fixture containers
    for container in passing.containers:
        for fixture in container.get("befores", []) + container.get("afters", []):
            assert not fixture.get("steps"), fixture
            assert not fixture.get("attachments"), fixture


def test_wire_log_events_and_sequence_diagram_are_attached(passing: AllureRun) -> None:
    for case_id, result in passing.results.items():
        wire, = attachments_named(result, "wire log")
        assert wire["type"] == "text/plain"
        text = passing.attachment(wire)
        frames = passing.frames(case_id)
        assert all(frame["raw"] in text for frame in frames)
        events, = attachments_named(result, "case events")
        logged = json.loads(passing.attachment(events))
        assert logged[0]["kind"] == "case_start" and logged[-1]["kind"] == "case_end"
        diagrams = attachments_named(result, "sequence diagram")
        if _diagram_available():
            diagram, = diagrams
            assert diagram["type"] == "image/svg+xml"
            root = ET.fromstring(passing.attachment(diagram))
            assert root.tag == "{http://www.w3.org/2000/svg}svg"
        else:
            assert not diagrams
        for attachment in _all_attachments(result):
            assert (passing.allure_dir / attachment["source"]).is_file()


def test_a_failing_case_is_failed_with_the_failed_check_as_a_failed_step(faulty: AllureRun) -> None:
    assert faulty.code == 1, faulty.output
    failed, passed = faulty.results["TC_B_01_CS"], faulty.results["TC_B_06_CS"]
    assert failed["status"] == "failed"
    assert label(failed, "verdict") == "FAIL"
    assert "B01.FR.05" in failed["statusDetails"]["message"]
    bad = [s for s in failed["steps"] if s["status"] == "failed"]
    assert len(bad) == 1 and bad[0]["name"].startswith("Check: ") and "B01.FR.05" in bad[0]["name"]
    assert "expected" in bad[0]["statusDetails"]["message"]
    assert exchange_steps(failed)  # what happened before the failure is there
    assert passed["status"] == "passed" and label(passed, "verdict") == "PASS"


def test_not_applicable_is_skipped(tmp_path: Path) -> None:
    run = run_cases(tmp_path, "--ocpp-set", 'pics.profiles=["Smart Charging"]')
    assert set(run.results) == set(STATION_CASES), run.output
    for result in run.results.values():
        assert result["status"] == "skipped"
        assert label(result, "verdict") == "NOT APPLICABLE"
        assert "Core is not claimed" in result["statusDetails"]["message"]
        assert not exchange_steps(result)
        assert not attachments_named(result, "sequence diagram")


SYNTHETIC_CASES = '''
from conformance.harness import case
from conformance.outcomes import HarnessError, Inconclusive


@case
async def test_tc_b_06_cs(station):
    await station.call("GetVariables", {"getVariableData": [
        {"component": {"name": "OCPPCommCtrlr"}, "variable": {"name": "OfflineThreshold"}}]})
    raise Inconclusive("the operator did not present the token")


@case
async def test_tc_b_01_cs(station):
    raise HarnessError("the harness broke")
'''


def test_inconclusive_and_error_are_broken(tmp_path: Path) -> None:
    cases = tmp_path / "cases"
    cases.mkdir()
    (cases / "test_synthetic.py").write_text(textwrap.dedent(SYNTHETIC_CASES))
    run = run_cases(tmp_path, cases=cases)
    assert set(run.results) == set(STATION_CASES), run.output
    inconclusive, error = run.results["TC_B_06_CS"], run.results["TC_B_01_CS"]
    assert inconclusive["status"] == "broken" and label(inconclusive, "verdict") == "INCONCLUSIVE"
    assert "did not present the token" in inconclusive["statusDetails"]["message"]
    exchanges = [s["name"].split(" (CALL")[0] for s in exchange_steps(inconclusive)]
    assert "CSMS -> Charging Station: GetVariables" in exchanges  # (after the boot of the first case)
    assert error["status"] == "broken" and label(error, "verdict") == "ERROR"


PROBE = '''
import os, sys
from pathlib import Path


def pytest_unconfigure(config):
    Path(os.environ["PROBE_OUT"]).write_text("\\n".join(sorted(sys.modules)))
'''


@pytest.mark.parametrize("allure_plugin", [True, False], ids=["without-alluredir", "without-allure-pytest"])
def test_nothing_happens_without_alluredir(tmp_path: Path, allure_plugin: bool) -> None:
    (tmp_path / "probe_plugin.py").write_text(PROBE)
    out = tmp_path / "modules.txt"
    args = ["-p", "probe_plugin"] + ([] if allure_plugin else ["-p", "no:allure_pytest"])
    run = run_cases(tmp_path, *args, alluredir=False,
                    env={"PROBE_OUT": str(out), "PYTHONPATH": os.pathsep.join(filter(None, [
                        str(tmp_path), os.environ.get("PYTHONPATH", "")]))})
    assert run.code == 0, run.output
    modules = set(out.read_text().split())
    assert "conformance.reporting.allure" not in modules
    if not allure_plugin:
        assert not {m for m in modules if m.startswith(("allure_commons", "allure_pytest"))}
    assert not run.allure_dir.exists()


# --------------------------------------------------------------------------- the pure parts
def _meta(case_id: str) -> CaseMeta:
    tc = CATALOG.test_cases[case_id]
    return CaseMeta(tc.id, tc.role, tc.block, tc.title, tc.summary, tc.use_cases, tc.requirements, tc.profiles)


def _first(predicate: Any) -> CaseMeta:
    return _meta(next(tc.id for tc in CATALOG.test_cases.values() if predicate(tc)))


def test_severity_follows_the_part5_profiles() -> None:
    assert severity_of(_first(lambda tc: any(p.profile == "Core" and p.level == "M" for p in tc.profiles))) == "blocker"
    assert severity_of(_first(lambda tc: any(p.level == "M" for p in tc.profiles)
                              and not any(p.profile == "Core" and p.level == "M" for p in tc.profiles))) == "critical"
    assert severity_of(_first(lambda tc: tc.profiles and all(p.level == "C" for p in tc.profiles))) == "normal"
    assert severity_of(_first(lambda tc: not tc.profiles)) == "minor"
    own = CaseMeta("X_G_02_CS", "CS", "G", "own", "own", ("G01",), (), (), beyond_catalog=True)
    assert severity_of(own) == "minor"


def _frame(wall: float, direction: str, mtype: str, mid: str, action: str | None = None,
           **extra: Any) -> dict[str, Any]:
    return {"kind": "frame", "wall": wall, "case": "TC_X", "connection": "CS001", "local_role": "CSMS",
            "direction": direction, "message_type": mtype, "message_id": mid, "action": action,
            "raw": f"[{mtype} {mid}]", "payload": {"n": wall}, "valid": True, **extra}


def test_exchanges_pair_calls_with_their_responses() -> None:
    events = [
        _frame(1.0, "out", "CALL", "aaaaaaaa-1", "Reset"),
        _frame(1.1, "in", "CALL", "bbbbbbbb-2", "StatusNotification"),  # interleaved
        _frame(1.2, "in", "CALLERROR", "aaaaaaaa-1", "Reset", error_code="NotImplemented"),
        _frame(1.3, "out", "CALLRESULT", "bbbbbbbb-2", "StatusNotification"),
        _frame(1.4, "in", "CALLRESULT", "cccccccc-3", None),  # no CALL in this case
        _frame(1.5, "in", "CALL", "dddddddd-4", "Heartbeat", valid=False,
               violations=[{"path": "$", "keyword": "additionalProperties", "message": "x not allowed"}]),
        {"kind": "action", "wall": 1.6, "action": "plug_in", "call": 1, "status": "started", "params": {"evse": 1},
         "backend": "prompt"},
        {"kind": "wait", "wall": 1.7, "reason": "no StatusNotification expected", "seconds": 5},
        {"kind": "action", "wall": 1.8, "action": "plug_in", "call": 1, "status": "timeout", "reason": "no answer",
         "backend": "prompt"},
        {"kind": "check", "wall": 1.9, "name": "status", "passed": False, "expected": "'A'", "actual": "'B'",
         "requirements": ["B01.FR.05"]},
        {"kind": "wait", "wall": 2.0, "reason": "settle", "seconds": 0.5},
    ]
    steps = case_steps(events, "CS")
    names = [s.name for s in steps]
    assert names == [
        "CSMS -> Charging Station: Reset (CALL aaaaaaaa) / CALLERROR NotImplemented",
        "Charging Station -> CSMS: StatusNotification (CALL bbbbbbbb) / CALLRESULT",
        "Charging Station -> CSMS: (CALLRESULT cccccccc) without a CALL in this case",
        "Charging Station -> CSMS: Heartbeat (CALL dddddddd) / no response",
        "Action: plug_in -> timeout",
        "Wait 5s: no StatusNotification expected",
        "Check: status [B01.FR.05]",
        "Wait 0.5s: settle",
    ]
    reset, _, lone, heartbeat, action, wait, check, _ = steps
    assert (reset.start, reset.stop) == (1.0, 1.2) and reset.status == "passed"
    assert [a.name for a in reset.attachments] == ["ResetRequest (CALL)", "CALLERROR NotImplemented"]
    assert json.loads(reset.attachments[1].body)["errorCode"] == "NotImplemented"
    assert heartbeat.status == "failed" and "additionalProperties" in heartbeat.message
    assert [a.name for a in heartbeat.attachments] == ["HeartbeatRequest (CALL)", "CALL problems"]
    assert action.status == "broken" and action.message == "no answer" and (action.start, action.stop) == (1.6, 1.8)
    assert (wait.start, wait.stop) == (1.7, 2.0)  # bounded by the end of the case
    assert check.status == "failed" and check.message == "expected 'A', actual 'B'"
    assert lone.status == "passed"


def test_several_stations_are_named_by_identity() -> None:
    a = _frame(1.0, "out", "CALL", "11111111", "BootNotification", local_role="ChargingStation")
    b = dict(_frame(1.1, "out", "CALL", "22222222", "BootNotification", local_role="ChargingStation"),
             connection="CS002")
    names = [s.name for s in case_steps([a, b], "CSMS")]
    assert names == ["Charging Station CS001 -> CSMS: BootNotification (CALL 11111111) / no response",
                     "Charging Station CS002 -> CSMS: BootNotification (CALL 22222222) / no response"]
    log = wire_log([a, b], "CSMS")
    assert "CS002  Charging Station CS002 -> CSMS  [CALL 22222222]" in log


def test_the_diagram_becomes_a_standalone_svg_and_is_optional(monkeypatch: pytest.MonkeyPatch) -> None:
    svg = standalone_svg('<svg class="seq" viewBox="0 0 10 10"><line class="lifeline"/></svg>')
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root[0].tag == "{http://www.w3.org/2000/svg}style"
    monkeypatch.setitem(sys.modules, "conformance.reporting.diagram", None)  # import fails
    events = [{"kind": "case_start", "case": "TC_X", "wall": 1.0}, _frame(1.1, "out", "CALL", "a", "Reset"),
              {"kind": "case_end", "case": "TC_X", "wall": 1.2, "verdict": "PASS"}]
    assert allure_report.sequence_diagram(events, "TC_X") is None
    assert [a.name for a in allure_report.case_attachments(events, "TC_X", "CS")] == ["wire log", "case events"]


def _diagram_available() -> bool:
    try:
        from conformance.reporting.diagram import sequence_svg  # noqa: F401
    except ImportError:
        return False
    return True


def _all_attachments(item: dict[str, Any]) -> list[dict[str, Any]]:
    found = list(item.get("attachments", []))
    for step in item.get("steps", []):
        found += _all_attachments(step)
    return found
