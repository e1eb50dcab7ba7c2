"""Issue 10 §4, small things a newcomer trips on: one duration per case, verdict text without Python
notation, the fault-run banner naming the SUT that had the fault."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from conformance.outcomes import CheckFailed, plain
from conformance.reporting.html import _readable
from support import REPO


def test_verdict_text_has_no_python_notation() -> None:
    assert plain([(2, 1)]) == "EVSE 2 connector 1"
    assert plain([(1, 1), (2, 1)]) == "EVSE 1 connector 1, EVSE 2 connector 1"
    assert plain(["GetReport", "GetVariables"]) == "GetReport, GetVariables"
    assert plain(frozenset()) == "none" and plain({"status": "Accepted"}) == '{"status": "Accepted"}'
    assert plain("Accepted") == "Accepted" and plain(3) == "3"
    text = CheckFailed("the station reports every connector", expected=[(1, 1), (2, 1)], actual=[(2, 1)]).describe()
    assert "expected: EVSE 1 connector 1, EVSE 2 connector 1" in text and "actual:   EVSE 2 connector 1" in text
    assert "[(" not in text


def test_the_report_words_recorded_reprs_the_same_way() -> None:
    assert _readable("[(2, 1)]") == "EVSE 2 connector 1"
    assert _readable("'Accepted'") == "'Accepted'" and _readable("[unparseable") == "[unparseable"


def run(tmp_path: Path, *args: str) -> str:
    proc = subprocess.run([sys.executable, "-m", "conformance.cli", "run", "--run-dir", str(tmp_path / "run"), *args],
                          capture_output=True, text=True, timeout=120, cwd=REPO)
    return proc.stdout + proc.stderr


def test_one_duration_per_case(tmp_path: Path) -> None:
    """The live progress line and the summary table give the same duration (case_start to case_end)."""
    output = run(tmp_path, "--role", "station", "--case", "TC_B_02_CS", "--case", "TC_B_01_CS")
    for case in ("TC_B_01_CS", "TC_B_02_CS"):
        durations = re.findall(rf"^{case}\s+PASS\s+(\d+\.\d+)s", output, re.M)
        assert len(durations) == 2 and durations[0] == durations[1], output


def test_the_fault_banner_names_the_sut_that_had_the_fault(tmp_path: Path) -> None:
    output = run(tmp_path, "--fault", "boot_without_reason", "--case", "TC_B_01_CS", "--case", "TC_B_01_CSMS")
    assert "== station: testing the Charging Station, the reference Charging Station with the fault(s) " \
           "boot_without_reason" in output
    assert "== csms: testing the CSMS (log:" in output  # the reference CSMS had no fault
    html = (tmp_path / "run" / "report.html").read_text()
    assert html.count("<b>Negative-control run.</b>") == 1
    assert "The reference Charging Station ran with the fault(s) <code>boot_without_reason</code>" in html
