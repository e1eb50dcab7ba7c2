"""The suite tests itself: every implemented case passes against the reference SUTs, and
fails against each of its negative controls (a named fault in the reference SUT).

The matrix runs in this process (conformance/selftest.py): one reference pair per setup, many at once
in one event loop, computed once per session; each fault is then its own test id. A few tests run the
real ``ocpp-conformance run`` subprocess for what only the command line does (selection, exit codes,
outputs, usage errors)."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conformance.harness.case import discover
from conformance.faults import FAULTS
from conformance.reporting.model import load_model
from conformance.reporting.summary import decide
from conformance.selftest import (Setup, SetupResult, fault_problems, fault_setups, pass_problems, reference_setups,
                                  run_matrix, table, variant_setups)

REPO = Path(__file__).resolve().parents[1]

# The matrix is computed once per worker that runs a test of this file: one worker, as the project's tests run
# one file per worker (--dist loadfile, pyproject.toml). Its time is the fixture's, counted in the first test
# that reads it: a generous pytest-timeout for those.
def uses_the_matrix(test: Any) -> Any:
    return pytest.mark.timeout(900)(test)

_PICS_ONLY_SMART_CHARGING = Setup("station", (), settings=('pics.profiles=["Smart Charging"]',),
                                  label="pics-only-smart-charging")
_PICS_NO_OPTIONAL = Setup("station", (), config=str(REPO / "fixtures" / "reference-station.toml"),
                          settings=(f"pics_file={REPO / 'fixtures' / 'pics' / 'no-optional-features.toml'}",),
                          label="pics-no-optional-features")


def _station_cases() -> tuple[str, ...]:
    return tuple(sorted(c for c, meta in discover().items() if meta.role == "CS"))


#: The no-optional-features PICS still runs every mandatory Core case: split like the default setups (each part its
#: own reference pair), so that it does not make the whole matrix wait for one long serial setup.
_PICS_NO_OPTIONAL_CHUNK = 24


def _pics_no_optional_setups() -> list[Setup]:
    cases = _station_cases()
    return [dataclasses.replace(_PICS_NO_OPTIONAL, cases=cases[i:i + _PICS_NO_OPTIONAL_CHUNK],
                                label=f"{_PICS_NO_OPTIONAL.label}-{n + 1}")
            for n, i in enumerate(range(0, len(cases), _PICS_NO_OPTIONAL_CHUNK))]


@pytest.fixture(scope="session")
def matrix(tmp_path_factory: pytest.TempPathFactory) -> dict[str, SetupResult]:
    """Every setup's results, by setup name: the reference setups (default, chunked; the variants), one
    setup per fault, and the PICS setups below. The table of which setup made which case end how is
    written next to the run folders (matrix.txt)."""
    base = tmp_path_factory.mktemp("matrix")
    pics = [dataclasses.replace(_PICS_ONLY_SMART_CHARGING, cases=_station_cases()), *_pics_no_optional_setups()]
    matrix_setups = reference_setups() + fault_setups()
    results = run_matrix(matrix_setups + pics, base)
    (base / "matrix.txt").write_text(table(results[:len(matrix_setups)]) + "\n")
    return {r.setup.name: r for r in results}


def _exit_code(result: SetupResult) -> int:
    assert result.run_dir is not None
    return decide(load_model(result.run_dir)).exit_code


def _show(results: list[SetupResult]) -> str:
    return "\n" + table(results)


# --------------------------------------------------------------------------- in process: the matrix
@uses_the_matrix
@pytest.mark.parametrize("sut", ["station", "csms"])
def test_every_implemented_case_passes_against_the_reference_suts(sut: str, matrix: dict[str, SetupResult]) -> None:
    role = "CS" if sut == "station" else "CSMS"
    implemented = {c for c, meta in discover().items() if meta.role == role}
    results = [r for r in matrix.values() if r.setup.label.startswith(f"{sut}-default-")]
    assert {c for r in results for c in r.cases} == implemented
    # The reference SUTs claim every feature and run security profile 1; a case for products WITHOUT a feature
    # (Part 5 "not C-13") or for security profile 2 is NOT APPLICABLE here and passes in its variant (next test).
    problems = [p for r in results for p in pass_problems(r)]
    assert not problems, "\n".join(problems) + _show(results)
    assert all(r.error is None and _exit_code(r) == 0 for r in results), _show(results)


@uses_the_matrix
@pytest.mark.parametrize("variant", sorted(variant_setups()),
                         ids=lambda v: "-".join([v[0], *(f"without-{f}" for f in v[1]), *v[2]]))
def test_cases_of_other_setups_pass_against_the_reference_sut_set_up_so(variant: Any,
                                                                        matrix: dict[str, SetupResult]) -> None:
    sut, without, settings = variant
    result = matrix[Setup(sut, (), without=without, settings=settings).name]
    assert result.verdicts() == dict.fromkeys(sorted(variant_setups()[variant]), "PASS"), _show([result])
    assert _exit_code(result) == 0


def test_every_implemented_case_has_a_negative_control() -> None:
    implemented = discover()
    assert implemented, "no test case found"
    without = [case_id for case_id, meta in implemented.items() if not meta.faults]
    assert not without, f"cases without a negative control: {without}"
    for fault in FAULTS.values():
        assert set(fault.fails) <= set(implemented), f"{fault.name} names cases that do not exist"


@uses_the_matrix
@pytest.mark.parametrize("fault", sorted(FAULTS), ids=sorted(FAULTS))
def test_negative_control_makes_its_cases_fail(fault: str, matrix: dict[str, SetupResult]) -> None:
    result = matrix[fault]
    assert set(result.cases) == set(FAULTS[fault].fails)
    # each case it names FAILs, the failure names the broken check (a requirement id) and shows expected vs actual
    problems = fault_problems(result)
    assert not problems, "\n".join(problems) + _show([result])
    assert _exit_code(result) == 1


@uses_the_matrix
def test_cases_excluded_by_the_pics_are_not_applicable_with_the_reason(matrix: dict[str, SetupResult]) -> None:
    run = matrix[_PICS_ONLY_SMART_CHARGING.name]
    results = {c: {"verdict": r.verdict, "message": r.message} for c, r in run.cases.items()}
    assert _exit_code(run) == 0, _show([run])
    cases = discover()
    # Part 5 places no profile on a few cases (e.g. TC_G_20_CS): those always apply (unless their own Part 6
    # prerequisite needs a profile, e.g. TC_B_19_CS); every other case is excluded, naming the profile.
    unplaced = {c for c in results if not cases[c].profiles}
    assert unplaced < set(results)
    for case_id, result in results.items():
        if case_id in unplaced:
            assert result["verdict"] == "PASS" or "is not claimed in the PICS" in result["message"], result
        else:
            profiles = {p.profile for p in cases[case_id].profiles}
            assert result["verdict"] == "NOT APPLICABLE", result
            assert all(f"profile {p} is not claimed" in result["message"] for p in profiles - {"Smart Charging"}), \
                result


@uses_the_matrix
def test_mandatory_core_cases_run_with_a_pics_without_optional_features(matrix: dict[str, SetupResult]) -> None:
    from conformance.config import load_config
    from conformance.harness.applicability import applicability
    runs = [matrix[setup.name] for setup in _pics_no_optional_setups()]
    results = {c: {"verdict": r.verdict, "message": r.message} for run in runs for c, r in run.cases.items()}
    assert all(_exit_code(run) == 0 for run in runs), _show(runs)
    # every mandatory Core case passes (and our own cases beyond the catalog that need only Core, such as
    # X_G_02_CS); a conditional case runs exactly when its condition holds for this PICS: the cases for products
    # WITHOUT a feature ("not C-13") do, and pass, since the reference station then behaves as such a product;
    # the others (e.g. TC_P_04_CS, which needs Smart Charging) are NOT APPLICABLE with the condition.
    config = load_config(_PICS_NO_OPTIONAL.config, overrides=_PICS_NO_OPTIONAL.settings)
    cases = {case_id: meta for case_id, meta in discover().items() if meta.role == "CS"}
    other_setup = {c for (sut, without, settings), ids in variant_setups().items() if settings for c in ids}
    mandatory = {case_id for case_id, meta in cases.items() if case_id not in other_setup
                 and (any(p.profile == "Core" and p.level == "M" for p in meta.profiles) or case_id == "X_G_02_CS")}
    assert mandatory and set(cases) == set(results), _show(runs)
    assert {results[c]["verdict"] for c in mandatory} == {"PASS"}
    for case_id in other_setup & set(cases):  # e.g. TC_B_50_CS on security profile 1: says what it needs
        applies, reason = applicability(cases[case_id], config)
        assert results[case_id]["verdict"] == "NOT APPLICABLE", results[case_id]
        assert ("security profile" if applies else reason) in results[case_id]["message"], results[case_id]
    for case_id in set(cases) - mandatory - other_setup:
        applies, reason = applicability(cases[case_id], config)
        verdict, message = results[case_id]["verdict"], results[case_id]["message"]
        if applies and verdict == "NOT APPLICABLE":  # the case's own Part 6 prerequisite (require_profiles)
            assert "is not claimed in the PICS" in message, (case_id, results[case_id])
            continue
        assert verdict == ("PASS" if applies else "NOT APPLICABLE"), (case_id, results[case_id])
        if not applies:
            assert reason and reason in message, (case_id, results[case_id])
    assert results["TC_P_04_CS"]["verdict"] == "NOT APPLICABLE"


# --------------------------------------------------------------------------- the command line
def run_cli(*args: str, run_dir: Path, timeout: float = 180) -> tuple[int, dict[str, Any], str]:
    proc = subprocess.run([sys.executable, "-m", "conformance.cli", "run", "--run-dir", str(run_dir), *args],
                          capture_output=True, text=True, timeout=timeout, cwd=REPO)
    results: dict[str, Any] = {}
    summary = run_dir / "summary.json"
    if summary.exists():
        results = {c["id"]: c for c in json.loads(summary.read_text())["cases"]}
    return proc.returncode, results, proc.stdout + proc.stderr


def test_the_command_passes_both_roles_and_writes_the_outputs(tmp_path: Path) -> None:
    """``ocpp-conformance run`` without a configuration tests both reference SUTs (here a few cases of each):
    exit code 0, the summary, the event log and the JUnit report."""
    cases = ["TC_B_01_CS", "TC_P_01_CS", "TC_B_01_CSMS", "TC_P_02_CSMS"]
    code, results, output = run_cli(*(a for c in cases for a in ("--case", c)), run_dir=tmp_path)
    assert {k: v["verdict"] for k, v in results.items()} == dict.fromkeys(cases, "PASS"), output
    assert code == 0, output
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["counts"] == {"PASS": len(cases)}
    assert summary["exit_code"] == 0
    assert (tmp_path / "events.jsonl").stat().st_size > 0
    assert (tmp_path / "junit.xml").exists()


@uses_the_matrix
def test_a_fault_makes_the_command_fail_as_the_matrix_judged_it(tmp_path: Path,
                                                                matrix: dict[str, SetupResult]) -> None:
    spec = FAULTS["boot_without_reason"]
    code, results, output = run_cli("--role", "station", "--fault", spec.name, "--case", "TC_B_01_CS",
                                    run_dir=tmp_path)
    assert code == 1, output
    result = results["TC_B_01_CS"]
    assert result["verdict"] == "FAIL", result
    assert any(req in result["message"] for req in spec.breaks), result
    assert "expected" in result["message"] and "actual" in result["message"], result
    # the in-process matrix judged the same case the same way: same verdict, same message
    in_process = matrix[spec.name].cases["TC_B_01_CS"]
    assert (in_process.verdict, in_process.message) == (result["verdict"], result["message"])


def test_unknown_fault_is_a_usage_error(tmp_path: Path) -> None:
    code, results, output = run_cli("--role", "station", "--fault", "no_such_fault", run_dir=tmp_path)
    assert code == 2
    assert "no_such_fault" in output and "Traceback" not in output


def test_a_bad_configuration_is_rejected_before_anything_runs(tmp_path: Path) -> None:
    config = tmp_path / "sut.toml"
    config.write_text('role = "station"\nname = "x"\nreference = true\n[timing]\nmessage_timeout = -1\n'
                      'heartbeat_intervall = 3\n')
    code, results, output = run_cli("--config", str(config), run_dir=tmp_path / "run")
    assert code == 2
    assert "timing.message_timeout" in output and "timing.heartbeat_intervall" in output
    assert "Traceback" not in output
    assert not results


def test_block_selection_includes_our_own_cases_of_the_block(tmp_path: Path) -> None:
    code, results, output = run_cli("--role", "station", "--block", "G", "--case", "X_G_02_CS", run_dir=tmp_path)
    assert code == 0, output
    assert set(results) == {"X_G_02_CS"} and results["X_G_02_CS"]["verdict"] == "PASS", output
