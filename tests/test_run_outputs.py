"""What a run leaves behind: secrets never in any output, interrupted runs still render,
re-rendering a log gives the same outputs."""

from __future__ import annotations

import base64
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from conformance.recording import read_log
from support import REPO, free_port, write_peer_config

PASSWORD = "Sup3rSecretBasicAuth-771"
NEW_PASSWORD = "NewSecretPassword-99231"
TOKEN = "SECRETTOKEN4711"

SECRET_CASE = f'''
from conformance.harness import case


@case
async def test_tc_a_01_cs(station):
    await station.call("SetVariables", {{"setVariableData": [{{
        "component": {{"name": "SecurityCtrlr"}}, "variable": {{"name": "BasicAuthPassword"}},
        "attributeValue": "{NEW_PASSWORD}"}}]}})
    await station.actions.do("plug_in", evse=1, connector=1)
    await station.actions.do("present_id_token", id_token="{TOKEN}", type="ISO14443", evse=1)
    await station.expect_call("TransactionEvent", eventType="Started")
    station.check.that("a failing check that quotes the secrets", False, expected="{PASSWORD}",
                       actual="{TOKEN} {NEW_PASSWORD}")
'''


def test_secrets_never_leave_the_run(tmp_path: Path) -> None:
    cases = tmp_path / "cases"
    cases.mkdir()
    (cases / "test_secrets.py").write_text(SECRET_CASE)
    run_dir = tmp_path / "run"
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", str(cases), "--ocpp-role", "station", "--ocpp-run-dir", str(run_dir),
         "--ocpp-set", f"connection.password={PASSWORD}", "--ocpp-set", f'id_tokens.valid.id_token="{TOKEN}"',
         "--ocpp-set", "id_tokens.valid.secret=true", "-p", "no:cacheprovider", "-c", str(REPO / "conformance" /
                                                                                       "pytest-cases.ini"),
         "--rootdir", str(cases), f"--alluredir={run_dir / 'allure-results'}"],
        capture_output=True, text=True, timeout=120, cwd=REPO)
    report = subprocess.run([sys.executable, "-m", "conformance.cli", "report", str(run_dir)], capture_output=True,
                            text=True, timeout=120, cwd=REPO)
    assert report.returncode == 1, report.stdout + report.stderr  # exits as the run did: the case failed
    log = read_log(run_dir / "events.jsonl")
    # the case really carried the secrets: the transaction started with the token, the check failed
    assert any(e["kind"] == "frame" and e.get("action") == "TransactionEvent" for e in log), proc.stdout
    assert any(e["kind"] == "case_end" and e["verdict"] == "FAIL" for e in log), proc.stdout
    assert any("***" in json.dumps(e) for e in log)
    basic = base64.b64encode(f"CS001:{PASSWORD}".encode()).decode()
    secrets = [PASSWORD, NEW_PASSWORD, TOKEN, basic]
    outputs = [p for p in run_dir.rglob("*") if p.is_file()]
    assert {p.name for p in outputs} >= {"events.jsonl", "summary.json", "junit.xml", "report.html"}
    assert any(p.name.endswith("-result.json") for p in outputs)  # Allure results too
    for path in outputs:
        content = path.read_bytes()
        for secret in secrets:
            assert secret.encode() not in content, f"{secret!r} leaked into {path}"
    for stream in (proc.stdout, proc.stderr, report.stdout, report.stderr):
        for secret in secrets:
            assert secret not in stream, f"{secret!r} leaked into the terminal output"


def _start_then_signal(tmp_path: Path, sig: int) -> tuple[subprocess.Popen, Path]:
    """A run of two cases against a station that never connects; ``sig`` is sent to the whole run (the CLI and
    its pytest session) once the first case has started."""
    port = free_port()
    config = write_peer_config(tmp_path / "sut.toml", "station", port, message_timeout=60, connect_timeout=60,
                               case_time_limit=120)
    run_dir = tmp_path / "run"
    proc = subprocess.Popen([sys.executable, "-m", "conformance.cli", "run", "--config", str(config), "--case",
                             "TC_B_06_CS", "--case", "TC_B_07_CS", "--run-dir", str(run_dir)], cwd=REPO,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    log = run_dir / "events.jsonl"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:  # the case has started when its case_start is in the log
            if log.exists() and any(e["kind"] == "case_start" for e in read_log(log)):
                break
            time.sleep(0.05)
        else:
            raise AssertionError("the case never started")
    finally:
        os.killpg(proc.pid, sig)
    return proc, run_dir


def test_a_killed_run_leaves_a_log_that_renders_with_the_unfinished_case_marked(tmp_path: Path) -> None:
    """The station never connects: the first case waits; the run is killed (SIGKILL). The re-rendered run shows
    the case that was running and the selected case that never started as NOT FINISHED, and exits 1."""
    proc, run_dir = _start_then_signal(tmp_path, signal.SIGKILL)
    proc.wait(timeout=10)
    report = subprocess.run([sys.executable, "-m", "conformance.cli", "report", str(run_dir)], capture_output=True,
                            text=True, timeout=60, cwd=REPO)
    assert report.returncode == 1, report.stdout + report.stderr  # a partial run never reads as a pass
    summary = json.loads((run_dir / "summary.json").read_text())
    assert summary["interrupted"] is True
    assert [(c["id"], c["verdict"]) for c in summary["cases"]] == [("TC_B_06_CS", "NOT FINISHED"),
                                                                   ("TC_B_07_CS", "NOT FINISHED")]
    assert "never ran" in summary["cases"][1]["message"]
    assert summary["exit_code"] == 1
    junit = (run_dir / "junit.xml").read_text()
    assert "NOT FINISHED" in junit
    html = (run_dir / "report.html").read_text()
    assert "NOT FINISHED" in html and "1 selected case(s) never ran" in html
    assert "this run: 2 cases: 2 NOT FINISHED" in html  # what the run covered, next to the exit code
    assert "this run: 2 cases: 2 NOT FINISHED" in report.stdout and "exit code 1" in report.stdout


def test_an_interrupted_run_renders_what_it_has(tmp_path: Path) -> None:
    """SIGINT (Ctrl-C in a terminal reaches the CLI and its pytest session): the session ends its log, the CLI
    renders it, and the run exits 1 with what did not finish marked."""
    proc, run_dir = _start_then_signal(tmp_path, signal.SIGINT)
    output, _ = proc.communicate(timeout=60)
    assert proc.returncode == 1, output
    assert "Traceback" not in output
    summary = json.loads((run_dir / "summary.json").read_text())
    assert summary["interrupted"] is True and summary["exit_code"] == 1
    assert {c["id"]: c["verdict"] for c in summary["cases"]} == {"TC_B_06_CS": "NOT FINISHED",
                                                                "TC_B_07_CS": "NOT FINISHED"}
    assert "the run was interrupted (SIGINT)" in summary["deciding"]
    assert "exit code 1" in output


def test_rendering_again_from_the_log_gives_the_same_outputs(tmp_path: Path) -> None:
    run_dir = tmp_path / "run"
    subprocess.run([sys.executable, "-m", "conformance.cli", "run", "--role", "station", "--fault",
                    "boot_skips_connector_status", "--case", "TC_B_01_CS", "--case", "TC_B_06_CS", "--case",
                    "TC_B_12_CS", "--case", "TC_G_03_CS", "--run-dir", str(run_dir)],
                   capture_output=True, timeout=120, cwd=REPO)
    again = tmp_path / "again"
    report = subprocess.run([sys.executable, "-m", "conformance.cli", "report", str(run_dir / "events.jsonl"),
                             "--out", str(again)], capture_output=True, text=True, timeout=60, cwd=REPO)
    assert report.returncode == 1, report.stderr  # as the run: the fault makes a case fail
    # everything rendered from the log (Allure results are written by allure-pytest during the run)
    rendered = sorted(p.relative_to(run_dir) for p in run_dir.rglob("*") if p.is_file() and p.name != "events.jsonl"
                      and p.relative_to(run_dir).parts[0] != "allure-results")
    assert rendered, "the run rendered nothing"
    for relative in rendered:
        assert (again / relative).read_bytes() == (run_dir / relative).read_bytes(), f"{relative} differs"
