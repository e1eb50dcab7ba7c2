"""A failed check decides the verdict wherever it came from (HELPERS contract 1, issue 8 §1/§3), and a case
lists every failed check it could still evaluate.

* the run model (summary.json, JUnit, HTML, the exit code of `run` and of `report`) turns a case with a failed
  check FAIL, also one recorded after the case ended (``late``);
* the live verdict (pytest plugin) does the same for a case that raised nothing;
* Checker: ``soft=True`` and ``collecting()`` record a failure without ending the case at once.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conformance.harness.checks import Checker
from conformance.outcomes import CheckFailed
from conformance.recording import EventLog
from conformance.reporting.html import html_report
from conformance.reporting.junit import render_junit
from conformance.reporting.model import NOT_FINISHED, build_model
from conformance.reporting.summary import decide, summary_json
from support import REPO


def start(case_id: str, mono: float) -> dict:
    return {"kind": "case_start", "case": case_id, "wall": mono, "mono": mono, "title": case_id, "role": "CS",
            "block": "B"}


def end(case_id: str, verdict: str, mono: float, message: str = "") -> dict:
    return {"kind": "case_end", "case": case_id, "wall": mono, "mono": mono, "verdict": verdict, "message": message}


def check(case_id: str, mono: float, name: str, passed: bool, **extra: object) -> dict:
    return {"kind": "check", "case": case_id, "wall": mono, "mono": mono, "name": name, "passed": passed,
            "expected": "'a'", "actual": "'b'", "requirements": ["B01.FR.01"], **extra}


def session(selected: list[str] | None = None, ended: bool = True) -> tuple[list[dict], list[dict]]:
    head = {"kind": "session_start", "case": None, "wall": 0.0, "mono": 0.0, "role": "station",
            "implemented": ["TC_B_01_CS", "TC_B_06_CS"]}
    if selected is not None:
        head["selected"] = selected
    tail = [{"kind": "session_end", "case": None, "wall": 99.0, "mono": 99.0, "role": "station"}] if ended else []
    return [head], tail


def test_a_passed_case_with_a_failed_check_is_fail_everywhere(tmp_path: Path) -> None:
    head, tail = session()
    model = build_model(head + [start("A", 1), check("A", 1.1, "first", True), check("A", 1.2, "soft one", False),
                                check("A", 1.3, "generic one", False, generic=True), end("A", "PASS", 2)] + tail)
    case = model.cases["A"]
    assert case.verdict == "FAIL"
    assert "soft one" in case.message and "generic one" in case.message  # every failed check listed
    assert case.message.splitlines()[0].startswith("2 checks failed")
    outcome = decide(model)
    assert outcome.exit_code == 1 and outcome.deciding[0].startswith("A: FAIL")
    assert summary_json(model, outcome)["cases"][0]["verdict"] == "FAIL"
    render_junit(model, tmp_path / "junit.xml")
    assert '<failure message="FAIL: 2 checks failed' in (tmp_path / "junit.xml").read_text()
    assert 'data-verdict="FAIL"' in html_report(model, outcome, reference_href=None)


def test_a_late_check_turns_the_case_that_ended_to_fail() -> None:
    head, tail = session()
    events = head + [start("A", 1), end("A", "PASS", 2),
                     check("A", 2.5, "CALLRESULT without an outstanding CALL", False, generic=True, late=True),
                     start("B", 3), end("B", "PASS", 4)] + tail
    model = build_model(events)
    assert model.cases["A"].verdict == "FAIL" and model.cases["B"].verdict == "PASS"
    assert "after the case ended" in model.cases["A"].message
    assert decide(model).exit_code == 1


def test_a_late_check_is_added_to_a_failed_case() -> None:
    head, tail = session()
    model = build_model(head + [start("A", 1), check("A", 1.5, "own", False), end("A", "FAIL", 2, "own [B01.FR.01]"),
                                check("A", 2.5, "late one", False, late=True)] + tail)
    assert model.cases["A"].verdict == "FAIL"
    assert model.cases["A"].message.startswith("own [B01.FR.01]")
    assert "failed after the case ended:\n- late one" in model.cases["A"].message


@pytest.mark.parametrize("verdict", ["INCONCLUSIVE", "ERROR", "NOT APPLICABLE"])
def test_fail_wins_but_the_ending_stays_in_the_message(verdict: str) -> None:
    head, tail = session()
    model = build_model(head + [start("A", 1), check("A", 1.5, "a check", False),
                                end("A", verdict, 2, "could not present the token")] + tail)
    assert model.cases["A"].verdict == "FAIL"
    assert f"the case ended {verdict}: could not present the token" in model.cases["A"].message


def test_a_case_interrupted_after_a_failed_check_is_fail_and_not_finished() -> None:
    head, _ = session(["A"], ended=False)
    model = build_model(head + [start("A", 1), check("A", 1.5, "a check", False)])
    assert model.cases["A"].verdict == "FAIL" and not model.cases["A"].finished
    assert model.interrupted and "did not finish" in model.cases["A"].message


def test_selected_cases_that_never_ran_are_not_finished() -> None:
    head, _ = session(["A", "TC_B_06_CS"], ended=False)  # killed after A
    model = build_model(head + [start("A", 1), end("A", "PASS", 2)])
    never = model.cases["TC_B_06_CS"]
    assert never.verdict == NOT_FINISHED and never.block == "B" and never.role == "CS" and not never.finished
    assert "never ran" in never.message
    assert model.interrupted
    outcome = decide(model)
    assert outcome.exit_code == 1 and any(line.startswith("TC_B_06_CS: NOT FINISHED") for line in outcome.deciding)
    html = html_report(model, outcome, reference_href=None)
    assert "1 selected case(s) never ran" in html and "never ran: the run ended before this case started" in html


def test_a_log_without_a_selection_still_renders() -> None:
    head, tail = session(None)
    model = build_model(head + [start("A", 1), end("A", "PASS", 2)] + tail)
    assert decide(model).exit_code == 0 and not model.interrupted


# --------------------------------------------------------------------------- Checker
def test_soft_checks_record_without_ending_the_case() -> None:
    log = EventLog()
    check_ = Checker(log)
    check_.that("soft that", False, expected=1, actual=2, requirements=("X.FR.01",), soft=True)
    check_.equal("soft equal", 3, 4, soft=True)
    check_.fields("soft fields", {"a": 1}, {"a": 2, "b": 3}, soft=True)
    check_.timing("soft timing", 5.0, required=1.0, tolerance=0.5, soft=True)
    failed = [e.data["name"] for e in log.events(kind="check") if not e.data["passed"]]
    assert failed == ["soft that", "soft equal", "soft fields: a", "soft fields: b", "soft timing"]
    with pytest.raises(CheckFailed) as hard:  # the existing API: a failure ends the case
        check_.that("hard", False)
    assert hard.value.recorded


def test_collecting_raises_one_check_failed_naming_all() -> None:
    log = EventLog()
    check_ = Checker(log)
    with pytest.raises(CheckFailed) as exc:
        with check_.collecting():
            check_.that("first", False, expected="x", actual="y", requirements=("A.FR.01",))
            check_.that("passes", True)
            with check_.collecting():  # an inner block hands its failures to the outer one
                check_.equal("second", 1, 2, requirements=("A.FR.02",))
            check_.fields("third", {"a": 1}, {"a": 2})
    text = str(exc.value)
    assert text.startswith("3 checks failed [A.FR.01, A.FR.02]")
    for name in ("first", "second", "third: a"):
        assert f"- {name}" in text
    assert exc.value.recorded
    with check_.collecting():  # nothing failed: nothing raised
        check_.that("fine", True)
    with pytest.raises(CheckFailed, match="^only"):  # one failure is raised as it is
        with check_.collecting():
            check_.that("only", False)


# --------------------------------------------------------------------------- a small case, live
SMALL_CASES = '''
from conformance.harness import case


@case(title="soft checks", use_cases=("B06",))
async def test_x_b_91_cs(station):
    station.check.that("the first soft check", False, expected="a", actual="b", requirements=("B06.FR.01",),
                       soft=True)
    station.check.that("a passing check", True)
    station.check.that("the second soft check", False, expected="c", actual="d", requirements=("B06.FR.02",),
                       soft=True)


@case(title="collected checks", use_cases=("B06",))
async def test_x_b_92_cs(station):
    station.check.that("a soft check before", False, soft=True)
    with station.check.collecting():
        station.check.that("collected one", False, requirements=("B06.FR.03",))
        station.check.that("collected two", False, requirements=("B06.FR.04",))


@case(title="passes", use_cases=("B06",))
async def test_x_b_93_cs(station):
    station.check.that("a passing check", True)
'''


def test_the_live_verdict_and_the_report_agree_on_failed_checks(tmp_path: Path) -> None:
    cases = tmp_path / "cases"
    cases.mkdir()
    (cases / "test_small.py").write_text(SMALL_CASES)
    run_dir = tmp_path / "run"
    proc = subprocess.run([sys.executable, "-m", "pytest", str(cases), "--ocpp-role", "station", "--ocpp-run-dir",
                           str(run_dir), "-p", "no:cacheprovider", "-c", str(REPO / "conformance" / "pytest-cases.ini"),
                           "--rootdir", str(cases)], capture_output=True, text=True, timeout=120, cwd=REPO)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    ends = {e["case"]: e for e in map(json.loads, (run_dir / "events.jsonl").read_text().splitlines())
            if e["kind"] == "case_end"}
    soft = ends["X_B_91_CS"]
    assert soft["verdict"] == "FAIL"
    assert "the first soft check" in soft["message"] and "the second soft check" in soft["message"]
    collected = ends["X_B_92_CS"]
    assert collected["verdict"] == "FAIL"
    for name in ("a soft check before", "collected one", "collected two"):
        assert name in collected["message"], collected["message"]
    assert ends["X_B_93_CS"]["verdict"] == "PASS"
    report = subprocess.run([sys.executable, "-m", "conformance.cli", "report", str(run_dir)], capture_output=True,
                            text=True, timeout=120, cwd=REPO)
    assert report.returncode == 1, report.stdout + report.stderr  # as the run: a case failed
    summary = json.loads((run_dir / "summary.json").read_text())
    assert {c["id"]: c["verdict"] for c in summary["cases"]} == {"X_B_91_CS": "FAIL", "X_B_92_CS": "FAIL",
                                                                "X_B_93_CS": "PASS"}
    assert {c["id"]: c["message"] for c in summary["cases"]} == {k: v["message"] for k, v in ends.items()}


def test_a_malformed_report_is_not_hidden_behind_a_seq_no_failure(tmp_path: Path) -> None:
    """Issue 8 §3: the reference station numbers its report parts from 1 AND leaks a WriteOnly value AND omits
    valuesLists; TC_B_13_CS names all three, not only the seqNo."""
    run_dir = tmp_path / "run"
    proc = subprocess.run([sys.executable, "-m", "conformance.cli", "run", "--role", "station", "--case",
                           "TC_B_13_CS", "--fault", "report_seq_no_from_one", "--fault", "report_write_only_value",
                           "--fault", "full_inventory_omits_list_values", "--run-dir", str(run_dir)],
                          capture_output=True, text=True, timeout=120, cwd=REPO)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    case = json.loads((run_dir / "summary.json").read_text())["cases"][0]
    assert case["verdict"] == "FAIL"
    for what in ("NotifyReportRequest part 0 seqNo [B07.FR.10]", "no value is reported for a WriteOnly attribute",
                 "has a valuesList"):
        assert what in case["message"], case["message"]
