"""Running the cases with pytest as users know it, from a checkout (the top-level conftest.py and
pyproject.toml): no role says how to choose one, markers select by value, the reports are rendered as by
`ocpp-conformance run`, and xdist workers write one run."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from support import REPO


def pytest_cases(*args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args], capture_output=True,
                          text=True, timeout=timeout, cwd=REPO)


def verdicts(run_dir: Path) -> dict[str, str]:
    return {c["id"]: c["verdict"] for c in json.loads((run_dir / "summary.json").read_text())["cases"]}


def test_cases_without_a_role_say_how_to_choose_one() -> None:
    proc = pytest_cases("testcases", "-n", "0")
    assert proc.returncode == 4, proc.stdout + proc.stderr
    assert "none can run: the OCPP test cases need a run: --ocpp-role station or --ocpp-role csms" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_markers_select_by_value_and_the_reports_are_rendered(tmp_path: Path) -> None:
    run_dir = tmp_path / "run"
    proc = pytest_cases("testcases", "--ocpp-role", "station", "-m", "block_p", "-n", "0", "--ocpp-run-dir",
                        str(run_dir))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    found = verdicts(run_dir)
    assert found and all(case.startswith(("TC_P_", "X_P_")) for case in found), found
    assert (run_dir / "report.html").exists() and (run_dir / "junit.xml").exists()
    assert f"report: {run_dir / 'report.html'}" in proc.stdout


def test_the_block_option_selects_like_the_marker(tmp_path: Path) -> None:
    run_dir = tmp_path / "run"
    proc = pytest_cases("testcases/csms", "--ocpp-role", "csms", "--ocpp-block", "p", "-n", "0", "--ocpp-run-dir",
                        str(run_dir))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    found = verdicts(run_dir)
    assert found and all(case.startswith(("TC_P_", "X_P_")) for case in found), found


def test_xdist_workers_write_one_run(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    run_dir = reports / "one-run"
    proc = pytest_cases("testcases", "--ocpp-role", "station", "-k", "test_tc_b_01_cs or test_tc_p_", "-n", "2",
                        "--ocpp-run-dir", str(run_dir))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert [p.name for p in reports.iterdir()] == ["one-run"]
    events = [json.loads(line) for line in (run_dir / "events.jsonl").read_text().splitlines()]
    assert [e["kind"] for e in events].count("run_start") == 1
    found = verdicts(run_dir)
    assert "TC_B_01_CS" in found and set(found.values()) == {"PASS"}, found
    assert (run_dir / "report.html").exists()
