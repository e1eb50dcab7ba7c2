"""Outputs under a misbehaving SUT (issue 10 §3): a case flooded with 10,000 CALLs keeps every frame in the
event log, but report.html shows the first and last MAX_FRAMES_SHOWN frames with one "omitted" row and
stays under 2 MB, and the Allure material of the case stays a handful of files under 4 MB."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conformance.recording import EventLog, read_log
from conformance.reporting import allure as allure_report
from conformance.reporting.capping import MAX_FRAMES_SHOWN, Omitted, cap_rows
from conformance.reporting.model import load_model
from conformance.reporting.render import render_all
from conformance.reporting.summary import decide
from support import REPO

FLOOD = 10_000
REPORT_LIMIT = 2 * 1024 * 1024  # bytes of report.html
ALLURE_FILES_LIMIT = 5  # attachment files of the flooded case (wire log, case events, diagram)
ALLURE_BYTES_LIMIT = 4 * 1024 * 1024


def flood_log(run_dir: Path) -> Path:
    """A run with one normal case and one case in which the SUT floods 10,000 Heartbeat CALLs, each judged
    (a generic failed check: one outstanding CALL, OCPP-J Part 4 §4.1.1)."""
    log = EventLog(run_dir / "events.jsonl")
    log.emit("run_start", run_id="flood")
    log.emit("session_start", role="station", sut_name="flooding station", reference=False, faults=[])
    log.current_case = "TC_B_01_CS"
    log.emit("case_start", title="Cold Boot", role="CS", block="B", use_cases=["B01"], requirements=[])
    for i in range(FLOOD):
        message_id = f"flood-{i:05d}"
        log.emit("frame", connection="CS001", local_role="CSMS", direction="in", message_type="CALL",
                 raw=json.dumps([2, message_id, "Heartbeat", {}]), message_id=message_id, action="Heartbeat",
                 payload={}, valid=True)
        log.emit("check", name="one outstanding CALL", passed=False, generic=True,
                 requirements=["OCPP-J Part 4 §4.1.1"], expected="one CALL at a time",
                 actual=f"CALL {message_id} while another is unanswered", message_id=message_id, frame_index=i)
    log.emit("case_end", verdict="FAIL", message="flood", duration=1.0)
    log.current_case = "TC_B_06_CS"
    log.emit("case_start", title="Get Variables", role="CS", block="B", use_cases=["B06"], requirements=[])
    log.emit("frame", connection="CS001", local_role="CSMS", direction="out", message_type="CALL",
             raw=json.dumps([2, "gv-1", "GetVariables", {}]), message_id="gv-1", action="GetVariables", payload={},
             valid=True)
    log.emit("case_end", verdict="PASS", message="", duration=0.1)
    log.close()
    return run_dir


def test_cap_rows_keeps_the_first_and_last_frames_and_the_failure() -> None:
    items = list(range(1000))
    shown = cap_rows(items, 10, keep={500})
    assert shown[:5] == [0, 1, 2, 3, 4] and shown[-5:] == [995, 996, 997, 998, 999]
    assert 500 in shown
    omitted = [x for x in shown if isinstance(x, Omitted)]
    assert [o.rows for o in omitted] == [495, 494]
    assert cap_rows(items, 0) == items and cap_rows(items[:10], 10) == items[:10]


def test_a_flooded_case_renders_a_small_report(tmp_path: Path) -> None:
    run_dir = flood_log(tmp_path / "run")
    assert sum(1 for e in read_log(run_dir / "events.jsonl") if e["kind"] == "frame") == FLOOD + 1  # all kept
    model = load_model(run_dir)
    report = render_all(model, decide(model), run_dir)
    size = report.stat().st_size
    assert size < REPORT_LIMIT, f"report.html is {size:,} bytes"
    html = report.read_text()
    omitted = FLOOD - MAX_FRAMES_SHOWN
    assert f"{omitted:,} frames omitted" in html  # wire log and diagram
    assert f"{FLOOD - MAX_FRAMES_SHOWN:,} checks omitted" in html
    assert '<a href="events.jsonl">events.jsonl</a>' in html
    assert "flood-00099" in html and "flood-09900" in html and "flood-05000" not in html
    summary = json.loads((run_dir / "summary.json").read_text())
    assert {c["id"]: c["verdict"] for c in summary["cases"]} == {"TC_B_01_CS": "FAIL", "TC_B_06_CS": "PASS"}


def test_the_frame_limit_is_configurable(tmp_path: Path) -> None:
    run_dir = flood_log(tmp_path / "run")
    proc = subprocess.run([sys.executable, "-m", "conformance.cli", "report", str(run_dir), "--max-frames", "20",
                           "--out", str(tmp_path / "small")], capture_output=True, text=True, timeout=120, cwd=REPO)
    assert proc.returncode == 1, proc.stderr  # `report` exits as the run did: the flooded case FAILED
    html = (tmp_path / "small" / "report.html").read_text()
    assert f"{FLOOD - 20:,} frames omitted" in html and "flood-00009" in html and "flood-00010" not in html


def test_a_flooded_case_makes_few_allure_files(tmp_path: Path) -> None:
    events = [e for e in read_log(flood_log(tmp_path / "run") / "events.jsonl") if e.get("case") == "TC_B_01_CS"]
    steps = allure_report.case_steps(events, "CS")
    attachments = allure_report.case_attachments(events, "TC_B_01_CS", "CS")

    def all_attachments(step_list: list[allure_report.Step]) -> list[allure_report.Attachment]:
        return [a for s in step_list for a in s.attachments + all_attachments(s.steps)]

    files = attachments + all_attachments(steps)
    assert len(files) <= ALLURE_FILES_LIMIT, [a.name for a in files]
    assert sum(len(a.body.encode()) for a in files) < ALLURE_BYTES_LIMIT
    wire, = [a for a in attachments if a.name == "wire log"]
    assert wire.body.count("Heartbeat") == FLOOD  # once per case, every frame
    assert len([s for s in steps if "Heartbeat" in s.name]) == MAX_FRAMES_SHOWN
    assert any("omitted" in s.name for s in steps)
