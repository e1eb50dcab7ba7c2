"""Exit codes for CI gates, and the expected-failures list."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conformance.reporting.model import build_model
from conformance.reporting.summary import (
    ExpectedFailure,
    ExpectedFailuresError,
    decide,
    load_expected_failures,
    summary_json,
)

REPO = Path(__file__).resolve().parents[1]


def case_events(case_id: str, verdict: str | None, message: str = "") -> list[dict]:
    events = [{"kind": "case_start", "case": case_id, "wall": 1.0, "mono": 1.0, "title": case_id, "role": "CS",
               "block": "B"}]
    if verdict is not None:
        events.append({"kind": "case_end", "case": case_id, "wall": 2.0, "mono": 2.5, "verdict": verdict,
                       "message": message})
    return events


def model(*cases: tuple[str, str | None]):
    return build_model([e for case_id, verdict in cases for e in case_events(case_id, verdict, f"{verdict} why")])


@pytest.mark.parametrize("verdicts,code", [
    ([("A", "PASS"), ("B", "NOT APPLICABLE")], 0),
    ([("A", "PASS"), ("B", "FAIL")], 1),
    ([("A", "INCONCLUSIVE")], 1),
    ([("A", "ERROR")], 1),
    ([("A", None)], 1),  # did not finish
])
def test_exit_code(verdicts, code: int) -> None:
    outcome = decide(model(*verdicts))
    assert outcome.exit_code == code
    assert len(outcome.deciding) == sum(v not in ("PASS", "NOT APPLICABLE") for _, v in verdicts)


def test_no_case_and_harness_errors_are_exit_2() -> None:
    assert decide(model()).exit_code == 2
    assert decide(model(("A", "PASS")), harness_error="pytest exit code 3").exit_code == 2


def test_expected_failure_does_not_fail_the_gate_but_one_that_passes_does() -> None:
    expected = {"B": ExpectedFailure("B", "known firmware bug #12")}
    outcome = decide(model(("A", "PASS"), ("B", "FAIL")), expected_failures=expected)
    assert outcome.exit_code == 0 and "known firmware bug #12" in outcome.expected[0]
    outcome = decide(model(("A", "PASS"), ("B", "PASS")), expected_failures=expected)
    assert outcome.exit_code == 1 and "PASSED" in outcome.unexpected_passes[0]
    outcome = decide(model(("B", None)), expected_failures=expected)  # not finishing is never excused
    assert outcome.exit_code == 1


def test_summary_json_counts_and_interruption() -> None:
    m = model(("A", "PASS"), ("B", None))
    data = summary_json(m, decide(m))
    assert data["counts"] == {"PASS": 1, "NOT FINISHED": 1}
    assert data["interrupted"] is True
    assert [c["duration"] for c in data["cases"]] == [1.5, None]


def test_expected_failures_file(tmp_path: Path) -> None:
    good = tmp_path / "xfail.toml"
    good.write_text('[[expected_failure]]\ncase = "TC_B_01_CS"\nreason = "connector 2 reports late (#44)"\n')
    assert load_expected_failures(good)["TC_B_01_CS"].reason.startswith("connector 2")
    for text in ('[[expected_failure]]\ncase = "TC_B_01_CS"\n', 'cases = 1\n', "[[expected_failure]\n"):
        bad = tmp_path / "bad.toml"
        bad.write_text(text)
        with pytest.raises(ExpectedFailuresError):
            load_expected_failures(bad)


def test_run_with_an_expected_failure_passes_the_gate(tmp_path: Path) -> None:
    xfail = tmp_path / "xfail.toml"
    xfail.write_text('[[expected_failure]]\ncase = "TC_B_01_CS"\nreason = "negative control"\n')
    proc = subprocess.run([sys.executable, "-m", "conformance.cli", "run", "--role", "station", "--case", "TC_B_01_CS",
                           "--case", "TC_B_06_CS", "--fault", "boot_skips_connector_status", "--expected-failures", str(xfail), "--run-dir",
                           str(tmp_path / "run")], capture_output=True, text=True, timeout=120, cwd=REPO)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "expected: TC_B_01_CS: FAIL as expected (negative control)" in proc.stdout
    # re-rendered with the same expected failures, the report exits as the run did; without them it fails
    for extra, code in ((["--expected-failures", str(xfail)], 0), ([], 1)):
        report = subprocess.run([sys.executable, "-m", "conformance.cli", "report", str(tmp_path / "run"),
                                 "--out", str(tmp_path / "again"), *extra], capture_output=True, text=True,
                                timeout=120, cwd=REPO)
        assert report.returncode == code, report.stdout + report.stderr
